using PiiScanner.Detection;
using PiiScanner.Detection.Identifiers;
using PiiScanner.Detection.Validators;
using PiiScanner.Extraction;
using PiiScanner.Resolution;

namespace PiiScanner;

/// <summary>
/// Assembles a <see cref="Scanner"/>: rules, limits and options are gathered here, then <see cref="Build"/>
/// loads and compiles everything once and returns an immutable, thread-safe scanner. A builder is not
/// thread-safe; build once, share the scanner.
/// </summary>
/// <example>
/// <code>
/// var scanner = new ScannerBuilder().WithThreads(4).Build();
/// var result = await scanner.ScanAsync(["/srv/share"], [new OutputDirectorySink("case42", new OutputOptions())]);
/// </code>
/// </example>
public sealed class ScannerBuilder
{
    private readonly List<string> _ruleDirectories = [];
    private readonly List<string> _excludedPaths = [];
    private bool _defaultRules = true;
    private ExtractionLimits _limits = new();
    private int _threads = Environment.ProcessorCount;
    private TimeProvider _time = TimeProvider.System;
    private bool _hashItems = true;

    /// <summary>The rules folder shipped next to the library (<c>rules/</c> in the application's base directory).</summary>
    public static string DefaultRulesDirectory => Path.Combine(AppContext.BaseDirectory, "rules");

    /// <summary>Adds a folder of user rules, loaded after the default rules (a rule with the same id replaces the earlier one).</summary>
    public ScannerBuilder AddRules(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Rules folder not found: {directory}");
        }

        _ruleDirectories.Add(Path.GetFullPath(directory));
        return this;
    }

    /// <summary>Does not load the shipped rules (only the folders given to <see cref="AddRules"/>).</summary>
    public ScannerBuilder WithoutDefaultRules()
    {
        _defaultRules = false;
        return this;
    }

    /// <summary>Sets the safety limits.</summary>
    public ScannerBuilder WithLimits(ExtractionLimits limits)
    {
        _limits = limits ?? throw new ArgumentNullException(nameof(limits));
        return this;
    }

    /// <summary>Sets the number of worker threads (default: one per core). Output does not depend on it.</summary>
    public ScannerBuilder WithThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = threads;
        return this;
    }

    /// <summary>Sets the clock (timings, time limits, the reference date for two-digit birth years).</summary>
    public ScannerBuilder WithTimeProvider(TimeProvider timeProvider)
    {
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        return this;
    }

    /// <summary>Excludes a path from directory walks (the scan's own output folder, for example).</summary>
    public ScannerBuilder ExcludePath(string path)
    {
        _excludedPaths.Add(Path.GetFullPath(path));
        return this;
    }

    /// <summary>Turns per-item SHA-256 on or off (on by default; forensic use wants it).</summary>
    public ScannerBuilder WithItemHashes(bool enabled)
    {
        _hashItems = enabled;
        return this;
    }

    /// <summary>Loads the rules and builds the scanner.</summary>
    /// <exception cref="RuleLoadException">A rule file is invalid (the message names the file and rule).</exception>
    public Scanner Build()
    {
        var directories = new List<string>();
        if (_defaultRules)
        {
            directories.Add(DefaultRulesDirectory);
        }

        directories.AddRange(_ruleDirectories);
        var rules = RuleSet.Load(directories, ValidatorRegistry.CreateDefault());
        // Licence formats and medical vocabularies: from the last rules folder that ships them.
        var dataDirectory = directories.LastOrDefault(d => File.Exists(Path.Combine(d, "us", "drivers-licenses.yaml")));
        var codeDetectors = dataDirectory is null ? [] : CodeDetectors.CreateDefault(dataDirectory);
        var licences = dataDirectory is null ? null : DriversLicenseRules.Load(Path.Combine(dataDirectory, "us", "drivers-licenses.yaml"));
        var detection = new DetectionEngine(rules, new DetectionOptions { TimeProvider = _time, CodeDetectors = codeDetectors });
        var resolver = new IdentityResolver(NameMatcher.Load(directories));

        return new Scanner(new ScannerOptions
        {
            Rules = rules,
            Detection = detection,
            Resolver = resolver,
            Extractors = ExtractorRegistry.CreateDefault(Extraction.Tables.NameVocabulary.Load(directories)),
            Limits = _limits,
            Threads = _threads,
            Time = _time,
            ExcludedPaths = [.. _excludedPaths],
            HashItems = _hashItems,
            RulesHash = RulesHash(directories),
            AssembleRecords = (path, findings) => AssembleRecords(path, findings, licences),
        });
    }
    /// <summary>SHA-256 over every rules file (relative path and content, in ordinal order), folder by folder.</summary>
    private static string RulesHash(IEnumerable<string> directories)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var directory in directories.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal))
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(file + "\0"));
                hash.AppendData(File.ReadAllBytes(Path.Combine(directory, file)));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Person records of one item: licences without a state take the state of the record's address when their format
    /// fits it, and licence numbers are checked against the record's name and date of birth. Provider names and NPI /
    /// DEA numbers stay in the records: resolution lists them as staff and keeps them out of the patients.
    /// </summary>
    private static IReadOnlyList<PersonRecord> AssembleRecords(string path, IReadOnlyList<Finding> findings, DriversLicenseRules? licences)
    {
        var records = RecordAssembler.Assemble(path, findings);
        if (!records.Any(r => r.Findings.Any(f => f.Element == Elements.DriversLicense)))
        {
            return records;
        }

        return records
            .Select(r => licences is null ? r : LicenceStateFromAddress.Apply(r, licences))
            .Select(LicenceRecordCheck.Apply)
            .ToList();
    }
}

/// <summary>The frozen configuration a <see cref="Scanner"/> runs with.</summary>
internal sealed record ScannerOptions
{
    public required RuleSet Rules { get; init; }

    public required DetectionEngine Detection { get; init; }

    public required IdentityResolver Resolver { get; init; }

    public required ExtractorRegistry Extractors { get; init; }

    public required ExtractionLimits Limits { get; init; }

    public required int Threads { get; init; }

    public required TimeProvider Time { get; init; }

    public required IReadOnlyList<string> ExcludedPaths { get; init; }

    public required bool HashItems { get; init; }

    /// <summary>SHA-256 of the rules files in force (part of a journal's fingerprint).</summary>
    public required string RulesHash { get; init; }

    public required Func<string, IReadOnlyList<Finding>, IReadOnlyList<PersonRecord>> AssembleRecords { get; init; }
}
