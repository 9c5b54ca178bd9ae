using System.Text;

namespace PiiScanner.Extraction;

/// <summary>
/// Printable-strings sweep (<c>strings</c>) for binaries no other extractor understands (legacy Word .doc,
/// unknown formats), like <c>strings -a</c> plus <c>strings -el</c>: runs of at least
/// <see cref="MinRunLength"/> printable ASCII characters, and of UTF-16LE code units whose high byte is zero
/// (ASCII or Latin-1), at either byte alignment. Each run is a segment with locator <c>offset N</c> and
/// <see cref="Segment.ByteOffset"/> N; runs closer than <see cref="MaxGroupGap"/> bytes share a group. Streams
/// in fixed chunks: memory stays bounded on multi-gigabyte files (long runs are cut at
/// <see cref="ExtractionLimits.MaxSegmentChars"/>). Records <c>Detail = "strings"</c>. Claims only content that
/// looks binary and is not a compressed media format (where strings are noise). Stateless and thread-safe.
/// </summary>
internal sealed class StringsExtractor : IExtractor
{
    /// <summary>Shortest run reported.</summary>
    internal const int MinRunLength = 6;

    /// <summary>Largest gap (bytes) between runs of one group.</summary>
    internal const int MaxGroupGap = 64;

    /// <inheritdoc/>
    public string Name => "strings";

    /// <inheritdoc/>
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => LooksBinary(head) && !IsCompressedMedia(head);

    /// <summary>True when the head has NUL bytes or more than 10% control bytes other than text whitespace.</summary>
    internal static bool LooksBinary(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return false;
        }

        var control = 0;
        foreach (var b in head)
        {
            if (b == 0)
            {
                return true;
            }

            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1B))
            {
                control++;
            }
        }

        return control * 10 > head.Length;
    }

    /// <summary>Images, audio, video and compressors whose bytes hold no readable text.</summary>
    internal static bool IsCompressedMedia(ReadOnlySpan<byte> head)
        => head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])
           || head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])
           || head.StartsWith("GIF8"u8)
           || head.StartsWith("RIFF"u8)
           || head.StartsWith("OggS"u8)
           || head.StartsWith("fLaC"u8)
           || head.StartsWith("ID3"u8)
           || head.StartsWith("Rar!"u8)
           || head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])
           || head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD])
           || (head.Length >= 8 && head.Slice(4, 4).SequenceEqual("ftyp"u8));

    /// <inheritdoc/>
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        context.Detail = "strings";
        var sweep = new Sweep(context);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await context.Content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            sweep.Feed(buffer.AsSpan(0, read));
        }

        sweep.Finish();
    }

    /// <summary>The scanning state across chunks.</summary>
    private sealed class Sweep
    {
        private readonly ExtractionContext _context;
        private readonly int _maxChars;
        private readonly Run _ascii = new();
        private readonly Run[] _wide = [new(), new()];
        private long _position;
        private int _previous = -1;
        private long _lastEnd = long.MinValue;
        private int _group;

        public Sweep(ExtractionContext context)
        {
            _context = context;
            _maxChars = Math.Max(context.Limits.MaxSegmentChars, MinRunLength);
        }

        public void Feed(ReadOnlySpan<byte> chunk)
        {
            foreach (var b in chunk)
            {
                if (IsPrintableAscii(b))
                {
                    Extend(_ascii, (char)b, _position, 1);
                }
                else
                {
                    End(_ascii);
                }

                if (_previous >= 0)
                {
                    // The code unit (previous, b) starts at _position - 1; its alignment picks the run.
                    var wide = _wide[(int)((_position - 1) & 1)];
                    if (b == 0 && IsPrintableLatin1((byte)_previous))
                    {
                        Extend(wide, (char)_previous, _position - 1, 2);
                    }
                    else
                    {
                        End(wide);
                    }
                }

                _previous = b;
                _position++;
            }
        }

        public void Finish()
        {
            End(_ascii);
            End(_wide[0]);
            End(_wide[1]);
        }

        private static bool IsPrintableAscii(byte b) => b is (>= 0x20 and < 0x7F) or (byte)'\t';

        private static bool IsPrintableLatin1(byte b) => IsPrintableAscii(b) || b >= 0xA0;

        private void Extend(Run run, char c, long offset, int width)
        {
            if (run.Text.Length == 0)
            {
                run.Start = offset;
                run.Width = width;
            }

            run.Text.Append(c);
            if (run.Text.Length >= _maxChars)
            {
                // Cut very long runs; the rest continues as a new run right after.
                Emit(run);
                run.Text.Clear();
                run.Continued = true;
            }
        }

        private void End(Run run)
        {
            if (run.Text.Length >= MinRunLength || (run.Continued && run.Text.Length > 0))
            {
                Emit(run);
            }

            run.Text.Clear();
            run.Continued = false;
        }

        private void Emit(Run run)
        {
            var start = run.Start;
            if (start - _lastEnd > MaxGroupGap)
            {
                _group++;
            }

            _lastEnd = start + ((long)run.Text.Length * run.Width);
            _context.Emit(new Segment(Locator.Offset(start), run.Text.ToString())
            {
                ByteOffset = start,
                Group = _group,
                GroupKind = GroupKind.Block,
            });
            _context.AddCount("strings");
            run.Start = _lastEnd;
        }
    }

    private sealed class Run
    {
        public StringBuilder Text { get; } = new();

        public long Start { get; set; }

        public int Width { get; set; } = 1;

        public bool Continued { get; set; }
    }
}
