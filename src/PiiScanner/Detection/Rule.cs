using System.Text.RegularExpressions;
using PiiScanner.Detection.Matching;
using PiiScanner.Detection.Validators;

namespace PiiScanner.Detection;

/// <summary>
/// One compiled detection rule loaded from a YAML file in <c>rules/</c>. Immutable and thread-safe.
/// </summary>
public sealed class Rule
{
    internal Rule(
        string id,
        string element,
        string? description,
        string sourceFile,
        RuleDetector detector,
        IReadOnlyList<RulePattern> patterns,
        IReadOnlyList<IValidator> validators,
        IReadOnlyList<RuleExample> examples)
    {
        Id = id;
        Element = element;
        Description = description;
        SourceFile = sourceFile;
        Detector = detector;
        Patterns = patterns;
        ValidatorList = validators;
        Examples = examples;
    }

    /// <summary>Unique rule id (<c>us-ssn</c>).</summary>
    public string Id { get; }

    /// <summary>Element the rule reports (see <see cref="Elements"/>).</summary>
    public string Element { get; }

    /// <summary>Free-text description from the rule file.</summary>
    public string? Description { get; }

    /// <summary>The file the rule was loaded from.</summary>
    public string SourceFile { get; }

    /// <summary>The code-backed interpretation of matches (<c>pattern</c>, <c>date</c>, <c>name</c>, <c>address</c>).</summary>
    public RuleDetector Detector { get; }

    /// <summary>Names of the validators every candidate must pass, in order.</summary>
    public IReadOnlyList<string> ValidatorNames => ValidatorList.Select(v => v.Name).ToArray();

    /// <summary>Names of the rule's patterns.</summary>
    public IReadOnlyList<string> PatternNames => Patterns.Select(p => p.Name).ToArray();

    /// <summary>The rule's must-match and must-not-match examples.</summary>
    public IReadOnlyList<RuleExample> Examples { get; }

    /// <summary>Number of examples (both ways).</summary>
    public int ExampleCount => Examples.Count;

    internal IReadOnlyList<RulePattern> Patterns { get; }

    internal IReadOnlyList<IValidator> ValidatorList { get; }

    internal int Index { get; set; }

    /// <summary>The folder the rule was loaded from (the shipped rules or a user folder).</summary>
    internal RulesFolder? Folder { get; set; }

    /// <summary>For a member of a rule family (<c>us-dl-IL</c>), the family's id (<c>us-dl</c>); else null.</summary>
    internal string? Family { get; init; }

    /// <summary>The licence formats, on the rule of the licence family (<c>us-dl</c>) only.</summary>
    internal Identifiers.DriversLicenseRules? Licences { get; init; }

    /// <summary>A code rule's named word lists (<c>words:</c> in its file), read by its detector.</summary>
    internal IReadOnlyDictionary<string, string[]> WordLists { get; init; } = new Dictionary<string, string[]>();

    /// <summary>The code rule's word list <paramref name="name"/>, which its detector needs.</summary>
    /// <exception cref="RuleLoadException">The rule's file has no such list (the message names file, rule and list).</exception>
    internal string[] Words(string name) =>
        WordLists.TryGetValue(name, out var words)
            ? words
            : throw new RuleLoadException(SourceFile, Id, $"its detector needs the word list 'words.{name}' (the file has: {(WordLists.Count == 0 ? "none" : string.Join(", ", WordLists.Keys))})");

    internal string[] Keywords { get; init; } = [];

    /// <summary>The subset of <see cref="Keywords"/> that only opens the gate written exactly so ("Ms", not the unit "ms").</summary>
    internal HashSet<string> ExactCaseKeywords { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A cheap pattern every match of the rule contains (no lookarounds, so the regex engine can vectorise it);
    /// when the text has none, the rule's patterns are not run. Null when the rule has none.
    /// </summary>
    internal TieredRegex? Prefilter { get; init; }

    internal string[] ContextWords { get; init; } = [];

    internal string[] NegativeContextWords { get; init; } = [];

    internal int ContextWindow { get; init; } = 40;

    internal bool ContextBeforeOnly { get; init; }

    internal double ContextBoost { get; init; } = 0.1;

    internal bool ContextStopsAtMatch { get; init; }

    internal string[] Headers { get; init; } = [];

    internal bool HeaderExact { get; init; }

    internal double HeaderBoost { get; init; } = 0.1;

    internal bool RequireContext { get; init; }

    internal bool WholeValue { get; init; }

    internal double WholeValueScore { get; init; } = 0.85;

    internal HashSet<string> AllowList { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    internal HashSet<string> StopWords { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    internal IReadOnlyDictionary<string, string[]> Compose { get; init; } = new Dictionary<string, string[]>();

    /// <summary>Words that may stand before a compose header and still name the part ("RES_ADDR", "Home City"), normalised.</summary>
    internal HashSet<string> ComposeQualifiers { get; init; } = new(StringComparer.Ordinal);

    // Which of the compose parts each header text names, worked out once per header.
    private HeaderMemo<ulong>? _composeParts;

    /// <summary>
    /// The compose parts <paramref name="header"/> names: bit <c>p</c> for the <c>p</c>-th part of <see cref="Compose"/>
    /// in its order (see <see cref="MatchComposePart"/>).
    /// </summary>
    internal ulong ComposeParts(NormalizedHeader header) => (_composeParts ??= new(raw =>
    {
        var normalized = NormalizedHeader.From(raw)!;
        var bits = 0UL;
        var p = 0;
        foreach (var (_, partHeaders) in Compose)
        {
            bits |= p < 64 && MatchComposePart(normalized, partHeaders) ? 1UL << p : 0;
            p++;
        }

        return bits;
    }))[header.Raw];

    /// <summary>Whether <paramref name="header"/> names a compose part with <paramref name="partHeaders"/>, itself or after one qualifier.</summary>
    internal bool MatchComposePart(NormalizedHeader header, string[] partHeaders)
    {
        if (HeaderText.Match(header, partHeaders, exact: true) is not null)
        {
            return true;
        }

        // "Patient First Name": a qualifier word, then a part header (compared as spans: this runs per field and rule).
        var full = header.Full.AsSpan();
        var space = full.IndexOf(' ');
        if (space <= 0 || !ComposeQualifiers.GetAlternateLookup<ReadOnlySpan<char>>().Contains(full[..space]))
        {
            return false;
        }

        var rest = full[(space + 1)..];
        foreach (var part in partHeaders)
        {
            if (rest.SequenceEqual(part))
            {
                return true;
            }
        }

        return false;
    }

    internal double ComposeScore { get; init; } = 0.9;

    internal int MinDigits { get; init; }

    /// <summary>
    /// The rule runs only on text holding one of these digit shapes (<see cref="DigitShapeList"/>), found in the
    /// engine's one digit pass: an SSN's <c>{3}-{2}-{4}</c>, <c>{3} {2} {4}</c> or <c>{9}</c>. A log line's
    /// <c>2024-03-01T22:17:06</c> or <c>10.54.237.73</c> holds none. Null: no shape required.
    /// </summary>
    internal DigitShapeList? DigitShapes { get; init; }

    internal double MinScore { get; init; }

    /// <summary>
    /// Role cues: a word just before a match (<c>Prescriber:</c>, <c>Dr.</c>) or just after it (<c>, MD</c>) gives the
    /// finding that role (<see cref="FindingQualifiers.Role"/>: <c>provider</c>, <c>staff</c>).
    /// </summary>
    internal IReadOnlyList<RoleCue> Roles { get; init; } = [];

    /// <summary>
    /// How many lines above a free-text line a match may start in (0: none). A postal address over two or three lines
    /// (street / city, ST ZIP) is matched on the lines joined with <c>", "</c>.
    /// </summary>
    internal int LinesAbove { get; init; }

    /// <summary>Last words that make any other header the rule's (<c>name</c>: "MBR_NAME", "Your name"), normalised.</summary>
    internal string[] HeaderSuffixes { get; init; } = [];

    /// <summary>Words that keep a header with one of <see cref="HeaderSuffixes"/> from counting ("File Name", "Street Name").</summary>
    internal HashSet<string> HeaderExclude { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The rule header that <paramref name="header"/> matches, or null: a listed header, else a header ending in
    /// one of <see cref="HeaderSuffixes"/> with none of <see cref="HeaderExclude"/>'s words. The engine keeps the answer per
    /// header text (its header facts), so this is not memoised here.</summary>
    internal string? MatchHeader(NormalizedHeader header)
    {
        if (HeaderText.Match(header, Headers, HeaderExact) is { } listed)
        {
            return listed;
        }

        foreach (var suffix in HeaderSuffixes)
        {
            if (EndsWithWord(header.Last, suffix) || EndsWithWord(header.Full, suffix))
            {
                return header.Full.Split(' ').Any(HeaderExclude.Contains) ? null : "* " + suffix;
            }
        }

        return null;

        static bool EndsWithWord(string text, string word) =>
            text.EndsWith(word, StringComparison.Ordinal) && (text.Length == word.Length || text[^(word.Length + 1)] == ' ');
    }
}

/// <summary>A role a finding takes when one of the words stands right before or right after it.</summary>
/// <param name="Role">The role (<c>provider</c>, <c>staff</c>).</param>
/// <param name="Before">Words (labels, honorifics) that announce the role when they end just before the value.</param>
/// <param name="After">Words (credentials) that announce the role when they follow the value.</param>
internal sealed record RoleCue(PersonRole Role, string[] Before, string[] After);

/// <summary>How a rule interprets its matches beyond regex + validators.</summary>
public enum RuleDetector
{
    /// <summary>Plain pattern: the (validated, normalised) match is the value.</summary>
    Pattern,

    /// <summary>A date: groups <c>y</c>, <c>m</c>, <c>d</c>, <c>mon</c> are parsed and normalised to <c>yyyy-MM-dd</c>; written dates near a keyword fall back to Microsoft.Recognizers.Text.</summary>
    Date,

    /// <summary>A person's name: cleaned, checked against stop words, <c>LAST, FIRST M</c> reordered; first/middle/last fields composed.</summary>
    Name,

    /// <summary>A US postal address: state checked, suffix abbreviated, one-line value; street/city/state/zip fields composed.</summary>
    Address,

    /// <summary>
    /// Found by a code detector (<see cref="ISegmentDetector"/>): the rule file names, documents and exemplifies what
    /// the detector reports under this id (findings of a family such as <c>us-dl</c> may carry <c>us-dl-IL</c>).
    /// </summary>
    Code,
}

/// <summary>One example from a rule file.</summary>
/// <param name="Text">Text to scan.</param>
/// <param name="ShouldMatch">Whether the rule must report a finding in it.</param>
/// <param name="Value">Expected normalised value (match examples only; null when not given).</param>
/// <param name="Header">Label/column header to scan the text under, or null for free text.</param>
/// <param name="Category">Expected category or role of the finding (<c>provider</c>), or null when not checked.</param>
/// <remarks>A text with line breaks is scanned as consecutive lines of one block, as a text file's lines are.</remarks>
public sealed record RuleExample(string Text, bool ShouldMatch, string? Value = null, string? Header = null, string? Category = null);

/// <summary>A compiled pattern of a rule.</summary>
internal sealed record RulePattern(
    string Name,
    TieredRegex Regex,
    double Score,
    double? ScoreWithContext,
    bool RequireContext,
    FindingQualifiers Qualifiers,
    int MinTokens)
{
    /// <summary>
    /// For a pattern of a keyword-gated rule: literal strings (matched as written, one vectorised search) that let this
    /// pattern alone run when none of the rule's keywords is in the text ("Ana Ruiz (03/04/1961)" has no "name"
    /// keyword but a "("). Null when the pattern has none.
    /// </summary>
    public System.Buffers.SearchValues<string>? Triggers { get; init; }

    /// <summary>Like <see cref="Rule.DigitShapes"/>, for this pattern alone.</summary>
    public DigitShapeList? DigitShapes { get; init; }

    /// <summary>The strings of <see cref="Triggers"/>.</summary>
    public string[] TriggerWords { get; init; } = [];
}
