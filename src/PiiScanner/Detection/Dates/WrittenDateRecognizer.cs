using System.Globalization;
using Microsoft.Recognizers.Text;
using Microsoft.Recognizers.Text.DateTime;

namespace PiiScanner.Detection.Dates;

/// <summary>
/// Resolves written dates ("the fourth of March, 1961") with Microsoft.Recognizers.Text. About 30,000× slower
/// than a compiled regex: call it only on a small window after a date-of-birth keyword. The model is built once;
/// calls are serialised with a lock because the package does not document its models as thread-safe, and calls
/// are rare (only when the regex parser found no date next to a keyword).
/// </summary>
internal sealed class WrittenDateRecognizer
{
    private readonly Lazy<IModel> _model = new(() => new DateTimeRecognizer(Culture.English).GetDateTimeModel(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lock _lock = new();

    /// <summary>Full dates (year, month and day all given) found in <paramref name="text"/>, with their spans.</summary>
    public List<(int Start, int Length, DateOnly Date)> Recognize(string text, DateOnly today)
    {
        var found = new List<(int, int, DateOnly)>();
        List<ModelResult> results;
        try
        {
            lock (_lock)
            {
                results = ((DateTimeModel)_model.Value).Parse(text, today.ToDateTime(TimeOnly.MinValue));
            }
        }
#pragma warning disable CA1031 // a third-party recogniser failing on odd text must not stop a scan
        catch (Exception)
#pragma warning restore CA1031
        {
            return found;
        }

        foreach (var result in results)
        {
            if (result.TypeName is not ("datetimeV2.date" or "datetimeV2.datetime") || result.Resolution is null
                || !result.Resolution.TryGetValue("values", out var valuesObject) || valuesObject is not IEnumerable<Dictionary<string, string>> values)
            {
                continue;
            }

            foreach (var value in values)
            {
                // A timex with X (XXXX-03-04) lacks the year: not a usable date of birth.
                if (value.TryGetValue("timex", out var timex) && timex.Length >= 10 && !timex.Contains('X', StringComparison.Ordinal)
                    && DateOnly.TryParseExact(timex.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    found.Add((result.Start, result.End - result.Start + 1, date));
                    break;
                }
            }
        }

        return found;
    }
}
