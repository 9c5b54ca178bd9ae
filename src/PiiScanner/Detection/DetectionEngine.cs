using System.Buffers;
using System.Text.RegularExpressions;
using PiiScanner.Detection.Addresses;
using PiiScanner.Detection.Dates;
using PiiScanner.Detection.Names;
using PiiScanner.Extraction;

namespace PiiScanner.Detection;

/// <summary>
/// Runs a <see cref="RuleSet"/> over segments. Immutable and thread-safe: one engine serves every worker.
/// Per rule: keyword gate and digit-run prefilter, then the compiled regexes, validators, the rule's detector
/// (date / name / address), context words and headers, and the score.
/// </summary>
public sealed class DetectionEngine
{
    private const int MaxRecognizerWindows = 4;
    private const int RecognizerWindow = 60;
    private const int MaxWholeValueLength = 120;

    private readonly Rule[] _rules;
    private readonly DetectionOptions _options;
    private readonly DateOnly _today;
    private readonly long[] _timeouts;
    private readonly WrittenDateRecognizer? _recognizer;

    // Keyword gate: one SearchValues pass finds candidate positions; the keywords starting with that character
    // (case-folded) are then compared and mark the rules they open.
    private readonly SearchValues<string>? _keywordSearch;
    private readonly Dictionary<char, (string Keyword, bool Exact, int[] Rules)[]> _keywordsByFirstChar;
    private readonly int _gatedRuleCount;

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
        _rules = [.. rules.Rules];
        _options = options;
        _today = options.ReferenceDate ?? DateOnly.FromDateTime(options.TimeProvider.GetLocalNow().Date);
        _timeouts = new long[_rules.Length];
        if (options.UseDateRecognizer && _rules.Any(r => r.Detector == RuleDetector.Date))
        {
            _recognizer = new WrittenDateRecognizer();
        }

        // Keyed by the keyword as written and whether its case must match: "ms" the unit and "Ms" the honorific
        // are different gates.
        var keywordRules = new Dictionary<(string Keyword, bool Exact), List<int>>();
        foreach (var rule in _rules)
        {
            if (rule.Keywords.Length > 0)
            {
                _gatedRuleCount++;
            }

            foreach (var keyword in rule.Keywords)
            {
                var exact = rule.ExactCaseKeywords.Contains(keyword);
                var key = (exact ? keyword : keyword.ToLowerInvariant(), exact);
                if (!keywordRules.TryGetValue(key, out var list))
                {
                    keywordRules[key] = list = [];
                }

                list.Add(rule.Index);
            }
        }

        _keywordsByFirstChar = keywordRules
            .GroupBy(k => char.ToLowerInvariant(k.Key.Keyword[0]))
            .ToDictionary(g => g.Key, g => g.Select(k => (k.Key.Keyword, k.Key.Exact, k.Value.ToArray())).ToArray());
        var searched = keywordRules.Keys.Select(k => k.Keyword).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        _keywordSearch = searched.Length == 0 ? null : SearchValues.Create(searched, StringComparison.OrdinalIgnoreCase);
    }

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
    public void Detect(Segment segment, long segmentIndex, List<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(findings);
        if (!string.IsNullOrEmpty(segment.Text))
        {
            var where = new Where(segment.Locator, null, segment.Group, segment.GroupKind, segmentIndex, segment.ParentGroup, false);
            ScanText(segment.Text, NormalizedHeader.From(segment.Label), where, findings);
        }

        if (segment.Fields is { Count: > 0 } fields)
        {
            var fieldStart = findings.Count;
            foreach (var field in fields)
            {
                if (!string.IsNullOrEmpty(field.Value))
                {
                    var where = new Where(field.Locator ?? segment.Locator, field.Locator is null ? null : segment.Locator, segment.Group, segment.GroupKind, segmentIndex, segment.ParentGroup, segment.InferredHeader);
                    ScanText(field.Value, NormalizedHeader.From(field.Name), where, findings);
                }
            }

            ComposeFields(segment, fields, segmentIndex, findings, fieldStart);
        }

        foreach (var detector in _options.CodeDetectors)
        {
            detector.Detect(segment, segmentIndex, findings);
        }
    }

    /// <summary>Detects in a piece of free text (for <c>piiscan rules test</c> and tests).</summary>
    public IReadOnlyList<Finding> Test(string text) => Test(text, null);

    /// <summary>Detects in a piece of text scanned under a label / column header.</summary>
    internal IReadOnlyList<Finding> Test(string text, string? header)
    {
        var findings = new List<Finding>();
        Detect(new Segment("test", text) { Label = header }, 0, findings);
        return findings;
    }

    private void ScanText(string text, NormalizedHeader? header, Where where, List<Finding> output)
    {
        var gates = _rules.Length <= 256 ? stackalloc bool[_rules.Length] : new bool[_rules.Length];
        MarkKeywordGates(text, header, gates);
        var digitRun = LongestDigitRun(text);

        var local = new List<(Finding Finding, int Rule)>();
        foreach (var rule in _rules)
        {
            if ((rule.Keywords.Length > 0 && !gates[rule.Index] && !(header is not null && HeaderText.Match(header, rule.Headers, rule.HeaderExact) is not null))
                || (digitRun < rule.MinDigits && !(rule.WholeValue && header is not null)))
            {
                continue;
            }

            if (rule.Prefilter is { } prefilter && !PrefilterMatches(rule, prefilter, text))
            {
                continue;
            }

            var before = local.Count;
            RunRule(rule, text, header, where, local);
            if (local.Count - before > 1)
            {
                RemoveOverlaps(local, before);
            }
        }

        local.Sort((a, b) => a.Finding.Start != b.Finding.Start ? a.Finding.Start.CompareTo(b.Finding.Start) : a.Rule.CompareTo(b.Rule));
        foreach (var (finding, _) in local)
        {
            output.Add(finding);
        }
    }

    private bool PrefilterMatches(Rule rule, Regex prefilter, string text)
    {
        try
        {
            return prefilter.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            // Cannot tell: let the rule's own patterns decide (they count their own timeouts).
            Interlocked.Increment(ref _timeouts[rule.Index]);
            return true;
        }
    }

    private void MarkKeywordGates(string text, NormalizedHeader? header, Span<bool> gates)
    {
        if (_keywordSearch is null)
        {
            return;
        }

        var open = 0;
        if (header is not null)
        {
            foreach (var (first, entries) in _keywordsByFirstChar)
            {
                foreach (var (keyword, _, rules) in entries)
                {
                    if (header.Raw.Contains(keyword, StringComparison.OrdinalIgnoreCase))
                    {
                        open += Open(rules, gates);
                    }
                }
            }
        }

        var span = text.AsSpan();
        var offset = 0;
        while (open < _gatedRuleCount && offset < span.Length)
        {
            var hit = span[offset..].IndexOfAny(_keywordSearch);
            if (hit < 0)
            {
                break;
            }

            var at = offset + hit;

            // Keywords are words: "ms" must not open the name rule inside "programs", nor "member" inside
            // "members". A keyword must start and end a word (digits and punctuation may follow: "ssn#", "dob:").
            if ((at == 0 || !char.IsLetterOrDigit(span[at - 1]))
                && _keywordsByFirstChar.TryGetValue(char.ToLowerInvariant(span[at]), out var entries))
            {
                foreach (var (keyword, exact, rules) in entries)
                {
                    var end = at + keyword.Length;
                    if (span[at..].StartsWith(keyword, exact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase)
                        && (end >= span.Length || !char.IsLetter(span[end]) || !char.IsLetter(keyword[^1])))
                    {
                        open += Open(rules, gates);
                    }
                }
            }

            offset = at + 1;
        }

        static int Open(int[] rules, Span<bool> gates)
        {
            var opened = 0;
            foreach (var index in rules)
            {
                if (!gates[index])
                {
                    gates[index] = true;
                    opened++;
                }
            }

            return opened;
        }
    }

    private static int LongestDigitRun(string text)
    {
        var span = text.AsSpan();
        var longest = 0;
        while (true)
        {
            var start = span.IndexOfAnyInRange('0', '9');
            if (start < 0)
            {
                return longest;
            }

            span = span[start..];
            var end = span.IndexOfAnyExceptInRange('0', '9');
            var length = end < 0 ? span.Length : end;
            longest = Math.Max(longest, length);
            if (end < 0)
            {
                return longest;
            }

            span = span[end..];
        }
    }

    private void RunRule(Rule rule, string text, NormalizedHeader? header, Where where, List<(Finding, int)> output)
    {
        var headerHit = header is null ? null : HeaderText.Match(header, rule.Headers, rule.HeaderExact);
        if (rule.WholeValue && headerHit is not null && TryWholeValue(rule, text, header!, where, output))
        {
            return;
        }

        var matches = new List<(RulePattern Pattern, Match Match)>();
        foreach (var pattern in rule.Patterns)
        {
            try
            {
                for (var m = pattern.Regex.Match(text); m.Success; m = m.NextMatch())
                {
                    matches.Add((pattern, m));
                }
            }
            catch (RegexMatchTimeoutException)
            {
                Interlocked.Increment(ref _timeouts[rule.Index]);
            }
        }

        if (matches.Count > 1)
        {
            matches.Sort((a, b) => a.Match.Index.CompareTo(b.Match.Index));
        }

        var found = false;
        var previousEnd = 0;
        foreach (var (pattern, match) in matches)
        {
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
        var category = pattern.Category;
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

                category = lastFirst ? "last-first" : category;
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
            Locator = where.Locator,
            SegmentLocator = where.SegmentLocator,
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
            Category = category,
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
        string? category = null;
        switch (rule.Detector)
        {
            case RuleDetector.Name:
                value = PersonName.Normalize(trimmed, rule.StopWords, 2, out var lastFirst);
                category = lastFirst ? "last-first" : null;
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
            Locator = where.Locator,
            SegmentLocator = where.SegmentLocator,
            Confidence = Math.Min(rule.WholeValueScore, 0.99),
            Evidence = new Evidence { RuleId = rule.Id, Pattern = "header-value", Validator = outcome, Header = header.Raw, InferredHeader = where.InferredHeader },
            Start = start,
            Length = trimmed.Length,
            Group = where.Group,
            GroupKind = where.GroupKind,
            ParentGroup = where.ParentGroup,
            SegmentIndex = where.SegmentIndex,
            Category = category,
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
                if (DateParts.Plausible(date.Year, date.Month, date.Day, _today, _options.MaxAgeYears) is null)
                {
                    continue;
                }

                var pattern = rule.Patterns.Count > 0 ? rule.Patterns[0] : null;
                output.Add((new Finding
                {
                    Element = rule.Element,
                    Value = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    Locator = where.Locator,
                    SegmentLocator = where.SegmentLocator,
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
        var headers = fields.Select(f => NormalizedHeader.From(f.Name)).ToArray();
        foreach (var rule in _rules)
        {
            if (rule.Compose.Count == 0)
            {
                continue;
            }

            var parts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (part, partHeaders) in rule.Compose)
            {
                for (var i = 0; i < fields.Count; i++)
                {
                    if (headers[i] is { } h && !string.IsNullOrWhiteSpace(fields[i].Value) && HeaderText.Match(h, partHeaders, exact: true) is not null)
                    {
                        parts[part] = i;
                        break;
                    }
                }
            }

            string? Part(string name) => parts.TryGetValue(name, out var i) ? fields[i].Value.Trim() : null;
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
                Locator = segment.Locator,
                Confidence = Math.Min(rule.ComposeScore, 0.99),
                Evidence = new Evidence
                {
                    RuleId = rule.Id,
                    Pattern = "compose",
                    Header = string.Join('+', used.Select(p => fields[parts[p]].Name)),
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

    private readonly record struct Where(string Locator, string? SegmentLocator, int Group, GroupKind GroupKind, long SegmentIndex, int? ParentGroup, bool InferredHeader);
}
