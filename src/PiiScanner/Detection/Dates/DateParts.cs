using System.Globalization;
using System.Text.RegularExpressions;

namespace PiiScanner.Detection.Dates;

/// <summary>
/// Builds a date of birth from a rule match's named groups: <c>y</c> (2 or 4 digits), <c>m</c> (number),
/// <c>mon</c> (month name or abbreviation) and <c>d</c>. Numeric day/month order is US month-first unless the
/// first number cannot be a month (<c>13/04/1961</c>).
/// </summary>
internal static class DateParts
{
    private static readonly string[] MonthPrefixes = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>Parses the groups; null when they are not a plausible date of birth on <paramref name="today"/>.</summary>
    public static DateOnly? FromMatch(Match match, DateOnly today, int maxAgeYears)
    {
        var yGroup = match.Groups["y"];
        var dGroup = match.Groups["d"];
        if (!yGroup.Success || !dGroup.Success)
        {
            return null;
        }

        int month;
        var day = int.Parse(dGroup.ValueSpan, CultureInfo.InvariantCulture);
        var monGroup = match.Groups["mon"];
        var mGroup = match.Groups["m"];
        if (monGroup.Success)
        {
            month = MonthFromName(monGroup.Value);
        }
        else if (mGroup.Success)
        {
            month = int.Parse(mGroup.ValueSpan, CultureInfo.InvariantCulture);
            if (month > 12 && day <= 12)
            {
                (month, day) = (day, month);
            }
        }
        else
        {
            return null;
        }

        var year = int.Parse(yGroup.ValueSpan, CultureInfo.InvariantCulture);
        if (yGroup.Length == 2)
        {
            year = PivotTwoDigitYear(year, month, day, today);
        }

        return Plausible(year, month, day, today, maxAgeYears);
    }

    /// <summary>A calendar-valid date that is not in the future and not more than <paramref name="maxAgeYears"/> ago.</summary>
    public static DateOnly? Plausible(int year, int month, int day, DateOnly today, int maxAgeYears)
    {
        if (month is < 1 or > 12 || year is < 1 or > 9999 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        var date = new DateOnly(year, month, day);
        return date > today || date < today.AddYears(-maxAgeYears) ? null : date;
    }

    // A birth date is in the past: "61" is 2061 only if that is not after today, else 1961.
    private static int PivotTwoDigitYear(int yy, int month, int day, DateOnly today)
    {
        var year = 2000 + yy;
        if (year > today.Year || (year == today.Year && (month > today.Month || (month == today.Month && day > today.Day))))
        {
            year -= 100;
        }

        return year;
    }

    private static int MonthFromName(string name)
    {
        var lower = name.ToLowerInvariant();
        for (var i = 0; i < MonthPrefixes.Length; i++)
        {
            if (lower.StartsWith(MonthPrefixes[i], StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        return 0;
    }
}
