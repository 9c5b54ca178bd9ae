using System.Buffers;
using System.Text;

namespace PiiScanner.Extraction;

/// <summary>
/// Streams decoded lines out of a byte stream with bounded memory: a fixed byte buffer, a fixed char buffer,
/// and lines longer than the limit handed out in pieces (cut at whitespace near the limit when there is some,
/// never inside a surrogate pair). Line ends are <c>\n</c>, <c>\r\n</c> and <c>\r</c>. Not thread-safe; the
/// stream is not owned.
/// </summary>
internal sealed class LineReader : IDisposable
{
    private const int ByteBufferSize = 64 * 1024;

    // How far back from the limit a long line looks for whitespace to cut at.
    private const int CutWindow = 1024;

    private readonly Stream _stream;
    private readonly Decoder _decoder;
    private readonly int _maxChars;
    private byte[] _bytes;
    private char[] _chars;
    private ReadOnlyMemory<byte> _prefix;
    private int _skipBytes;
    private int _byteCount;
    private int _start;
    private int _end;
    private int _scan;
    private bool _eof;
    private bool _pendingCr;
    private bool _nextIsContinuation;
    private long _nextLine = 1;

    /// <summary>Creates a reader.</summary>
    /// <param name="stream">The content, positioned at its start (or where <paramref name="prefix"/> ends).</param>
    /// <param name="encoding">The encoding to decode with.</param>
    /// <param name="skipBytes">Bytes to drop at the start (the BOM).</param>
    /// <param name="maxChars">Longest piece handed out; longer lines are split.</param>
    /// <param name="prefix">Bytes already read from the stream that come before the rest of it.</param>
    /// <param name="firstLineNumber">Number of the first line (when resuming in the middle of an item).</param>
    public LineReader(
        Stream stream,
        Encoding encoding,
        int skipBytes,
        int maxChars,
        ReadOnlyMemory<byte> prefix = default,
        long firstLineNumber = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 16);
        _stream = stream;
        _decoder = encoding.GetDecoder();
        _maxChars = maxChars;
        _skipBytes = skipBytes;
        _prefix = prefix;
        _nextLine = firstLineNumber;
        _bytes = ArrayPool<byte>.Shared.Rent(ByteBufferSize);
        _chars = ArrayPool<char>.Shared.Rent(maxChars + encoding.GetMaxCharCount(_bytes.Length) + 2);
    }

    /// <summary>The current line or piece of a line; valid until the next <see cref="ReadAsync"/>.</summary>
    public ReadOnlyMemory<char> Current { get; private set; }

    /// <summary>1-based number of the line <see cref="Current"/> belongs to.</summary>
    public long LineNumber { get; private set; }

    /// <summary>False when <see cref="Current"/> is a piece of a longer line and more of the line follows.</summary>
    public bool EndsLine { get; private set; }

    /// <summary>True when <see cref="Current"/> is not the first piece of its line.</summary>
    public bool IsContinuation { get; private set; }

    /// <summary>Advances to the next line (or piece). Returns false at the end of the content.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_pendingCr && _start < _end)
            {
                if (_chars[_start] == '\n')
                {
                    _start++;
                    _scan = Math.Max(_scan, _start);
                }

                _pendingCr = false;
            }

            if (!_pendingCr && TryTakeLine())
            {
                return true;
            }

            if (_eof)
            {
                _pendingCr = false;
                if (_start < _end)
                {
                    Deliver(_start, _end, endsLine: true);
                    _start = _scan = _end;
                    return true;
                }

                return false;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_chars);
            ArrayPool<byte>.Shared.Return(_bytes);
            _chars = [];
            _bytes = [];
        }
    }

    private bool TryTakeLine()
    {
        var limit = Math.Min(_end, _start + _maxChars + 1);
        if (_scan < limit)
        {
            var idx = _chars.AsSpan(_scan, limit - _scan).IndexOfAny('\r', '\n');
            if (idx >= 0)
            {
                var term = _scan + idx;
                Deliver(_start, term, endsLine: true);
                var next = term + 1;
                if (_chars[term] == '\r')
                {
                    if (next < _end)
                    {
                        if (_chars[next] == '\n')
                        {
                            next++;
                        }
                    }
                    else
                    {
                        _pendingCr = true;
                    }
                }

                _start = _scan = next;
                return true;
            }

            _scan = limit;
        }

        if (_end - _start < _maxChars)
        {
            return false;
        }

        // The line is too long: hand out a piece, cut at whitespace near the limit when possible.
        var cut = _start + _maxChars;
        if (char.IsHighSurrogate(_chars[cut - 1]))
        {
            cut--;
        }

        var window = Math.Min(CutWindow, _maxChars / 4);
        var space = _chars.AsSpan(cut - window, window).LastIndexOfAny(' ', '\t');
        if (space >= 0)
        {
            cut = cut - window + space + 1;
        }

        Deliver(_start, cut, endsLine: false);
        _start = cut;
        _scan = Math.Max(_scan, _start);
        return true;
    }

    private void Deliver(int from, int to, bool endsLine)
    {
        Current = _chars.AsMemory(from, to - from);
        LineNumber = _nextLine;
        EndsLine = endsLine;
        IsContinuation = _nextIsContinuation;
        _nextIsContinuation = !endsLine;
        if (endsLine)
        {
            _nextLine++;
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _chars.AsSpan(_start, _end - _start).CopyTo(_chars);
            _end -= _start;
            _scan -= _start;
            _start = 0;
        }

        int read;
        if (!_prefix.IsEmpty)
        {
            read = Math.Min(_prefix.Length, _bytes.Length - _byteCount);
            _prefix.Span[..read].CopyTo(_bytes.AsSpan(_byteCount));
            _prefix = _prefix[read..];
        }
        else
        {
            cancellationToken.ThrowIfCancellationRequested();
            read = await _stream.ReadAsync(_bytes.AsMemory(_byteCount), cancellationToken).ConfigureAwait(false);
        }

        if (_skipBytes > 0 && read > 0)
        {
            var skip = Math.Min(_skipBytes, read);
            _bytes.AsSpan(_byteCount + skip, read - skip).CopyTo(_bytes.AsSpan(_byteCount));
            read -= skip;
            _skipBytes -= skip;
            if (read == 0)
            {
                return;
            }
        }

        _byteCount += read;
        var flush = read == 0;
        _decoder.Convert(
            _bytes.AsSpan(0, _byteCount),
            _chars.AsSpan(_end),
            flush,
            out var bytesUsed,
            out var charsUsed,
            out var completed);
        _end += charsUsed;
        _byteCount -= bytesUsed;
        if (_byteCount > 0)
        {
            _bytes.AsSpan(bytesUsed, _byteCount).CopyTo(_bytes);
        }

        if (flush && completed)
        {
            _eof = true;
        }
    }
}
