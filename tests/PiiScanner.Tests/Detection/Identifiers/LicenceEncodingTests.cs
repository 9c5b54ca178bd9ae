using PiiScanner.Detection;
using PiiScanner.Detection.Licences;
using PiiScanner.Resolution;

namespace PiiScanner.Tests.Detection.Identifiers;

/// <summary>
/// Expected numbers are built by hand from the published schemes, step by step, for synthetic people.
/// FL/IL/WI first-name codes: Albert/Alice 20 … Jane 440, John 460, Mildred 600, Robert 760, William 920; initials not
/// in the table: A 0, B 60 … F 240 … Z 980. Middle initials: A 1 … L 12, M 13 … Z 19; none 0.
/// </summary>
public sealed class LicenceEncodingTests
{
    [Theory]
    [InlineData("Doe", "D000")]        // D; O, E vowels → zeros
    [InlineData("Ashcraft", "A261")]   // A; S 2; H transparent so C (2) is not coded again; R 6; A; F 1
    [InlineData("Pfister", "P236")]    // P (1); F also 1, adjacent → skipped; S 2; T 3; R 6
    [InlineData("Tymczak", "T522")]    // T; Y; M 5; C 2; Z 2 skipped; A separates; K 2
    [InlineData("Robert", "R163")]
    [InlineData("Rupert", "R163")]
    [InlineData("Rubin", "R150")]
    [InlineData("Lee", "L000")]
    [InlineData("Gutierrez", "G362")]
    [InlineData("Jackson", "J250")]    // C, K, S all 2 and adjacent → one 2
    [InlineData("O'Brien", "O165")]
    [InlineData("Honeyman", "H555")]   // N 5, Y vowel-like separator, M 5 coded again, N 5 coded again
    public void SoundexFollowsTheAmericanRules(string name, string code) => Assert.Equal(code, Soundex.Encode(name));

    [Fact]
    public void SoundexHwRuleIsNotTheVowelRule()
    {
        // A naive coder that lets H separate like a vowel gives A226 for Ashcraft.
        Assert.NotEqual("A226", Soundex.Encode("Ashcraft"));
        // A vowel does separate: "Tymczak" codes the K after A again (T522), and "Pfister" does not repeat F after P.
        Assert.Equal("T522", Soundex.Encode("Tymczak"));
    }

    // Florida: SSSS-FFF-YY-DDD-N, DDD = (month-1)*40 + day, +500 female.
    [Theory]
    // Jane A. Doe, 1980-02-03, female: D000 | Jane 440 + A 1 = 441 | 80 | (2-1)*40+3 = 43, +500 = 543 | 0
    [InlineData("D000-441-80-543-0", "Jane", "A", "Doe", "1980-02-03", "F")]
    // William Ashcraft, 1955-12-31, male, no middle: A261 | 920 + 0 | 55 | 11*40+31 = 471 | 0
    [InlineData("A261-920-55-471-0", "William", null, "Ashcraft", "1955-12-31", "M")]
    // Zelda M. Tymczak, 1992-07-04, female: T522 | Z 980 + M 13 = 993 | 92 | 6*40+4 = 244, +500 = 744 | overflow 1
    [InlineData("T522-993-92-744-1", "Zelda", "M", "Tymczak", "1992-07-04", "F")]
    public void FloridaMatches(string number, string first, string? middle, string last, string dob, string sex)
    {
        var check = LicenceEncodings.Check("FL", number, first, middle, last, DateOnly.Parse(dob, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(LicenceCheckOutcome.Match, check.Outcome);
        Assert.Equal(sex, check.Parts.Single(p => p.Name == "sex").Expected);
        Assert.Contains("surname", check.MatchedParts);
        Assert.Contains("birthDate", check.MatchedParts);
    }

    // Illinois: SSSS-FFFY-YDDD, DDD = (month-1)*31 + day, +600 female.
    [Theory]
    // Jane A. Doe, 1980-02-03, female: D000 | 441 | 80 | 31+3 = 34, +600 = 634
    [InlineData("D000-4418-0634", "Jane", "A", "Doe", "1980-02-03", "F")]
    // Robert Lee Pfister, 1975-10-09, male: P236 | Robert 760 + L 12 = 772 | 75 | 9*31+9 = 288
    [InlineData("P236-7727-5288", "Robert", "Lee", "Pfister", "1975-10-09", "M")]
    // Mildred Ashcraft, 1948-01-01, female: A261 (H/W rule) | 600 | 48 | 0*31+1 = 1, +600 = 601
    [InlineData("A261-6004-8601", "Mildred", null, "Ashcraft", "1948-01-01", "F")]
    public void IllinoisMatches(string number, string first, string? middle, string last, string dob, string sex)
    {
        var check = LicenceEncodings.Check("IL", number, first, middle, last, DateOnly.Parse(dob, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(LicenceCheckOutcome.Match, check.Outcome);
        Assert.Equal(sex, check.Parts.Single(p => p.Name == "sex").Expected);
    }

    // Wisconsin: SSSS-FFFY-YDDD-NN, day code as Florida.
    [Theory]
    // Jane A. Doe, 1980-02-03, female: D000 | 441 | 80 | 543 | 00
    [InlineData("D000-4418-0543-00", "Jane", "A", "Doe", "1980-02-03", "F")]
    // Frank Lee, 2001-03-15, male: L000 | Frank 260 | 01 | 2*40+15 = 95 → 095 | 00
    [InlineData("L000-2600-1095-00", "Frank", null, "Lee", "2001-03-15", "M")]
    public void WisconsinMatches(string number, string first, string? middle, string last, string dob, string sex)
    {
        var check = LicenceEncodings.Check("WI", number, first, middle, last, DateOnly.Parse(dob, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(LicenceCheckOutcome.Match, check.Outcome);
        Assert.Equal(sex, check.Parts.Single(p => p.Name == "sex").Expected);
    }

    [Fact]
    public void SoundexFamilyNegatives()
    {
        var dob = new DateOnly(1980, 2, 3);
        // Day code off by one (born the 4th would be 544).
        Assert.Equal(LicenceCheckOutcome.Mismatch, LicenceEncodings.Check("FL", "D000441805440", "Jane", "A", "Doe", dob).Outcome);
        // Illinois day width is 31, not 40: 543 is the Florida code for this date.
        Assert.Equal(LicenceCheckOutcome.Mismatch, LicenceEncodings.Check("IL", "D00044180543", "Jane", "A", "Doe", dob).Outcome);
        // Another surname.
        var other = LicenceEncodings.Check("IL", "D00044180634", "Jane", "A", "Smith", dob);
        Assert.Equal(LicenceCheckOutcome.Mismatch, other.Outcome);
        Assert.Contains("surname", other.MismatchedParts);
        // Ashcraft coded with H as a separator (A226) is not Ashcraft.
        Assert.Equal(LicenceCheckOutcome.Mismatch, LicenceEncodings.Check("IL", "A22660048601", "Mildred", null, "Ashcraft", new DateOnly(1948, 1, 1)).Outcome);
        // Wrong birth year.
        Assert.Equal(LicenceCheckOutcome.Mismatch, LicenceEncodings.Check("WI", "D0004418154300", "Jane", "A", "Doe", dob).Outcome);
    }

    [Fact]
    public void NicknameOrUnknownMiddleIsPartialOrIgnored()
    {
        var dob = new DateOnly(1975, 10, 9);
        // "Bob" codes as B = 60, the licence holds Robert's 760: surname and date still match.
        var nickname = LicenceEncodings.Check("IL", "P23677275288", "Bob", "L", "Pfister", dob);
        Assert.Equal(LicenceCheckOutcome.PartialMatch, nickname.Outcome);
        Assert.Contains("firstName", nickname.MismatchedParts);
        // Middle name unknown: only the first-name part of FFF is compared.
        Assert.Equal(LicenceCheckOutcome.Match, LicenceEncodings.Check("IL", "P23677275288", "Robert", null, "Pfister", dob).Outcome);
    }

    [Fact]
    public void NewHampshire()
    {
        // Jane Doe, 1980-02-03: MM 02 | D (first) E (last letter of DOE) | J | 80 | 03 | 1
        Assert.Equal(LicenceCheckOutcome.Match, LicenceEncodings.Check("NH", "02DEJ80031", "Jane", null, "Doe", new DateOnly(1980, 2, 3)).Outcome);
        Assert.Equal(LicenceCheckOutcome.Mismatch, LicenceEncodings.Check("NH", "02DEJ80031", "Jane", null, "Doe", new DateOnly(1980, 3, 2)).Outcome);
        Assert.Equal(LicenceCheckOutcome.Mismatch, LicenceEncodings.Check("NH", "02DEJ80031", "Jane", null, "Dora", new DateOnly(1980, 2, 3)).Outcome);
        // The newer NH + letter + 8 digits numbers are not encoded.
        Assert.Equal(LicenceCheckOutcome.NotApplicable, LicenceEncodings.Check("NH", "NHL12345678", "Jane", null, "Doe", new DateOnly(1980, 2, 3)).Outcome);
    }

    [Fact]
    public void NewJersey()
    {
        // Jane Doe, 1980-02-03, female: D | 1234 | 56789 | 02+50 = 52 | 80 | 1 — no day or first name encoded: partial.
        var female = LicenceEncodings.Check("NJ", "D1234 56789 52801", "Jane", null, "Doe", new DateOnly(1980, 2, 3));
        Assert.Equal(LicenceCheckOutcome.PartialMatch, female.Outcome);
        Assert.Equal("F", female.Parts.Single(p => p.Name == "sex").Expected);
        // Male, same date: month 02.
        Assert.Equal(LicenceCheckOutcome.PartialMatch, LicenceEncodings.Check("NJ", "D12345678902801", "John", null, "Doe", new DateOnly(1980, 2, 3)).Outcome);
        Assert.Equal(LicenceCheckOutcome.Mismatch, LicenceEncodings.Check("NJ", "D12345678952801", "Jane", null, "Doe", new DateOnly(1981, 2, 3)).Outcome);
        Assert.Equal(LicenceCheckOutcome.Mismatch, LicenceEncodings.Check("NJ", "S12345678952801", "Jane", null, "Doe", new DateOnly(1980, 2, 3)).Outcome);
    }

    [Theory]
    // John T. Woo, 1946-05-01: WOO** | J | T | 100-46 = 54 | checksum | May = K | day 1 = A.
    // Checksum: W6 -O6 +O6 -*4 +*4 -J1 +T3 -5 +4 -K2 +A1 = 6 → WOO**JT546KA.
    [InlineData("WOO**JT546KA", "John", "T", "Woo", "1946-05-01")]
    // Christopher R. Walken, 1943-03-31: WALKE | C | R | 57 | March = D | 31 = U.
    // Checksum: W6 -A1 +L3 -K2 +E5 -C3 +R9 -5 +7 -D4 +U4 = 19 → 9 → WALKECR579DU.
    [InlineData("WALKECR579DU", "Christopher", "R", "Walken", "1943-03-31")]
    public void WashingtonMatches(string number, string first, string? middle, string last, string dob)
    {
        var check = LicenceEncodings.Check("WA", number, first, middle, last, DateOnly.Parse(dob, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(LicenceCheckOutcome.Match, check.Outcome);
        Assert.True(check.Parts.Single(p => p.Name == "checksum").Matched);
        Assert.Equal(number[9], LicenceEncodings.WashingtonChecksum(number));
    }

    [Fact]
    public void WashingtonNegatives()
    {
        Assert.Equal(LicenceCheckOutcome.Mismatch, LicenceEncodings.Check("WA", "WOO**JT546KA", "John", "T", "Woo", new DateOnly(1946, 5, 2)).Outcome);
        Assert.Equal(LicenceCheckOutcome.Mismatch, LicenceEncodings.Check("WA", "WOO**JT546KA", "John", "T", "Wong", new DateOnly(1946, 5, 1)).Outcome);
        // The 2018+ WDL numbers are random.
        Assert.Equal(LicenceCheckOutcome.NotApplicable, LicenceEncodings.Check("WA", "WDL12AB345CD", "John", "T", "Woo", new DateOnly(1946, 5, 1)).Outcome);
    }

    [Fact]
    public void MontanaCarriesTheBirthDate()
    {
        // 03 | 123 | 1961 | 41 | 12 → born 1961-03-12.
        Assert.Equal(LicenceCheckOutcome.PartialMatch, LicenceEncodings.Check("MT", "0312319614112", "Ann", null, "Roe", new DateOnly(1961, 3, 12)).Outcome);
        Assert.Equal(LicenceCheckOutcome.Mismatch, LicenceEncodings.Check("MT", "0312319614112", "Ann", null, "Roe", new DateOnly(1961, 3, 13)).Outcome);
    }

    [Fact]
    public void SurnameOnlyStates()
    {
        var dob = new DateOnly(1980, 2, 3);
        Assert.Equal(LicenceCheckOutcome.PartialMatch, LicenceEncodings.Check("MD", "D000123456789", "Jane", null, "Doe", dob).Outcome);
        Assert.Equal(LicenceCheckOutcome.Mismatch, LicenceEncodings.Check("MD", "S530123456789", "Jane", null, "Doe", dob).Outcome);
        Assert.Equal(LicenceCheckOutcome.NotApplicable, LicenceEncodings.Check("MI", "S530123456789", "Jane", null, "Doe", dob).Outcome);
    }

    [Fact]
    public void NotApplicableCases()
    {
        var dob = new DateOnly(1980, 2, 3);
        Assert.Equal(LicenceCheckOutcome.NotApplicable, LicenceEncodings.Check("TX", "12345678", "Jane", null, "Doe", dob).Outcome);
        Assert.Equal(LicenceCheckOutcome.NotApplicable, LicenceEncodings.Check("IL", "D000441806", "Jane", null, "Doe", dob).Outcome);
        Assert.Equal(LicenceCheckOutcome.NotApplicable, LicenceEncodings.Check("FL", "D000441805430", "", null, "Doe", dob).Outcome);
    }

    [Fact]
    public void RecordMatchRaisesConfidence()
    {
        var record = Record(Dl("D00044180634", "IL", 0.85), Name("Jane A Doe"), Dob("1980-02-03"));
        var dl = LicenceRecordCheck.Apply(record).Findings[0];
        Assert.True(dl.Confidence >= 0.98);
        Assert.Equal("dl-encoding:match", dl.Evidence.Validator);
    }

    [Fact]
    public void RecordWithLastCommaFirstNameMatches()
    {
        var record = Record(Dl("D000441805430", "FL", 0.85), Name("DOE, JANE A"), Dob("1980-02-03"));
        Assert.Equal("dl-encoding:match", LicenceRecordCheck.Apply(record).Findings[0].Evidence.Validator);
    }

    [Fact]
    public void RecordMismatchLowersConfidence()
    {
        var record = Record(Dl("D00044180634", "IL", 0.8), Name("Jane A Doe"), Dob("1981-02-03"));
        var dl = LicenceRecordCheck.Apply(record).Findings[0];
        Assert.Equal(0.4, dl.Confidence, 3);
        Assert.Equal("dl-encoding:mismatch", dl.Evidence.Validator);
    }

    [Fact]
    public void RecordWithoutStateGetsTheStateTheEncodingNames()
    {
        // Letter + 12 digits fits FL, MD, MI and MN; only Florida's full scheme matches.
        var record = Record(Dl("D000441805430", null, 0.75), Name("Jane A Doe"), Dob("1980-02-03"));
        var dl = LicenceRecordCheck.Apply(record).Findings[0];
        Assert.Equal("FL", dl.State);
        Assert.True(dl.Confidence >= 0.98);
    }

    [Fact]
    public void RecordWithoutDobIsUnchanged()
    {
        var record = Record(Dl("D00044180634", "IL", 0.85), Name("Jane A Doe"));
        Assert.Same(record, LicenceRecordCheck.Apply(record));
    }

    [Fact]
    public void HouseholdRecordDoesNotPenalise()
    {
        var record = Record(Dl("D00044180634", "IL", 0.85), Name("Jane A Doe"), Name("John Roe"), Dob("1981-02-03"), Dob("1979-05-05"));
        Assert.Same(record, LicenceRecordCheck.Apply(record));
    }

    private static PersonRecord Record(params Finding[] findings) => new("x.csv", "row 2", findings);

    private static Finding Dl(string value, string? state, double confidence) => new()
    {
        Element = Elements.DriversLicense, Value = value, Locator = "row 2", Confidence = confidence,
        Evidence = new Evidence { RuleId = state is null ? "us-dl" : $"us-dl-{state}" }, State = state,
    };

    private static Finding Name(string value) => new()
    {
        Element = Elements.Name, Value = value, Locator = "row 2", Confidence = 0.9, Evidence = new Evidence { RuleId = "name" },
    };

    private static Finding Dob(string value) => new()
    {
        Element = Elements.Dob, Value = value, Locator = "row 2", Confidence = 0.9, Evidence = new Evidence { RuleId = "dob" },
    };
}
