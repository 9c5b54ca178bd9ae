namespace PiiScanner.Extraction.Office;

/// <summary>A sheet read whole into memory for <see cref="WorkbookLinks"/>.</summary>
/// <param name="Name">Sheet name.</param>
/// <param name="Rows">The sheet's segment writer (header, locators).</param>
/// <param name="Data">Its non-empty rows in order.</param>
internal sealed record HeldSheet(string Name, SheetRows Rows, List<SheetRow> Data);

/// <summary>
/// Joins the sheets of a workbook that are linked by id columns (<c>Households</c>(household_id, address…),
/// <c>Members</c>(member_id, household_id, first, last, dob…), <c>Services</c>(member_id, diagnosis…)) into one
/// record per person. An id column (a header ending in <c>id</c>, <c>no</c>, <c>number</c>, <c>key</c>, <c>mrn</c>) is a
/// primary key in the sheet where its values are unique (the leftmost id column when unique in both) and a foreign
/// key in another sheet with the same normalised header when most of its values are keys there. A row of a
/// person sheet (one with name, date of birth or SSN columns) becomes a record holding its own cells, the rows it
/// points to in other sheets (its household) and the rows that point to it (its services); all share its group, each
/// segment located at its real row and each field at its real cell. A row pointing at a row of another person sheet
/// (a dependent's subscriber) gets that row's group as <see cref="Segment.ParentGroup"/>. Rows joined into a person
/// are not emitted again; everything else is emitted as it would be unlinked. Deterministic: sheet order, then row
/// order. Not thread-safe.
/// </summary>
internal static class WorkbookLinks
{
    private static readonly HashSet<string> PersonHeaders = new(StringComparer.Ordinal)
    {
        "first", "firstname", "last", "lastname", "name", "fullname", "surname", "givenname", "familyname",
        "patientname", "membername", "dob", "dateofbirth", "birthdate", "ssn", "socialsecuritynumber",
    };

    /// <summary>Emits the held sheets, linked when they are linked, else each as it stands.</summary>
    public static void Emit(ExtractionContext context, IReadOnlyList<HeldSheet> sheets, ref int group)
    {
        var tables = sheets.Select(Prepare).ToList();
        var links = FindLinks(tables);
        if (links.Count == 0 || !tables.Any(t => t.IsPerson))
        {
            foreach (var sheet in sheets)
            {
                foreach (var row in sheet.Data)
                {
                    sheet.Rows.Add(row.Number, row.Cells, ref group);
                }

                sheet.Rows.Finish(ref group);
            }

            return;
        }

        context.AddCount("linkedSheets", links.Select(l => l.Child).Concat(links.Select(l => l.Parent)).Distinct().Count());
        var groups = new Dictionary<(int Sheet, int Row), int>();
        var joined = new HashSet<(int Sheet, int Row)>();
        for (var s = 0; s < tables.Count; s++)
        {
            if (!tables[s].IsPerson)
            {
                continue;
            }

            foreach (var r in tables[s].DataRows)
            {
                foreach (var (sheet, row) in Related(tables, links, s, r))
                {
                    if (!tables[sheet].IsPerson)
                    {
                        joined.Add((sheet, row));
                    }
                }
            }
        }

        for (var s = 0; s < tables.Count; s++)
        {
            var table = tables[s];
            var dataRows = table.DataRows.ToHashSet();
            for (var r = 0; r < table.Sheet.Data.Count; r++)
            {
                var row = table.Sheet.Data[r];
                if (!dataRows.Contains(r))
                {
                    table.Sheet.Rows.Add(row.Number, row.Cells, ref group);
                    continue;
                }

                if (joined.Contains((s, r)))
                {
                    continue;
                }

                if (!table.IsPerson)
                {
                    table.Sheet.Rows.EmitRow(row.Number, row.Cells, ++group, null);
                    continue;
                }

                var own = GroupOf(groups, (s, r), ref group);
                int? parent = null;
                var related = Related(tables, links, s, r);
                foreach (var (sheet, other) in related)
                {
                    if (tables[sheet].IsPerson)
                    {
                        parent ??= GroupOf(groups, (sheet, other), ref group);
                    }
                }

                table.Sheet.Rows.EmitRow(row.Number, row.Cells, own, parent);
                foreach (var (sheet, other) in related)
                {
                    if (!tables[sheet].IsPerson)
                    {
                        var linked = tables[sheet].Sheet.Data[other];
                        tables[sheet].Sheet.Rows.EmitRow(linked.Number, linked.Cells, own, parent);
                    }
                }
            }

            table.Sheet.Rows.Finish(ref group);
        }
    }

    private static int GroupOf(Dictionary<(int, int), int> groups, (int, int) key, ref int group)
    {
        if (!groups.TryGetValue(key, out var g))
        {
            groups[key] = g = ++group;
        }

        return g;
    }

    // Rows a person row is joined with: the rows it points to (and theirs, up the chain), then the rows pointing to
    // it. Rows of other person sheets are returned too (as parents), not followed further.
    private static List<(int Sheet, int Row)> Related(List<Table> tables, List<Link> links, int sheet, int row)
    {
        var result = new List<(int, int)>();
        var seen = new HashSet<(int, int)> { (sheet, row) };
        var (s, r) = (sheet, row);
        var queue = new Queue<(int, int)>();
        queue.Enqueue((s, r));
        while (queue.Count > 0 && result.Count < 1000)
        {
            var (cs, cr) = queue.Dequeue();
            foreach (var link in links)
            {
                if (link.Child != cs || tables[cs].Value(cr, link.ChildColumn) is not { } value
                    || !tables[link.Parent].Index(link.ParentColumn).TryGetValue(value, out var targets))
                {
                    continue;
                }

                foreach (var target in targets)
                {
                    if (seen.Add((link.Parent, target)))
                    {
                        result.Add((link.Parent, target));
                        if (!tables[link.Parent].IsPerson)
                        {
                            queue.Enqueue((link.Parent, target));
                        }
                    }
                }
            }
        }

        foreach (var link in links)
        {
            if (link.Parent != sheet || tables[sheet].Value(row, link.ParentColumn) is not { } key
                || tables[link.Child].IsPerson
                || !tables[link.Child].Index(link.ChildColumn).TryGetValue(key, out var children))
            {
                continue;
            }

            foreach (var child in children)
            {
                if (seen.Add((link.Child, child)))
                {
                    result.Add((link.Child, child));
                }
            }
        }

        return result;
    }

    private static Table Prepare(HeldSheet sheet)
    {
        sheet.Rows.DecideHeader(sheet.Data);
        var dataRows = new List<int>();
        for (var r = 0; r < sheet.Data.Count; r++)
        {
            if (sheet.Rows.IsDataRow(sheet.Data[r].Number, sheet.Data[r].Cells))
            {
                dataRows.Add(r);
            }
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (column, name) in (sheet.Rows.Header ?? new Dictionary<int, string>()).OrderBy(h => h.Key))
        {
            columns.TryAdd(Compact(name), column);
        }

        return new Table(sheet, dataRows, columns, columns.Keys.Any(PersonHeaders.Contains));
    }

    private static List<Link> FindLinks(List<Table> tables)
    {
        var links = new List<Link>();
        for (var p = 0; p < tables.Count; p++)
        {
            foreach (var (name, column) in tables[p].Columns)
            {
                if (!IsIdHeader(name) || !tables[p].IsUnique(column))
                {
                    continue;
                }

                for (var c = 0; c < tables.Count; c++)
                {
                    if (c == p || !tables[c].Columns.TryGetValue(name, out var childColumn))
                    {
                        continue;
                    }

                    // Unique in both: the key is the sheet's own (leftmost) id column; when it is in both, the person
                    // sheet holds it (one service row per member).
                    if (tables[c].IsUnique(childColumn) && !KeyIsParents(tables[p], column, tables[c], childColumn))
                    {
                        continue;
                    }

                    var keys = tables[p].Index(column);
                    var values = tables[c].DataRows.Select(r => tables[c].Value(r, childColumn)).OfType<string>().ToList();
                    if (values.Count > 0 && values.Count(keys.ContainsKey) * 2 >= values.Count)
                    {
                        links.Add(new Link(c, childColumn, p, column));
                    }
                }
            }
        }

        return links;
    }

    private static bool KeyIsParents(Table parent, int parentColumn, Table child, int childColumn)
    {
        var parentOwn = parent.FirstIdColumn() == parentColumn;
        var childOwn = child.FirstIdColumn() == childColumn;
        return parentOwn && (!childOwn || (parent.IsPerson && !child.IsPerson));
    }

    private static bool IsIdHeader(string compact)
        => compact.EndsWith("id", StringComparison.Ordinal) || compact.EndsWith("no", StringComparison.Ordinal)
            || compact.EndsWith("number", StringComparison.Ordinal) || compact.EndsWith("key", StringComparison.Ordinal)
            || compact.EndsWith("num", StringComparison.Ordinal) || compact == "mrn";

    private static string Compact(string header)
    {
        Span<char> buffer = stackalloc char[Math.Min(header.Length, 128)];
        var length = 0;
        foreach (var c in header)
        {
            if (char.IsLetterOrDigit(c) && length < buffer.Length)
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
            else if (c == '#' && length < buffer.Length - 1)
            {
                buffer[length++] = 'n';
                buffer[length++] = 'o';
            }
        }

        return new string(buffer[..length]);
    }

    /// <summary>A foreign key: <paramref name="Child"/>'s column points at <paramref name="Parent"/>'s key column.</summary>
    private sealed record Link(int Child, int ChildColumn, int Parent, int ParentColumn);

    private sealed class Table(HeldSheet sheet, List<int> dataRows, Dictionary<string, int> columns, bool isPerson)
    {
        private readonly Dictionary<int, Dictionary<string, List<int>>> _indexes = [];

        public HeldSheet Sheet { get; } = sheet;

        public List<int> DataRows { get; } = dataRows;

        public Dictionary<string, int> Columns { get; } = columns;

        public bool IsPerson { get; } = isPerson;

        public string? Value(int row, int column)
        {
            foreach (var cell in Sheet.Data[row].Cells)
            {
                if (cell.Column == column)
                {
                    return cell.Text;
                }
            }

            return null;
        }

        public Dictionary<string, List<int>> Index(int column)
        {
            if (!_indexes.TryGetValue(column, out var index))
            {
                _indexes[column] = index = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
                foreach (var r in DataRows)
                {
                    if (Value(r, column) is { } value)
                    {
                        if (!index.TryGetValue(value, out var list))
                        {
                            index[value] = list = [];
                        }

                        list.Add(r);
                    }
                }
            }

            return index;
        }

        public bool IsUnique(int column)
        {
            var index = Index(column);
            return index.Count > 0 && index.Count == DataRows.Count && index.Values.All(l => l.Count == 1);
        }

        public int FirstIdColumn()
            => Columns.Where(c => IsIdHeader(c.Key)).Select(c => c.Value).DefaultIfEmpty(-1).Min();
    }
}
