using System.Globalization;

namespace PiiScanner.Extraction;

/// <summary>
/// Where in an item a segment is, typed: a line (<c>line 12</c>, or after a prefix: <c>body line 12</c>,
/// <c>page 2 line 14</c>), a row (<c>row 17</c>, <c>patients row 3</c>, <c>table 1 row 2</c>), the byte offset of a
/// raw text run (<c>offset 123456</c>, <c>offset 51 utf-16le</c>), or any other text (<c>$.patients[3]</c>,
/// <c>Sheet1!B17</c>, <c>headers</c>). A locator is a value: it becomes its text (<see cref="ToString"/>, the string
/// written to <c>findings.jsonl</c> and the index) only when something is written, so a line costs no string.
/// Any string converts to a text locator. Two locators are equal when their texts are.
/// </summary>
public readonly struct Locator : IEquatable<Locator>
{
    private readonly string? _text;

    private Locator(LocatorKind kind, long number, string? text)
    {
        Kind = kind;
        Number = number;
        _text = text;
    }

    /// <summary>What the locator names.</summary>
    public LocatorKind Kind { get; }

    /// <summary>The line or row number (1-based), or the byte offset; 0 for a text locator.</summary>
    public long Number { get; }

    /// <summary>
    /// The text before <c>line N</c> / <c>row N</c> (<c>body </c>, <c>page 2 </c>, <c>patients </c>), or empty; for a
    /// text locator its whole text.
    /// </summary>
    public string Prefix => Kind is LocatorKind.Offset or LocatorKind.Utf16Offset ? string.Empty : _text ?? string.Empty;

    /// <summary>Bytes per character of the run an offset locator points at: 2 for UTF-16LE, else 1.</summary>
    public int BytesPerChar => Kind == LocatorKind.Utf16Offset ? 2 : 1;

    /// <summary>A line: <c>{prefix}line {number}</c>.</summary>
    /// <param name="number">The 1-based line number.</param>
    /// <param name="prefix">Text before <c>line</c>, ending in a space (<c>body </c>), or null.</param>
    public static Locator Line(long number, string? prefix = null) => new(LocatorKind.Line, number, prefix);

    /// <summary>A row of a table: <c>{prefix}row {number}</c>.</summary>
    /// <param name="number">The 1-based row number.</param>
    /// <param name="prefix">Text before <c>row</c>, ending in a space (<c>patients </c>), or null.</param>
    public static Locator Row(long number, string? prefix = null) => new(LocatorKind.Row, number, prefix);

    /// <summary>A raw text run at a byte offset: <c>offset {offset}</c>, with <c> utf-16le</c> for a UTF-16LE run.</summary>
    public static Locator Offset(long offset, bool utf16 = false) => new(utf16 ? LocatorKind.Utf16Offset : LocatorKind.Offset, offset, null);

    /// <summary>Any other place, by its text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static Locator Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(LocatorKind.Text, 0, text);
    }

    /// <summary>Any string is a text locator (<see cref="Of"/>).</summary>
    public static implicit operator Locator(string text) => Of(text);

    /// <summary>Whether two locators name the same place (have the same text).</summary>
    public static bool operator ==(Locator left, Locator right) => left.Equals(right);

    /// <summary>Whether two locators name different places.</summary>
    public static bool operator !=(Locator left, Locator right) => !left.Equals(right);

    /// <summary>The locator as written out: <c>line 12</c>, <c>offset 51 utf-16le</c>, <c>$.patients[3]</c>.</summary>
    public override string ToString() => Kind switch
    {
        LocatorKind.Line => string.Concat(_text, "line ", Number.ToString(CultureInfo.InvariantCulture)),
        LocatorKind.Row => string.Concat(_text, "row ", Number.ToString(CultureInfo.InvariantCulture)),
        LocatorKind.Offset => "offset " + Number.ToString(CultureInfo.InvariantCulture),
        LocatorKind.Utf16Offset => "offset " + Number.ToString(CultureInfo.InvariantCulture) + " utf-16le",
        _ => _text ?? string.Empty,
    };

    /// <inheritdoc />
    public bool Equals(Locator other) =>
        Kind == other.Kind && Number == other.Number
            ? string.Equals(_text, other._text, StringComparison.Ordinal) || string.Equals(ToString(), other.ToString(), StringComparison.Ordinal)
            : string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Locator other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}

/// <summary>What a <see cref="Locator"/> names.</summary>
public enum LocatorKind
{
    /// <summary>A place named by its text (<c>$.patients[3]</c>, <c>Sheet1!B17</c>, <c>headers</c>).</summary>
    Text,

    /// <summary>A line of text (<c>line 12</c>, <c>body line 12</c>).</summary>
    Line,

    /// <summary>A row of a table (<c>row 17</c>, <c>patients row 3</c>).</summary>
    Row,

    /// <summary>A raw single-byte text run at a byte offset (<c>offset 123456</c>).</summary>
    Offset,

    /// <summary>A raw UTF-16LE text run at a byte offset (<c>offset 51 utf-16le</c>).</summary>
    Utf16Offset,
}
