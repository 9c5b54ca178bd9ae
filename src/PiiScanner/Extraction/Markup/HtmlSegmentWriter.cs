using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using PiiScanner.Extraction.Structure;

namespace PiiScanner.Extraction.Markup;

/// <summary>
/// Turns an HTML tree into segments, for HTML documents and HTML mail bodies alike: the visible text only — no
/// script, style or template — split into lines at block elements (<c>line N</c>, <c>&lt;br&gt;</c> included; a new
/// block at paragraphs and headings; "Label: value" lines labelled), filled-in form inputs (<c>input N</c>), and
/// tables as rows with their header cells (<c>table T row R</c>). A two-column table whose first cells are labels
/// (<c>th</c>, bold, or ending in a colon) is one record. Locators start with the given prefix (<c>body </c> in
/// mail). One writer per document; not thread-safe.
/// </summary>
internal sealed class HtmlSegmentWriter(ExtractionContext context, ItemClock clock, string locatorPrefix, CancellationToken cancellationToken)
{
    private const int MaxLabelChars = 64;
    private const int MaxLabelDepth = 16;

    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "template", "head", "svg", "math", "object", "iframe", "select", "datalist",
    };

    // Elements that end a line; those in ParagraphBreaks also start a new block.
    private static readonly HashSet<string> LineBreaks = new(StringComparer.OrdinalIgnoreCase)
    {
        "br", "div", "li", "dt", "dd", "tr", "td", "th", "caption", "label", "option", "address", "pre", "center",
        "figcaption", "legend", "summary", "details", "nav", "header", "footer", "main", "aside", "title",
    };

    private static readonly HashSet<string> ParagraphBreaks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ul", "ol", "dl", "table", "section", "article",
        "blockquote", "form", "fieldset", "body",
    };

    // The current line's characters (white space collapsed to single spaces): a plain line goes to detection as these
    // characters (ExtractionContext.EmitLine) and may never become a string.
    private char[] _line = new char[256];
    private int _length;

    // Reused by every table cell: its visible text, and the walk over its nodes.
    private readonly StringBuilder _cell = new();
    private readonly Stack<INode> _nodes = new();
    private int _tables;
    private int _inputs;
    private bool _newBlock = true;
    private int _visited;

    /// <summary>Lines emitted so far (the last <c>line N</c> number); set it to continue another part's numbering.</summary>
    public int Lines { get; set; }

    /// <summary>The last group number used; set it to continue after the groups of earlier segments.</summary>
    public int Group { get; set; }

    /// <summary>Adds inline text to the current line (white space collapsed).</summary>
    public void Append(string text)
    {
        if (_length + text.Length > _line.Length)
        {
            Array.Resize(ref _line, Math.Max(_line.Length * 2, _length + text.Length));
        }

        // The line holds no white space but single spaces, so the last character tells whether one may follow.
        var space = _length == 0 || _line[_length - 1] == ' ';
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!space)
                {
                    _line[_length++] = ' ';
                    space = true;
                }
            }
            else
            {
                _line[_length++] = c;
                space = false;
            }
        }

        if (_length > context.Limits.MaxSegmentChars)
        {
            EndLine(paragraph: false);
        }
    }

    /// <summary>Emits the current line, if any; <paramref name="paragraph"/> makes the next line start a new block.</summary>
    public void EndLine(bool paragraph)
    {
        var text = _line.AsSpan(0, _length).Trim();
        if (text.Length > 0)
        {
            if (_newBlock)
            {
                Group++;
                _newBlock = false;
            }

            var locator = Locator.Line(++Lines, locatorPrefix.Length > 0 ? locatorPrefix : null);
            var label = LabelValue.FindLabel(text);
            // A longer line is split into segments of at most that length (SegmentText).
            if (text.Length <= context.Limits.MaxSegmentChars)
            {
                context.EmitLine(text, locator, Group, label);
            }
            else
            {
                SegmentText.EmitText(context, locator.ToString(), text.ToString(), Group, label);
            }
        }

        _length = 0;
        _newBlock |= paragraph;
    }

    /// <summary>Walks the tree without recursion (hostile pages nest thousands deep).</summary>
    public void Walk(INode root)
    {
        var stack = new Stack<(INode Node, bool Exit)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (node, exit) = stack.Pop();
            if (++_visited % 4096 == 0 && clock.IsOver(context, cancellationToken))
            {
                return;
            }

            if (node is IText text)
            {
                Append(text.Data);
                continue;
            }

            if (node is not IElement element)
            {
                continue;
            }

            var name = element.LocalName;
            var paragraph = ParagraphBreaks.Contains(name);
            if (exit)
            {
                if (paragraph || LineBreaks.Contains(name))
                {
                    EndLine(paragraph);
                }

                continue;
            }

            if (Hidden.Contains(name) || element.HasAttribute("hidden"))
            {
                continue;
            }

            if (paragraph || LineBreaks.Contains(name))
            {
                EndLine(paragraph);
            }

            if (element is IHtmlTableElement table)
            {
                Table(table);
                continue;
            }

            if (element is IHtmlInputElement input)
            {
                Input(input);
                continue;
            }

            if (element is IHtmlTextAreaElement area)
            {
                Append(area.Value);
                EndLine(paragraph: false);
                continue;
            }

            stack.Push((element, true));
            for (var child = element.LastChild; child is not null; child = child.PreviousSibling)
            {
                stack.Push((child, false));
            }
        }

        EndLine(paragraph: true);
    }

    private void Input(IHtmlInputElement input)
    {
        var type = input.Type?.ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(input.Value) || type is "hidden" or "password" or "submit" or "button" or "reset"
            or "checkbox" or "radio" or "image" or "file")
        {
            return;
        }

        var label = input.Name ?? input.Id ?? string.Empty;
        context.Emit(new Segment($"{locatorPrefix}input {++_inputs}", input.Value.Trim()) { Label = label.Length > 0 ? label : null, Group = Group });
    }

    private void Table(IHtmlTableElement table)
    {
        var number = ++_tables;
        var rows = new List<(List<string> Cells, bool AllHeaders, bool FirstIsHeader)>();
        foreach (var row in table.Rows)
        {
            var rowCells = row.Cells;
            var cells = new List<string>(rowCells.Length);
            var headers = 0;
            var firstIsHeader = false;
            foreach (var cell in rowCells)
            {
                cells.Add(VisibleText(cell));
                if (IsHeaderCell(cell, cells[^1]))
                {
                    headers++;
                    firstIsHeader |= cells.Count == 1;
                }
            }

            rows.Add((cells, headers > 0 && headers == cells.Count, firstIsHeader));
        }

        var prefix = $"{locatorPrefix}table {number}";
        var keyValue = rows.Count > 0 && rows.TrueForAll(r => r.Cells.Count == 2 && r.FirstIsHeader && !r.AllHeaders);
        if (keyValue || TableShape.IsKeyValueTable([.. rows.Select(r => (IReadOnlyList<string>)r.Cells)]))
        {
            var fields = rows.Select((r, i) => new Field(TableShape.CleanLabel(r.Cells[0]), r.Cells[1], $"{prefix} row {i + 1}"))
                .Where(f => f.Value.Length > 0).ToList();
            if (fields.Count > 0)
            {
                context.Emit(new Segment(prefix, string.Empty) { Fields = fields, Group = ++Group, GroupKind = GroupKind.Record });
            }

            _newBlock = true;
            return;
        }

        string[] names = [];
        for (var r = 0; r < rows.Count; r++)
        {
            var (cells, allHeaders, _) = rows[r];
            if (cells.TrueForAll(c => c.Length == 0))
            {
                continue;
            }

            if ((allHeaders || (names.Length == 0 && r == 0 && rows.Count > 1 && TableShape.LooksLikeHeader(cells))) && cells.Count > 1)
            {
                names = [.. cells.Select(TableShape.CleanLabel)];
                continue;
            }

            var fields = new List<Field>();
            for (var c = 0; c < cells.Count; c++)
            {
                if (cells[c].Length > 0)
                {
                    fields.Add(new Field(c < names.Length ? names[c] : string.Empty, cells[c], $"{prefix} row {r + 1} col {c + 1}"));
                }
            }

            context.Emit(new Segment($"{prefix} row {r + 1}", string.Empty) { Fields = fields, Group = ++Group, GroupKind = GroupKind.Record });
        }

        _newBlock = true;
    }

    /// <summary>A <c>th</c>, or a cell whose text is all bold (<c>&lt;td&gt;&lt;b&gt;Name&lt;/b&gt;&lt;/td&gt;</c>), as mail tables write labels.</summary>
    private bool IsHeaderCell(IHtmlTableCellElement cell, string text)
    {
        if (cell is IHtmlTableHeaderCellElement)
        {
            return true;
        }

        if (text.Length is 0 or > MaxLabelChars)
        {
            return false;
        }

        // Every text node of the cell, hidden elements' too.
        _nodes.Clear();
        for (var child = cell.LastChild; child is not null; child = child.PreviousSibling)
        {
            _nodes.Push(child);
        }

        while (_nodes.TryPop(out var next))
        {
            if (next is not IText node)
            {
                for (var child = next.LastChild; child is not null; child = child.PreviousSibling)
                {
                    _nodes.Push(child);
                }

                continue;
            }

            if (string.IsNullOrWhiteSpace(node.Data))
            {
                continue;
            }

            var bold = false;
            var depth = 0;
            for (var parent = node.ParentElement; parent is not null && parent != cell && depth++ < MaxLabelDepth; parent = parent.ParentElement)
            {
                if (parent.LocalName is "b" or "strong")
                {
                    bold = true;
                    break;
                }
            }

            if (!bold)
            {
                _nodes.Clear();
                return false;
            }
        }

        return true;
    }

    // The cell's visible text with white space collapsed and trimmed (as SegmentText.Collapse would make it), a space
    // for each line or paragraph break inside it.
    private string VisibleText(INode root)
    {
        _cell.Clear();
        _nodes.Clear();
        _nodes.Push(root);
        var space = false;
        while (_nodes.TryPop(out var node))
        {
            if (node is IText text)
            {
                SegmentText.AppendCollapsed(_cell, text.Data, ref space);
            }
            else if (node is IElement element && !Hidden.Contains(element.LocalName))
            {
                if (LineBreaks.Contains(element.LocalName) || ParagraphBreaks.Contains(element.LocalName))
                {
                    space = _cell.Length > 0;
                }

                for (var child = element.LastChild; child is not null; child = child.PreviousSibling)
                {
                    _nodes.Push(child);
                }
            }
        }

        return _cell.ToString();
    }
}
