using PiiScanner.Extraction.Structure;

namespace PiiScanner.Extraction.Office;

/// <summary>One non-empty cell of a sheet row: zero-based column, the text as shown, whether it was a string.</summary>
internal readonly record struct SheetCell(int Column, string Text, bool IsString);

/// <summary>A table defined inside a sheet (Excel "Format as Table"): its range and column names.</summary>
internal sealed record SheetTable(int FirstRow, int LastRow, int FirstColumn, int LastColumn, int HeaderRows, IReadOnlyList<string> Columns);

/// <summary>One buffered sheet row: 1-based row number and its non-empty cells.</summary>
internal sealed record SheetRow(int Number, SheetCell[] Cells);

/// <summary>
/// Turns the rows of one sheet into segments, shared by the .xlsx and .xls readers. The header row is looked for
/// in the first <see cref="HeaderSearchRows"/> rows: the first wide row (at least half as many cells as the widest
/// row) that is mostly short text, when it is the first row of two or more cells or holds several known header
/// words (a title block — report name, run date, blank rows — may sit above it). Rows above the header are free
/// text (<c>Sheet!A2</c>, cells of a row joined); each later row becomes a record segment <c>Sheet!A17</c> whose
/// fields carry the column name and the cell locator <c>Sheet!C17</c>. Rows inside a defined table use its columns.
/// Call <see cref="Finish"/> at the end of the sheet.
/// </summary>
internal sealed class SheetRows
{
    /// <summary>Rows at the top of a sheet searched for the header row.</summary>
    public const int HeaderSearchRows = 20;

    private static readonly HashSet<string> HeaderWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "name", "first", "last", "middle", "full", "dob", "birth", "date", "ssn", "social", "address", "street", "city",
        "state", "zip", "postal", "phone", "email", "id", "member", "patient", "subscriber", "diagnosis", "gender", "sex",
        "age", "account", "policy", "mrn", "code", "service", "household", "relationship", "employee", "license", "number",
        "no", "dl", "insurance", "provider", "visit", "county", "surname", "given", "family",
    };

    private readonly ExtractionContext _context;
    private readonly string _sheetRef;
    private readonly IReadOnlyList<SheetTable> _tables;
    private readonly List<SheetRow> _lookahead = [];
    private Dictionary<int, string>? _header;
    private int _headerRow = -1;
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

    /// <summary>The sheet's header (column → name), once decided; null when it has none.</summary>
    public IReadOnlyDictionary<int, string>? Header => _header;

    /// <summary>
    /// Takes one row (1-based <paramref name="rowNumber"/>, cells in column order, only non-empty ones) and emits it,
    /// or holds it while the header row is still being looked for. <paramref name="group"/> is the running record
    /// number, advanced for each segment emitted.
    /// </summary>
    public void Add(int rowNumber, IReadOnlyList<SheetCell> cells, ref int group)
    {
        if (cells.Count == 0)
        {
            return;
        }

        if (!_headerDecided)
        {
            _lookahead.Add(new SheetRow(rowNumber, [.. cells]));
            if (_lookahead.Count >= HeaderSearchRows)
            {
                Finish(ref group);
            }

            return;
        }

        Emit(rowNumber, cells, ref group);
    }

    /// <summary>Emits the rows still held (a sheet shorter than the header search).</summary>
    public void Finish(ref int group)
    {
        if (!_headerDecided)
        {
            DecideHeader(_lookahead);
        }

        foreach (var row in _lookahead)
        {
            Emit(row.Number, row.Cells, ref group);
        }

        _lookahead.Clear();
    }

    /// <summary>
    /// Decides the header row from the first rows of the sheet (see the class remarks) and returns its row number,
    /// or -1 when the sheet has none.
    /// </summary>
    public int DecideHeader(IReadOnlyList<SheetRow> rows)
    {
        _headerDecided = true;
        var candidates = rows.Take(HeaderSearchRows).Where(r => FindTable(r.Number, r.Cells[0].Column) is null).ToList();
        var widest = candidates.Count == 0 ? 0 : candidates.Max(r => r.Cells.Length);
        var first = true;
        foreach (var row in candidates)
        {
            var cells = row.Cells;
            if (cells.Length < 2)
            {
                continue;
            }

            var wide = cells.Length * 2 >= widest;
            var strings = cells.Count(c => c.IsString);
            var texty = strings * 5 >= cells.Length * 4 && TableShape.LooksLikeHeader(cells.Select(c => c.Text).ToArray());
            if (wide && texty && (first || cells.Count(c => IsHeaderWord(c.Text)) >= 2))
            {
                _header = cells.ToDictionary(c => c.Column, c => TableShape.CleanLabel(c.Text));
                _headerRow = row.Number;
                return row.Number;
            }

            first = false;
        }

        return -1;
    }

    /// <summary>
    /// Emits one row after the header (or a row of a defined table) as one record segment with the given group:
    /// for linked sheets, whose rows join the record of another row.
    /// </summary>
    public void EmitRow(int rowNumber, IReadOnlyList<SheetCell> cells, int group, int? parentGroup)
    {
        var table = FindTable(rowNumber, cells[0].Column);
        EmitRecord(rowNumber, cells, table is null ? HeaderName : c => TableColumn(table, c), group, parentGroup);
    }

    /// <summary>True when the row is one of the sheet's data rows (below the header, or in a defined table).</summary>
    public bool IsDataRow(int rowNumber, IReadOnlyList<SheetCell> cells)
    {
        if (FindTable(rowNumber, cells[0].Column) is { } table)
        {
            return rowNumber >= table.FirstRow + table.HeaderRows;
        }

        return _header is not null && rowNumber > _headerRow;
    }

    private static bool IsHeaderWord(string text)
    {
        foreach (var word in text.Split([' ', '_', '-', '.', '/', ':', '#', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (HeaderWords.Contains(word))
            {
                return true;
            }
        }

        return false;
    }

    private void Emit(int rowNumber, IReadOnlyList<SheetCell> cells, ref int group)
    {
        var table = FindTable(rowNumber, cells[0].Column);
        if (table is not null)
        {
            if (rowNumber < table.FirstRow + table.HeaderRows)
            {
                return;
            }

            EmitRecord(rowNumber, cells, c => TableColumn(table, c), ++group, null);
            return;
        }

        if (rowNumber == _headerRow)
        {
            return;
        }

        if (rowNumber < _headerRow || (cells.Count == 1 && HeaderName(cells[0].Column).Length == 0))
        {
            // Title block above the header, or a lone note: free text.
            var text = string.Join(' ', cells.Select(c => c.Text));
            SegmentText.EmitText(_context, CellRef(cells[0].Column, rowNumber), text, ++group, LabelValue.FindLabel(text));
            return;
        }

        EmitRecord(rowNumber, cells, HeaderName, ++group, null);
    }

    private string TableColumn(SheetTable table, int column)
        => column >= table.FirstColumn && column - table.FirstColumn < table.Columns.Count
            ? table.Columns[column - table.FirstColumn]
            : HeaderName(column);

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

    private void EmitRecord(int rowNumber, IReadOnlyList<SheetCell> cells, Func<int, string> name, int group, int? parentGroup)
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
            Group = group,
            GroupKind = GroupKind.Record,
            ParentGroup = parentGroup,
        });
    }
}
