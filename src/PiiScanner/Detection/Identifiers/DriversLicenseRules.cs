using System.Text.RegularExpressions;
using PiiScanner.Detection.Matching;
using PiiScanner.Detection.Rules;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PiiScanner.Detection.Identifiers;

/// <summary>
/// The licence formats of every state, loaded from <c>rules/us/drivers-licenses.yaml</c> (schema in
/// <c>rules/README.md, "Driver's licence data"</c>). Immutable and thread-safe once loaded.
/// </summary>
internal sealed class DriversLicenseRules
{
    /// <summary>The licence formats' file inside a rules folder.</summary>
    internal const string RulesFile = "us/drivers-licenses.yaml";

    private static readonly TimeSpan MatchTimeout = RuleSet.RegexTimeout;

    private DriversLicenseRules(string path, DlFile file, DlContext context, IReadOnlyList<StateLicenceFormats> states)
    {
        Path = path;
        Id = file.Id!;
        Element = file.Element!;
        Description = file.Description;
        Examples = file.Examples;
        Context = context;
        States = states;
        ByCode = states.ToDictionary(s => s.State, StringComparer.Ordinal);
    }

    /// <summary>The file the rules came from.</summary>
    public string Path { get; }

    /// <summary>The rule family id (<c>us-dl</c>); a finding whose state is known reports <c>us-dl-XX</c>.</summary>
    public string Id { get; }

    /// <summary>The element reported (<c>driversLicense</c>).</summary>
    public string Element { get; }

    /// <summary>The family's description.</summary>
    public string? Description { get; }

    /// <summary>The family's own examples as written (the states' examples are in <see cref="States"/>).</summary>
    internal ExamplesDocument? Examples { get; }

    /// <summary>Context keywords and headers.</summary>
    public DlContext Context { get; }

    /// <summary>Every state (and DC) in file order.</summary>
    public IReadOnlyList<StateLicenceFormats> States { get; }

    /// <summary>States by two-letter code.</summary>
    public IReadOnlyDictionary<string, StateLicenceFormats> ByCode { get; }

    /// <summary>Loads and compiles the rules.</summary>
    /// <exception cref="RuleLoadException">The file is malformed; the message names the file, the rule and the state.</exception>
    public static DriversLicenseRules Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        return Parse(full, File.ReadAllText(full));
    }

    /// <summary>Parses and compiles the licence data of <paramref name="text"/>, read from <paramref name="path"/>.</summary>
    /// <exception cref="RuleLoadException">The text is malformed; the message names the file, the rule and the state.</exception>
    internal static DriversLicenseRules Parse(string path, string text)
    {
        DlFile file;
        try
        {
            var deserializer = new DeserializerBuilder()
                .WithNamingConvention(CamelCaseNamingConvention.Instance)
                .Build();
            file = deserializer.Deserialize<DlFile>(text) ?? throw new RuleLoadException(path, null, "the file is empty");
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new RuleLoadException(path, null, $"invalid rule YAML at line {ex.Start.Line}: {ex.Message}", ex);
        }

        var id = file.Id;
        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(file.Element))
        {
            throw new RuleLoadException(path, id, "a code detector's data file needs 'id' and 'element'");
        }

        if (file.Context is null || file.States is null || file.States.Count == 0)
        {
            throw new RuleLoadException(path, id, "'context' and 'states' are required");
        }

        var states = new List<StateLicenceFormats>();
        foreach (var s in file.States)
        {
            if (s.State is not { Length: 2 } code || string.IsNullOrWhiteSpace(s.Name) || s.Formats is null || s.Formats.Count == 0)
            {
                throw new RuleLoadException(path, id, $"state '{s.State}' needs a two-letter 'state', a 'name' and 'formats'");
            }

            var formats = new List<LicenceFormat>();
            foreach (var f in s.Formats)
            {
                if (string.IsNullOrWhiteSpace(f.Name) || string.IsNullOrWhiteSpace(f.Regex))
                {
                    throw new RuleLoadException(path, id, $"state {code}: every format needs 'name' and 'regex'");
                }

                TieredRegex regex;
                try
                {
                    regex = new TieredRegex(
                        $"^(?:{f.Regex})$",
                        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture,
                        MatchTimeout);
                }
                catch (ArgumentException ex)
                {
                    throw new RuleLoadException(path, id, $"state {code}, format {f.Name}: bad regex: {ex.Message}", ex);
                }

                formats.Add(new LicenceFormat(f.Name, f.Regex, regex, f.Unique));
            }

            states.Add(new StateLicenceFormats(
                code.ToUpperInvariant(),
                s.Name.Trim(),
                formats,
                s.Examples?.Match ?? [],
                s.Examples?.NoMatch ?? []));
        }

        var c = file.Context;
        var context = new DlContext(
            c.StrongKeywords ?? [],
            c.WeakKeywords ?? [],
            c.IdCardKeywords ?? [],
            c.NegativeWords ?? [],
            c.Headers ?? [],
            c.HeaderExclude ?? [],
            c.StateHeaders ?? [],
            c.FillerWords ?? [],
            c.StateAfterWords ?? [],
            c.Window is > 0 and <= 200 ? c.Window : 40);
        if (context.StrongKeywords.Count == 0 || context.Headers.Count == 0 || context.FillerWords.Count == 0 || context.StateAfterWords.Count == 0)
        {
            throw new RuleLoadException(path, id, "context.strongKeywords, context.headers, context.fillerWords and context.stateAfterWords are required");
        }

        return new DriversLicenseRules(path, file, context, states);
    }

    /// <summary>Upper-cases a candidate and keeps only letters, digits and <c>*</c> (the stored form of a licence number).</summary>
    public static string Normalize(string candidate)
    {
        var sb = new System.Text.StringBuilder(candidate.Length);
        foreach (var c in candidate)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '*')
            {
                sb.Append(char.ToUpperInvariant(c));
            }
        }

        return sb.ToString();
    }

    // YAML shape.
    private sealed class DlFile
    {
        public string? Kind { get; set; }

        public string? Id { get; set; }

        public string? Element { get; set; }

        // Read by the rule loader (RuleSet), which lists the file as the us-dl rule (and one us-dl-XX rule per state)
        // and runs its examples.
        public string? Description { get; set; }

        public ExamplesDocument? Examples { get; set; }

        public DlContextYaml? Context { get; set; }

        public List<StateYaml>? States { get; set; }
    }

    private sealed class DlContextYaml
    {
        public List<string>? StrongKeywords { get; set; }

        public List<string>? WeakKeywords { get; set; }

        public List<string>? IdCardKeywords { get; set; }

        public List<string>? NegativeWords { get; set; }

        public List<string>? Headers { get; set; }

        public List<string>? HeaderExclude { get; set; }

        public List<string>? StateHeaders { get; set; }

        public List<string>? FillerWords { get; set; }

        public List<string>? StateAfterWords { get; set; }

        public int Window { get; set; }
    }

    private sealed class StateYaml
    {
        public string? State { get; set; }

        public string? Name { get; set; }

        public List<FormatYaml>? Formats { get; set; }

        public ExamplesYaml? Examples { get; set; }
    }

    private sealed class FormatYaml
    {
        public string? Name { get; set; }

        public string? Regex { get; set; }

        public bool Unique { get; set; }
    }

    private sealed class ExamplesYaml
    {
        public List<string>? Match { get; set; }

        public List<string>? NoMatch { get; set; }
    }
}

/// <summary>Context words of the licence rules (see <c>rules/README.md, "Driver's licence data"</c>).</summary>
/// <param name="StrongKeywords">Keywords naming a driver's licence or state ID.</param>
/// <param name="WeakKeywords">Keywords naming "a licence" (lower confidence).</param>
/// <param name="IdCardKeywords">Keywords that mark a state ID card.</param>
/// <param name="NegativeWords">Words before a weak keyword that make it another kind of licence.</param>
/// <param name="Headers">Column headers of a licence number column.</param>
/// <param name="HeaderExclude">Header words that make a column something else.</param>
/// <param name="StateHeaders">Headers of a column holding the issuing state.</param>
/// <param name="FillerWords">Words skipped between a keyword and the number ("No.", "number", "issued by").</param>
/// <param name="StateAfterWords">Words allowed between a number and the state named after it ("issued by Texas").</param>
/// <param name="Window">Characters after a keyword in which the number must start.</param>
internal sealed record DlContext(
    IReadOnlyList<string> StrongKeywords,
    IReadOnlyList<string> WeakKeywords,
    IReadOnlyList<string> IdCardKeywords,
    IReadOnlyList<string> NegativeWords,
    IReadOnlyList<string> Headers,
    IReadOnlyList<string> HeaderExclude,
    IReadOnlyList<string> StateHeaders,
    IReadOnlyList<string> FillerWords,
    IReadOnlyList<string> StateAfterWords,
    int Window);

/// <summary>One state's licence formats and examples.</summary>
/// <param name="State">Two-letter code.</param>
/// <param name="Name">Full name (also used to recognise the state in text).</param>
/// <param name="Formats">The number formats.</param>
/// <param name="MatchExamples">Numbers that must match one of the formats.</param>
/// <param name="NoMatchExamples">Numbers that must match none.</param>
internal sealed record StateLicenceFormats(
    string State,
    string Name,
    IReadOnlyList<LicenceFormat> Formats,
    IReadOnlyList<string> MatchExamples,
    IReadOnlyList<string> NoMatchExamples)
{
    /// <summary>The first format the normalised number matches, or null.</summary>
    public LicenceFormat? Match(string normalized)
    {
        foreach (var f in Formats)
        {
            try
            {
                if (f.Regex.For(normalized.Length).IsMatch(normalized))
                {
                    return f;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A timeout is a non-match for that format, not a crash.
            }
        }

        return null;
    }
}

/// <summary>One number format of a state.</summary>
/// <param name="Name">Pattern name for evidence (<c>letter-11</c>).</param>
/// <param name="Source">The regex as written in the rules.</param>
/// <param name="Regex">The compiled, anchored regex.</param>
/// <param name="Unique">Whether no other state issues numbers of this shape (then the shape names the state).</param>
internal sealed record LicenceFormat(string Name, string Source, TieredRegex Regex, bool Unique);
