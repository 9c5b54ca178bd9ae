using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using PiiScanner.Detection.Addresses;
using PiiScanner.Detection.Dates;
using PiiScanner.Detection.Matching;
using PiiScanner.Detection.Names;
using PiiScanner.Extraction;

namespace PiiScanner.Detection;

/// <summary>
/// Runs a <see cref="RuleSet"/> over segments. Immutable and thread-safe: one engine serves every worker.
/// Per rule: keyword gate and digit-run prefilter, then the compiled regexes, validators, the rule's detector
/// (date / name / address), context words and headers, and the score.
/// </summary>
internal sealed partial class DetectionEngine
{
    private const int MaxRecognizerWindows = 4;
    private const int RecognizerWindow = 60;
    private const int MaxWholeValueLength = 120;

    // A line this short is a value under its label, not a sentence: a negative label over it ("Claim No.") rules out an
    // SSN-shaped value, and a short line above it may be its label.
    private const int MaxValueLineLength = 40;
    private const int MaxLabelAboveLength = 40;
    private const int MaxCaptionWords = 4;
    private const int RoleWindow = 24;
    private const int NegativeLabelWindow = 24;

    private readonly Rule[] _rules;
    private readonly DetectionOptions _options;
    private readonly DateOnly _today;
    private readonly long[] _timeouts;
    private readonly WrittenDateRecognizer? _recognizer;
    private readonly Rule[] _linesAboveRules;
    private readonly Rule? _nameRule;
    private readonly string[][] _negativeHeaders;
    private readonly RulePattern[][] _gatedPatterns;

    // The one digit pass finds every declared digit shape (rules', patterns', code detectors'); per rule, and per
    // pattern aligned with Rule.Patterns and _gatedPatterns, the bits of its shapes (ulong.MaxValue: none required).
    private readonly DigitShapeSet _shapes;
    private readonly ulong[] _ruleShapes;
    private readonly ulong[][] _patternShapes;
    private readonly ulong[][] _gatedPatternShapes;

    // Per rule, every trigger of its gated patterns in two vectorised searches (one-character triggers such as "(",
    // then words): most texts leave after them.
    private readonly SearchValues<char>?[] _gatedTriggerChars;
    private readonly SearchValues<string>?[] _gatedTriggerWords;

    // Per rule, its context words as one vectorised search: a pattern that requires context runs its regex only on
    // text that holds one of them somewhere (or under a header of the rule). Null when a word is not ASCII (then the
    // pattern always runs: the search would not fold case exactly as ContextWords does).
    private readonly SearchValues<string>?[] _contextProbes;

    // Whether every code detector can screen a plain line (IPlainLineScreen), so such a line may become no string.
    private readonly bool _screensLines;

    // The one keyword pass: every rule's keywords and every code detector's words in one automaton, run once per
    // text (TextUnit). A rule's keywords are its own list; an exact-case keyword ("Ms", not "ms") is checked as written.
    private readonly KeywordIndex _words;
    private readonly WordList?[] _ruleKeywords;
    private readonly (string Keyword, bool Exact)[][] _headerKeywords;

    // What each rule makes of a header, worked out once per distinct label / field name (a table's rows repeat them).
    private readonly HeaderMemo<HeaderFacts?> _headerFacts;

    /// <summary>Creates an engine with default options (reference date: today per <see cref="TimeProvider.System"/>).</summary>
    public DetectionEngine(RuleSet rules)
        : this(rules, new DetectionOptions())
    {
    }

    /// <summary>Creates an engine over <paramref name="rules"/> with <paramref name="options"/>.</summary>
    public DetectionEngine(RuleSet rules, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(options);
        // Code rules are the code detectors' (DetectionOptions.CodeDetectors): listed and exemplified, never run here.
        _rules = [.. rules.Rules.Where(r => r.Detector != RuleDetector.Code)];
        _options = options;
        _today = options.ReferenceDate ?? DateOnly.FromDateTime(options.TimeProvider.GetLocalNow().Date);
        _timeouts = new long[_rules.Length];
        _linesAboveRules = [.. _rules.Where(r => r.LinesAbove > 0)];
        _nameRule = _rules.FirstOrDefault(r => r.Detector == RuleDetector.Name);
        _gatedPatterns = [.. _rules.Select(r => r.Patterns.Where(p => p.Triggers is not null).ToArray())];
        var triggers = _gatedPatterns.Select(ps => ps.SelectMany(p => p.TriggerWords).Distinct(StringComparer.Ordinal).ToArray()).ToArray();
        _gatedTriggerChars = [.. triggers.Select(t => t.Any(w => w.Length == 1) ? SearchValues.Create(string.Concat(t.Where(w => w.Length == 1))) : null)];
        _gatedTriggerWords = [.. triggers.Select(t => t.Any(w => w.Length > 1) ? SearchValues.Create(t.Where(w => w.Length > 1).ToArray(), StringComparison.Ordinal) : null)];
        _contextProbes = [.. _rules.Select(r => r.ContextWords.Length > 0 && r.ContextWords.All(w => Ascii.IsValid(w)) ? SearchValues.Create(r.ContextWords, StringComparison.OrdinalIgnoreCase) : null)];
        _screensLines = options.CodeDetectors.All(d => d is IPlainLineScreen);
        _negativeHeaders = [.. _rules.Select(r => r.NegativeContextWords.Select(HeaderText.Normalize).Where(w => w.Length > 0).ToArray())];
        if (options.UseDateRecognizer && _rules.Any(r => r.Detector == RuleDetector.Date))
        {
            _recognizer = new WrittenDateRecognizer();
        }

        _ruleKeywords = [.. _rules.Select(r => r.Keywords.Length == 0 ? null : new WordList(r.Id + " keywords", r.Keywords, digitMayFollow: true))];
        _headerKeywords = [.. _rules.Select(r => r.Keywords.Select(k => (k, r.ExactCaseKeywords.Contains(k))).ToArray())];
        _words = new KeywordIndex(_ruleKeywords.OfType<WordList>().Concat(options.CodeDetectors.SelectMany(d => d.Words)));
        _shapes = new DigitShapeSet(_rules.SelectMany(r => r.Patterns.Select(p => p.DigitShapes).Prepend(r.DigitShapes)).OfType<DigitShapeList>()
            .Concat(options.CodeDetectors.SelectMany(d => d.DigitShapes)));
        _ruleShapes = [.. _rules.Select(r => MaskOf(r.DigitShapes))];
        _patternShapes = [.. _rules.Select(r => r.Patterns.Select(p => MaskOf(p.DigitShapes)).ToArray())];
        _gatedPatternShapes = [.. _gatedPatterns.Select(ps => ps.Select(p => MaskOf(p.DigitShapes)).ToArray())];
        _headerFacts = new HeaderMemo<HeaderFacts?>(FactsOf);
    }

    private ulong MaskOf(DigitShapeList? list) => list is null ? ulong.MaxValue : _shapes.MaskOf(list)!.Value;

    /// <summary>The rules the engine runs.</summary>
    public IReadOnlyList<Rule> Rules => _rules;

    /// <summary>Regex match timeouts so far, per rule id (rules with none are omitted). A snapshot.</summary>
    public IReadOnlyDictionary<string, long> RegexTimeouts
    {
        get
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < _rules.Length; i++)
            {
                var count = Interlocked.Read(ref _timeouts[i]);
                if (count > 0)
                {
                    counts[_rules[i].Id] = count;
                }
            }

            return counts;
        }
    }

    /// <summary>
    /// Detects in one segment and appends the findings to <paramref name="findings"/>: first those in
    /// <see cref="Segment.Text"/> (with <see cref="Segment.Label"/> as header), then each field's value (with the
    /// field name as header), each in span order, then values composed from several fields (first + last name,
    /// street + city + state + ZIP), then the code detectors' findings (<see cref="DetectionOptions.CodeDetectors"/>).
    /// Never throws for any text; a regex timeout is counted in <see cref="RegexTimeouts"/>.
    /// </summary>
    public void Detect(Segment segment, long segmentIndex, List<Finding> findings) => Detect(segment, segmentIndex, findings, null);

    /// <summary>
    /// Starts detection in one item. The scope numbers the item's segments and remembers its last few free-text
    /// lines, so that a label on the line above a value (<c>Date of Birth</c> / <c>03/04/1961</c>) and an address over
    /// two or three lines are read as a person reads them. One scope per item, used by one thread.
    /// </summary>
    public DetectionScope BeginItem() => new(this);

    /// <summary>
    /// Detects in a plain line of free text (see <see cref="DetectionScope.DetectLine"/>): the one pass runs over the
    /// characters, and only a line in which a rule or detector may find something becomes a segment.
    /// </summary>
    internal void DetectLine(ReadOnlySpan<char> text, Locator locator, int group, long index, List<Finding> findings, RecentLines recent, ISet<string>? timedOut)
    {
        var digits = DigitRuns.Measure(text, _shapes);
        var hits = _words.Scan(text);
        var above = recent.Above(group, labelled: false, index);
        var pass = new OnePass(digits, hits);
        string? line = null;
        if (_screensLines && hits is null && !(above > 0 && text.Trim().Length <= MaxValueLineLength))
        {
            // No word, no header and no label above: ScanText's plan for the line is made here, on its characters, and
            // what the screen ran (prefilters, a pattern's regex) is handed to ScanText, which does not run it again.
            var plan = _rules.Length <= 256 ? stackalloc RuleRun[_rules.Length] : new RuleRun[_rules.Length];
            var prefiltered = Plan(text, digits.Longest, digits.Shapes, [], null, timedOut, valueHeader: false, plan);
            if (!ScreenPlainLine(text, digits, plan, timedOut, ref line, out var matched, out var matches))
            {
                recent.Push(text, locator, group, index);
                return;
            }

            pass = pass with { Plan = plan.ToArray(), Prefiltered = prefiltered, MatchedRule = matched, Matches = matches };
        }

        var segment = new Segment(locator, line ?? text.ToString()) { Group = group, GroupKind = GroupKind.Block };
        Detect(segment, index, findings, recent, timedOut, pass);
    }

    // Whether anything may be found in a plain line (no label, header, fields or word of any list) with these digits and
    // this plan: exactly the conditions under which ScanText (a planned rule's regex matches, or a date rule may run its
    // recogniser), JoinLinesAbove and the code detectors (IPlainLineScreen) do any work on it. A planned rule's patterns
    // run here, on the line made a string (line) once one must: a rule none of whose patterns matched is no longer
    // planned, and the first that matched is the matched rule with its matches, for ScanText.
    private bool ScreenPlainLine(ReadOnlySpan<char> text, in DigitProfile digits, Span<RuleRun> plan, ISet<string>? timedOut, ref string? line,
        out int matchedRule, out List<(RulePattern Pattern, Match Match)>? matches)
    {
        (matchedRule, matches) = (-1, null);
        foreach (var rule in _rules)
        {
            var i = rule.Index;
            if (plan[i] == RuleRun.Skip)
            {
                continue;
            }

            if (rule.Detector == RuleDetector.Date && _recognizer is not null)
            {
                return true;
            }

            var gated = plan[i] == RuleRun.Gated;
            var patterns = gated ? _gatedPatterns[i] : rule.Patterns;
            var shapes = gated ? _gatedPatternShapes[i] : _patternShapes[i];
            if (!AnyMayRun(rule, patterns, shapes, text, digits.Shapes, gated))
            {
                plan[i] = RuleRun.Skip;
                continue;
            }

            line ??= text.ToString();
            if (CollectMatches(rule, patterns, shapes, line, digits.Shapes, headerHit: null, timedOut, gated) is { } found)
            {
                (matchedRule, matches) = (i, found);
                return true;
            }

            plan[i] = RuleRun.Skip;
        }

        foreach (var rule in _linesAboveRules)
        {
            // A rule with a prefilter reads the lines above only when its prefilter matched this line (then it is planned).
            if ((rule.Prefilter is null || rule.Index >= 64) && digits.Longest >= rule.MinDigits)
            {
                return true;
            }
        }

        var plain = new PlainLine(digits, hasWords: false, _shapes);
        foreach (var detector in _options.CodeDetectors)
        {
            if (((IPlainLineScreen)detector).MayFind(text, plain))
            {
                return true;
            }
        }

        return false;
    }

    private bool AnyMayRun(Rule rule, IReadOnlyList<RulePattern> patterns, ulong[] patternShapes, ReadOnlySpan<char> text, ulong shapes, bool gateEach)
    {
        for (var p = 0; p < patterns.Count; p++)
        {
            if (MayRun(rule, patterns[p], patternShapes[p], text, shapes, headerHit: null, gateEach))
            {
                return true;
            }
        }

        return false;
    }

    internal void Detect(Segment segment, long segmentIndex, List<Finding> findings, RecentLines? recent, ISet<string>? timedOut = null, OnePass? pass = null)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(findings);
        var aboveCount = recent?.Above(segment, segmentIndex) ?? 0;
        var labelAbove = false;
        if (aboveCount > 0 && segment.Label is null && LineLabel(recent![0].Segment.Text, segment.Text) is { } label)
        {
            segment = segment with { Label = label };
            labelAbove = true;
        }

        // The one pass over each text of the segment: every rule's keywords and every detector's words, digit runs.
        var scan = SegmentScan.Of(_words, _shapes, segment, segmentIndex,
            pass is { } p ? new TextUnit(_words, _shapes, segment.Text, segment.Label, segment.Locator, false, p.Digits, p.Hits) : null);
        var unit = 0;
        var textStart = findings.Count;
        if (!string.IsNullOrEmpty(segment.Text))
        {
            var where = new Where(segment.Locator, null, segment.Group, segment.GroupKind, segmentIndex, segment.ParentGroup, false, timedOut);
            var prefiltered = ScanText(scan.Units[unit++], Facts(segment.Label), where, findings, valueHeader: labelAbove || segment.Text.Length <= MaxValueLineLength, pass);
            if (aboveCount > 0 && _linesAboveRules.Length > 0)
            {
                JoinLinesAbove(segment, scan.Units[0], recent!, findings, textStart, prefiltered, timedOut);
            }
        }

        recent?.Push(segment, segmentIndex);

        if (segment.Fields is { Count: > 0 } fields)
        {
            var fieldStart = findings.Count;
            foreach (var field in fields)
            {
                if (!string.IsNullOrEmpty(field.Value))
                {
                    var where = new Where(field.Locator is { } own ? Locator.Of(own) : segment.Locator, field.Locator is null ? (Locator?)null : segment.Locator, segment.Group, segment.GroupKind, segmentIndex, segment.ParentGroup, segment.InferredHeader, timedOut);
                    ScanText(scan.Units[unit++], Facts(field.Name), where, findings, valueHeader: true);
                }
            }

            ComposeFields(segment, fields, segmentIndex, findings, fieldStart);
        }

        foreach (var detector in _options.CodeDetectors)
        {
            detector.Detect(scan, findings);
        }

        if (segment.OcrWords is { Count: > 0 } words)
        {
            LowerForOcr(segment, words, findings, textStart);
        }
    }

    // A value read by OCR is as sure as its least sure word: "547-O3-9788" read at 40 % is no 99 % SSN. The finding
    // keeps half its confidence and earns the rest by the OCR confidence of the words it covers.
    private static void LowerForOcr(Segment segment, IReadOnlyList<OcrWord> words, List<Finding> findings, int from)
    {
        var locator = segment.Locator.ToString();
        for (var i = from; i < findings.Count; i++)
        {
            var f = findings[i];
            if (!string.Equals(f.Locator, locator, StringComparison.Ordinal))
            {
                continue;
            }

            var least = 1.0;
            foreach (var w in words)
            {
                if (w.Start < f.Start + f.Length && f.Start < w.Start + w.Length)
                {
                    least = Math.Min(least, w.Confidence);
                }
            }

            if (least < 1.0)
            {
                findings[i] = f with { Confidence = Math.Round(f.Confidence * (0.5 + (0.5 * least)), 4) };
            }
        }
    }

    /// <summary>Detects in a piece of free text (for <c>piiscan rules test</c> and tests).</summary>
    public IReadOnlyList<Finding> Test(string text) => Test(text, null);

    /// <summary>
    /// Detects in a piece of text scanned under a label / column header. Text with line breaks is scanned as the
    /// consecutive lines of one block (<c>line 1</c>, <c>line 2</c>…), as a text file's lines are.
    /// </summary>
    internal IReadOnlyList<Finding> Test(string text, string? header)
    {
        var findings = new List<Finding>();
        if (!text.Contains('\n', StringComparison.Ordinal))
        {
            Detect(new Segment("test", text) { Label = header }, 0, findings);
            return findings;
        }

        var scope = BeginItem();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Trim().Length > 0)
            {
                scope.Detect(new Segment("line " + number.ToString(System.Globalization.CultureInfo.InvariantCulture), line.TrimEnd('\r')) { Label = header }, findings);
            }
        }

        return findings;
    }

    // The label a short line above gives a short value line: "Date of Birth:" or a bare rule header ("SSN",
    // "Date of Birth") on its own line. Null when the line above is no label or the line is no lone value.
    private string? LineLabel(string above, string text)
    {
        var value = text.AsSpan().Trim();
        if (value.IsEmpty || value.Length > MaxValueLineLength)
        {
            return null;
        }

        var label = above.AsSpan().Trim();
        if (label.Length is < 2 or > MaxLabelAboveLength || !char.IsLetter(label[0]) || label.ContainsAnyInRange('0', '9'))
        {
            return null;
        }

        // "Date of Birth:", "Reference #" and "Claim No." end in their label mark.
        var marked = label[^1] is ':' or '#' || label.EndsWith(" No.", StringComparison.OrdinalIgnoreCase);
        if (marked)
        {
            label = label[^1] is ':' or '#' ? label[..^1].TrimEnd() : label;
            return label.IsEmpty || label.Contains(':') ? null : label.ToString();
        }

        // A bare line is a label when it is a rule's header ("Date of Birth"), or a short title-case caption over a
        // value with digits ("Driver's License" over "MT 0190919894120"), as forms print them.
        var header = NormalizedHeader.From(label.ToString())!;
        foreach (var rule in _rules)
        {
            if (HeaderText.Match(header, rule.Headers, exact: true) is not null)
            {
                return header.Raw;
            }
        }

        return value.ContainsAnyInRange('0', '9') && IsCaption(label) ? header.Raw : null;
    }

    private static bool IsCaption(ReadOnlySpan<char> line)
    {
        var words = 0;
        for (var i = 0; i < line.Length; i++)
        {
            if (char.IsLetter(line[i]) && (i == 0 || line[i - 1] == ' '))
            {
                if (!char.IsUpper(line[i]) || ++words > MaxCaptionWords)
                {
                    return false;
                }
            }
            else if (!char.IsLetter(line[i]) && line[i] is not (' ' or '\'' or '’' or '.' or '-' or '/'))
            {
                return false;
            }
        }

        return words > 0;
    }

    // Rules that read over line breaks (an address: street / city, ST ZIP) run on the line joined to the one or two
    // free-text lines above it when it holds the rule's shape but no match of its own; a match must start in the
    // first joined line and reach this one. Above such an address block, a line that is a bare name is its addressee.
    private void JoinLinesAbove(Segment segment, TextUnit line, RecentLines above, List<Finding> findings, int textStart, ulong prefiltered, ISet<string>? timedOut)
    {
        foreach (var rule in _linesAboveRules)
        {
            // The line must hold the rule's digits and shape itself (an address block's last line holds the state and
            // ZIP): the line's own pass has already told. The joined text's shapes are measured below.
            if (line.LongestDigitRun < rule.MinDigits || HasFinding(findings, textStart, rule.Id)
                || (rule.Prefilter is { } prefilter && (rule.Index < 64 ? (prefiltered & (1UL << rule.Index)) == 0 : !PrefilterMatches(rule, prefilter, segment.Text, timedOut))))
            {
                continue;
            }

            // A form's lines carry their labels ("Home Address: 4782 Tamarack Rd" / "City, State ZIP: Flagstaff, AZ 86001"):
            // only the values are joined.
            var current = ValueOf(segment);
            for (var n = 1; n <= Math.Min(rule.LinesAbove, above.Count); n++)
            {
                var parts = new string[n + 1];
                for (var i = 0; i < n; i++)
                {
                    parts[n - 1 - i] = ValueOf(above[i].Segment);
                }

                parts[n] = current;
                var joined = string.Join(", ", parts);
                var (first, firstIndex) = above[n - 1];
                var lead = first.Text.IndexOf(parts[0], StringComparison.Ordinal);
                var shapes = DigitRuns.Measure(joined, _shapes).Shapes;
                if (!DigitShapeSet.Holds(shapes, _ruleShapes[rule.Index]))
                {
                    continue;
                }

                var local = new List<(Finding Finding, int Rule)>();
                RunRule(rule, joined, shapes, null, new Where(first.Locator, null, first.Group, first.GroupKind, firstIndex, first.ParentGroup, false, timedOut), local);
                var added = false;
                foreach (var (f, _) in local)
                {
                    if (f.Start < parts[0].Length && f.Start + f.Length > joined.Length - current.Length)
                    {
                        findings.Add(f with
                        {
                            Start = lead + f.Start,
                            Length = parts[0].Length - f.Start,
                            Evidence = f.Evidence with { Pattern = f.Evidence.Pattern + "+lines" },
                        });
                        added = true;
                    }
                }

                if (added)
                {
                    if (above.Count > n)
                    {
                        AddresseeName(above[n].Segment, above[n].Index, findings);
                    }

                    break;
                }
            }
        }
    }

    private static string ValueOf(Segment line) => line.Text[TextUnit.ValueStartOf(line.Text, line.Label)..].Trim();

    private void AddresseeName(Segment line, long index, List<Finding> findings)
    {
        var rule = _nameRule;
        var candidate = line.Text.Trim();
        if (rule is null || candidate.Length is < 3 or > 50 || candidate.Contains(':', StringComparison.Ordinal))
        {
            return;
        }

        for (var i = findings.Count - 1; i >= 0 && findings[i].SegmentIndex >= index; i--)
        {
            if (findings[i].SegmentIndex == index && findings[i].Element == rule.Element)
            {
                return;
            }
        }

        var value = PersonName.Normalize(candidate, rule.StopWords, 2, out var lastFirst);
        if (value is null || rule.AllowList.Contains(value))
        {
            return;
        }

        findings.Add(new Finding
        {
            Element = rule.Element,
            Value = value,
            Locator = line.Locator.ToString(),
            Confidence = 0.7,
            Evidence = new Evidence { RuleId = rule.Id, Pattern = "address-block" },
            Start = line.Text.IndexOf(candidate, StringComparison.Ordinal),
            Length = candidate.Length,
            Group = line.Group,
            GroupKind = line.GroupKind,
            ParentGroup = line.ParentGroup,
            SegmentIndex = index,
            Qualifiers = lastFirst ? FindingQualifiers.Of(NameForm.LastFirst) : FindingQualifiers.None,
        });
    }

    private static bool HasFinding(List<Finding> findings, int from, string ruleId)
    {
        for (var i = from; i < findings.Count; i++)
        {
            if (findings[i].Evidence.RuleId == ruleId)
            {
                return true;
            }
        }

        return false;
    }

    private HeaderFacts? Facts(string? header) => header is null ? null : _headerFacts[header];

    private HeaderFacts? FactsOf(string raw) => NormalizedHeader.From(raw) is { } header ? new HeaderFacts(this, header) : null;

    // Distance from a negative label ending just before the value ("Claim No. ", "Order #", "Confirmation number: "),
    // or null. A label is at most one word from its value: "today. Ana Ruiz (03/04/1961)" is no label of the date.
    private static int? NegativeLabelBefore(Rule rule, string text, int start, int beforeLimit)
    {
        if (rule.NegativeContextWords.Length == 0
            || ContextWords.Nearest(text, start, start, rule.NegativeContextWords, NegativeLabelWindow, beforeOnly: true, beforeLimit)?.Distance is not { } distance)
        {
            return null;
        }

        var words = 0;
        var between = text.AsSpan(start - distance, distance);
        for (var i = 0; i < between.Length; i++)
        {
            if (char.IsLetter(between[i]) && (i == 0 || !char.IsLetter(between[i - 1])) && ++words > 1)
            {
                return null;
            }
        }

        return distance;
    }

    // The role a cue word gives a match: a label or honorific just before it ("Prescriber:", "Dr."), or a credential
    // right after it (", MD", " RN"). Credentials are matched as written (so "do" in a sentence is no DO).
    private static PersonRole? RoleOf(Rule rule, string text, int start, int end)
    {
        if (rule.Roles.Count == 0)
        {
            return null;
        }

        var before = text.AsSpan(Math.Max(0, start - RoleWindow), start - Math.Max(0, start - RoleWindow)).TrimEnd(" \t:.,-=\"'(");
        var after = text.AsSpan(end).TrimStart(" \t,");
        foreach (var cue in rule.Roles)
        {
            foreach (var word in cue.Before)
            {
                if (before.EndsWith(word, StringComparison.OrdinalIgnoreCase)
                    && (before.Length == word.Length || !char.IsLetterOrDigit(before[before.Length - word.Length - 1])))
                {
                    return cue.Role;
                }
            }

            foreach (var word in cue.After)
            {
                if (after.StartsWith(word, StringComparison.Ordinal) && (after.Length == word.Length || !char.IsLetter(after[word.Length])))
                {
                    return cue.Role;
                }
            }
        }

        return null;
    }

    // Returns a bit per rule (index below 64) whose prefilter matched the text, so the lines-above pass never reruns one.
    private ulong ScanText(TextUnit unit, HeaderFacts? header, Where where, List<Finding> output, bool valueHeader, OnePass? pass = null)
    {
        var text = unit.Text;
        // A plain line planned before it became a string (DetectLine) keeps its plan.
        var planned = header is null ? pass?.Plan : null;
        var plan = planned ?? (_rules.Length <= 256 ? stackalloc RuleRun[_rules.Length] : new RuleRun[_rules.Length]);
        var prefiltered = pass?.Prefiltered ?? 0;
        if (planned is null)
        {
            var gates = _rules.Length <= 256 ? stackalloc bool[_rules.Length] : new bool[_rules.Length];
            MarkKeywordGates(unit, header, gates);
            prefiltered = Plan(text, unit.LongestDigitRun, unit.Shapes, gates, header, where.TimedOut, valueHeader, plan);
        }

        List<(Finding Finding, int Rule)>? local = null;
        foreach (var rule in _rules)
        {
            var run = plan[rule.Index];
            if (run == RuleRun.Skip)
            {
                continue;
            }

            var before = (local ??= []).Count;
            var matches = planned is not null && pass!.Value.MatchedRule == rule.Index ? pass.Value.Matches : null;
            if (run == RuleRun.Gated)
            {
                RunPatterns(rule, _gatedPatterns[rule.Index], _gatedPatternShapes[rule.Index], text, unit.Shapes, header?.Header, headerHit: null, where, local, gateEach: true, matches);
            }
            else
            {
                RunRule(rule, text, unit.Shapes, header, where, local, matches);
            }

            if (local.Count - before > 1)
            {
                RemoveOverlaps(local, before);
            }
        }

        if (local is not { Count: > 0 })
        {
            return prefiltered;
        }

        local.Sort((a, b) => a.Finding.Start != b.Finding.Start ? a.Finding.Start.CompareTo(b.Finding.Start) : a.Rule.CompareTo(b.Rule));
        foreach (var (finding, _) in local)
        {
            output.Add(finding);
        }

        return prefiltered;
    }

    // The one gate of every text, before any pattern runs: per rule, whether it runs all its patterns, only its gated
    // patterns (keyword gate closed, but the text holds their own triggers), or nothing. Runs the prefilters (a bit per
    // rule below 64 whose prefilter matched is returned). keywordGates: the open gates (empty: none open).
    private ulong Plan(ReadOnlySpan<char> text, int longestDigitRun, ulong shapes, ReadOnlySpan<bool> keywordGates, HeaderFacts? header, ISet<string>? timedOut, bool valueHeader, Span<RuleRun> plan)
    {
        var prefiltered = 0UL;
        foreach (var rule in _rules)
        {
            var i = rule.Index;
            plan[i] = RuleRun.Skip;
            if (!(longestDigitRun >= rule.MinDigits && DigitShapeSet.Holds(shapes, _ruleShapes[i])) && !(rule.WholeValue && header is not null))
            {
                continue;
            }

            // A rule that ran out of time once in this item is not run on the rest of it: a pattern that backtracks
            // catastrophically costs one timeout per item, not one per line (the item is partial for it either way).
            if (timedOut is { Count: > 0 } && timedOut.Contains(rule.Id))
            {
                continue;
            }

            if (rule.Keywords.Length > 0 && !(keywordGates.Length > 0 && keywordGates[i]) && header?.Match(i) is null)
            {
                // Gate closed: only the patterns with triggers of their own that the text holds may run.
                if (HasTrigger(text, i))
                {
                    plan[i] = RuleRun.Gated;
                }

                continue;
            }

            if (rule.Prefilter is { } prefilter)
            {
                if (!PrefilterMatches(rule, prefilter, text, timedOut))
                {
                    continue;
                }

                prefiltered |= i < 64 ? 1UL << i : 0;
            }

            // A value under a negative header (a "Claim Number" column, an "Order ID:" label) is not this rule's,
            // whatever its shape, unless the header also names the rule ("Member SSN").
            if (valueHeader && header is not null && header.Match(i) is null && header.NamesNegative(i))
            {
                continue;
            }

            plan[i] = RuleRun.Full;
        }

        return prefiltered;
    }

    private bool HasTrigger(ReadOnlySpan<char> text, int rule) =>
        (_gatedTriggerChars[rule] is { } chars && text.IndexOfAny(chars) >= 0)
        || (_gatedTriggerWords[rule] is { } words && text.IndexOfAny(words) >= 0);

    private bool PrefilterMatches(Rule rule, TieredRegex prefilter, ReadOnlySpan<char> text, ISet<string>? timedOut)
    {
        try
        {
            return prefilter.For(text.Length).IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            // Cannot tell: let the rule's own patterns decide (they count their own timeouts).
            TimedOut(rule, timedOut);
            return true;
        }
    }

    // Counted for the engine, and for the item being read (its file record says the rule may have missed values).
    private void TimedOut(Rule rule, ISet<string>? item)
    {
        Interlocked.Increment(ref _timeouts[rule.Index]);
        item?.Add(rule.Id);
    }

    // A rule's gate opens on one of its keywords in the header (as a substring: "PatientName"), or in the text as a
    // word (digits may follow: "ssn#", "dob:", "SSN123"), an exact-case keyword only as written ("Ms", not "ms").
    private void MarkKeywordGates(TextUnit unit, HeaderFacts? header, Span<bool> gates)
    {
        foreach (var rule in _rules)
        {
            if (_ruleKeywords[rule.Index] is not { } list || (header is null && !unit.HasWords))
            {
                continue;
            }

            if (header is not null && header.KeywordGate(rule.Index))
            {
                gates[rule.Index] = true;
                continue;
            }

            if (!unit.HasWords)
            {
                continue;
            }

            foreach (var hit in unit.Find(list))
            {
                var (keyword, exact) = _headerKeywords[rule.Index][hit.Word];
                if (!exact || unit.Text.AsSpan(hit.Start, hit.Length).SequenceEqual(keyword))
                {
                    gates[rule.Index] = true;
                    break;
                }
            }
        }
    }

    // Whether the text holds the digits the rule needs (the engine's one pass measured them): a run of MinDigits,
    // and one of its digit shapes.
    private bool HasDigitShape(Rule rule, TextUnit unit) =>
        unit.LongestDigitRun >= rule.MinDigits && DigitShapeSet.Holds(unit.Shapes, _ruleShapes[rule.Index]);

    private void RunRule(Rule rule, string text, ulong shapes, HeaderFacts? header, Where where, List<(Finding, int)> output, List<(RulePattern Pattern, Match Match)>? matches = null)
    {
        var headerHit = header?.Match(rule.Index);
        if (rule.WholeValue && headerHit is not null && TryWholeValue(rule, text, header!.Header, where, output))
        {
            return;
        }

        RunPatterns(rule, rule.Patterns, _patternShapes[rule.Index], text, shapes, header?.Header, headerHit, where, output, gateEach: false, matches);
    }

    // patternShapes: the bits of each pattern's digit shapes, aligned with patterns; shapes: those the text holds.
    // matches: the patterns' matches when they were already collected (a screened line's, see DetectLine).
    private void RunPatterns(Rule rule, IReadOnlyList<RulePattern> patterns, ulong[] patternShapes, string text, ulong shapes, NormalizedHeader? header, string? headerHit, Where where, List<(Finding, int)> output, bool gateEach,
        List<(RulePattern Pattern, Match Match)>? matches = null)
    {
        matches ??= CollectMatches(rule, patterns, patternShapes, text, shapes, headerHit, where.TimedOut, gateEach);
        if (matches is { Count: > 1 })
        {
            matches.Sort((a, b) => a.Match.Index.CompareTo(b.Match.Index));
        }

        var found = false;
        var previousEnd = 0;
        for (var i = 0; i < (matches?.Count ?? 0); i++)
        {
            var (pattern, match) = matches![i];
            var beforeLimit = rule.ContextStopsAtMatch ? previousEnd : 0;
            previousEnd = Math.Max(previousEnd, match.Index + match.Length);
            var finding = Evaluate(rule, pattern, match, text, header, headerHit, beforeLimit, where);
            if (finding is not null)
            {
                output.Add((finding, rule.Index));
                found = true;
            }
        }

        if (!found && rule.Detector == RuleDetector.Date && _recognizer is not null)
        {
            RecognizeWrittenDates(rule, text, header, headerHit, where, output);
        }
    }

    // Every match of the patterns that may run on the text (MayRun), in pattern order; null when none matched.
    private List<(RulePattern Pattern, Match Match)>? CollectMatches(Rule rule, IReadOnlyList<RulePattern> patterns, ulong[] patternShapes, string text, ulong shapes, string? headerHit, ISet<string>? timedOut, bool gateEach)
    {
        List<(RulePattern Pattern, Match Match)>? matches = null;
        for (var p = 0; p < patterns.Count; p++)
        {
            var pattern = patterns[p];
            if (!MayRun(rule, pattern, patternShapes[p], text, shapes, headerHit, gateEach))
            {
                continue;
            }

            try
            {
                for (var m = pattern.Regex.For(text.Length).Match(text); m.Success; m = m.NextMatch())
                {
                    (matches ??= []).Add((pattern, m));
                }
            }
            catch (RegexMatchTimeoutException)
            {
                TimedOut(rule, timedOut);
            }
        }

        return matches;
    }

    // Whether RunPatterns runs the pattern's regex on the text: it holds the pattern's digit shapes, its own triggers
    // (gateEach), and a context word when the pattern requires one and no header named the rule.
    private bool MayRun(Rule rule, RulePattern pattern, ulong patternShapes, ReadOnlySpan<char> text, ulong shapes, string? headerHit, bool gateEach) =>
        DigitShapeSet.Holds(shapes, patternShapes) && (!gateEach || text.IndexOfAny(pattern.Triggers!) >= 0)
        && (headerHit is not null || !(rule.RequireContext || pattern.RequireContext) || MayHoldContext(rule, text));

    // False only when no context word of the rule occurs anywhere in the text: then a match that requires context
    // (ContextWords.Nearest finds words inside the text only) is rejected whatever it is, so its regex need not run.
    private bool MayHoldContext(Rule rule, ReadOnlySpan<char> text) =>
        rule.ContextWords.Length > 0 && (_contextProbes[rule.Index] is not { } probe || text.ContainsAny(probe));

    private Finding? Evaluate(Rule rule, RulePattern pattern, Match match, string text, NormalizedHeader? header, string? headerHit, int beforeLimit, Where where)
    {
        var valueGroup = match.Groups["value"];
        var (start, length) = valueGroup.Success ? (valueGroup.Index, valueGroup.Length) : (match.Index, match.Length);
        var raw = text.Substring(start, length);
        if (rule.AllowList.Contains(raw.Trim()))
        {
            return null;
        }

        if (!TryValidate(rule, raw, out var value, out var outcome))
        {
            return null;
        }

        string? state = null;
        var qualifiers = pattern.Qualifiers;
        switch (rule.Detector)
        {
            case RuleDetector.Date:
                var date = DateParts.FromMatch(match, _today, _options.MaxAgeYears);
                if (date is null)
                {
                    return null;
                }

                value = date.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                break;
            case RuleDetector.Name:
                value = PersonName.Normalize(raw, rule.StopWords, pattern.MinTokens, out var lastFirst);
                if (value is null)
                {
                    return null;
                }

                qualifiers = lastFirst ? FindingQualifiers.Of(NameForm.LastFirst) : qualifiers;
                break;
            case RuleDetector.Address:
                var st = match.Groups["state"];
                var street = match.Groups["street"];
                if (!st.Success || !street.Success || !UsStates.IsValid(st.Value) || ContainsStopWord(street.Value, rule.StopWords))
                {
                    return null;
                }

                state = st.Value.ToUpperInvariant();
                value = UsAddress.Format(street.Value, GroupOrNull(match, "unit"), GroupOrNull(match, "city"), state, GroupOrNull(match, "zip"));
                break;
            case RuleDetector.Pattern:
            default:
                break;
        }

        if (rule.AllowList.Contains(value))
        {
            return null;
        }

        var positive = ContextWords.Nearest(text, start, start + length, rule.ContextWords, rule.ContextWindow, rule.ContextBeforeOnly, beforeLimit);
        if (NegativeLabelBefore(rule, text, start, beforeLimit) is { } negativeDistance && (positive is null || negativeDistance < positive.Value.Distance))
        {
            // "Claim No. 234-56-7802", "Order 912-70-1234": a value labelled as something else is not this element.
            return null;
        }

        var context = FindContext(rule, text, start, start + length, beforeLimit);
        var hasContext = context is not null || headerHit is not null;
        if ((rule.RequireContext || pattern.RequireContext) && !hasContext)
        {
            return null;
        }

        var score = pattern.Score;
        if (context is not null)
        {
            score += rule.ContextBoost;
        }

        if (headerHit is not null)
        {
            score += rule.HeaderBoost;
        }

        if (hasContext && pattern.ScoreWithContext is { } withContext)
        {
            score = Math.Max(score, withContext);
        }

        score = Math.Round(Math.Min(score, 0.99), 2);
        if (score < rule.MinScore)
        {
            return null;
        }

        return new Finding
        {
            Element = rule.Element,
            Value = value,
            Locator = where.Locator.ToString(),
            SegmentLocator = where.SegmentLocator?.ToString(),
            Confidence = score,
            Evidence = new Evidence
            {
                RuleId = rule.Id,
                Pattern = pattern.Name,
                Validator = outcome,
                ContextWord = context,
                Header = headerHit is null ? null : header!.Raw,
                InferredHeader = headerHit is not null && where.InferredHeader,
            },
            Start = start,
            Length = length,
            Group = where.Group,
            GroupKind = where.GroupKind,
            ParentGroup = where.ParentGroup,
            SegmentIndex = where.SegmentIndex,
            State = state,
            Qualifiers = RoleOf(rule, text, start, start + length) is { } role ? FindingQualifiers.Of(role) : qualifiers,
        };
    }

    private static bool TryValidate(Rule rule, string raw, out string value, out string? outcome)
    {
        value = raw.Trim();
        outcome = null;
        foreach (var validator in rule.ValidatorList)
        {
            var result = validator.Validate(value);
            if (!result.IsValid)
            {
                return false;
            }

            value = result.Normalized ?? value;
            outcome = outcome is null ? $"{validator.Name}:{result.Outcome}" : $"{outcome},{validator.Name}:{result.Outcome}";
        }

        return true;
    }

    // The nearest positive context word counts unless a negative word ("visit", "invoice") is nearer still.
    private static string? FindContext(Rule rule, string text, int start, int end, int beforeLimit)
    {
        var positive = ContextWords.Nearest(text, start, end, rule.ContextWords, rule.ContextWindow, rule.ContextBeforeOnly, beforeLimit);
        if (positive is null)
        {
            return null;
        }

        var negative = ContextWords.Nearest(text, start, end, rule.NegativeContextWords, rule.ContextWindow, rule.ContextBeforeOnly, beforeLimit);
        return negative is not null && negative.Value.Distance < positive.Value.Distance ? null : positive.Value.Word;
    }

    private bool TryWholeValue(Rule rule, string text, NormalizedHeader header, Where where, List<(Finding, int)> output)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Length > MaxWholeValueLength || rule.AllowList.Contains(trimmed))
        {
            return false;
        }

        string? value;
        string? outcome = null;
        var qualifiers = FindingQualifiers.None;
        switch (rule.Detector)
        {
            case RuleDetector.Name:
                value = PersonName.Normalize(trimmed, rule.StopWords, 2, out var lastFirst);
                qualifiers = lastFirst ? FindingQualifiers.Of(NameForm.LastFirst) : FindingQualifiers.None;
                break;
            case RuleDetector.Pattern:
                value = TryValidate(rule, trimmed, out var validated, out outcome) ? validated : null;
                break;
            case RuleDetector.Date:
            case RuleDetector.Address:
            default:
                return false;
        }

        if (value is null || rule.AllowList.Contains(value))
        {
            return false;
        }

        var start = text.IndexOf(trimmed, StringComparison.Ordinal);
        output.Add((new Finding
        {
            Element = rule.Element,
            Value = value,
            Locator = where.Locator.ToString(),
            SegmentLocator = where.SegmentLocator?.ToString(),
            Confidence = Math.Min(rule.WholeValueScore, 0.99),
            Evidence = new Evidence { RuleId = rule.Id, Pattern = "header-value", Validator = outcome, Header = header.Raw, InferredHeader = where.InferredHeader },
            Start = start,
            Length = trimmed.Length,
            Group = where.Group,
            GroupKind = where.GroupKind,
            ParentGroup = where.ParentGroup,
            SegmentIndex = where.SegmentIndex,
            Qualifiers = qualifiers,
        }, rule.Index));
        return true;
    }

    private void RecognizeWrittenDates(Rule rule, string text, NormalizedHeader? header, string? headerHit, Where where, List<(Finding, int)> output)
    {
        // Windows start right after a DOB keyword (or cover a short value under a DOB header) and must hold a year.
        var windows = new List<int>();
        if (headerHit is not null && text.Length <= RecognizerWindow * 2)
        {
            windows.Add(0);
        }
        else
        {
            windows.AddRange(ContextWords.Occurrences(text, rule.ContextWords));
        }

        var lastWindowEnd = -1;
        var used = 0;
        foreach (var windowStart in windows)
        {
            if (windowStart < lastWindowEnd || used >= MaxRecognizerWindows)
            {
                continue;
            }

            var length = Math.Min(headerHit is not null ? text.Length : RecognizerWindow, text.Length - windowStart);
            var window = text.Substring(windowStart, length);
            if (!window.AsSpan().ContainsAnyInRange('0', '9'))
            {
                continue;
            }

            used++;
            lastWindowEnd = windowStart + length;
            foreach (var (start, matchLength, date) in _recognizer!.Recognize(window, _today))
            {
                // "Today", "yesterday" and "as of" dates are the note's own date, never a date of birth.
                if (DateParts.Plausible(date.Year, date.Month, date.Day, _today, _options.MaxAgeYears) is null
                    || !window.AsSpan(start, matchLength).ContainsAnyInRange('0', '9')
                    || NegativeLabelBefore(rule, text, windowStart + start, 0) is not null)
                {
                    continue;
                }

                var pattern = rule.Patterns.Count > 0 ? rule.Patterns[0] : null;
                output.Add((new Finding
                {
                    Element = rule.Element,
                    Value = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    Locator = where.Locator.ToString(),
                    SegmentLocator = where.SegmentLocator?.ToString(),
                    Confidence = Math.Min(0.99, Math.Round((pattern?.ScoreWithContext ?? 0.8) - 0.05, 2)),
                    Evidence = new Evidence
                    {
                        RuleId = rule.Id,
                        Pattern = "recognizer",
                        ContextWord = headerHit is null ? FindContext(rule, text, windowStart + start, windowStart + start + matchLength, 0) : null,
                        Header = headerHit is null ? null : header!.Raw,
                    },
                    Start = windowStart + start,
                    Length = matchLength,
                    Group = where.Group,
                    GroupKind = where.GroupKind,
            ParentGroup = where.ParentGroup,
                    SegmentIndex = where.SegmentIndex,
                }, rule.Index));
                break;
            }
        }
    }

    private void ComposeFields(Segment segment, IReadOnlyList<Field> fields, long segmentIndex, List<Finding> findings, int fieldStart)
    {
        var headers = fields.Select(f => Facts(f.Name)?.Header).ToArray();
        foreach (var rule in _rules)
        {
            if (rule.Compose.Count == 0)
            {
                continue;
            }

            var parts = new Dictionary<string, int>(StringComparer.Ordinal);
            var partBit = 1UL;
            foreach (var (part, _) in rule.Compose)
            {
                for (var i = 0; i < fields.Count; i++)
                {
                    if (headers[i] is { } h && (rule.ComposeParts(h) & partBit) != 0 && !string.IsNullOrWhiteSpace(fields[i].Value))
                    {
                        parts[part] = i;
                        break;
                    }
                }

                partBit <<= 1;
            }

            // One "City/State/Zip" column ("Helena, MT 59601") gives the city, state and ZIP parts.
            Dictionary<string, string>? split = null;
            if (rule.Detector == RuleDetector.Address && !parts.ContainsKey("state") && parts.TryGetValue("citystatezip", out var cszIndex)
                && CityStateZip().Match(fields[cszIndex].Value) is { Success: true } csz)
            {
                split = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["city"] = csz.Groups["city"].Value.Trim(),
                    ["state"] = csz.Groups["state"].Value,
                    ["zip"] = csz.Groups["zip"].Value,
                };
                foreach (var key in split.Keys)
                {
                    parts[key] = cszIndex;
                }
            }

            string? Part(string name) => split is not null && split.TryGetValue(name, out var fromColumn) ? fromColumn
                : parts.TryGetValue(name, out var i) ? fields[i].Value.Trim() : null;
            string? value = null;
            string? state = null;
            string[] used;
            switch (rule.Detector)
            {
                case RuleDetector.Name when Part("first") is { } first && Part("last") is { } last:
                    used = [.. new[] { "first", "middle", "last" }.Where(parts.ContainsKey)];
                    var middle = Part("middle");
                    value = PersonName.Normalize(middle is null ? $"{first} {last}" : $"{first} {middle} {last}", rule.StopWords, 2, out _);
                    break;
                case RuleDetector.Address when Part("street") is { } street && Part("state") is { } st && UsStates.IsValid(st)
                                               && (Part("city") is not null || Part("zip") is not null):
                    // A street field that already holds a whole address was reported on its own.
                    var streetField = fields[parts["street"]];
                    if (street.Length == 0 || !char.IsDigit(street[0]) || ContainsStopWord(street, rule.StopWords)
                        || findings.Skip(fieldStart).Any(f => f.Evidence.RuleId == rule.Id && f.Evidence.Header == streetField.Name))
                    {
                        continue;
                    }

                    used = [.. new[] { "street", "unit", "city", "state", "zip" }.Where(parts.ContainsKey)];
                    state = st.ToUpperInvariant();
                    value = UsAddress.Format(street, Part("unit"), Part("city"), state, Part("zip"));
                    break;
                default:
                    continue;
            }

            if (value is null || rule.AllowList.Contains(value))
            {
                continue;
            }

            var firstField = fields[parts[used[0]]];
            findings.Add(new Finding
            {
                Element = rule.Element,
                Value = value,
                Locator = segment.Locator.ToString(),
                Confidence = Math.Min(rule.ComposeScore, 0.99),
                Evidence = new Evidence
                {
                    RuleId = rule.Id,
                    Pattern = "compose",
                    Header = string.Join('+', used.Select(p => fields[parts[p]].Name).Distinct(StringComparer.Ordinal)),
                    InferredHeader = segment.InferredHeader,
                },
                Start = 0,
                Length = firstField.Value.Length,
                Group = segment.Group,
                GroupKind = segment.GroupKind,
                ParentGroup = segment.ParentGroup,
                SegmentIndex = segmentIndex,
                State = state,
            });
        }
    }

    private static bool ContainsStopWord(string text, HashSet<string> stopWords)
    {
        if (stopWords.Count == 0)
        {
            return false;
        }

        foreach (var word in text.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (stopWords.Contains(word.TrimEnd('.')))
            {
                return true;
            }
        }

        return false;
    }

    private static string? GroupOrNull(Match match, string name)
    {
        var group = match.Groups[name];
        return group.Success && group.Length > 0 ? group.Value : null;
    }

    private static void RemoveOverlaps(List<(Finding Finding, int Rule)> list, int from)
    {
        // Within one rule, overlapping matches keep the higher score (then the longer, then the earlier).
        var mine = list.GetRange(from, list.Count - from);
        mine.Sort((a, b) =>
        {
            var byScore = b.Finding.Confidence.CompareTo(a.Finding.Confidence);
            return byScore != 0 ? byScore : b.Finding.Length != a.Finding.Length ? b.Finding.Length.CompareTo(a.Finding.Length) : a.Finding.Start.CompareTo(b.Finding.Start);
        });
        var kept = new List<(Finding Finding, int Rule)>();
        foreach (var candidate in mine)
        {
            var c = candidate.Finding;
            if (!kept.Any(k => c.Start < k.Finding.Start + Math.Max(1, k.Finding.Length) && k.Finding.Start < c.Start + Math.Max(1, c.Length)))
            {
                kept.Add(candidate);
            }
        }

        list.RemoveRange(from, list.Count - from);
        list.AddRange(kept);
    }

    [GeneratedRegex(@"^\s*(?<city>\p{L}[\p{L} .'\-]*?),?\s+(?<state>[A-Za-z]{2})\.?,?\s+(?<zip>\d{5}(?:-\d{4})?)\s*$", RegexOptions.CultureInvariant, RuleSet.RegexTimeoutMilliseconds)]
    private static partial Regex CityStateZip();

    // The one pass over a segment's text, run before the text became a string.
    // Plan and Prefiltered: ScanText's plan for a plain line, made on its characters (null: not planned); MatchedRule: the
    // planned rule whose Matches the screen collected (-1: none).
    internal readonly record struct OnePass(DigitProfile Digits, List<WordHit>? Hits, RuleRun[]? Plan = null, ulong Prefiltered = 0,
        int MatchedRule = -1, List<(RulePattern Pattern, Match Match)>? Matches = null);

    // What ScanText runs of a rule on one text (see Plan).
    internal enum RuleRun : byte
    {
        Skip,
        Gated,
        Full,
    }

    // What the rules make of one header: its normalised form and, per rule, whether it opens the keyword gate, the
    // rule header it matches (null: none), and whether it names one of the rule's negative words; each worked out when
    // first asked (a label seen once is asked little). Shared by the worker threads (HeaderMemo): each answer is a pure
    // function of the header, written before the flag that says it is known (a race only works one out twice).
    private sealed class HeaderFacts(DetectionEngine engine, NormalizedHeader header)
    {
        private const int KnownGate = 1, Gate = 2, KnownMatch = 4, KnownNegative = 8, Negative = 16;
        private readonly int[] _known = new int[engine._rules.Length];
        private readonly string?[] _match = new string?[engine._rules.Length];

        public NormalizedHeader Header => header;

        public bool KeywordGate(int rule)
        {
            var known = Volatile.Read(ref _known[rule]);
            if ((known & KnownGate) == 0)
            {
                var open = engine._ruleKeywords[rule] is not null
                    && engine._headerKeywords[rule].Any(k => header.Raw.Contains(k.Keyword, StringComparison.OrdinalIgnoreCase));
                return Learn(rule, KnownGate | (open ? Gate : 0), Gate);
            }

            return (known & Gate) != 0;
        }

        public string? Match(int rule)
        {
            if ((Volatile.Read(ref _known[rule]) & KnownMatch) == 0)
            {
                var match = engine._rules[rule].MatchHeader(header);
                Volatile.Write(ref _match[rule], match);
                Learn(rule, KnownMatch, 0);
                return match;
            }

            return Volatile.Read(ref _match[rule]);
        }

        public bool NamesNegative(int rule)
        {
            var known = Volatile.Read(ref _known[rule]);
            if ((known & KnownNegative) == 0)
            {
                var named = engine._rules[rule].NegativeContextWords.Length > 0
                    && HeaderText.Match(header, engine._negativeHeaders[rule], exact: false) is not null;
                return Learn(rule, KnownNegative | (named ? Negative : 0), Negative);
            }

            return (known & Negative) != 0;
        }

        // Adds flags to the rule's (other threads may be adding theirs) and says whether the flag asked for is among them.
        private bool Learn(int rule, int flags, int asked)
        {
            Interlocked.Or(ref _known[rule], flags);
            return (flags & asked) != 0;
        }
    }

    private readonly record struct Where(Locator Locator, Locator? SegmentLocator, int Group, GroupKind GroupKind, long SegmentIndex, int? ParentGroup, bool InferredHeader, ISet<string>? TimedOut = null);
}
