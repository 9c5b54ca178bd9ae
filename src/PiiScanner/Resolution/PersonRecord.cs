using PiiScanner.Detection;

namespace PiiScanner.Resolution;

/// <summary>
/// The findings of one record inside one item: a table row, a JSON object, a form, or a block of nearby lines
/// about one person. Immutable.
/// </summary>
/// <param name="Path">Logical path of the item.</param>
/// <param name="Locator">Locator of the record's first finding (<c>row 17</c>, <c>line 40</c>).</param>
/// <param name="Findings">The findings, in document order.</param>
public sealed record PersonRecord(string Path, string Locator, IReadOnlyList<Finding> Findings);
