namespace PiiScanner.Extraction.FixedWidth;

/// <summary>How the bytes of a fixed-width field hold its value.</summary>
internal enum FieldEncoding
{
    /// <summary>Characters (COBOL <c>DISPLAY</c>): the trimmed text is the value.</summary>
    Display,

    /// <summary>Packed decimal (COBOL <c>COMP-3</c>): two digits a byte, sign in the last nibble.</summary>
    Packed,

    /// <summary>Binary integer or float (<c>COMP</c>, <c>BINARY</c>, <c>COMP-1/2/4/5</c>): width counted, value skipped.</summary>
    Binary,
}

/// <summary>One field of a fixed-width record.</summary>
/// <param name="Name">The name as the layout gives it (<c>CLT-SSN</c>, <c>PHONES-2</c>) or an inferred header.</param>
/// <param name="Start">0-based offset of the first character in the record.</param>
/// <param name="Length">Width in characters.</param>
/// <param name="Encoding">How the value is stored.</param>
/// <param name="Scale">Implied decimal places (<c>V99</c> → 2) for numeric fields.</param>
internal sealed record FixedField(string Name, int Start, int Length, FieldEncoding Encoding = FieldEncoding.Display, int Scale = 0)
{
    /// <summary>1-based column range as written in a locator (<c>col 10-29</c>).</summary>
    public string Columns => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"col {Start + 1}-{Start + Length}");
}

/// <summary>The layout of the records of one fixed-width file.</summary>
/// <param name="Fields">The fields in record order.</param>
/// <param name="RecordLength">Width of a whole record (fields, fillers and redefined areas).</param>
/// <param name="Source">Where the layout came from: <c>copybook</c>, <c>layout</c> or <c>inferred</c>.</param>
internal sealed record FixedLayout(IReadOnlyList<FixedField> Fields, int RecordLength, string Source)
{
    /// <summary>True when the field names were inferred from the values.</summary>
    public bool IsInferred => Source == "inferred";
}

/// <summary>A layout that could not be read: why, with the line it failed on.</summary>
internal sealed class LayoutException(string message) : Exception(message)
{
    public LayoutException()
        : this("layout error") { }

    public LayoutException(string message, Exception innerException)
        : this(message + ": " + innerException.Message) { }
}
