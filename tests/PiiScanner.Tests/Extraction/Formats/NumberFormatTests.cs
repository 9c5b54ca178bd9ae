using PiiScanner.Extraction.Office;

namespace PiiScanner.Tests.Extraction.Formats;

public sealed class NumberFormatTests
{
    [Theory]
    [InlineData("12345678", "000-00-0000", "012-34-5678")]
    [InlineData("123456701", "000-00-0000", "123-45-6701")]
    [InlineData("2134", "00000", "02134")]
    [InlineData("21340042", "00000-0000", "02134-0042")]
    [InlineData("4065551234", "(000) 000-0000", "(406) 555-1234")]
    [InlineData("1234.5", "#,##0.00", "1,234.50")]
    [InlineData("0.256", "0.0%", "25.6%")]
    [InlineData("-5", "0;(0)", "(5)")]
    [InlineData("123456701", null, "123456701")]
    [InlineData("123456701", "General", "123456701")]
    [InlineData("1.23456701E8", "General", "123456701")]
    [InlineData("123456701", "0.00E+00", "123456701")]
    [InlineData("12.50", "General", "12.5")]
    public void Numbers_are_formatted_as_shown(string raw, string? format, string expected)
        => Assert.Equal(expected, NumberFormat.Format(raw, format, date1904: false));

    [Theory]
    [InlineData(22344, 14, false, "1961-03-04")]
    [InlineData(1, 14, false, "1900-01-01")]
    [InlineData(59, 14, false, "1900-02-28")]
    [InlineData(60, 14, false, "1900-02-29")]
    [InlineData(61, 14, false, "1900-03-01")]
    [InlineData(20882, 14, true, "1961-03-04")]
    [InlineData(22344.5, 22, false, "1961-03-04 12:00:00")]
    [InlineData(22344, 15, false, "1961-03-04")]
    [InlineData(0.75, 20, false, "18:00:00")]
    public void Built_in_date_formats_give_iso_dates(double serial, int formatId, bool date1904, string expected)
        => Assert.Equal(expected, NumberFormat.Format(serial, NumberFormat.BuiltInCode(formatId), date1904));

    [Theory]
    [InlineData("dd/mm/yyyy", "1961-03-04")]
    [InlineData("[$-409]mmmm d, yyyy;@", "1961-03-04")]
    [InlineData("yyyy\\-mm\\-dd", "1961-03-04")]
    [InlineData("\"DOB: \"m/d/yy", "1961-03-04")]
    public void Custom_date_formats_give_iso_dates(string format, string expected)
        => Assert.Equal(expected, NumberFormat.Format(22344, format, date1904: false));
}
