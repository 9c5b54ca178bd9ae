using System.Text;
using PiiScanner.Detection.Matching;
using PiiScanner.Tests.Detection.Identifiers;

namespace PiiScanner.Tests.Detection.Matching;

public sealed class AhoCorasickTests
{
    [Theory]
    [InlineData("Crohn's disease", "crohns disease", 0, 15)]
    [InlineData("type-2  Diabetes", "type 2 diabetes", 0, 16)]
    [InlineData("o'diabetes", "diabetes", 2, 8)]      // an apostrophe is no letter: a word starts after it
    public void FoldsTextAsItScans(string text, string pattern, int start, int length) =>
        Assert.Equal([new WordHit(0, start, length)], new AhoCorasick([pattern]).FindAll(text));

    [Theory]
    [InlineData("prediabetes", "diabetes")]           // inside a word
    [InlineData("diabetes2", "diabetes")]             // not a whole word
    public void MatchesOnlyWholeWords(string text, string pattern) =>
        Assert.Empty(new AhoCorasick([pattern]).FindAll(text));

    /// <summary>
    /// The automaton gives exactly what a plain search gives: every shipped word (rule keywords, code detectors' words,
    /// the medical vocabularies), folded, found by IndexOf in the folded text at every word start, in order of end
    /// (longest first), over random text built from those words, separators, apostrophes, case and stray letters.
    /// </summary>
    [Fact]
    public void FindsWhatAPlainSearchOfTheFoldedTextFinds()
    {
        var words = DetectionFixture.Rules.Rules.SelectMany(r => r.Keywords)
            .Concat(Detectors.All.SelectMany(d => d.Words).SelectMany(l => l.Words))
            .Select(AhoCorasick.FoldPattern).Where(w => w.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        Assert.True(words.Length > 1000, $"only {words.Length} words");
        var automaton = new AhoCorasick(words);
        var random = new Random(11);
        string[] glue = [" ", "  ", "-", "/", "_", "\t", ", ", ". ", "'", "’", "(", ")", ":", "x", "s", "2", "\u00A0", " - "];
        var hits = 0;
        for (var n = 0; n < 3000; n++)
        {
            var text = new StringBuilder();
            for (var k = random.Next(1, 12); k > 0; k--)
            {
                var word = words[random.Next(words.Length)];
                foreach (var c in word)
                {
                    var cased = random.Next(4) == 0 ? char.ToUpperInvariant(c) : c;
                    text.Append(cased == ' ' ? glue[random.Next(6)] : cased);
                    if (random.Next(40) == 0)
                    {
                        text.Append('\'');
                    }
                }

                text.Append(glue[random.Next(glue.Length)]);
            }

            var s = text.ToString();
            foreach (var wholeWord in new[] { true, false })
            {
                var expected = PlainSearch(s, words, wholeWord);
                Assert.Equal(expected, automaton.FindAll(s, wholeWord));
                hits += expected.Count;
            }
        }

        Assert.True(hits > 10_000, $"only {hits} hits");
    }

    // Folds the text as the automaton does (remembering where each folded character came from), then looks for every
    // word with IndexOf.
    private static List<WordHit> PlainSearch(string text, string[] words, bool wholeWord)
    {
        var folded = new StringBuilder();
        var from = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            var f = FoldOne(text[i]);
            if (f == '\0' || (f == ' ' && (folded.Length == 0 || folded[^1] == ' ')))
            {
                continue;
            }

            folded.Append(f);
            from.Add(i);
        }

        var foldedText = folded.ToString();
        var hits = new List<(WordHit Hit, int End)>();
        for (var id = 0; id < words.Length; id++)
        {
            for (var at = foldedText.IndexOf(words[id], StringComparison.Ordinal); at >= 0; at = foldedText.IndexOf(words[id], at + 1, StringComparison.Ordinal))
            {
                var start = from[at];
                var end = from[at + words[id].Length - 1] + 1;
                if ((start > 0 && char.IsLetterOrDigit(text[start - 1])) || (wholeWord && end < text.Length && char.IsLetterOrDigit(text[end])))
                {
                    continue;
                }

                hits.Add((new WordHit(id, start, end - start), end));
            }
        }

        return [.. hits.OrderBy(h => h.End).ThenByDescending(h => h.Hit.Length).ThenBy(h => h.Hit.Word).Select(h => h.Hit)];
    }

    // The automaton's folding of one character, read back through a one-character pattern.
    private static char FoldOne(char c)
    {
        var s = AhoCorasick.FoldPattern("a" + c + "a");
        return s.Length == 2 ? '\0' : s[1];
    }
}
