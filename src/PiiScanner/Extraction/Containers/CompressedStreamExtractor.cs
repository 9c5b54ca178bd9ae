using System.IO.Compression;
using System.Text;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;

namespace PiiScanner.Extraction;

/// <summary>The single-stream compressors handled by <see cref="CompressedStreamExtractor"/>.</summary>
internal enum CompressedFormat
{
    /// <summary>gzip (RFC 1952), concatenated members included.</summary>
    Gzip,

    /// <summary>bzip2, concatenated streams included.</summary>
    Bzip2,

    /// <summary>xz (LZMA2).</summary>
    Xz,
}

/// <summary>
/// gzip, bzip2 and xz (<c>gzip</c>, <c>bzip2</c>, <c>xz</c>): a single compressed stream, scanned as one child
/// item named after the original file: the gzip FNAME header when present, else the outer name without its
/// suffix (<c>.tgz</c>/<c>.tbz2</c>/<c>.txz</c> → <c>.tar</c>), else <c>name.out</c>. A <c>.tar.gz</c> therefore
/// shows as <c>a.tar.gz!a.tar!member</c>: every layer gets its own record. Decompressed bytes are counted and
/// bounded (<see cref="MemberStream"/>); gzip and bzip2 quines stop at the depth limit. Stateless and thread-safe.
/// </summary>
internal sealed class CompressedStreamExtractor : IExtractor
{
    private readonly CompressedFormat _format;

    /// <summary>Creates the extractor for one format.</summary>
    public CompressedStreamExtractor(CompressedFormat format) => _format = format;

    /// <inheritdoc/>
    public string Name => _format switch
    {
        CompressedFormat.Gzip => "gzip",
        CompressedFormat.Bzip2 => "bzip2",
        _ => "xz",
    };

    /// <inheritdoc/>
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => _format switch
    {
        CompressedFormat.Gzip => head.Length >= 3 && head[0] == 0x1F && head[1] == 0x8B && head[2] == 8,
        CompressedFormat.Bzip2 => head.Length >= 10 && head.StartsWith("BZh"u8) && head[3] is >= (byte)'1' and <= (byte)'9'
            && (head.Slice(4, 6).SequenceEqual((ReadOnlySpan<byte>)[0x31, 0x41, 0x59, 0x26, 0x53, 0x59])
                || head.Slice(4, 6).SequenceEqual((ReadOnlySpan<byte>)[0x17, 0x72, 0x45, 0x38, 0x50, 0x90])),
        _ => head.StartsWith((ReadOnlySpan<byte>)[0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00]),
    };

    /// <inheritdoc/>
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        var budget = ExtractionBudget.For(context);
        var child = ContainerMembers.Child(context, InnerName(context), length: null);
        try
        {
            budget.ThrowIfExhausted();
        }
        catch (ExtractionLimitException ex)
        {
            context.Skip(ex.LimitName);
            return;
        }

        context.AddCount("entries");
        if (!ContainerMembers.DepthAllows(context))
        {
            await ContainerMembers.SkipTooDeepAsync(context, child, cancellationToken).ConfigureAwait(false);
            return;
        }

        var counting = new CountingStream(context.Content);
        Stream decoder;
        try
        {
            decoder = _format switch
            {
                CompressedFormat.Gzip => new GZipStream(counting, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true),
                CompressedFormat.Bzip2 => BZip2Stream.Create(
                    counting, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: true, leaveOpen: true, tolerateTruncatedStream: false),
                _ => new XZStream(counting),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ExtractionLimitException)
        {
            context.Skip("corrupt");
            return;
        }

        var meter = new MemberMeter(() => counting.BytesRead);
        var check = _format == CompressedFormat.Gzip ? produced => GzipTrailerFits(counting.Tail, produced) : (Func<long, bool>?)null;
        await using var member = new MemberStream(decoder, budget, meter, ownsInner: true, check);
        await ContainerMembers.ScanAsync(context, budget, child, member, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The name of the decompressed child (see the class remarks).</summary>
    internal string InnerName(ExtractionContext context)
    {
        if (_format == CompressedFormat.Gzip && GzipFileName(context.Head.Span) is { } stored)
        {
            var name = ContainerMembers.LeafName(ContainerMembers.CleanName(stored, string.Empty));
            if (name.Length > 0)
            {
                return name;
            }
        }

        var outer = ContainerMembers.LeafName(context.Item.Path);
        (string Suffix, string Replacement)[] suffixes = _format switch
        {
            CompressedFormat.Gzip => [(".tgz", ".tar"), (".taz", ".tar"), (".gz", ""), (".gzip", ""), (".z", "")],
            CompressedFormat.Bzip2 => [(".tbz2", ".tar"), (".tbz", ".tar"), (".bz2", ""), (".bz", "")],
            _ => [(".txz", ".tar"), (".xz", "")],
        };
        foreach (var (suffix, replacement) in suffixes)
        {
            if (outer.Length > suffix.Length && outer.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return string.Concat(outer.AsSpan(0, outer.Length - suffix.Length), replacement);
            }
        }

        return outer + ".out";
    }

    /// <summary>
    /// The gzip decoder ends quietly on a cut stream, so the end is checked against the trailer: ISIZE (the last
    /// member's size mod 2^32) must equal the output size, or be smaller (concatenated members). A cut stream
    /// leaves compressed bytes there, which read as a size this small only by rare chance.
    /// </summary>
    internal static bool GzipTrailerFits(ReadOnlySpan<byte> tail, long produced)
    {
        if (tail.Length < 8)
        {
            return false;
        }

        var size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]);
        return size == (uint)produced || size < produced;
    }

    /// <summary>The FNAME field of a gzip header (ISO 8859-1), when the head holds it.</summary>
    internal static string? GzipFileName(ReadOnlySpan<byte> head)
    {
        if (head.Length < 10 || (head[3] & 0x08) == 0)
        {
            return null;
        }

        var at = 10;
        if ((head[3] & 0x04) != 0)
        {
            if (head.Length < 12)
            {
                return null;
            }

            at += 2 + (head[10] | (head[11] << 8));
        }

        if (at >= head.Length)
        {
            return null;
        }

        var end = head[at..].IndexOf((byte)0);
        return end <= 0 ? null : Encoding.Latin1.GetString(head.Slice(at, end));
    }
}
