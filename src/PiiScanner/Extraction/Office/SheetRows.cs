using PiiScanner.Extraction.Structure;

namespace PiiScanner.Extraction.Office;

/// <summary>One non-empty cell of a sheet row: zero-based column, the text as shown, whether it was a string.</summary>
internal readonly record struct SheetCell(int Column, string Text, bool IsString);

/// <summary>A table defined inside a sheet (Excel "Format as Table"): its range and column names.</summary>
internal sealed record SheetTable(int FirstRow, int LastRow, int FirstColumn, int LastColumn, int HeaderRows, IReadOnlyList<string> Columns);

/// <summary>
/// Turns the rows of one sheet into segments, shared by the .xlsx and .xls readers. The header row is the first row
/// with two or more cells that is mostly text (or a defined table's header); each later row becomes a record
/// segment <c>Sheet!A17</c> whose fields carry the column name and the cell locator <c>Sheet!C17</c>.
/// A lone cell before any header is free text (a title, a "Label: value" note).
/// </summary>
internal sealed class SheetRows
{
    private readonly ExtractionContext _context;
    private readonly string _sheetRef;
    private readonly IReadOnlyList<SheetTable> _tables;
    private Dictionary<int, string>? _header;
    private bool _headerDecided;

    /// <summary>Starts a sheet.</summary>
    public SheetRows(ExtractionContext context, string sheetName, IReadOnlyList<SheetTable>? tables = null)
    {
        _context = context;
        _sheetRef = QuoteSheetName(sheetName);
        _tables = tables ?? [];
    }

    /// <summary>Rows emitted as records so far.</summary>
    public long Records { get; private set; }

    /// <summary>
    /// Takes one row (1-based <paramref name="rowNumber"/>, cells in column order, only non-empty ones) and emits it.
    /// <paramref name="group"/> is the running record number, advanced for each segment emitted.
    /// </summary>
    public void Add(int rowNumber, IReadOnlyList<SheetCell> cells, ref int group)
    {
        if (cells.Count == 0)
        {
            return;
        }

        var table = FindTable(rowNumber, cells[0].Column);
        if (table is not null)
        {
            if (rowNumber < table.FirstRow + table.HeaderRows)
            {
                return;
            }

            EmitRecord(rowNumber, cells, c => c >= table.FirstColumn && c - table.FirstColumn < table.Columns.Count
                ? table.Columns[c - table.FirstColumn]
                : HeaderName(c), ref group);
            return;
        }

        if (!_headerDecided && cells.Count >= 2)
        {
            _headerDecided = true;
            var strings = cells.Count(c => c.IsString);
            if (strings * 5 >= cells.Count * 4 && TableShape.LooksLikeHeader(cells.Select(c => c.Text).ToArray()))
            {
                _header = cells.ToDictionary(c => c.Column, c => TableShape.CleanLabel(c.Text));
                return;
            }
        }

        if (cells.Count == 1 && HeaderName(cells[0].Column).Length == 0)
        {
            var text = cells[0].Text;
            SegmentText.EmitText(_context, CellRef(cells[0].Column, rowNumber), text, ++group, LabelValue.FindLabel(text));
            return;
        }

        EmitRecord(rowNumber, cells, HeaderName, ref group);
    }

    /// <summary>Excel's A1-style column letters for a zero-based column index (0 → A, 26 → AA).</summary>
    public static string ColumnName(int column)
    {
        Span<char> buffer = stackalloc char[8];
        var position = buffer.Length;
        column++;
        while (column > 0 && position > 0)
        {
            var remainder = (column - 1) % 26;
            buffer[--position] = (char)('A' + remainder);
            column = (column - 1) / 26;
        }

        return new string(buffer[position..]);
    }

    /// <summary>Parses the column of a cell reference (<c>C17</c> → 2), or -1.</summary>
    public static int ParseColumn(ReadOnlySpan<char> reference)
    {
        var column = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            var upper = char.ToUpperInvariant(c);
            if (upper is < 'A' or > 'Z')
            {
                break;
            }

            column = (column * 26) + (upper - 'A' + 1);
            letters++;
            if (letters > 3)
            {
                return -1;
            }
        }

        return letters == 0 ? -1 : column - 1;
    }

    /// <summary>Parses the row of a cell reference (<c>C17</c> → 17), or -1.</summary>
    public static int ParseRow(ReadOnlySpan<char> reference)
    {
        var start = 0;
        while (start < reference.Length && char.IsLetter(reference[start]))
        {
            start++;
        }

        return int.TryParse(reference[start..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var row) ? row : -1;
    }

    /// <summary>The sheet name as Excel writes it in a reference: quoted when it holds spaces or punctuation.</summary>
    public static string QuoteSheetName(string name)
    {
        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) && c != '_')
            {
                return "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";
            }
        }

        return name.Length == 0 || char.IsDigit(name[0]) ? "'" + name + "'" : name;
    }

    private string CellRef(int column, int row) => $"{_sheetRef}!{ColumnName(column)}{row}";

    private string HeaderName(int column) => _header is not null && _header.TryGetValue(column, out var name) ? name : string.Empty;

    private SheetTable? FindTable(int row, int column)
    {
        foreach (var table in _tables)
        {
            if (row >= table.FirstRow && row <= table.LastRow && column <= table.LastColumn)
            {
                return table;
            }
        }

        return null;
    }

    private void EmitRecord(int rowNumber, IReadOnlyList<SheetCell> cells, Func<int, string> name, ref int group)
    {
        var fields = new Field[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            fields[i] = new Field(name(cells[i].Column), cells[i].Text, CellRef(cells[i].Column, rowNumber));
        }

        Records++;
        _context.Emit(new Segment(CellRef(cells[0].Column, rowNumber), string.Empty)
        {
            Fields = fields,
            Group = ++group,
            GroupKind = GroupKind.Record,
        });
    }
}
