namespace PiiScanner.Extraction.Pdf;

/// <summary>
/// Checks a PDF for structures that make PdfPig 0.1.16 crash the process rather than throw: a cross-reference
/// stream whose <c>/W</c> field widths are huge (e.g. <c>/W[1 2 166666666666666666666666666]</c>) overflows the
/// stack inside <c>XrefStreamParser</c>, which no catch can stop. Such files are skipped before PdfPig sees them.
/// </summary>
internal static class PdfPrecheck
{
    private const int ChunkSize = 1 << 20;
    private const int Overlap = 4096;
    private const int Window = 2048;

    // Valid widths are a few bytes each (type, offset up to 8 bytes, generation).
    private const int MaxFieldWidth = 16;

    /// <summary>True when an xref stream declares field widths no real file uses. Leaves the stream at 0.</summary>
    public static bool HasHostileXrefWidths(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize + Overlap];
        var carried = 0;
        stream.Position = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var read = stream.ReadAtLeast(buffer.AsSpan(carried, ChunkSize), ChunkSize, throwOnEndOfStream: false);
                var length = carried + read;
                if (HostileIn(buffer.AsSpan(0, length)))
                {
                    return true;
                }

                if (read < ChunkSize)
                {
                    return false;
                }

                carried = Math.Min(Overlap, length);
                buffer.AsSpan(length - carried, carried).CopyTo(buffer);
            }
        }
        finally
        {
            stream.Position = 0;
        }
    }

    private static bool HostileIn(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        while (true)
        {
            var hit = data[offset..].IndexOf("/XRef"u8);
            if (hit < 0)
            {
                return false;
            }

            hit += offset;
            var start = Math.Max(0, hit - Window);
            var window = data[start..Math.Min(data.Length, hit + Window)];
            if (HostileWidths(window))
            {
                return true;
            }

            offset = hit + 5;
        }
    }

    private static bool HostileWidths(ReadOnlySpan<byte> window)
    {
        var offset = 0;
        while (true)
        {
            var at = window[offset..].IndexOf("/W"u8);
            if (at < 0)
            {
                return false;
            }

            var i = offset + at + 2;
            while (i < window.Length && IsSpace(window[i]))
            {
                i++;
            }

            if (i < window.Length && window[i] == (byte)'[')
            {
                var total = 0L;
                var number = 0L;
                var digits = 0;
                for (i++; i < window.Length && window[i] != (byte)']'; i++)
                {
                    if (window[i] is >= (byte)'0' and <= (byte)'9')
                    {
                        if (++digits > 4)
                        {
                            return true;
                        }

                        number = (number * 10) + (window[i] - '0');
                    }
                    else if (digits > 0)
                    {
                        if (number > MaxFieldWidth)
                        {
                            return true;
                        }

                        total += number;
                        number = 0;
                        digits = 0;
                    }
                }

                if (number > MaxFieldWidth || total + number > 3 * MaxFieldWidth)
                {
                    return true;
                }
            }

            offset += at + 2;
        }
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t' or (byte)'\f' or 0;
}
