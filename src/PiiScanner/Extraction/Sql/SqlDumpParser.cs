using System.Text;
using System.Text.RegularExpressions;

namespace PiiScanner.Extraction.Sql;

/// <summary>One row of a dumped table: an INSERT tuple or a COPY line.</summary>
/// <param name="Table">Table name as written in the dump, without quotes (<c>public.patients</c>).</param>
/// <param name="Number">1-based number of the tuple among the table's tuples (skipped ones count too).</param>
/// <param name="Columns">Column names, from the statement or the CREATE TABLE; null when unknown.</param>
/// <param name="Values">The values; null for SQL NULL, binary and hex literals, and expressions.</param>
internal sealed record SqlRow(string Table, long Number, IReadOnlyList<string>? Columns, IReadOnlyList<string?> Values);

/// <summary>
/// Streaming parser for SQL dumps (mysqldump, pg_dump, hand-written scripts), fed a buffer at a time:
/// remembers column names from <c>CREATE TABLE</c>, turns every tuple of <c>INSERT … VALUES (…),(…)</c> and every
/// line of <c>COPY … FROM stdin</c> into a <see cref="SqlRow"/>, and skips every other statement and comment.
/// Memory is bounded: a statement head (up to <c>VALUES</c>) by <see cref="MaxStatementChars"/>, a value by the
/// segment limit, a tuple by <see cref="MaxTupleChars"/>. Bad input never throws: a malformed or oversized tuple is
/// dropped (its number still counts) and reported through <c>onProblem</c>; a string that never closes makes the
/// parser resynchronise at the next line that starts a statement. Not thread-safe.
/// </summary>
internal sealed partial class SqlDumpParser
{
    /// <summary>Longest statement head kept (CREATE TABLE, or an INSERT up to VALUES).</summary>
    public const int MaxStatementChars = 1 << 20;

    /// <summary>Longest tuple read; longer ones are dropped.</summary>
    public const int MaxTupleChars = 4 << 20;

    private readonly Action<SqlRow> _onRow;
    private readonly Action<string> _onProblem;
    private readonly int _maxValueChars;
    private readonly Dictionary<string, string[]> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> _counts = new(StringComparer.OrdinalIgnoreCase);
    private readonly StringBuilder _stmt = new();
    private readonly StringBuilder _value = new();
    private readonly List<string?> _values = [];

    private Mode _mode = Mode.Statement;
    private Kind _kind;
    private bool _postgres;

    // Lexer state shared by statement heads, skipped statements and tuples.
    private char _quote;          // ' " ` or \0
    private bool _backslashEscapes;
    private bool _inLineComment;
    private bool _inBlockComment;
    private string? _dollarTag;
    private bool _atLineStart = true;

    // Current INSERT / COPY target.
    private string _table = string.Empty;
    private string[]? _columns;

    // Tuple state.
    private int _depth;
    private long _tupleChars;
    private bool _tupleBad;
    private bool _valueIsString;
    private bool _valueSkipped;
    private bool _valueTruncated;
    private bool _valueHasBare;
    private readonly StringBuilder _bare = new();

    /// <summary>Creates a parser.</summary>
    /// <param name="maxValueChars">Longest value kept; longer values are cut (and reported).</param>
    /// <param name="onRow">Receives each row; the lists are only valid during the call.</param>
    /// <param name="onProblem">Receives a reason (<c>sql:malformed-tuple</c>…) for each problem.</param>
    public SqlDumpParser(int maxValueChars, Action<SqlRow> onRow, Action<string> onProblem)
    {
        _maxValueChars = maxValueChars;
        _onRow = onRow;
        _onProblem = onProblem;
    }

    private enum Mode
    {
        Statement,
        Skip,
        BetweenTuples,
        Tuple,
        CopyHeadRest,
        CopyData,
        Resync,
    }

    private enum Kind
    {
        Unknown,
        Insert,
        Create,
        Copy,
    }

    /// <summary>Tells the parser the dump is PostgreSQL's (backslashes are literal in plain strings).</summary>
    public bool Postgres
    {
        get => _postgres;
        set => _postgres = value;
    }

    /// <summary>Number of tuples read so far, over all tables.</summary>
    public long Rows { get; private set; }

    /// <summary>
    /// Parses as much of <paramref name="buffer"/> as it can and returns how many characters it consumed; the
    /// rest must be passed again with more text after it. With <paramref name="final"/> it consumes everything.
    /// </summary>
    public int Parse(ReadOnlySpan<char> buffer, bool final)
    {
        var i = 0;
        while (i < buffer.Length)
        {
            var step = _mode switch
            {
                Mode.CopyData => CopyLine(buffer, i, final),
                Mode.CopyHeadRest => SkipToLineEnd(buffer, i),
                Mode.Resync => ResyncStep(buffer, i, final),
                _ => LexStep(buffer, i, final),
            };

            if (step == 0)
            {
                return i;
            }

            i += step;
        }

        return i;
    }

    /// <summary>Ends the input: reports a statement or tuple cut off by the end of the dump.</summary>
    public void Finish()
    {
        if (_mode == Mode.Tuple)
        {
            CountTuple();
            _onProblem("sql:truncated");
        }
        else if (_mode == Mode.CopyData && _stmt.Length > 0)
        {
            EmitCopyLine(_stmt.ToString());
            _onProblem("sql:truncated");
        }
        else if (_mode == Mode.Statement && _kind is Kind.Insert or Kind.Create && _quote != '\0')
        {
            _onProblem("sql:truncated");
        }
    }

    /// <summary>One lexical step in statement, skip and tuple modes; returns chars consumed (0: need more input).</summary>
    private int LexStep(ReadOnlySpan<char> b, int i, bool final)
    {
        var c = b[i];
        var next = i + 1 < b.Length ? b[i + 1] : '\0';
        var needMore = i + 1 >= b.Length && !final;

        if (_inLineComment)
        {
            if (c == '\n')
            {
                _inLineComment = false;
                _atLineStart = true;
            }

            return 1;
        }

        if (_inBlockComment)
        {
            if (c == '*')
            {
                if (needMore)
                {
                    return 0;
                }

                if (next == '/')
                {
                    _inBlockComment = false;
                    Space();
                    return 2;
                }
            }

            return 1;
        }

        if (_dollarTag is not null)
        {
            if (c == '$')
            {
                if (b.Length - i < _dollarTag.Length && !final)
                {
                    return 0;
                }

                if (b[i..].StartsWith(_dollarTag, StringComparison.Ordinal))
                {
                    var length = _dollarTag.Length;
                    _dollarTag = null;
                    return length;
                }
            }

            return 1;
        }

        if (_quote != '\0')
        {
            return QuotedStep(b, i, final);
        }

        var lineStart = _atLineStart;
        _atLineStart = c == '\n';

        // Comments and psql meta-commands (\connect) outside strings.
        if (c == '-' || c == '/' || c == '#')
        {
            if (needMore)
            {
                _atLineStart = lineStart;
                return 0;
            }

            if (c == '-' && next == '-')
            {
                _inLineComment = true;
                return 2;
            }

            if (c == '/' && next == '*')
            {
                _inBlockComment = true;
                return 2;
            }

            if (c == '#' && lineStart && _mode == Mode.Statement && _stmt.Length == 0)
            {
                _inLineComment = true;
                return 1;
            }
        }

        if (c == '\\' && lineStart && _mode == Mode.Statement && _stmt.Length == 0)
        {
            _inLineComment = true;
            return 1;
        }

        if (c == '$' && _postgres && _mode is Mode.Statement or Mode.Skip)
        {
            var end = b[(i + 1)..].IndexOf('$');
            if (end < 0 && !final && b.Length - i < 64)
            {
                _atLineStart = lineStart;
                return 0;
            }

            if (end >= 0 && end < 64 && IsTag(b.Slice(i + 1, end)))
            {
                _dollarTag = b.Slice(i, end + 2).ToString();
                return end + 2;
            }
        }

        return _mode switch
        {
            Mode.Statement => StatementChar(c),
            Mode.Skip => SkipChar(c),
            Mode.BetweenTuples => BetweenTuplesChar(c),
            _ => TupleChar(c),
        };
    }

    private static bool IsTag(ReadOnlySpan<char> tag)
    {
        foreach (var ch in tag)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch == '_'))
            {
                return false;
            }
        }

        return tag.Length == 0 || !char.IsAsciiDigit(tag[0]);
    }

    /// <summary>Inside a quoted string or identifier.</summary>
    private int QuotedStep(ReadOnlySpan<char> b, int i, bool final)
    {
        var c = b[i];
        var inValue = _mode == Mode.Tuple;
        if (inValue && !TupleBudget(1))
        {
            // A string as long as this is a quote that never closed: find the next statement instead.
            _onProblem("sql:tuple-too-long");
            CountTuple();
            StartResync();
            return 1;
        }

        if (c == '\\' && _backslashEscapes && _quote != '`')
        {
            if (i + 1 >= b.Length)
            {
                if (!final)
                {
                    return 0;
                }

                return 1;
            }

            var e = b[i + 1];
            var decoded = e switch
            {
                '0' => '\0',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'b' => '\b',
                'Z' => '\x1A',
                _ => e,
            };
            if (inValue)
            {
                if (e is '%' or '_')
                {
                    AppendValue('\\');
                }

                if (decoded != '\0')
                {
                    AppendValue(decoded);
                }
            }
            else
            {
                AppendStmt('\\');
                AppendStmt(e);
            }

            return 2;
        }

        if (c == _quote)
        {
            if (i + 1 >= b.Length && !final)
            {
                return 0;
            }

            if (i + 1 < b.Length && b[i + 1] == _quote)
            {
                // Doubled quote: one quote character.
                if (inValue)
                {
                    AppendValue(c);
                }
                else
                {
                    AppendStmt(c);
                    AppendStmt(c);
                }

                return 2;
            }

            if (!inValue)
            {
                AppendStmt(c);
            }

            _quote = '\0';
            return 1;
        }

        if (inValue)
        {
            AppendValue(c);
        }
        else if (_mode == Mode.Statement)
        {
            AppendStmt(c);
        }

        return 1;
    }

    private int StatementChar(char c)
    {
        if (c == ';')
        {
            EndStatement();
            return 1;
        }

        if (_stmt.Length == 0 && char.IsWhiteSpace(c))
        {
            return 1;
        }

        if (c is '\'' or '"' or '`')
        {
            _quote = c;
            _backslashEscapes = !_postgres && c != '`';
        }

        AppendStmt(char.IsWhiteSpace(c) ? ' ' : c);
        if (_kind == Kind.Unknown && (char.IsWhiteSpace(c) || c == '(') && _stmt.Length > 1)
        {
            var word = FirstWord();
            _kind = word switch
            {
                "INSERT" or "REPLACE" => Kind.Insert,
                "CREATE" => Kind.Create,
                "COPY" => Kind.Copy,
                _ => Kind.Unknown,
            };
            if (_kind == Kind.Unknown)
            {
                // SET, LOCK, DROP, ALTER, SELECT…: skipped without keeping their text.
                _stmt.Clear();
                _mode = Mode.Skip;
                return 1;
            }
        }

        if (_kind == Kind.Insert && (char.IsWhiteSpace(c) || c == '(') && _quote == '\0' && EndsWithValues())
        {
            StartTuples();
        }
        else if (_stmt.Length > MaxStatementChars)
        {
            if (_kind is Kind.Insert or Kind.Create or Kind.Copy)
            {
                _onProblem("sql:statement-too-long");
            }

            _stmt.Clear();
            _mode = Mode.Skip;
        }

        return 1;
    }

    private int SkipChar(char c)
    {
        if (c is '\'' or '"' or '`')
        {
            _quote = c;
            _backslashEscapes = !_postgres && c != '`';
        }
        else if (c == ';')
        {
            ResetStatement();
        }

        return 1;
    }

    private int BetweenTuplesChar(char c)
    {
        if (char.IsWhiteSpace(c) || c == ',')
        {
            return 1;
        }

        if (c == '(')
        {
            _mode = Mode.Tuple;
            _values.Clear();
            _depth = 0;
            _tupleChars = 0;
            _tupleBad = false;
            StartValue();
            return 1;
        }

        if (c == ';')
        {
            ResetStatement();
            return 1;
        }

        // ON DUPLICATE KEY UPDATE …, RETURNING …: the rest of the statement is not data.
        if (char.IsAsciiLetter(c))
        {
            _mode = Mode.Skip;
            return 1;
        }

        _onProblem("sql:malformed-tuple");
        _mode = Mode.Skip;
        return 1;
    }

    private int TupleChar(char c)
    {
        if (!TupleBudget(1))
        {
            _tupleBad = true;
        }

        if (c is '\'' or '"')
        {
            _quote = c;
            _backslashEscapes = !_postgres || IsEscapeStringPrefix();
            if (_valueIsString || _valueHasBare)
            {
                // A second string or a prefixed one (_binary '…', X'…', E'…', N'…').
                var prefix = _bare.ToString();
                _valueSkipped |= _valueIsString || !(prefix is "N" or "n" or "E" or "e" || prefix.StartsWith("_utf", StringComparison.OrdinalIgnoreCase) || prefix.StartsWith("_latin", StringComparison.OrdinalIgnoreCase));
            }

            _valueIsString = true;
            return 1;
        }

        if (c == '(')
        {
            _depth++;
            _valueSkipped = true;
            return 1;
        }

        if (c == ')' && _depth > 0)
        {
            _depth--;
            return 1;
        }

        if (_depth > 0)
        {
            return 1;
        }

        if (c == ',')
        {
            EndValue();
            StartValue();
            return 1;
        }

        if (c == ')')
        {
            EndValue();
            EndTuple();
            _mode = Mode.BetweenTuples;
            return 1;
        }

        if (c == ';')
        {
            // A statement that ends inside a tuple: the tuple is lost, never merged with the next one.
            _onProblem("sql:malformed-tuple");
            CountTuple();
            ResetStatement();
            return 1;
        }

        if (!char.IsWhiteSpace(c))
        {
            if (_valueIsString)
            {
                // Text after a closing quote ('a' COLLATE …): keep the string, note the expression.
                _valueHasBare = true;
            }
            else if (_bare.Length < 64)
            {
                _bare.Append(c);
                _valueHasBare = true;
            }
            else
            {
                _valueSkipped = true;
            }
        }

        return 1;
    }

    private bool IsEscapeStringPrefix() => _bare.Length == 1 && _bare[0] is 'E' or 'e';

    private void StartValue()
    {
        _value.Clear();
        _bare.Clear();
        _valueIsString = _valueSkipped = _valueTruncated = _valueHasBare = false;
    }

    private void EndValue()
    {
        string? value;
        if (_valueSkipped)
        {
            value = null;
        }
        else if (_valueIsString)
        {
            value = _value.ToString();
        }
        else
        {
            var bare = _bare.ToString();
            value = bare.Length == 0 || bare.Equals("NULL", StringComparison.OrdinalIgnoreCase)
                || bare.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !LooksLikeNumber(bare)
                ? null
                : bare;
            if (bare.Length == 0 && _values.Count == 0)
            {
                value = null;
            }
        }

        if (_valueTruncated)
        {
            _onProblem("sql:value-too-long");
        }

        _values.Add(value);
    }

    private static bool LooksLikeNumber(string bare)
    {
        foreach (var ch in bare)
        {
            if (!(char.IsAsciiDigit(ch) || ch is '-' or '+' or '.' or 'e' or 'E'))
            {
                return false;
            }
        }

        return true;
    }

    private void EndTuple()
    {
        CountTuple();
        var number = _counts[_table];

        // `()` is an empty tuple, not one empty value.
        if (_values.Count == 1 && _values[0] is null && _bare.Length == 0 && !_valueIsString)
        {
            _values.Clear();
        }

        if (_tupleBad)
        {
            _onProblem("sql:tuple-too-long");
            return;
        }

        if (_columns is not null && _values.Count != _columns.Length)
        {
            _onProblem("sql:malformed-tuple");
            return;
        }

        Rows++;
        _onRow(new SqlRow(_table, number, _columns, _values));
    }

    private void CountTuple() => _counts[_table] = _counts.GetValueOrDefault(_table) + 1;

    private bool TupleBudget(int chars)
    {
        _tupleChars += chars;
        return _tupleChars <= MaxTupleChars;
    }

    private void AppendValue(char c)
    {
        if (_value.Length < _maxValueChars)
        {
            _value.Append(c);
        }
        else
        {
            _valueTruncated = true;
        }
    }

    private void AppendStmt(char c)
    {
        if (_mode == Mode.Statement)
        {
            _stmt.Append(c);
        }
    }

    private void Space()
    {
        if (_mode == Mode.Statement && _stmt.Length > 0 && _stmt[^1] != ' ')
        {
            _stmt.Append(' ');
        }
    }

    private string FirstWord()
    {
        var end = 0;
        while (end < _stmt.Length && char.IsAsciiLetter(_stmt[end]))
        {
            end++;
        }

        return _stmt.ToString(0, end).ToUpperInvariant();
    }

    private bool EndsWithValues()
    {
        // The statement text so far ends with "VALUES" followed by the char just appended.
        var n = _stmt.Length - 1;
        if (n < 7)
        {
            return false;
        }

        for (var k = 0; k < 6; k++)
        {
            if (char.ToUpperInvariant(_stmt[n - 6 + k]) != "VALUES"[k])
            {
                return false;
            }
        }

        return _stmt[n - 7] is ' ' or ')' or '`' or '"';
    }

    private void StartTuples()
    {
        var head = _stmt.ToString();
        var m = InsertHeadRegex().Match(head);
        if (!m.Success)
        {
            _onProblem("sql:malformed-statement");
            _stmt.Clear();
            _mode = Mode.Skip;
            return;
        }

        SetTarget(m.Groups["name"].Value, m.Groups["cols"]);
        _stmt.Clear();
        _mode = Mode.BetweenTuples;

        // The char that completed VALUES may have been the tuple's '('.
        if (head[^1] == '(')
        {
            BetweenTuplesChar('(');
        }
    }

    private void SetTarget(string name, Group columns)
    {
        _table = Identifiers.Unquote(name);
        _columns = columns.Success ? Identifiers.SplitList(columns.Value) : Lookup(_table);
    }

    private string[]? Lookup(string table)
    {
        if (_tables.TryGetValue(table, out var columns))
        {
            return columns;
        }

        var dot = table.LastIndexOf('.');
        return dot >= 0 && _tables.TryGetValue(table[(dot + 1)..], out columns) ? columns : null;
    }

    private void EndStatement()
    {
        var text = _stmt.ToString();
        if (_kind == Kind.Create)
        {
            var m = CreateTableRegex().Match(text);
            if (m.Success)
            {
                var name = Identifiers.Unquote(m.Groups["name"].Value);
                var columns = Identifiers.ColumnsOfCreateTable(text.AsSpan(m.Length));
                if (columns.Length > 0)
                {
                    _tables[name] = columns;
                    var dot = name.LastIndexOf('.');
                    if (dot >= 0)
                    {
                        _tables.TryAdd(name[(dot + 1)..], columns);
                    }
                }
            }
        }
        else if (_kind == Kind.Copy)
        {
            var m = CopyHeadRegex().Match(text);
            if (m.Success)
            {
                SetTarget(m.Groups["name"].Value, m.Groups["cols"]);
                ResetStatement();
                _mode = Mode.CopyHeadRest;
                return;
            }
        }

        ResetStatement();
    }

    private void ResetStatement()
    {
        _stmt.Clear();
        _kind = Kind.Unknown;
        _mode = Mode.Statement;
        _quote = '\0';
    }

    private static int SkipToLineEndStatic(ReadOnlySpan<char> b, int i)
    {
        var nl = b[i..].IndexOf('\n');
        return nl < 0 ? b.Length - i : nl + 1;
    }

    private int SkipToLineEnd(ReadOnlySpan<char> b, int i)
    {
        var n = SkipToLineEndStatic(b, i);
        if (b[i + n - 1] == '\n')
        {
            _mode = Mode.CopyData;
            _stmt.Clear();
        }

        return n;
    }

    /// <summary>COPY data: a line at a time, until <c>\.</c>.</summary>
    private int CopyLine(ReadOnlySpan<char> b, int i, bool final)
    {
        var rest = b[i..];
        var nl = rest.IndexOf('\n');
        var piece = nl < 0 ? rest : rest[..nl];
        if (_stmt.Length + piece.Length <= MaxTupleChars)
        {
            _stmt.Append(piece);
        }
        else
        {
            _tupleBad = true;
        }

        if (nl < 0)
        {
            if (final)
            {
                return rest.Length;
            }

            return rest.Length;
        }

        var line = _stmt.ToString().TrimEnd('\r');
        _stmt.Clear();
        if (line == "\\.")
        {
            ResetStatement();
            _atLineStart = true;
        }
        else if (_tupleBad)
        {
            _tupleBad = false;
            CountTuple();
            _onProblem("sql:tuple-too-long");
        }
        else
        {
            EmitCopyLine(line);
        }

        return nl + 1;
    }

    private void EmitCopyLine(string line)
    {
        _values.Clear();
        foreach (var field in line.Split('\t'))
        {
            _values.Add(field == "\\N" ? null : Identifiers.UnescapeCopy(field, _maxValueChars));
        }

        CountTuple();
        var number = _counts[_table];
        if (_columns is not null && _values.Count != _columns.Length)
        {
            _onProblem("sql:malformed-tuple");
            return;
        }

        Rows++;
        _onRow(new SqlRow(_table, number, _columns, _values));
    }

    private void StartResync()
    {
        _mode = Mode.Resync;
        _quote = '\0';
        _stmt.Clear();
        _kind = Kind.Unknown;
    }

    /// <summary>After a quote that never closed: drop text until a line that starts a statement.</summary>
    private int ResyncStep(ReadOnlySpan<char> b, int i, bool final)
    {
        var nl = b[i..].IndexOf('\n');
        if (nl < 0)
        {
            return b.Length - i;
        }

        var start = i + nl + 1;
        if (b.Length - start < 8 && !final)
        {
            return nl == 0 ? 0 : nl;
        }

        var line = b[start..];
        if (StatementStartRegex().IsMatch(line[..Math.Min(line.Length, 16)]))
        {
            _mode = Mode.Statement;
            _atLineStart = true;
        }

        return nl + 1;
    }

    private const string Ident = @"(?:`[^`]+`|""[^""]+""|\[[^\]]+\]|[\w$]+)";

    [GeneratedRegex(
        @"^\s*(?:INSERT|REPLACE)\s+(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE)\s+)*(?:INTO\s+)?(?<name>" + Ident + @"(?:\s*\.\s*" + Ident + @")*)\s*(?:\((?<cols>[^)]*)\))?\s*VALUES\s*\(?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex InsertHeadRegex();

    [GeneratedRegex(
        @"^\s*CREATE\s+(?:(?:GLOBAL|LOCAL|TEMPORARY|TEMP|UNLOGGED|OR\s+REPLACE)\s+)*TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<name>" + Ident + @"(?:\s*\.\s*" + Ident + @")*)\s*\(",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex CreateTableRegex();

    [GeneratedRegex(
        @"^\s*COPY\s+(?<name>" + Ident + @"(?:\s*\.\s*" + Ident + @")*)\s*(?:\((?<cols>[^)]*)\))?\s*FROM\s+stdin\b",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex CopyHeadRegex();

    [GeneratedRegex(
        @"^(?:INSERT\s|REPLACE\s|CREATE\s|COPY\s|DROP\s|LOCK\s|UNLOCK\s|SET\s|ALTER\s|--|/\*)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex StatementStartRegex();
}
