using PiiScanner.Detection;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PiiScanner.Notification;

/// <summary>
/// The breach-notification laws: one <see cref="NotificationLaw"/> per jurisdiction plus the overlays (HIPAA), loaded
/// from a folder of YAML files (<c>laws/</c>, shipped next to the library). Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Loading fails with <see cref="NotificationLawException"/> naming the file for bad YAML, an unknown key, a missing
/// field, an unknown element, two files for one jurisdiction, or an example without a reason.
/// </remarks>
public sealed class NotificationLaws
{
    /// <summary>Elements a law may name that the scanner does not detect (yet): they appear in triggers so the data
    /// follows the statute, and simply never fire.</summary>
    public static IReadOnlySet<string> UndetectedElements { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "accessCode", "credentials", "biometric", "militaryId",
    };

    private static readonly HashSet<string> DetectedElements = new(StringComparer.Ordinal)
    {
        Elements.Name, Elements.Address, Elements.Ssn, Elements.DriversLicense, Elements.Dob, Elements.Medical,
        Elements.Itin, Elements.Passport, Elements.HealthInsurance, Elements.Mbi, Elements.BankAccount,
        Elements.CreditCard, Elements.Email, Elements.Phone,
    };

    private readonly Lazy<(Dictionary<string, NotificationLaw> ByJurisdiction, List<NotificationLaw> States, List<NotificationLaw> Overlays)> _laws;

    private NotificationLaws(Func<List<NotificationLaw>> parse, string hash)
    {
        Hash = hash;
        _laws = new(() =>
        {
            var laws = parse();
            return (
                laws.Where(l => !l.Overlay).ToDictionary(l => l.Jurisdiction, StringComparer.OrdinalIgnoreCase),
                [.. laws.Where(l => !l.Overlay).OrderBy(l => l.Jurisdiction, StringComparer.Ordinal)],
                [.. laws.Where(l => l.Overlay).OrderBy(l => l.Jurisdiction, StringComparer.Ordinal)]);
        });
    }

    /// <summary>State, district and territory laws, by jurisdiction code.</summary>
    public IReadOnlyList<NotificationLaw> States => _laws.Value.States;

    /// <summary>Laws applied beside the state law (HIPAA).</summary>
    public IReadOnlyList<NotificationLaw> Overlays => _laws.Value.Overlays;

    /// <summary>SHA-256 (hex) of the law files' names and texts: two sets with the same hash decide alike.</summary>
    internal string Hash { get; }

    /// <summary>Every law, states then overlays.</summary>
    public IEnumerable<NotificationLaw> All => States.Concat(Overlays);

    /// <summary>The law of a jurisdiction code, or null when there is no file for it.</summary>
    public NotificationLaw? For(string? jurisdiction) =>
        jurisdiction is not null && _laws.Value.ByJurisdiction.TryGetValue(jurisdiction, out var law) ? law : null;

    /// <summary>
    /// Loads the shipped laws. They are parsed when first used (the tests check them; a rescan that decides nothing
    /// anew never parses them).
    /// </summary>
    public static NotificationLaws LoadDefault() => Load(RulesFolder.Shipped, ShippedSubfolder, parseNow: false);

    /// <summary>Where the laws sit among the shipped rules (<c>rules/notification/</c>).</summary>
    internal const string ShippedSubfolder = "notification";

    /// <summary>Loads every <c>*.yaml</c> file of <paramref name="directory"/> (not recursive), in ordinal order.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="NotificationLawException">A file is invalid; the message names it.</exception>
    public static NotificationLaws Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Notification law directory not found: {directory}");
        }

        // A user's folder is parsed now, so a bad file fails here.
        return Load(RulesFolder.FromDirectory(directory), string.Empty, parseNow: true);
    }

    private static NotificationLaws Load(RulesFolder folder, string subfolder, bool parseNow)
    {
        var files = new List<(string Relative, string Text)>();
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var relative in folder.FilesUnder(subfolder, ".yaml").Where(f => f.Count(c => c == '/') == (subfolder.Length == 0 ? 0 : 1)).Order(StringComparer.Ordinal))
        {
            var text = folder.ReadAllText(relative);
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(relative) + "\n" + text + "\n"));
            files.Add((relative, text));
        }

        List<NotificationLaw> Parse()
        {
            var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
            var laws = new List<NotificationLaw>();
            var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (relative, text) in files)
            {
                var file = folder.Describe(relative);
                var law = LoadFile(file, text, deserializer);
                if (seen.TryGetValue(law.Jurisdiction, out var other))
                {
                    throw new NotificationLawException(file, $"jurisdiction '{law.Jurisdiction}' is already defined in {Path.GetFileName(other)}");
                }

                seen[law.Jurisdiction] = file;
                laws.Add(law);
            }

            return laws;
        }

        var loaded = new NotificationLaws(Parse, Convert.ToHexStringLower(hash.GetHashAndReset()));
        if (parseNow)
        {
            _ = loaded.States;
        }

        return loaded;
    }

    private static NotificationLaw LoadFile(string file, string text, IDeserializer deserializer)
    {
        LawDocument? doc;
        try
        {
            doc = deserializer.Deserialize<LawDocument>(text);
        }
        catch (YamlException ex)
        {
            throw new NotificationLawException(file, $"invalid YAML at line {ex.Start.Line}: {ex.Message}", ex);
        }

        if (doc is null)
        {
            throw new NotificationLawException(file, "the file is empty");
        }

        var code = Required(file, doc.Jurisdiction, "jurisdiction");
        var name = Required(file, doc.Name, "name");
        if (doc.Law is not null && doc.Deadline is null)
        {
            throw new NotificationLawException(file, "'deadline' is required when 'law' is set");
        }

        var triggers = new List<IReadOnlyList<string>>();
        foreach (var set in doc.Triggers ?? [])
        {
            if (set is null || set.Count == 0)
            {
                throw new NotificationLawException(file, "a trigger is an empty list");
            }

            triggers.Add(CheckElements(file, set, "trigger"));
        }

        if (doc.Law is null && triggers.Count > 0)
        {
            throw new NotificationLawException(file, "triggers without a 'law' citation");
        }

        var regulators = new List<Regulator>();
        foreach (var r in doc.Regulators ?? [])
        {
            var scope = r.Scope?.ToUpperInvariant() switch
            {
                null or "STATE" => RegulatorScope.State,
                "TOTAL" => RegulatorScope.Total,
                _ => throw new NotificationLawException(file, $"regulator scope '{r.Scope}' is not 'state' or 'total'"),
            };
            if (r.MinResidents < 1)
            {
                throw new NotificationLawException(file, $"regulator '{r.Who}': 'minResidents' must be 1 or more");
            }

            regulators.Add(new Regulator(Required(file, r.Who, "regulators[].who"), r.MinResidents, scope, r.Note));
        }

        var examples = new List<LawExample>();
        foreach (var e in doc.Examples ?? [])
        {
            if (e.Notifiable is not { } notifiable)
            {
                throw new NotificationLawException(file, "an example has no 'notifiable'");
            }

            examples.Add(new LawExample(CheckElements(file, e.Elements ?? [], "example"), notifiable, Required(file, e.Why, "examples[].why")));
        }

        if (examples.Count == 0)
        {
            throw new NotificationLawException(file, "at least one example is required");
        }

        return new NotificationLaw(
            code.ToUpperInvariant(), name, doc.Law, doc.Deadline, doc.DeadlineDays, doc.Overlay, triggers, regulators,
            doc.Uncertain ?? [], examples, file);
    }

    private static List<string> CheckElements(string file, List<string> elements, string where)
    {
        foreach (var element in elements)
        {
            if (!DetectedElements.Contains(element) && !UndetectedElements.Contains(element))
            {
                throw new NotificationLawException(file, $"unknown element '{element}' in a {where}");
            }
        }

        return elements;
    }

    private static string Required(string file, string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new NotificationLawException(file, $"'{field}' is required") : value;

#pragma warning disable CA1812 // instantiated by YamlDotNet
#pragma warning disable CA2227 // YamlDotNet needs settable collections
    private sealed class LawDocument
    {
        public string? Jurisdiction { get; set; }

        public string? Name { get; set; }

        public string? Law { get; set; }

        public string? Deadline { get; set; }

        public int? DeadlineDays { get; set; }

        public bool Overlay { get; set; }

        public List<List<string>>? Triggers { get; set; }

        public List<RegulatorDocument>? Regulators { get; set; }

        public List<string>? Uncertain { get; set; }

        public List<ExampleDocument>? Examples { get; set; }
    }

    private sealed class RegulatorDocument
    {
        public string? Who { get; set; }

        public int MinResidents { get; set; }

        public string? Scope { get; set; }

        public string? Note { get; set; }
    }

    private sealed class ExampleDocument
    {
        public List<string>? Elements { get; set; }

        public bool? Notifiable { get; set; }

        public string? Why { get; set; }
    }
#pragma warning restore CA2227
#pragma warning restore CA1812
}

/// <summary>A law file could not be loaded. The message names the file.</summary>
public sealed class NotificationLawException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NotificationLawException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public NotificationLawException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public NotificationLawException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a file.</summary>
    public NotificationLawException(string filePath, string problem, Exception? innerException = null)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The law file.</summary>
    public string? FilePath { get; }
}
