using System.Buffers.Binary;

namespace PiiScanner.Extraction;

/// <summary>
/// Reads a zip's central directory just far enough to find entries whose data overlaps another entry's
/// (the "overlapping files" zip bomb: many directory entries pointing into one compressed kernel).
/// Zip64 archives and damaged directories are not analysed (null), the limits still bound them.
/// </summary>
internal static class ZipLayout
{
    private const uint EndOfCentralDirectory = 0x06054b50;
    private const uint CentralHeader = 0x02014b50;
    private const int LocalHeaderFixedSize = 30;

    /// <summary>
    /// Indexes (in central-directory order) of entries whose local header starts inside an earlier-placed entry's
    /// data, or null when the directory cannot be analysed. Restores the stream position.
    /// </summary>
    public static ZipOverlaps? FindOverlaps(Stream seekable)
    {
        var saved = seekable.Position;
        try
        {
            return Analyse(seekable);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
        finally
        {
            seekable.Position = saved;
        }
    }

    private static ZipOverlaps? Analyse(Stream stream)
    {
        var length = stream.Length;
        var tailLength = (int)Math.Min(length, 22 + 65535);
        if (tailLength < 22)
        {
            return null;
        }

        var tail = new byte[tailLength];
        stream.Position = length - tailLength;
        stream.ReadExactly(tail);
        var eocd = -1;
        for (var i = tailLength - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndOfCentralDirectory)
            {
                eocd = i;
                break;
            }
        }

        if (eocd < 0)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(eocd + 10));
        var size = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(eocd + 12));
        var offset = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(eocd + 16));
        if (count == 0xFFFF || size == 0xFFFFFFFF || offset == 0xFFFFFFFF || offset + (long)size > length || size > 64L << 20)
        {
            return null;
        }

        var directory = new byte[size];
        stream.Position = offset;
        stream.ReadExactly(directory);
        var spans = new List<(long Start, long End, int Index)>(count);
        var at = 0;
        for (var index = 0; index < count; index++)
        {
            if (at + 46 > directory.Length || BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(at)) != CentralHeader)
            {
                return null;
            }

            var compressed = BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(at + 20));
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(directory.AsSpan(at + 28));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(directory.AsSpan(at + 30));
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(directory.AsSpan(at + 32));
            var local = BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(at + 42));
            if (compressed == 0xFFFFFFFF || local == 0xFFFFFFFF)
            {
                return null;
            }

            // The local extra field may differ from the central one; the name length is the same.
            spans.Add((local, local + LocalHeaderFixedSize + nameLength + compressed, index));
            at += 46 + nameLength + extraLength + commentLength;
        }

        spans.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Index.CompareTo(b.Index));
        var overlapping = new HashSet<int>();
        long end = -1;
        foreach (var span in spans)
        {
            if (span.Start < end)
            {
                overlapping.Add(span.Index);
            }

            end = Math.Max(end, span.End);
        }

        return new ZipOverlaps(count, overlapping);
    }
}

/// <summary>The result of <see cref="ZipLayout.FindOverlaps"/>.</summary>
/// <param name="EntryCount">Entries in the central directory.</param>
/// <param name="Overlapping">Indexes of entries whose data overlaps an earlier-placed entry's.</param>
internal sealed record ZipOverlaps(int EntryCount, HashSet<int> Overlapping);
