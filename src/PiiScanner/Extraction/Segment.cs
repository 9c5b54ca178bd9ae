namespace PiiScanner.Extraction;

/// <summary>
/// A piece of text that came out of an item, with where it was found and what structure it had.
/// Extractors emit segments in document order.
/// </summary>
/// <param name="Locator">Where in the item (<see cref="Extraction.Locator"/>): <c>line 12</c>, <c>row 17</c>, <c>$.patients[3]</c>, <c>Sheet1!B17</c>, <c>page 2 line 14</c>, <c>offset 123456</c>.</param>
/// <param name="Text">Free text to scan (a line, a paragraph, a cell). Empty for a pure <see cref="Fields"/> record.</param>
public sealed record Segment(Locator Locator, string Text)
{
    /// <summary>
    /// Structured values of a table row, a JSON object or a form: each with its column header / key path /
    /// label. Detection runs on each field's value with its name as context.
    /// </summary>
    public IReadOnlyList<Field>? Fields { get; init; }

    /// <summary>
    /// The label that applies to <see cref="Text"/> as a whole (a cell's column header, a JSON key path,
    /// a form label), or null.
    /// </summary>
    public string? Label { get; init; }

    /// <summary>
    /// Record hint: segments with the same group number belong together. With <see cref="GroupKind.Record"/>
    /// (table row, JSON object, form) everything in the group is one record; with <see cref="GroupKind.Block"/>
    /// (a paragraph or block of lines in free text) resolution may still split it between people.
    /// Numbers are unique within the item and mostly increase through it (an enclosing record may take its
    /// number before the nested records it holds).
    /// </summary>
    public int Group { get; init; }

    /// <summary>How strongly <see cref="Group"/> ties the segment's findings together.</summary>
    public GroupKind GroupKind { get; init; } = GroupKind.Block;

    /// <summary>
    /// Group of the record this one sits inside (a dependent inside a household object, a household-table row
    /// inside a form), or null. Resolution links such records to the enclosing one but never merges them.
    /// </summary>
    public int? ParentGroup { get; init; }

    /// <summary>
    /// True when the field names in <see cref="Fields"/> were inferred from the values (a delimited or
    /// fixed-width file without a header row) rather than read from the file; findings say so as evidence.
    /// </summary>
    public bool InferredHeader { get; init; }

    /// <summary>Byte offset of the segment in the item (raw byte scans), when known.</summary>
    public long? ByteOffset { get; init; }

    /// <summary>
    /// For text read by OCR: the recogniser's mean word confidence over the segment, in [0, 1]; null for text
    /// that was in the file. Detection may lower the confidence of findings on poorly recognised text.
    /// </summary>
    public double? OcrConfidence { get; init; }

    /// <summary>
    /// For text read by OCR: each recognised word's span in <see cref="Text"/> and its confidence in [0, 1]
    /// (so a finding can be weighed by the words it covers, e.g. one low-confidence digit group); null otherwise.
    /// </summary>
    public IReadOnlyList<OcrWord>? OcrWords { get; init; }
}

/// <summary>One OCR word in a segment's text.</summary>
/// <param name="Start">Index of the word's first character in <see cref="Segment.Text"/>.</param>
/// <param name="Length">Its length in characters.</param>
/// <param name="Confidence">The recogniser's confidence in the word, in [0, 1].</param>
public readonly record struct OcrWord(int Start, int Length, double Confidence);

/// <summary>A named value in a structured segment.</summary>
/// <param name="Name">Column header, key path (<c>patient.address.zip</c>) or label (<c>Date of Birth</c>).</param>
/// <param name="Value">The text of the value.</param>
/// <param name="Locator">Finer locator for the value when it has one (<c>Sheet1!C17</c>), else null.</param>
public sealed record Field(string Name, string Value, string? Locator = null);

/// <summary>How a segment group relates its findings to people.</summary>
public enum GroupKind
{
    /// <summary>Free text: a paragraph or block of nearby lines; may mention several people.</summary>
    Block,

    /// <summary>A structured record (table row, JSON object, form): one person's data.</summary>
    Record,
}
