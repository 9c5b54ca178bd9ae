using System.Buffers.Binary;

namespace PiiScanner.Extraction.Ocr;

/// <summary>The image formats the recogniser is given.</summary>
internal enum ImageFormat
{
    Png,
    Jpeg,
    Tiff,
    Bmp,
}

/// <summary>An image's format and the size of each of its pages, read from headers only (nothing is decoded).</summary>
/// <param name="Format">The format.</param>
/// <param name="Pages">Width and height of each page (one for every format but TIFF).</param>
/// <param name="NextIfdPointers">TIFF only: where each page's "next IFD" pointer sits, to cut the page chain.</param>
internal sealed record ImageInfo(ImageFormat Format, IReadOnlyList<(long Width, long Height)> Pages, IReadOnlyList<int> NextIfdPointers);

/// <summary>
/// Reads image dimensions from PNG, JPEG, TIFF and BMP headers, so that an image too large to decode safely (a
/// decompression bomb: a few KiB declaring 100 000 × 100 000 pixels) is refused before any decoder runs.
/// </summary>
internal static class ImageHeader
{
    private const int MaxTiffPages = 100_000;

    /// <summary>The format from the first bytes, or null when the content is none of the formats read here.</summary>
    public static ImageFormat? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ImageFormat.Png;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return ImageFormat.Jpeg;
        }

        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8))
        {
            return ImageFormat.Tiff;
        }

        // BMP: "BM", then a DIB header of a known size at 14.
        if (head.Length >= 26 && head.StartsWith("BM"u8)
            && BinaryPrimitives.ReadUInt32LittleEndian(head[14..]) is 12 or 40 or 52 or 56 or 64 or 108 or 124)
        {
            return ImageFormat.Bmp;
        }

        return null;
    }

    /// <summary>Reads the format and page sizes, or returns null when the headers are damaged or unsupported (BigTIFF).</summary>
    public static ImageInfo? Read(ReadOnlySpan<byte> data)
    {
        try
        {
            return Sniff(data) switch
            {
                ImageFormat.Png => data.Length >= 24 && data[12..16].SequenceEqual("IHDR"u8)
                    ? Single(ImageFormat.Png, BinaryPrimitives.ReadUInt32BigEndian(data[16..]), BinaryPrimitives.ReadUInt32BigEndian(data[20..]))
                    : null,
                ImageFormat.Jpeg => ReadJpeg(data),
                ImageFormat.Tiff => ReadTiff(data),
                ImageFormat.Bmp => data.Length >= 26
                    ? BinaryPrimitives.ReadUInt32LittleEndian(data[14..]) == 12
                        ? Single(ImageFormat.Bmp, BinaryPrimitives.ReadUInt16LittleEndian(data[18..]), BinaryPrimitives.ReadUInt16LittleEndian(data[20..]))
                        : Single(ImageFormat.Bmp, Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[18..])), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[22..])))
                    : null,
                _ => null,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>A copy of a TIFF whose page chain ends after <paramref name="pages"/> pages.</summary>
    public static byte[] TruncateTiff(ReadOnlySpan<byte> data, ImageInfo info, int pages)
    {
        var copy = data.ToArray();
        var at = info.NextIfdPointers[pages - 1];
        copy.AsSpan(at, 4).Clear();
        return copy;
    }

    private static ImageInfo Single(ImageFormat format, long width, long height) => new(format, [(width, height)], []);

    private static ImageInfo? ReadJpeg(ReadOnlySpan<byte> data)
    {
        var i = 2;
        while (i + 4 <= data.Length)
        {
            if (data[i] != 0xFF)
            {
                return null;
            }

            var marker = data[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2;
                continue;
            }

            if (marker is 0xD9 or 0xDA)
            {
                return null; // end of image or start of scan before any frame header
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (i + 9 > data.Length)
                {
                    return null;
                }

                var height = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 5)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 7)..]);
                return Single(ImageFormat.Jpeg, width, height);
            }

            if (length < 2)
            {
                return null;
            }

            i += 2 + length;
        }

        return null;
    }

    private static ImageInfo? ReadTiff(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8)
        {
            return null;
        }

        var little = data[0] == (byte)'I';
        uint U32(ReadOnlySpan<byte> d, int at) => little ? BinaryPrimitives.ReadUInt32LittleEndian(d[at..]) : BinaryPrimitives.ReadUInt32BigEndian(d[at..]);
        ushort U16(ReadOnlySpan<byte> d, int at) => little ? BinaryPrimitives.ReadUInt16LittleEndian(d[at..]) : BinaryPrimitives.ReadUInt16BigEndian(d[at..]);

        if (U16(data, 2) != 42)
        {
            return null; // 43 is BigTIFF, which the recogniser's reader does not take
        }

        var pages = new List<(long, long)>();
        var pointers = new List<int>();
        var seen = new HashSet<uint>();
        var offset = U32(data, 4);
        while (offset != 0)
        {
            if (!seen.Add(offset) || offset > data.Length - 2 || pages.Count >= MaxTiffPages)
            {
                return pages.Count > 0 ? new ImageInfo(ImageFormat.Tiff, pages, pointers) : null;
            }

            var at = (int)offset;
            var count = U16(data, at);
            long width = 0;
            long height = 0;
            for (var e = 0; e < count; e++)
            {
                var entry = at + 2 + (12 * e);
                var tag = U16(data, entry);
                if (tag is not (256 or 257))
                {
                    continue;
                }

                var type = U16(data, entry + 2);
                long value = type == 3 ? U16(data, entry + 8) : U32(data, entry + 8);
                if (tag == 256)
                {
                    width = value;
                }
                else
                {
                    height = value;
                }
            }

            var next = at + 2 + (12 * count);
            pages.Add((width, height));
            pointers.Add(next);
            offset = U32(data, next);
        }

        return pages.Count > 0 ? new ImageInfo(ImageFormat.Tiff, pages, pointers) : null;
    }
}
