using System.Text;
using System.Text.RegularExpressions;
using PiiScanner.Detection;
using PiiScanner.Detection.Identifiers;
using PiiScanner.Detection.Matching;

namespace PiiScanner.Tests.Detection.Matching;

public sealed class DigitShapesTests
{
    [Theory]
    [InlineData("{3}-{2}-{4}", "SSN 123-45-6789.", true)]
    [InlineData("{3}-{2}-{4}", "SSN 123-45-6789-1", true)] // what follows the last run is not part of the shape
    [InlineData("{3}-{2}-{4}", "1234-45-6789", false)]      // a run is every digit in a row
    [InlineData("{3}-{2}-{4}", "123-45 6789", false)]
    [InlineData("{3}-{2}-{4}", "123--45-6789", false)]
    [InlineData("{3} {2} {4}", "Soc Sec 345 67 8903", true)]
    [InlineData("{9}", "id 123456789 ok", true)]
    [InlineData("{9}", "id 1234567890", false)]
    [InlineData("{9}", "2024-03-01 22:17:06 10.146.149.165", false)]
    [InlineData("{3,}[ .-]{4}", "call 406.555.0142", true)]
    [InlineData("{3,}[ .-]{4}", "call 406555-0142", true)]
    [InlineData("{3,}[ .-]{4}", "ip 10.146.149.165", false)]
    [InlineData("+{1,}", "cell +44 20", true)]
    [InlineData("+{1,}", "cell + 44", false)]
    [InlineData("[ \\t]{5}", "Helena, MT 59601", true)]
    [InlineData("[ \\t]{5}", "Helena, MT\t59601-1234", true)]
    [InlineData("[ \\t]{5}", "bytes=35642", false)]
    [InlineData("[ \\t]{5}", "59601", false)]               // a character before the run is part of the shape
    [InlineData("({1,2}/{1,2}/{2,4})", "Ana Ruiz (3/4/1961)", true)]
    [InlineData("({1,2}/{1,2}/{2,4})", "Ana Ruiz (3/4/1961 ", false)]
    [InlineData("{1,2}[A-Za-z][A-Za-z]{2}", "1EG4TE5MK73", true)]
    [InlineData("{1,2}[^-][^-]{2}", "x 12ab34", true)]
    [InlineData("{1,2}[^-][^-]{2}", "x 12-b34", false)]
    [InlineData("{2}\\-{2}", "03-01", true)]
    [InlineData("{40}", "x 1234567890123456789012345678901234567890 y", true)]
    [InlineData("{33,}", "x 123456789012345678901234567890123", true)]
    [InlineData("{33,}", "x 12345678901234567890123456789012", false)]
    [InlineData("{1}", "", false)]
    [InlineData("{1}", "no digits", false)]
    public void FindsAShapeInTheDigitPass(string shape, string text, bool expected)
    {
        var list = new DigitShapeList("test", [shape]);
        var set = new DigitShapeSet([list]);
        Assert.Equal(expected, DigitShapeSet.Holds(DigitRuns.Measure(text, set).Shapes, set.MaskOf(list)!.Value));
    }

    [Fact]
    public void ADecimalDigitOutsideAsciiMatchesEveryShape()
    {
        // A regex \d matches "١٢٣-45-6789"; the ASCII digit pass cannot see its runs, so it rules nothing out.
        var list = new DigitShapeList("ssn", ["{3}-{2}-{4}"]);
        var set = new DigitShapeSet([list]);
        Assert.True(DigitShapeSet.Holds(DigitRuns.Measure("SSN ١٢٣-45-6789", set).Shapes, set.MaskOf(list)!.Value));
        Assert.False(DigitShapeSet.Holds(DigitRuns.Measure("SSN “123-45-678”", set).Shapes, set.MaskOf(list)!.Value));
    }

    [Theory]
    [InlineData("{3}{2}")]
    [InlineData("9{3}")]
    [InlineData("{a}")]
    [InlineData("{2,1}")]
    [InlineData("[0-9]{3}")]
    [InlineData("[]{3}")]
    [InlineData("{3")]
    [InlineData("{3}]")]
    [InlineData("-")]
    public void MalformedShapesAreRefused(string shape) =>
        Assert.Throws<FormatException>(() => new DigitShapeList("test", [shape]));

    [Fact]
    public void ListsBeyondTheSetCapacityAreNeverRuledOut()
    {
        var lists = Enumerable.Range(1, DigitShapeSet.Capacity + 1).Select(n => new DigitShapeList("n" + n, ["x{" + n + "}"])).ToArray();
        var set = new DigitShapeSet(lists);
        var found = DigitRuns.Measure("nothing here", set).Shapes;
        Assert.False(DigitShapeSet.Holds(found, set.MaskOf(lists[0])!.Value));
        Assert.True(DigitShapeSet.Holds(found, set.MaskOf(lists[^1])!.Value));
    }

    /// <summary>
    /// The shapes may let through text a regex rejects, never the other way: for every shipped rule and pattern with
    /// digit shapes, and the phone detector's candidate regex, every text one of its regexes matches holds one of
    /// its shapes. The texts are every rule example, mutations of them and generated runs of digits, letters and
    /// separators; each regex must match some of them, so the check cannot pass by matching nothing.
    /// </summary>
    [Fact]
    public void ShapesNeverHideAMatchOfTheirRegexes()
    {
        var texts = Texts();
        var checkedPatterns = 0;
        foreach (var rule in DetectionFixture.Rules.Rules.Where(r => r.Detector != RuleDetector.Code))
        {
            foreach (var pattern in rule.Patterns.Where(p => rule.DigitShapes is not null || p.DigitShapes is not null))
            {
                var lists = new[] { rule.DigitShapes, pattern.DigitShapes }.OfType<DigitShapeList>().ToArray();
                Check($"{rule.Id}/{pattern.Name}", pattern.Regex.For(0), lists, texts);
                checkedPatterns++;
            }
        }

        Check("phone", IdentifierDetector.PhoneCandidate(), [IdentifierDetector.PhoneShapes], texts);
        Assert.True(checkedPatterns >= 12, $"only {checkedPatterns} patterns have shapes");
    }

    private static void Check(string what, Regex regex, DigitShapeList[] lists, List<string> texts)
    {
        // Without the rule's timeout: a slow match on a loaded machine is still a match.
        regex = new Regex(regex.ToString(), regex.Options);
        var set = new DigitShapeSet(lists);
        var matched = 0;
        foreach (var text in texts)
        {
            if (!regex.IsMatch(text))
            {
                continue;
            }

            matched++;
            var found = DigitRuns.Measure(text, set).Shapes;
            foreach (var list in lists)
            {
                Assert.True(DigitShapeSet.Holds(found, set.MaskOf(list)!.Value), $"{what}: '{text}' matches the regex but holds none of {list.Name}: {string.Join(", ", list.Shapes)}");
            }
        }

        Assert.True(matched >= 20, $"{what}: only {matched} generated texts match its regex, too few to tell");
    }

    private static List<string> Texts()
    {
        var random = new Random(9);
        var examples = DetectionFixture.Rules.Rules.SelectMany(r => r.Examples).SelectMany(e => e.Text.Split('\n'))
            .Concat(["Phone: (406) 555-0142", "cell +1 217-782-2720", "+44 20 7946 0958", "1-406-555-0142", "+14065550142", "(406)5550142",
                "Ana Ruiz (03/04/1961)", "Ana Ruiz, 912-70-1234", "4782 Tamarack Rd, Flagstaff, AZ 86001-1234", "Medicare 1EG4-TE5-MK73"])
            .ToList();
        var texts = new List<string>(examples);
        const string Alphabet = "0123456789 -./()+:,#\tABEGKMTZabx'";
        foreach (var example in examples)
        {
            for (var n = 0; n < 40; n++)
            {
                var chars = new StringBuilder(example);
                for (var edits = random.Next(1, 4); edits > 0 && chars.Length > 0; edits--)
                {
                    var at = random.Next(chars.Length);
                    var c = Alphabet[random.Next(Alphabet.Length)];
                    switch (random.Next(3))
                    {
                        case 0:
                            chars[at] = c;
                            break;
                        case 1:
                            chars.Insert(at, c);
                            break;
                        default:
                            chars.Remove(at, 1);
                            break;
                    }
                }

                texts.Add(chars.ToString());
            }
        }

        // Runs of digits, letters and separators after a context that opens the rules: the shapes' own territory.
        string[] separators = [" ", "-", ".", "/", "(", ")", ") ", " (", ", ", "  ", "--", "x", "AB", "-AB", "Ab", ":", "+", "\t"];
        string[] contexts = ["", "SSN: ", "ITIN ", "Ana Ruiz, ", "Ana Ruiz (", "Helena, MT ", "4782 Tamarack Rd, Flagstaff, AZ ", "NPI ", "DEA AB", "Medicare ", "call +", "tel ", "DOB "];
        for (var n = 0; n < 60_000; n++)
        {
            var text = new StringBuilder(contexts[random.Next(contexts.Length)]);
            for (var tokens = random.Next(1, 8); tokens > 0; tokens--)
            {
                text.Append(random.Next(3) == 0
                    ? separators[random.Next(separators.Length)]
                    : random.Next(1000000000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture)[..random.Next(1, 10)]);
                if (random.Next(4) == 0)
                {
                    text.Append(separators[random.Next(separators.Length)]);
                }
            }

            texts.Add(text.ToString());
        }

        return texts;
    }
}
