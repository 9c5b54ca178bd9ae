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
    private readonly List<RulesFolder> _ruleFolders = [];
    private readonly List<IValidator> _validators = [];
    private readonly List<ISegmentDetector> _detectors = [];
    private readonly List<IExtractor> _extractors = [];
    private readonly List<string> _excludedPaths = [];
    private bool _defaultRules = true;
    private ExtractionLimits _limits = new();
    private int _threads = Environment.ProcessorCount;
    private TimeProvider _time = TimeProvider.System;
    private bool _hashItems = true;
    private OcrOptions _ocr = new();

    /// <summary>
    /// Adds a folder of user rules, loaded after the default rules shipped inside the library (a rule with the same
    /// id replaces the earlier one and is listed in <see cref="RuleSet.Overrides"/>).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public ScannerBuilder AddRules(string directory)
    {
        _ruleFolders.Add(RulesFolder.FromDirectory(directory));
        return this;
    }

    /// <summary>
    /// Registers a validator that rules can name in their <c>validators</c> list (beside the built-in checksums).
    /// A name already registered fails at <see cref="Build"/>.
    /// </summary>
    public ScannerBuilder AddValidator(IValidator validator)
    {
        _validators.Add(validator ?? throw new ArgumentNullException(nameof(validator)));
        return this;
    }

    /// <summary>Registers a detector written in code; it runs on every segment beside the rules and built-in detectors.</summary>
    public ScannerBuilder AddDetector(ISegmentDetector detector)
    {
        _detectors.Add(detector ?? throw new ArgumentNullException(nameof(detector)));
        return this;
    }

    /// <summary>
    /// Registers an extractor for a format; it is asked before the built-in ones, so it can also take over a format
    /// they read (first <see cref="IExtractor.CanExtract"/> to say yes wins).
    /// </summary>
    public ScannerBuilder AddExtractor(IExtractor extractor)
    {
        _extractors.Add(extractor ?? throw new ArgumentNullException(nameof(extractor)));
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

    /// <summary>
    /// Sets how scanned paper is read (OCR of image files and image-only PDF pages with Tesseract; on by default).
    /// </summary>
    public ScannerBuilder WithOcr(OcrOptions ocr)
    {
        _ocr = ocr ?? throw new ArgumentNullException(nameof(ocr));
        return this;
    }

    /// <summary>Turns OCR off: image files are skipped and image-only PDF pages leave the PDF partial (<c>ocr-disabled</c>).</summary>
    public ScannerBuilder WithoutOcr() => WithOcr(_ocr with { Enabled = false });

    /// <summary>Loads the rules and builds the scanner.</summary>
    /// <exception cref="RuleLoadException">A rule file is invalid, two files of one folder define the same rule id, or an
    /// example of a rule from a folder given to <see cref="AddRules"/> fails (the message names the file and rule, and
    /// the example).</exception>
    public Scanner Build()
    {
        List<RulesFolder> folders = _defaultRules ? [RulesFolder.Shipped, .. _ruleFolders] : [.. _ruleFolders];
        var extractors = _extractors.ToList();
        var detectors = _detectors.ToList();
        var validatorList = _validators.ToList();
        var (time, ocr) = (_time, _ocr);
        ScanEngine Load()
        {
            var builtIn = ValidatorRegistry.CreateDefault();
            var validators = new ValidatorRegistry(builtIn.Names.Select(n => builtIn.TryGet(n, out var v) ? v : null!).Concat(validatorList));
            var rules = RuleSet.Load(folders, validators);
            // The medical vocabularies: from the last rules folder that ships them.
            var vocabularyFolder = folders.LastOrDefault(f => f.Contains(CodeDetectors.VocabularyMarker));
            var codeDetectors = CodeDetectors.Create(rules, vocabularyFolder);
            var licences = rules.Licences;
            var detection = new DetectionEngine(rules, new DetectionOptions { TimeProvider = time, CodeDetectors = [.. codeDetectors, .. detectors] });

            // A user rule whose own examples fail is refused here, before any scan. The shipped rules are checked by the
            // tests, not at every start-up.
            foreach (var rule in rules.Rules.Where(r => !ReferenceEquals(r.Folder, RulesFolder.Shipped)))
            {
                Detection.Rules.RuleExampleCheck.ThrowOnFailure(detection, rule, validators);
            }

            return new ScanEngine(
                rules,
                detection,
                new IdentityResolver(NameMatcher.Load(folders)),
                new ExtractorRegistry([.. extractors, .. ExtractorRegistry.CreateDefault(Extraction.Tables.NameVocabulary.Load(folders), ocr).Extractors]),
                (path, findings) => AssembleRecords(path, findings, licences));
        }

        // Only the shipped rules alone (which the tests check) load when first needed: a scan that reads and resolves
        // nothing (an unchanged rescan) never loads them. A user's rules, validators or detectors load now, so a bad
        // one fails here.
        var shippedOnly = _defaultRules && _ruleFolders.Count == 0 && _validators.Count == 0 && _detectors.Count == 0;
        var engine = shippedOnly ? new Lazy<ScanEngine>(Load) : new Lazy<ScanEngine>(Load());
        return new Scanner(new ScannerOptions
        {
            Engine = engine,
            RulesHash = RulesFolder.Hash(folders),
            Limits = _limits,
            Threads = _threads,
            Time = _time,
            ExcludedPaths = [.. _excludedPaths],
            HashItems = _hashItems,
        });
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
    /// <summary>The rules, detectors, extractors and resolver, loaded on first use (see <see cref="ScannerBuilder.Build"/>).</summary>
    public required Lazy<ScanEngine> Engine { get; init; }

    public RuleSet Rules => Engine.Value.Rules;

    public DetectionEngine Detection => Engine.Value.Detection;

    public IdentityResolver Resolver => Engine.Value.Resolver;

    public ExtractorRegistry Extractors => Engine.Value.Extractors;

    public Func<string, IReadOnlyList<Finding>, IReadOnlyList<PersonRecord>> AssembleRecords => Engine.Value.AssembleRecords;

    public required ExtractionLimits Limits { get; init; }

    public required int Threads { get; init; }

    public required TimeProvider Time { get; init; }

    public required IReadOnlyList<string> ExcludedPaths { get; init; }

    public required bool HashItems { get; init; }

    /// <summary>SHA-256 of the rules files in force (part of a journal's fingerprint).</summary>
    public required string RulesHash { get; init; }

}

/// <summary>What reading and resolving items takes, built from the rules.</summary>
/// <param name="Rules">The rule set.</param>
/// <param name="Detection">The detection engine (rules plus code detectors).</param>
/// <param name="Resolver">Entity resolution.</param>
/// <param name="Extractors">The extractors, the builder's first.</param>
/// <param name="AssembleRecords">Person records of one item from its findings.</param>
internal sealed record ScanEngine(
    RuleSet Rules,
    DetectionEngine Detection,
    IdentityResolver Resolver,
    ExtractorRegistry Extractors,
    Func<string, IReadOnlyList<Finding>, IReadOnlyList<PersonRecord>> AssembleRecords);
