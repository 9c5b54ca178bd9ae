using System.Buffers;
using PiiScanner.Detection.Matching;
using PiiScanner.Extraction;

namespace PiiScanner.Detection.Identifiers;

/// <summary>
/// Finds US driver's licence and state ID numbers. A number counts only with licence context: a keyword
/// (<c>DL</c>, <c>driver's license</c>, <c>OLN</c>, <c>CDL</c>, <c>state ID</c>…) just before it, or a field
/// whose header names a licence (<c>DL Number</c>, <c>License No</c>). The issuing state comes from the context
/// (<c>IL DL</c>, <c>Illinois driver's license</c>, a <c>DL State</c> / <c>State</c> field of the same record)
/// or from a format only one state issues; otherwise <see cref="Finding.State"/> stays null.
/// Values are upper-case without separators. Immutable and thread-safe.
/// </summary>
internal sealed class DriversLicenseDetector : ISegmentDetector, IPlainLineScreen
{
    private const int MaxGroups = 7;
    private const int MaxCandidateChars = 32;

    private static readonly FindingQualifiers IdCard = new() { Kind = "id-card" };

    private readonly DriversLicenseRules _rules;
    private readonly WordList _keywords;
    private readonly KeywordKind[] _keywordKind;
    private readonly AhoCorasick _negative;
    private readonly AhoCorasick _headerWords;
    private readonly int _headerPhraseCount;
    private readonly int _headerExcludeCount;
    private readonly StateNames _states;
    private readonly HashSet<string> _filler;
    private readonly HashSet<string> _stateAfterFiller;
    private readonly HeaderMemo<HeaderKind> _headerKinds;
    private readonly HeaderMemo<bool> _idCardHeaders = new(IsIdCardHeader);

    /// <summary>Creates the detector from loaded rules.</summary>
    public DriversLicenseDetector(DriversLicenseRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules;
        _headerKinds = new(ClassifyUncached);
        var ctx = rules.Context;
        var idCard = new HashSet<string>(ctx.IdCardKeywords, StringComparer.OrdinalIgnoreCase);
        var keywords = new List<string>();
        var kinds = new List<KeywordKind>();
        foreach (var k in ctx.StrongKeywords)
        {
            keywords.Add(k);
            kinds.Add(idCard.Contains(k) ? KeywordKind.IdCard : KeywordKind.Strong);
        }

        foreach (var k in ctx.WeakKeywords)
        {
            keywords.Add(k);
            kinds.Add(KeywordKind.Weak);
        }

        _keywords = new WordList("licence keywords", keywords);
        _keywordKind = [.. kinds];
        _negative = new AhoCorasick(ctx.NegativeWords);

        var headerPatterns = new List<string>(ctx.Headers);
        _headerPhraseCount = headerPatterns.Count;
        headerPatterns.AddRange(ctx.HeaderExclude);
        _headerExcludeCount = ctx.HeaderExclude.Count;
        headerPatterns.AddRange(ctx.StateHeaders);
        _headerWords = new AhoCorasick(headerPatterns);
        _states = new StateNames(rules.States.Select(s => (s.State, s.Name)));
        _filler = new HashSet<string>(ctx.FillerWords, StringComparer.OrdinalIgnoreCase);
        _stateAfterFiller = new HashSet<string>(ctx.StateAfterWords, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The rules this detector uses.</summary>
    public DriversLicenseRules Rules => _rules;

    /// <inheritdoc />
    public IReadOnlyList<WordList> Words => [_keywords];

    /// <inheritdoc />
    public bool MayFind(ReadOnlySpan<char> text, in PlainLine line) => line.HasWords;

    /// <inheritdoc />
    public void Detect(SegmentScan scan, List<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(findings);
        var (segment, segmentIndex) = (scan.Segment, scan.SegmentIndex);

        // A licence keyword in a text with a digit, or a licence header over a text.
        var any = false;
        // Indexed: a foreach over the IReadOnlyList would box its enumerator for every segment.
        for (var unitIndex = 0; unitIndex < scan.Units.Count; unitIndex++)
        {
            var unit = scan.Units[unitIndex];
            if ((unit.Header is { } h && Classify(h) == HeaderKind.Number) || (unit.HasWords && unit.Has(_keywords)))
            {
                any = true;
                break;
            }
        }

        if (!any)
        {
            return;
        }

        var recordState = RecordState(segment);
        // Indexed: a foreach over the IReadOnlyList would box its enumerator for every segment.
        for (var unitIndex = 0; unitIndex < scan.Units.Count; unitIndex++)
        {
            var unit = scan.Units[unitIndex];
            var before = findings.Count;
            if (unit.Header is { } header && Classify(header) == HeaderKind.Number)
            {
                DetectInHeaderedValue(segment, segmentIndex, unit, recordState, findings);
            }

            if (findings.Count == before && unit.HasDigit && unit.HasWords)
            {
                DetectInText(segment, segmentIndex, unit, recordState, findings);
            }
        }
    }

    private void DetectInHeaderedValue(Segment segment, long segmentIndex, TextUnit unit, string? recordState, List<Finding> findings)
    {
        var text = unit.Text;
        var headerState = _states.Find(unit.Header!).Select(s => s.Code).FirstOrDefault();
        var (groups, hint) = ParseCandidate(text, 0, text.Length);
        if (groups.Count == 0)
        {
            return;
        }

        var explicitState = hint ?? headerState ?? recordState;
        var kind = _idCardHeaders[unit.Header!] ? KeywordKind.IdCard : KeywordKind.Strong;
        Emit(segment, segmentIndex, unit, findings, text, groups, explicitState, 0.9, kind, contextWord: null, header: unit.Header);
    }

    private void DetectInText(Segment segment, long segmentIndex, TextUnit unit, string? recordState, List<Finding> findings)
    {
        var text = unit.Text;
        var hits = unit.Find(_keywords);
        if (hits.Count == 0)
        {
            return;
        }

        List<(int Start, int End, string Code)>? stateMentions = null;
        var lastEnd = -1;
        foreach (var hit in AhoCorasick.LeftmostLongest(hits))
        {
            var kwEnd = hit.Start + hit.Length;
            if (kwEnd < lastEnd)
            {
                continue;
            }

            var kind = _keywordKind[hit.Word];
            if (kind == KeywordKind.Weak && PrecededByNegative(text, hit.Start))
            {
                continue;
            }

            var limit = Math.Min(text.Length, kwEnd + _rules.Context.Window);
            var (groups, hint) = ParseCandidate(text, kwEnd, limit);
            if (groups.Count == 0)
            {
                continue;
            }

            stateMentions ??= _states.Find(text);
            var state = hint ?? NearestStateBefore(stateMentions, hit.Start, kwEnd) ?? recordState;
            var baseConfidence = kind == KeywordKind.Weak ? 0.6 : 0.85;
            var contextWord = text.Substring(hit.Start, hit.Length);
            if (Emit(segment, segmentIndex, unit, findings, text, groups, state, baseConfidence, kind, contextWord, unit.Header) is { } end)
            {
                lastEnd = end;
            }
        }
    }

    /// <summary>Tries the longest run of token groups first; returns the end of the emitted number or null.</summary>
    private int? Emit(
        Segment segment,
        long segmentIndex,
        TextUnit unit,
        List<Finding> findings,
        string text,
        List<(int Start, int End)> groups,
        string? explicitState,
        double baseConfidence,
        KeywordKind kind,
        string? contextWord,
        string? header)
    {
        // "DL: 217-555-0188" is a phone number in a licence's place, not a licence.
        if (IsPhoneShaped(text, groups))
        {
            return null;
        }

        for (var k = groups.Count; k >= 1; k--)
        {
            var start = groups[0].Start;
            var end = groups[k - 1].End;
            // "DL 12345678 TX": the state after the number is not part of it.
            if (k > 1 && IsStateToken(text[groups[k - 1].Start..groups[k - 1].End]))
            {
                continue;
            }

            var normalized = DriversLicenseRules.Normalize(text[start..end]);
            if (normalized.Length < 4 || !normalized.AsSpan().ContainsAnyInRange('0', '9'))
            {
                continue;
            }

            string? state;
            LicenceFormat? format;
            double confidence;
            if (explicitState is not null)
            {
                if (!_rules.ByCode.TryGetValue(explicitState, out var formats) || (format = formats.Match(normalized)) is null)
                {
                    continue;
                }

                state = explicitState;
                confidence = baseConfidence + 0.1;
            }
            else if (StateAfter(text, end) is { } after && _rules.ByCode.TryGetValue(after, out var afterFormats)
                     && (format = afterFormats.Match(normalized)) is not null)
            {
                // "DL# 12345678, issued by Texas", "driver license number 12345678 (TX)".
                state = after;
                confidence = baseConfidence + 0.1;
            }
            else
            {
                (state, format) = InferState(normalized);
                if (format is null)
                {
                    continue;
                }

                // A weak keyword ("license no.", "permit") with a number many states could have issued is as likely
                // a software, business or professional licence: it counts only when the state is known.
                if (state is null && kind == KeywordKind.Weak)
                {
                    continue;
                }

                confidence = state is null ? baseConfidence - 0.1 : baseConfidence + 0.05;
            }

            findings.Add(FindingFactory.Create(
                segment,
                segmentIndex,
                unit,
                Elements.DriversLicense,
                normalized,
                Math.Min(confidence, 0.97),
                new Evidence
                {
                    RuleId = state is null ? "us-dl" : $"us-dl-{state}",
                    Pattern = format.Name,
                    ContextWord = contextWord,
                    Header = header,
                },
                start,
                end - start,
                state: state,
                qualifiers: kind == KeywordKind.IdCard ? IdCard : null));
            return end;
        }

        return null;
    }

    /// <summary>
    /// The state named right after a number (<c>, issued by Texas</c>, <c>(TX)</c>, <c>- New York</c>): only
    /// separators and <see cref="DlContext.StateAfterWords"/> in between, within 30 characters, on the same line.
    /// </summary>
    private string? StateAfter(string text, int pos)
    {
        var limit = Math.Min(text.Length, pos + 30);
        var i = pos;
        for (var words = 0; words < 5; words++)
        {
            while (i < limit && text[i] is ' ' or ',' or '(' or '-' or ':' or '/' or '\t')
            {
                i++;
            }

            if (i >= limit || !char.IsAsciiLetter(text[i]))
            {
                return null;
            }

            var s = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            var word = text[s..i];
            if (word.Length == 2)
            {
                if (char.IsAsciiLetterUpper(word[0]) && char.IsAsciiLetterUpper(word[1]) && word != "ID" && _rules.ByCode.ContainsKey(word))
                {
                    return word;
                }
            }
            else if (_states.Parse(word) is { } byName)
            {
                return byName;
            }
            else if (NextWord(text, i) is { } nw && _states.Parse(word + " " + text[nw.Start..nw.End]) is { } twoWords)
            {
                return twoWords;
            }

            if (!_stateAfterFiller.Contains(word))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>A two-letter upper-case state code or a state name (a trailing token that is not part of a number).</summary>
    private bool IsStateToken(string token) =>
        token.AsSpan().IndexOfAnyInRange('0', '9') < 0 &&
        (token.Length == 2 ? char.IsAsciiLetterUpper(token[0]) && char.IsAsciiLetterUpper(token[1]) && token != "ID" && _rules.ByCode.ContainsKey(token)
                           : _states.Parse(token) is not null);

    /// <summary>
    /// Whether the candidate's groups read as a North American phone number: <c>217-555-0188</c>, <c>217.555.0188</c>,
    /// <c>1 217 555 0188</c> (3-3-4 digits, area code and exchange not starting with 0 or 1). No state writes its
    /// licence numbers that way.
    /// </summary>
    private static bool IsPhoneShaped(string text, List<(int Start, int End)> groups)
    {
        var first = groups.Count >= 4 && groups[0].End - groups[0].Start == 1 && text[groups[0].Start] == '1' ? 1 : 0;
        if (groups.Count < first + 3)
        {
            return false;
        }

        ReadOnlySpan<int> lengths = [3, 3, 4];
        for (var g = 0; g < 3; g++)
        {
            var (s, e) = groups[first + g];
            if (e - s != lengths[g] || text.AsSpan(s, e - s).IndexOfAnyExceptInRange('0', '9') >= 0)
            {
                return false;
            }
        }

        return text[groups[first].Start] is >= '2' and <= '9' && text[groups[first + 1].Start] is >= '2' and <= '9';
    }

    /// <summary>The state a number's shape names: a unique format, or the only state that matches.</summary>
    private (string? State, LicenceFormat? Format) InferState(string normalized)
    {
        string? only = null;
        LicenceFormat? first = null;
        var count = 0;
        foreach (var s in _rules.States)
        {
            var f = s.Match(normalized);
            if (f is null)
            {
                continue;
            }

            if (f.Unique)
            {
                return (s.State, f);
            }

            first ??= f;
            only = s.State;
            count++;
        }

        return count == 1 ? (only, first) : (null, first);
    }

    /// <summary>
    /// Skips punctuation, filler words (<c>No.</c>, <c>number</c>) and a state (<c>IL</c>, <c>New York</c>) after a
    /// keyword, then collects the candidate's token groups (letters, digits, <c>*</c>; joined by one space, dash or dot).
    /// </summary>
    private (List<(int Start, int End)> Groups, string? StateHint) ParseCandidate(string text, int pos, int limit)
    {
        var groups = new List<(int, int)>();
        string? hint = null;
        var i = pos;
        while (i < limit)
        {
            while (i < limit && !IsTokenChar(text[i]))
            {
                if (char.IsLetterOrDigit(text[i]))
                {
                    return (groups, hint);
                }

                i++;
            }

            if (i >= limit)
            {
                break;
            }

            var tokStart = i;
            while (i < text.Length && IsTokenChar(text[i]))
            {
                i++;
            }

            var token = text.AsSpan(tokStart, i - tokStart);
            if (token.ContainsAnyInRange('0', '9'))
            {
                groups.Add((tokStart, i));
                break;
            }

            var tokenText = token.ToString();
            if (_filler.Contains(tokenText))
            {
                continue;
            }

            if (token.Length == 2 && char.IsUpper(token[0]) && char.IsUpper(token[1]) && tokenText != "ID" && _rules.ByCode.ContainsKey(tokenText))
            {
                hint ??= tokenText;
                continue;
            }

            if (_states.Parse(tokenText) is { } byName && tokenText.Length > 2)
            {
                hint ??= byName;
                continue;
            }

            // Two-word state names: "New York", "North Carolina", "West Virginia".
            var next = NextWord(text, i);
            if (next is { } nw && _states.Parse(tokenText + " " + text[nw.Start..nw.End]) is { } twoWords)
            {
                hint ??= twoWords;
                i = nw.End;
                continue;
            }

            // A bare letter (or WDL) followed by a digit group: "S 530 123 456 789".
            if (token.Length <= 3 && token.IndexOfAnyExceptInRange('A', 'Z') < 0 && next is { } dg &&
                text.AsSpan(dg.Start, dg.End - dg.Start).ContainsAnyInRange('0', '9'))
            {
                groups.Add((tokStart, i));
                break;
            }

            return (groups, hint);
        }

        if (groups.Count == 0)
        {
            return (groups, hint);
        }

        // Further groups joined by a single separator.
        var total = groups[0].Item2 - groups[0].Item1;
        i = groups[^1].Item2;
        while (groups.Count < MaxGroups && i + 1 < text.Length && text[i] is ' ' or '-' or '.' && IsTokenChar(text[i + 1]))
        {
            var s = i + 1;
            var e = s;
            while (e < text.Length && IsTokenChar(text[e]))
            {
                e++;
            }

            total += e - s;
            if (total > MaxCandidateChars)
            {
                break;
            }

            groups.Add((s, e));
            i = e;
        }

        return (groups, hint);
    }

    private static (int Start, int End)? NextWord(string text, int i)
    {
        if (i + 1 >= text.Length || text[i] is not (' ' or '-') || !IsTokenChar(text[i + 1]))
        {
            return null;
        }

        var s = i + 1;
        var e = s;
        while (e < text.Length && IsTokenChar(text[e]))
        {
            e++;
        }

        return (s, e);
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '*';

    private static string? NearestStateBefore(List<(int Start, int End, string Code)> mentions, int kwStart, int kwEnd)
    {
        string? best = null;
        var bestEnd = -1;
        foreach (var (start, end, code) in mentions)
        {
            // "Illinois DL", "IL driver's license", "Illinois-issued driver's license".
            if (end <= kwStart && kwStart - end <= 12 && end > bestEnd)
            {
                best = code;
                bestEnd = end;
            }
            else if (start >= kwStart && end <= kwEnd)
            {
                return code;
            }
        }

        return best;
    }

    private bool PrecededByNegative(string text, int kwStart)
    {
        var from = Math.Max(0, kwStart - 24);
        var window = text.AsSpan(from, kwStart - from);
        return _negative.FindAll(window).Count > 0;
    }

    /// <summary>The issuing state named by the record's fields: a DL-state field first, then a plain State field.</summary>
    private string? RecordState(Segment segment)
    {
        if (segment.Fields is not { } fields)
        {
            return null;
        }

        string? plain = null;
        foreach (var f in fields)
        {
            switch (Classify(f.Name))
            {
                case HeaderKind.LicenceState when _states.Parse(f.Value) is { } s:
                    return s;
                case HeaderKind.PlainState when plain is null:
                    plain = _states.Parse(f.Value);
                    break;
            }
        }

        return plain;
    }

    private HeaderKind Classify(string header) => _headerKinds[header];

    private HeaderKind ClassifyUncached(string header)
    {
        var words = HeaderWords.Of(header);
        if (words.Length == 0)
        {
            return HeaderKind.None;
        }

        // An exclude word inside a licence phrase is part of it, and a header ends in what it names: "Driver license /
        // state ID #" is a number ("state" of "state ID", not "license state"), "DL state" the issuing state.
        var hits = _headerWords.FindAll(words);
        bool phrase = false, exclude = false;
        int phraseEnd = -1, stateEnd = -1;
        foreach (var m in hits)
        {
            if (m.Word < _headerPhraseCount)
            {
                phrase = true;
                phraseEnd = Math.Max(phraseEnd, m.Start + m.Length);
            }
            else if (m.Word < _headerPhraseCount + _headerExcludeCount)
            {
                exclude |= !hits.Exists(p => p.Word < _headerPhraseCount && p.Start <= m.Start && p.Start + p.Length >= m.Start + m.Length);
            }
            else
            {
                stateEnd = Math.Max(stateEnd, m.Start + m.Length);
            }
        }

        var stateHeader = stateEnd > phraseEnd;

        if (stateHeader)
        {
            return HeaderKind.LicenceState;
        }

        if (phrase && !exclude)
        {
            return HeaderKind.Number;
        }

        // "State", "ST", "address.state", "applicant.state", "home state".
        var lastWord = words[(words.LastIndexOf(' ') + 1)..];
        return lastWord is "state" or "st" || words.EndsWith("state code", StringComparison.Ordinal) ? HeaderKind.PlainState : HeaderKind.None;
    }

    private static bool IsIdCardHeader(string header)
    {
        var w = HeaderWords.Of(header);
        return w.Contains("id card", StringComparison.Ordinal) || w.Contains("state id", StringComparison.Ordinal);
    }

    private enum KeywordKind
    {
        Strong,
        Weak,
        IdCard,
    }

    private enum HeaderKind
    {
        None,
        Number,
        LicenceState,
        PlainState,
    }
}
