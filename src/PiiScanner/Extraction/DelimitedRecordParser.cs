using System.Buffers;

namespace PiiScanner.Extraction;

/// <summary>
/// RFC-4180 record parser fed line by line (or piece by piece for overlong lines): quoted fields may hold the
/// delimiter, doubled quotes and line breaks. Lenient where real exports are sloppy: spaces before an opening
/// quote are dropped, a quote inside an unquoted field is literal, text after a closing quote is kept.
/// A record longer than the limit is cut: what was read is returned with <see cref="Overflowed"/> set and the
/// rest of that physical line is dropped, so an unbalanced quote cannot swallow the whole file.
/// Not thread-safe; dispose to return its buffer.
/// </summary>
internal sealed class DelimitedRecordParser : IDisposable
{
    private readonly char _delimiter;
    private readonly int _maxRecordChars;
    private readonly SearchValues<char> _unquotedStops;
    private readonly List<string> _cells = [];
    private char[] _cell;
    private int _cellLength;
    private int _recordChars;
    private bool _inQuotes;
    private bool _quoteMaybeClosing;
    private bool _afterQuote;
    private bool _discardToLineEnd;
    private bool _recordOpen;

    /// <summary>Creates a parser for one delimiter.</summary>
    public DelimitedRecordParser(char delimiter, int maxRecordChars)
    {
        _delimiter = delimiter;
        _maxRecordChars = maxRecordChars;
        _unquotedStops = SearchValues.Create([delimiter, '"']);
        _cell = ArrayPool<char>.Shared.Rent(256);
    }

    /// <summary>The cells (trimmed) of the record completed by the last <see cref="Feed"/> that returned true.</summary>
    public IReadOnlyList<string> Cells => _cells;

    /// <summary>True when the last completed record was cut at the length limit.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>True when a record has started but not ended (inside a quoted line break, or mid-line).</summary>
    public bool InRecord => _recordOpen;

    /// <summary>
    /// Feeds the next piece of input. <paramref name="endsLine"/> says a line break follows the piece.
    /// Returns true when a record is complete; its cells are in <see cref="Cells"/> until the next call.
    /// A piece never completes more than one record, because records end only at line breaks.
    /// </summary>
    public bool Feed(ReadOnlySpan<char> piece, bool endsLine)
    {
        if (_discardToLineEnd)
        {
            _discardToLineEnd = !endsLine;
            return false;
        }

        if (!_recordOpen)
        {
            _cells.Clear();
            Overflowed = false;
            _recordChars = 0;
            _recordOpen = true;
        }

        _recordChars += piece.Length;
        if (_recordChars > _maxRecordChars)
        {
            EndCell();
            _recordOpen = false;
            _inQuotes = _quoteMaybeClosing = _afterQuote = false;
            Overflowed = true;
            _discardToLineEnd = !endsLine;
            return true;
        }

        var i = 0;
        if (_quoteMaybeClosing && piece.Length > 0)
        {
            // A quote ended the previous piece: doubled quote, or the end of the quoted field.
            _quoteMaybeClosing = false;
            if (piece[0] == '"')
            {
                Append('"');
                i = 1;
            }
            else
            {
                _inQuotes = false;
                _afterQuote = true;
            }
        }

        while (i < piece.Length)
        {
            if (_inQuotes)
            {
                var rest = piece[i..];
                var q = rest.IndexOf('"');
                if (q < 0)
                {
                    Append(rest);
                    i = piece.Length;
                    break;
                }

                Append(rest[..q]);
                i += q + 1;
                if (i == piece.Length)
                {
                    if (endsLine)
                    {
                        _inQuotes = false;
                        _afterQuote = true;
                    }
                    else
                    {
                        _quoteMaybeClosing = true;
                    }

                    break;
                }

                if (piece[i] == '"')
                {
                    Append('"');
                    i++;
                }
                else
                {
                    _inQuotes = false;
                    _afterQuote = true;
                }

                continue;
            }

            var span = piece[i..];
            var stop = span.IndexOfAny(_unquotedStops);
            if (stop < 0)
            {
                Append(span);
                break;
            }

            Append(span[..stop]);
            i += stop + 1;
            if (span[stop] == _delimiter)
            {
                EndCell();
            }
            else if (!_afterQuote && _cell.AsSpan(0, _cellLength).IsWhiteSpace())
            {
                _cellLength = 0;
                _inQuotes = true;
            }
            else
            {
                Append('"');
            }
        }

        if (!endsLine)
        {
            return false;
        }

        if (_inQuotes || _quoteMaybeClosing)
        {
            // A line break inside a quoted field belongs to the value.
            _quoteMaybeClosing = false;
            Append('\n');
            return false;
        }

        EndCell();
        _recordOpen = false;
        return true;
    }

    /// <summary>Ends the input: returns true with the pending record when one is open (unterminated quote at EOF).</summary>
    public bool Finish()
    {
        if (!_recordOpen)
        {
            return false;
        }

        EndCell();
        _recordOpen = false;
        _inQuotes = _quoteMaybeClosing = _afterQuote = false;
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_cell.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_cell);
            _cell = [];
        }
    }

    private void EndCell()
    {
        var value = _cell.AsSpan(0, _cellLength).Trim();
        _cells.Add(value.IsEmpty ? string.Empty : value.ToString());
        _cellLength = 0;
        _afterQuote = false;
    }

    private void Append(char c) => Append([c]);

    private void Append(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        if (_cellLength + text.Length > _cell.Length)
        {
            var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_cell.Length * 2, _cellLength + text.Length));
            _cell.AsSpan(0, _cellLength).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(_cell);
            _cell = bigger;
        }

        text.CopyTo(_cell.AsSpan(_cellLength));
        _cellLength += text.Length;
    }
}
