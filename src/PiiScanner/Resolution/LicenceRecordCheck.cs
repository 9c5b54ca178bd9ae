using System.Globalization;
using PiiScanner.Detection;
using PiiScanner.Detection.Licences;

namespace PiiScanner.Resolution;

/// <summary>
/// Checks the name/DOB-encoded licence numbers of one record against the record's name and date of birth
/// (see <see cref="LicenceEncodings"/>). Stateless and thread-safe.
/// </summary>
internal static class LicenceRecordCheck
{
    /// <summary>Confidence a licence gets when its encoding matches the record's name and DOB.</summary>
    public const double MatchConfidence = 0.98;

    /// <summary>Confidence a licence gets when its surname and birth-date parts match (incomplete scheme, or nickname).</summary>
    public const double PartialMatchConfidence = 0.9;

    /// <summary>Factor applied to a licence's confidence when its encoding contradicts the record's person.</summary>
    public const double MismatchFactor = 0.5;

    private static readonly HashSet<string> Suffixes = new(StringComparer.OrdinalIgnoreCase)
    {
        "JR", "SR", "II", "III", "IV", "PHD", "DDS", "ESQ",
    };

    /// <summary>
    /// Returns the record with each driver's licence finding re-scored when the record also holds a name finding
    /// (<c>Jane A Doe</c>, <c>DOE, JANE A</c>) and a DOB finding (<c>yyyy-MM-dd</c>) and the licence's state has an
    /// encoding: a match raises the confidence to at least <see cref="MatchConfidence"/> (evidence validator
    /// <c>dl-encoding:match</c>), a partial match to at least <see cref="PartialMatchConfidence"/>
    /// (<c>dl-encoding:partial</c>), a mismatch multiplies it by <see cref="MismatchFactor"/>
    /// (<c>dl-encoding:mismatch</c>). A licence without a state is tried against every encoded state whose layout it
    /// fits, and gets the state when exactly one full match names it. A mismatch is applied only when the record
    /// holds one distinct name and one distinct DOB (a household row must not penalise the licence for the wrong
    /// person). Returns the same instance when nothing changes.
    /// </summary>
    public static PersonRecord Apply(PersonRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var findings = record.Findings;
        if (!findings.Any(f => f.Element == Elements.DriversLicense))
        {
            return record;
        }

        var names = findings.Where(f => f.Element == Elements.Name).Select(f => f.Value)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var dobs = findings.Where(f => f.Element == Elements.Dob)
            .Select(f => DateOnly.TryParseExact(f.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null)
            .OfType<DateOnly>().Distinct().ToList();
        if (names.Count == 0 || dobs.Count == 0)
        {
            return record;
        }

        var single = names.Count == 1 && dobs.Count == 1;
        List<Finding>? updated = null;
        for (var i = 0; i < findings.Count; i++)
        {
            var dl = findings[i];
            if (dl.Element != Elements.DriversLicense)
            {
                continue;
            }

            var states = dl.State is { } s ? (LicenceEncodings.HasEncoding(s) ? [s] : []) : LicenceEncodings.StatesFitting(dl.Value);
            if (states.Count == 0)
            {
                continue;
            }

            var best = LicenceCheckOutcome.NotApplicable;
            var matchedStates = new HashSet<string>(StringComparer.Ordinal);
            foreach (var state in states)
            {
                foreach (var name in names)
                {
                    foreach (var (first, middle, last) in ParseName(name))
                    {
                        foreach (var dob in dobs)
                        {
                            var check = LicenceEncodings.Check(state, dl.Value, first, middle, last, dob);
                            if (check.Outcome == LicenceCheckOutcome.Match)
                            {
                                matchedStates.Add(state);
                            }

                            if (Rank(check.Outcome) > Rank(best))
                            {
                                best = check.Outcome;
                            }
                        }
                    }
                }
            }

            Finding? changed = best switch
            {
                LicenceCheckOutcome.Match => dl with
                {
                    Confidence = Math.Max(dl.Confidence, MatchConfidence),
                    State = dl.State ?? (matchedStates.Count == 1 ? matchedStates.First() : null),
                    Evidence = dl.Evidence with { Validator = "dl-encoding:match" },
                },
                LicenceCheckOutcome.PartialMatch => dl with
                {
                    Confidence = Math.Max(dl.Confidence, PartialMatchConfidence),
                    Evidence = dl.Evidence with { Validator = "dl-encoding:partial" },
                },
                LicenceCheckOutcome.Mismatch when single && dl.State is not null => dl with
                {
                    Confidence = dl.Confidence * MismatchFactor,
                    Evidence = dl.Evidence with { Validator = "dl-encoding:mismatch" },
                },
                _ => null,
            };
            if (changed is not null)
            {
                updated ??= [.. findings];
                updated[i] = changed;
            }
        }

        return updated is null ? record : record with { Findings = updated };
    }

    /// <summary>
    /// Readings of a name value as (first, middle, last): <c>Jane A Doe</c>, <c>DOE, JANE A</c>; for three or more
    /// words also the compound-surname reading (<c>Mary Van Dyke</c> → last <c>Van Dyke</c>).
    /// </summary>
    internal static IEnumerable<(string First, string? Middle, string Last)> ParseName(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            yield break;
        }

        var comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0)
        {
            var lastPart = Words(value[..comma]);
            var rest = Words(value[(comma + 1)..]);
            if (lastPart.Count > 0 && rest.Count > 0)
            {
                yield return (rest[0], rest.Count > 1 ? rest[1] : null, string.Concat(lastPart));
            }

            yield break;
        }

        var words = Words(value);
        if (words.Count < 2)
        {
            yield break;
        }

        yield return (words[0], words.Count > 2 ? words[1] : null, words[^1]);
        if (words.Count > 2)
        {
            yield return (words[0], words.Count > 3 ? words[1] : null, words[^2] + words[^1]);
        }
    }

    private static List<string> Words(string s)
    {
        var words = s.Split([' ', '\t', '.'], StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 2 && Suffixes.Contains(words[^1]))
        {
            words.RemoveAt(words.Count - 1);
        }

        return words;
    }

    private static int Rank(LicenceCheckOutcome o) => o switch
    {
        LicenceCheckOutcome.Match => 3,
        LicenceCheckOutcome.PartialMatch => 2,
        LicenceCheckOutcome.Mismatch => 1,
        _ => 0,
    };
}
