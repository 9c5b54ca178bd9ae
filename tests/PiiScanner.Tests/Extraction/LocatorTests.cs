using PiiScanner.Extraction;

namespace PiiScanner.Tests.Extraction;

public sealed class LocatorTests
{
    [Theory]
    [InlineData("line 12", LocatorKind.Line, 12, null)]
    [InlineData("body line 3", LocatorKind.Line, 3, "body ")]
    [InlineData("page 2 line 14", LocatorKind.Line, 14, "page 2 ")]
    [InlineData("row 17", LocatorKind.Row, 17, null)]
    [InlineData("patients row 3", LocatorKind.Row, 3, "patients ")]
    public void NumberedLocatorsWriteTheStringsOfBefore(string written, LocatorKind kind, long number, string? prefix)
    {
        var locator = kind == LocatorKind.Line ? Locator.Line(number, prefix) : Locator.Row(number, prefix);

        Assert.Equal(written, locator.ToString());
        Assert.Equal(kind, locator.Kind);
        Assert.Equal(number, locator.Number);
        Assert.Equal(prefix ?? string.Empty, locator.Prefix);
    }

    [Fact]
    public void OffsetLocatorsSayTheirWidth()
    {
        Assert.Equal("offset 1000100", Locator.Offset(1000100).ToString());
        Assert.Equal(1, Locator.Offset(1000100).BytesPerChar);
        Assert.Equal("offset 51 utf-16le", Locator.Offset(51, utf16: true).ToString());
        Assert.Equal(2, Locator.Offset(51, utf16: true).BytesPerChar);
        Assert.Equal(string.Empty, Locator.Offset(51, utf16: true).Prefix);
    }

    [Fact]
    public void LocatorsAreEqualWhenTheirTextIs()
    {
        Locator text = "line 3";

        Assert.Equal(LocatorKind.Text, text.Kind);
        Assert.Equal("line 3", text.Prefix);
        Assert.True(text == Locator.Line(3));
        Assert.Equal(Locator.Line(3).GetHashCode(), text.GetHashCode());
        Assert.NotEqual(Locator.Line(3), Locator.Line(3, "body "));
        Assert.NotEqual(Locator.Line(3), Locator.Row(3));
        Assert.True(Locator.Offset(5) != Locator.Offset(5, utf16: true));
        Assert.Equal(string.Empty, default(Locator).ToString());
    }
}
