using System.Buffers;
using System.Text.RegularExpressions;
using PhoneNumbers;
using PiiScanner.Detection.Matching;
using PiiScanner.Detection.Validators;
using PiiScanner.Extraction;

namespace PiiScanner.Detection.Identifiers;

/// <summary>
/// Finds payment cards (Luhn + issuer prefix and length, no context needed), bank accounts (account number with
/// banking context, paired with an ABA-valid routing number when one is present: value <c>routing/account</c>),
/// email addresses, phone numbers (libphonenumber, region US, valid numbers only, normalised E.164; run only on
/// text with a chain of 10 digits and separators, <see cref="TextUnit.LongestPhoneChain"/>, that holds one of
/// <see cref="PhoneShapes"/>) and US passport numbers (9 digits or a letter and 8 digits, with passport
/// context). Immutable and thread-safe.
/// </summary>
internal sealed partial class IdentifierDetector : ISegmentDetector, IPlainLineScreen
{
    /// <summary>The rule ids the detector reports; each part runs only when its rule is loaded.</summary>
    internal const string CardRuleId = "creditcard";

    /// <summary>The rule id of bank accounts.</summary>
    internal const string BankRuleId = "bank-account";

    /// <summary>The rule id of e-mail addresses.</summary>
    internal const string EmailRuleId = "email";

    /// <summary>The rule id of phone numbers.</summary>
    internal const string PhoneRuleId = "phone";

    /// <summary>The rule id of US passport numbers.</summary>
    internal const string PassportRuleId = "us-passport";

    /// <summary>
    /// Every <see cref="PhoneCandidate"/> holds one of these: its last four digits after three or more and a separator
    /// (<c>555-0142</c>, <c>406555.0142</c>), or the last seven, ten or eleven in one run (<c>(406) 5550142</c>,
    /// <c>4065550142</c>, <c>14065550142</c>); an international number starts with <c>+</c>. An IP address
    /// (<c>10.146.149.165</c>) holds none.
    /// </summary>
    internal static readonly DigitShapeList PhoneShapes = new("phone shapes", ["{3,}[ .-]{4}", "{7}", "{10}", "{11}", "+{1,}"]);

    // A US passport number's issuer, for its finding's qualifiers.
    private static readonly FindingQualifiers UsIssued = new() { Issuer = "us" };

    private readonly SearchValues<string>? _cardContext;
    private readonly SearchValues<string>? _bankWords;
    private readonly HeaderMemo<bool>? _bankishHeaders;
    private readonly SearchValues<string>? _phoneContext;
    private readonly HeaderMemo<bool> _passportHeaders = new(_ => false);
    private readonly ContextKeywords<BankKind>? _bankKeywords;
    private readonly HeaderMemo<BankKind?>? _bankHeaders;
    private readonly ContextKeywords<bool>? _passportKeywords;
    private readonly bool _emails;
    private readonly AbaRoutingValidator _aba = new();
    private readonly PhoneNumberUtil _phones = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Creates the detector from the rules of <paramref name="rules"/> it reports; a part whose rule is not loaded is
    /// off. The words are the rules' <c>words:</c> lists: <c>creditcard</c> <c>context</c>; <c>phone</c>
    /// <c>context</c> (both raise the score when one occurs anywhere in the text or header, as a substring);
    /// <c>bank-account</c> <c>routing</c>, <c>strongAccount</c>, <c>account</c> (keywords a number follows, whole
    /// words), <c>routingHeaders</c>, <c>strongAccountHeaders</c>, <c>accountHeaders</c> (column headers) and
    /// <c>bankWords</c> (banking context, substring); <c>us-passport</c> <c>keywords</c> and <c>headers</c>.
    /// </summary>
    /// <exception cref="RuleLoadException">A loaded rule lacks one of its word lists.</exception>
    public IdentifierDetector(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        static SearchValues<string> Substrings(string[] words) => SearchValues.Create(words, StringComparison.OrdinalIgnoreCase);

        _emails = rules.Find(EmailRuleId) is not null;
        if (rules.Find(CardRuleId) is { } card)
        {
            _cardContext = Substrings(card.Words("context"));
        }

        if (rules.Find(PhoneRuleId) is { } phone)
        {
            _phoneContext = Substrings(phone.Words("context"));
        }

        if (rules.Find(BankRuleId) is { } bank)
        {
            IEnumerable<(string, BankKind)> Kinds(string suffix) =>
                bank.Words("routing" + suffix).Select(w => (w, BankKind.Routing))
                    .Concat(bank.Words("strongAccount" + suffix).Select(w => (w, BankKind.StrongAccount)))
                    .Concat(bank.Words("account" + suffix).Select(w => (w, BankKind.Account)));
            _bankKeywords = new("bank keywords", Kinds(string.Empty));
            var bankHeaders = new ContextKeywords<BankKind>("bank headers", Kinds("Headers"));
            _bankHeaders = new(h => BankHeader(h, bankHeaders));
            var bankWords = Substrings(bank.Words("bankWords"));
            _bankWords = bankWords;
            _bankishHeaders = new(h => h.AsSpan().ContainsAny(bankWords));
        }

        if (rules.Find(PassportRuleId) is { } passport)
        {
            _passportKeywords = new("passport keywords", passport.Words("keywords").Select(w => (w, true)));
            var passportHeaders = passport.Words("headers");
            _passportHeaders = new(h => HeaderNames(HeaderWords.Of(h), passportHeaders));
        }

        Words = [.. new[] { _bankKeywords?.Words, _passportKeywords?.Words }.OfType<WordList>()];
    }

    private enum BankKind
    {
        Routing,
        StrongAccount,
        Account,
    }

    /// <inheritdoc />
    public IReadOnlyList<WordList> Words { get; }

    /// <inheritdoc />
    public IReadOnlyList<DigitShapeList> DigitShapes => _phoneContext is null ? [] : [PhoneShapes];

    /// <inheritdoc />
    /// <remarks>
    /// Without a header or fields: an e-mail, a card or a phone number needs a match of its regex (a card a chain of 13
    /// digits first; a phone number a phone chain of 10 and a phone shape); a bank account or passport a keyword (see
    /// <see cref="Detect"/>).
    /// </remarks>
    public bool MayFind(ReadOnlySpan<char> text, in PlainLine line) =>
        (_emails && text.Contains('@') && EmailRegex().IsMatch(text))
        || (line.Digits.Longest > 0 && (line.HasWords
            || (_cardContext is not null && line.Digits.Chain >= 13 && CardRegex().IsMatch(text))
            || (_phoneContext is not null && line.Digits.PhoneChain >= 10 && line.Has(PhoneShapes) && PhoneCandidate().IsMatch(text))));

    /// <inheritdoc />
    public void Detect(SegmentScan scan, List<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(findings);
        var (segment, segmentIndex) = (scan.Segment, scan.SegmentIndex);

        // Every identifier here has a digit or an '@': most prose lines leave here.
        var any = false;
        for (var k = 0; k < scan.Units.Count; k++)
        {
            var u = scan.Units[k];
            if (u.HasDigit || u.Text.Contains('@', StringComparison.Ordinal))
            {
                any = true;
                break;
            }
        }

        if (!any)
        {
            return;
        }

        var segmentBankish = _bankishHeaders is not null && SegmentHasBankWords(segment, _bankishHeaders);
        string? routingFromFields = null;
        // Indexed: a foreach over the IReadOnlyList would box its enumerator for every segment.
        for (var unitIndex = 0; unitIndex < scan.Units.Count; unitIndex++)
        {
            var unit = scan.Units[unitIndex];
            if (_bankHeaders is not null && unit.IsField && unit.Header is not null && _bankHeaders[unit.Header] == BankKind.Routing && _aba.Validate(unit.Text) is { IsValid: true } r)
            {
                routingFromFields = r.Normalized;
            }
        }

        // The spans already reported, per unit (one list, cleared for each).
        var taken = new List<(int Start, int End)>();
        // Indexed: a foreach over the IReadOnlyList would box its enumerator for every segment.
        for (var unitIndex = 0; unitIndex < scan.Units.Count; unitIndex++)
        {
            var unit = scan.Units[unitIndex];
            var text = unit.Text;
            taken.Clear();
            if (_emails && text.Contains('@', StringComparison.Ordinal))
            {
                Emails(segment, segmentIndex, unit, findings, taken);
            }

            if (!unit.HasDigit)
            {
                continue;
            }

            // 13 to 19 digits, with single spaces or dashes between groups.
            if (_cardContext is not null && unit.LongestDigitChain >= 13)
            {
                Cards(segment, segmentIndex, unit, findings, taken, _cardContext);
            }

            if (_bankKeywords is not null && _bankHeaders is not null && _bankWords is not null)
            {
                Bank(segment, segmentIndex, unit, findings, taken, segmentBankish, routingFromFields, _bankKeywords, _bankHeaders, _bankWords);
            }

            if (_passportKeywords is not null)
            {
                Passport(segment, segmentIndex, unit, findings, taken, _passportKeywords);
            }

            // libphonenumber is the slowest step: only text with a phone-shaped digit run gets there.
            if (_phoneContext is not null && unit.LongestPhoneChain >= 10 && unit.Has(PhoneShapes))
            {
                Phones(segment, segmentIndex, unit, findings, taken, _phoneContext);
            }
        }
    }

    /// <summary>The card issuer a number's prefix and length name, or null.</summary>
    internal static string? Issuer(string digits)
    {
        var len = digits.Length;
        int P(int n) => int.Parse(digits.AsSpan(0, n), System.Globalization.CultureInfo.InvariantCulture);
        if (digits[0] == '4' && len is 13 or 16 or 19)
        {
            return "visa";
        }

        if (len == 16 && (P(2) is >= 51 and <= 55 || P(4) is >= 2221 and <= 2720))
        {
            return "mastercard";
        }

        if (len == 15 && P(2) is 34 or 37)
        {
            return "amex";
        }

        if (len is >= 16 and <= 19 && (P(4) == 6011 || P(3) is >= 644 and <= 649 || P(2) == 65 || P(6) is >= 622126 and <= 622925))
        {
            return "discover";
        }

        if (len is >= 16 and <= 19 && P(4) is >= 3528 and <= 3589)
        {
            return "jcb";
        }

        if (len is >= 14 and <= 19 && (P(3) is >= 300 and <= 305 || P(2) is 36 or 38 or 39))
        {
            return "diners";
        }

        return null;
    }

    private void Emails(Segment segment, long segmentIndex, TextUnit unit, List<Finding> findings, List<(int, int)> taken)
    {
        foreach (Match m in EmailRegex().Matches(unit.Text))
        {
            findings.Add(FindingFactory.Create(segment, segmentIndex, unit, Elements.Email, m.Value.ToLowerInvariant(), 0.95,
                new Evidence { RuleId = "email", Pattern = "email", Header = unit.Header }, m.Index, m.Length));
            taken.Add((m.Index, m.Index + m.Length));
        }
    }

    private static void Cards(Segment segment, long segmentIndex, TextUnit unit, List<Finding> findings, List<(int, int)> taken, SearchValues<string> cardContext)
    {
        var context = unit.Text.AsSpan().ContainsAny(cardContext) || (unit.Header?.AsSpan().ContainsAny(cardContext) ?? false);
        foreach (Match m in CardRegex().Matches(unit.Text))
        {
            var raw = m.Value;
            // Separators must be consistent: none, all spaces or all dashes.
            if (raw.Contains(' ', StringComparison.Ordinal) && raw.Contains('-', StringComparison.Ordinal))
            {
                continue;
            }

            var digits = raw.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
            if (digits.Length is < 13 or > 19 || ValidatorText.AllSame(digits) || !LuhnValidator.IsValid(digits) || Issuer(digits) is not { } issuer)
            {
                continue;
            }

            findings.Add(FindingFactory.Create(segment, segmentIndex, unit, Elements.CreditCard, digits, context ? 0.95 : 0.8,
                new Evidence { RuleId = "creditcard", Pattern = issuer, Validator = "luhn:valid", Header = unit.Header },
                m.Index, m.Length, qualifiers: new() { Issuer = issuer }));
            taken.Add((m.Index, m.Index + m.Length));
        }
    }

    private void Bank(
        Segment segment,
        long segmentIndex,
        TextUnit unit,
        List<Finding> findings,
        List<(int, int)> taken,
        bool segmentBankish,
        string? routingFromFields,
        ContextKeywords<BankKind> bankKeywords,
        HeaderMemo<BankKind?> bankHeaders,
        SearchValues<string> bankWords)
    {
        var text = unit.Text;
        string? routing = null;
        (int Start, int End, string Value, string? ContextWord, bool Strong)? account = null;
        if (unit.Header is { } header && bankHeaders[header] is { } headerKind)
        {
            if (headerKind == BankKind.Routing)
            {
                return; // paired with the account field below
            }

            var value = ValidatorText.DigitsOnly(text[unit.ValueStart..].Trim(), allowSeparators: true);
            if (value is { Length: >= 4 and <= 17 })
            {
                account = (unit.ValueStart, text.Length, value, null, headerKind == BankKind.StrongAccount || segmentBankish);
            }
        }
        else if (unit.HasWords)
        {
            foreach (var (kwStart, kwEnd, kind) in bankKeywords.Find(unit))
            {
                foreach (var (s, e) in ValueTokens.TokensAfter(text, kwEnd, 30))
                {
                    var value = ValidatorText.DigitsOnly(text[s..e], allowSeparators: true);
                    if (value is null)
                    {
                        continue;
                    }

                    if (kind == BankKind.Routing)
                    {
                        if (_aba.Validate(value) is { IsValid: true })
                        {
                            routing ??= value;
                            taken.Add((s, e));
                        }
                    }
                    else if (value.Length is >= 4 and <= 17 && account is null && !Overlaps(taken, s, e))
                    {
                        account = (s, e, value, text[kwStart..kwEnd], kind == BankKind.StrongAccount);
                    }
                }
            }
        }

        routing ??= routingFromFields;
        if (account is not { } a || (a.Value == routing))
        {
            return;
        }

        var bankish = a.Strong || routing is not null || segmentBankish || text.AsSpan().ContainsAny(bankWords);
        if (!bankish)
        {
            return;
        }

        var paired = routing is not null;
        findings.Add(FindingFactory.Create(segment, segmentIndex, unit, Elements.BankAccount, paired ? $"{routing}/{a.Value}" : a.Value,
            paired ? 0.9 : a.Strong ? 0.75 : 0.6,
            new Evidence
            {
                RuleId = "bank-account",
                Pattern = paired ? "routing+account" : "account",
                Validator = paired ? "aba-routing:valid" : null,
                ContextWord = a.ContextWord,
                Header = unit.Header,
            },
            a.Start, a.End - a.Start));
        taken.Add((a.Start, a.End));
    }

    private void Passport(Segment segment, long segmentIndex, TextUnit unit, List<Finding> findings, List<(int, int)> taken, ContextKeywords<bool> passportKeywords)
    {
        var headerIsPassport = unit.Header is { } h && _passportHeaders[h];
        if (headerIsPassport || unit.HasWords)
        {
            // Apart, so the closures below are allocated only for the units that get here.
            PassportCandidates(segment, segmentIndex, unit, findings, taken, passportKeywords, headerIsPassport);
        }
    }

    private static void PassportCandidates(Segment segment, long segmentIndex, TextUnit unit, List<Finding> findings, List<(int, int)> taken, ContextKeywords<bool> passportKeywords, bool headerIsPassport)
    {
        var text = unit.Text;
        IEnumerable<(int Start, int End, string? Context)> candidates = headerIsPassport
            ? ValueTokens.TokensAfter(text, unit.ValueStart, text.Length).Select(t => (t.Start, t.End, (string?)null))
            : passportKeywords.Find(unit).SelectMany(k => ValueTokens.TokensAfter(text, k.End, 30)
                .Select(t => (t.Start, t.End, (string?)text[k.Start..k.End])));
        foreach (var (s, e, context) in candidates)
        {
            var value = text[s..e].ToUpperInvariant();
            if (!UsPassportRegex().IsMatch(value) || Overlaps(taken, s, e))
            {
                continue;
            }

            findings.Add(FindingFactory.Create(segment, segmentIndex, unit, Elements.Passport, value, 0.85,
                new Evidence { RuleId = "us-passport", Pattern = char.IsAsciiDigit(value[0]) ? "digits-9" : "letter-8", ContextWord = context, Header = unit.Header },
                s, e - s, qualifiers: UsIssued));
            taken.Add((s, e));
        }
    }

    private void Phones(Segment segment, long segmentIndex, TextUnit unit, List<Finding> findings, List<(int, int)> taken, SearchValues<string> phoneContext)
    {
        // libphonenumber's matcher walks the whole text and is by far the slowest detector on digit-dense text;
        // a generated regex finds the phone-shaped candidates first and libphonenumber only validates those.
        var context = unit.Text.AsSpan().ContainsAny(phoneContext) || (unit.Header?.AsSpan().ContainsAny(phoneContext) ?? false);
        foreach (var candidate in PhoneCandidate().EnumerateMatches(unit.Text))
        {
            var start = candidate.Index;
            var end = start + candidate.Length;
            if (Overlaps(taken, start, end) || InHexToken(unit.Text, start, end))
            {
                continue;
            }

            PhoneNumber number;
            try
            {
                number = _phones.Parse(unit.Text.Substring(start, candidate.Length), "US");
            }
            catch (NumberParseException)
            {
                continue;
            }

            if (!_phones.IsValidNumber(number))
            {
                continue;
            }

            findings.Add(FindingFactory.Create(segment, segmentIndex, unit, Elements.Phone, _phones.Format(number, PhoneNumberFormat.E164),
                context ? 0.85 : 0.7,
                new Evidence { RuleId = "phone", Pattern = "libphonenumber", Validator = "libphonenumber:valid", Header = unit.Header },
                start, end - start));
            taken.Add((start, end));
        }
    }

    /// <summary>
    /// Whether the candidate <c>[start, end)</c> is glued to hex letters inside a token of hex digits only, as in a
    /// trace or span id (<c>trace=30fb5136799512c0</c>): such a digit run is part of the id, not a phone number.
    /// </summary>
    internal static bool InHexToken(ReadOnlySpan<char> text, int start, int end)
    {
        // The candidate never starts or ends next to a digit, so a hex character beside it is a letter.
        var left = start;
        if (char.IsAsciiDigit(text[start]))
        {
            while (left > 0 && char.IsAsciiHexDigit(text[left - 1]))
            {
                left--;
            }
        }

        var right = end;
        while (right < text.Length && char.IsAsciiHexDigit(text[right]))
        {
            right++;
        }

        return (left < start || right > end)
            && (left == 0 || !char.IsAsciiLetterOrDigit(text[left - 1]))
            && (right == text.Length || !char.IsAsciiLetterOrDigit(text[right]));
    }

    private static BankKind? BankHeader(string header, ContextKeywords<BankKind> bankHeaders)
    {
        foreach (var (_, _, kind) in bankHeaders.FindIn(HeaderWords.Of(header)))
        {
            return kind;
        }

        return null;
    }

    // A header "names" the passport when it contains one of the header words (as written, so "passportNo" counts).
    private static bool HeaderNames(string headerWords, string[] words)
    {
        foreach (var w in words)
        {
            if (headerWords.Contains(w, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SegmentHasBankWords(Segment segment, HeaderMemo<bool> bankishHeaders)
    {
        if (segment.Fields is not { } fields)
        {
            return false;
        }

        for (var i = 0; i < fields.Count; i++)
        {
            if (bankishHeaders[fields[i].Name])
            {
                return true;
            }
        }

        return false;
    }

    private static bool Overlaps(List<(int Start, int End)> taken, int start, int end) =>
        taken.Any(t => start < t.End && t.Start < end);

    // North American numbers ((406) 555-0142, 406.555.0142, +1 406 555 0142) and international ones written
    // with a leading + and country code; never inside a longer digit run.
    [GeneratedRegex(@"(?<![\d+-])(?:(?:\+?1[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}|\+[2-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,5}\d)(?![\d-])", RegexOptions.CultureInvariant, RuleSet.RegexTimeoutMilliseconds)]
    internal static partial Regex PhoneCandidate();

    [GeneratedRegex(@"(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b", RegexOptions.CultureInvariant, RuleSet.RegexTimeoutMilliseconds)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])", RegexOptions.CultureInvariant, RuleSet.RegexTimeoutMilliseconds)]
    private static partial Regex CardRegex();

    [GeneratedRegex(@"^(?:\d{9}|[A-Z]\d{8})$", RegexOptions.CultureInvariant)]
    private static partial Regex UsPassportRegex();
}
