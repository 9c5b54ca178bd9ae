using System.Buffers;
using System.Globalization;
using System.Text;
using PiiScanner.Sources;

namespace PiiScanner.Extraction.Raw;

/// <summary>
/// Sweeps raw bytes (unallocated space, whole-image pages) for printable text, like <c>strings</c>: runs of
/// printable ASCII (with tab, CR and LF) and runs of UTF-16LE ASCII characters, at least
/// <see cref="MinRunChars"/> long. Each run becomes a <see cref="Segment"/> with locator <c>offset N</c> and
/// <see cref="Segment.ByteOffset"/> = N, where N is the byte offset of the run in the image when the item has
/// <see cref="Sources.ItemOrigin.ImageOffset"/>, else in the item. For an ASCII run a match's byte offset is
/// <c>ByteOffset + Start</c>; for a UTF-16LE run (locator <c>offset N utf-16le</c>) it is
/// <c>ByteOffset + 2 × Start</c>.
/// <para>
/// Paging contract: an item with <see cref="Sources.ItemOrigin.ImageOffset"/> is a page of
/// <see cref="PageSize"/> bytes followed by up to <see cref="PageOverlap"/> bytes that also start the next page;
/// only such pages are longer than <see cref="PageSize"/>. Runs that start in the overlap are left to the next
/// page, so a string cut by a page boundary is seen whole once.
/// </para>
/// Chosen only through <see cref="Sources.ScanItem.ExtractorHint"/> <c>raw</c> (<see cref="CanExtract"/> is false).
/// Stateless and thread-safe.
/// </summary>
internal sealed class RawExtractor : IExtractor
{
    /// <summary>Bytes a page owns (<see cref="RawPages.PageSize"/>, set by the source that cuts the pages).</summary>
    public const int PageSize = RawPages.PageSize;

    /// <summary>Bytes a page shares with the next one (<see cref="RawPages.PageOverlap"/>).</summary>
    public const int PageOverlap = RawPages.PageOverlap;

    /// <summary>Shortest run reported, in characters.</summary>
    public const int MinRunChars = 6;

    private const int ChunkSize = 256 << 10;

    /// <inheritdoc />
    public string Name => "raw";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => false;

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        var baseOffset = context.Item.Origin?.ImageOffset ?? 0;
        var isPage = context.Item.Origin?.ImageOffset is not null;
        var sweeper = new Sweeper(context, baseOffset, isPage, context.Limits.MaxSegmentChars);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while ((read = await context.Content.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                sweeper.Feed(buffer.AsSpan(0, read));
            }

            sweeper.Finish();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        context.AddCount("bytes", sweeper.Position);
        context.AddCount("runs", sweeper.Runs);
    }

    private static readonly SearchValues<byte> TextBytes = SearchValues.Create([.. Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b), (byte)'\t', (byte)'\n', (byte)'\r']);

    private static bool IsText(byte b) => b is >= 0x20 and <= 0x7E or (byte)'\t' or (byte)'\n' or (byte)'\r';

    /// <summary>Streaming state: one ASCII run and two UTF-16LE runs (even and odd alignment) in progress.</summary>
    private sealed class Sweeper
    {
        private readonly ExtractionContext _context;
        private readonly long _baseOffset;
        private readonly bool _isPage;
        private readonly int _maxChars;
        private readonly Run _ascii;
        private readonly Run[] _wide;
        private int _group;

        public Sweeper(ExtractionContext context, long baseOffset, bool isPage, int maxChars)
        {
            _context = context;
            _baseOffset = baseOffset;
            _isPage = isPage;
            _maxChars = Math.Max(MinRunChars, maxChars);
            _ascii = new Run(1);
            _wide = [new Run(2), new Run(2)];
        }

        public long Position { get; private set; }

        public long Runs { get; private set; }

        private bool Idle => _ascii.Text.Length == 0 && _wide[0].Text.Length == 0 && _wide[1].Text.Length == 0
            && _wide[0].PendingLow is null && _wide[1].PendingLow is null;

        public void Feed(ReadOnlySpan<byte> bytes)
        {
            for (var i = 0; i < bytes.Length; i++, Position++)
            {
                if (Idle)
                {
                    // Unallocated space is mostly zeros and binary: jump to the next text byte (vectorised).
                    var skip = bytes[i..].IndexOfAny(TextBytes);
                    if (skip < 0)
                    {
                        Position += bytes.Length - i;
                        return;
                    }

                    i += skip;
                    Position += skip;
                }

                var b = bytes[i];
                if (IsText(b))
                {
                    _ascii.Add(Position, (char)b, this);
                }
                else
                {
                    Flush(_ascii);
                }

                // UTF-16LE: a text byte at the even position of its alignment followed by a zero byte.
                var wide = _wide[(int)(Position & 1)];
                var other = _wide[(int)((Position + 1) & 1)];
                if (wide.PendingLow is { } low)
                {
                    // this byte is the high byte of a pair started at Position - 1
                    wide.PendingLow = null;
                    if (b == 0)
                    {
                        wide.Add(Position - 1, (char)low, this);
                    }
                    else
                    {
                        Flush(wide);
                    }
                }

                if (IsText(b))
                {
                    other.PendingLow = b;
                }
                else
                {
                    other.PendingLow = null;
                    Flush(other);
                }
            }
        }

        public void Finish()
        {
            Flush(_ascii);
            Flush(_wide[0]);
            Flush(_wide[1]);
        }

        public void Emit(Run run)
        {
            var chars = run.Text.Length;
            if (chars >= MinRunChars || (run.Continued && chars > 0))
            {
                // Runs that start in the overlap belong to the next page.
                var owned = !_isPage || _context.Item.Length is not { } length || length <= PageSize || run.Start < PageSize;
                if (owned)
                {
                    var offset = _baseOffset + run.Start;
                    Runs++;
                    _context.Emit(new Segment(Locator.Offset(offset, utf16: run.Width == 2), run.Text.ToString())
                    {
                        ByteOffset = offset,
                        Group = _group++,
                        GroupKind = GroupKind.Block,
                    });
                }
            }

            run.Text.Clear();
        }

        private void Flush(Run run)
        {
            Emit(run);
            run.Continued = false;
        }

        public int MaxChars => _maxChars;
    }

    private sealed class Run(int width)
    {
        public int Width { get; } = width;

        public StringBuilder Text { get; } = new();

        public long Start { get; private set; }

        public bool Continued { get; set; }

        public byte? PendingLow { get; set; }

        public void Add(long position, char c, Sweeper sweeper)
        {
            if (Text.Length == 0)
            {
                Start = position;
            }

            Text.Append(c);
            if (Text.Length >= sweeper.MaxChars)
            {
                // Split an over-long run; the next piece continues it (and is kept however short).
                sweeper.Emit(this);
                Continued = true;
            }
        }
    }
}
