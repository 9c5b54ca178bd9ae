namespace PiiScanner.Detection;

/// <summary>Whole-word, case-insensitive search for context words in a window around a match.</summary>
internal static class ContextWords
{
    /// <summary>
    /// Finds the context word nearest to <c>[start, end)</c> within <paramref name="window"/> characters
    /// (before only, or on both sides). Returns the word and its distance, or null.
    /// </summary>
    public static (string Word, int Distance)? Nearest(string text, int start, int end, string[] words, int window, bool beforeOnly, int beforeLimit = 0)
    {
        if (words.Length == 0)
        {
            return null;
        }

        // Overlapping matches of one rule (two patterns on one date) can put the previous match's end past this start.
        var from = Math.Min(start, Math.Max(beforeLimit, start - window));
        var to = beforeOnly ? start : Math.Min(text.Length, end + window);
        (string Word, int Distance)? best = null;
        foreach (var word in words)
        {
            var span = text.AsSpan(from, to - from);
            var offset = 0;
            while (offset < span.Length)
            {
                var hit = span[offset..].IndexOf(word, StringComparison.OrdinalIgnoreCase);
                if (hit < 0)
                {
                    break;
                }

                var at = from + offset + hit;
                var after = at + word.Length;
                if (IsWordAt(text, at, after) && (after <= start || at >= end))
                {
                    var distance = after <= start ? start - after : at - end;
                    if (best is null || distance < best.Value.Distance)
                    {
                        best = (word, distance);
                    }
                }

                offset += hit + 1;
            }
        }

        return best;
    }

    /// <summary>Positions (end index) of every whole-word occurrence of any of the words.</summary>
    public static List<int> Occurrences(string text, string[] words)
    {
        var ends = new List<int>();
        foreach (var word in words)
        {
            var index = 0;
            while ((index = text.IndexOf(word, index, StringComparison.OrdinalIgnoreCase)) >= 0)
            {
                if (IsWordAt(text, index, index + word.Length))
                {
                    ends.Add(index + word.Length);
                }

                index++;
            }
        }

        ends.Sort();
        return ends;
    }

    private static bool IsWordAt(string text, int start, int end)
    {
        // The boundary is checked only on the sides where the word itself is alphanumeric ("b." may touch anything after).
        var startOk = start == 0 || !char.IsLetterOrDigit(text[start]) || !char.IsLetterOrDigit(text[start - 1]);
        var endOk = end >= text.Length || !char.IsLetterOrDigit(text[end - 1]) || !char.IsLetterOrDigit(text[end]);
        return startOk && endOk;
    }
}
