using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace PiiScanner.Tests.Extraction.Containers;

/// <summary>Builds small synthetic archives and messages in memory (made-up people only).</summary>
internal static class Fixtures
{
    public const string PeopleCsv = "name,ssn,dob\nJane Testperson,078-05-1120,1961-03-04\nJohn Sample,219-09-9999,1970-01-01\n";

    /// <summary>people.csv, compressed with xz by the xz tool (SharpCompress cannot write xz).</summary>
    public static readonly byte[] PeopleCsvXz = Convert.FromBase64String(
        "/Td6WFoAAATm1rRGAgAhARYAAAB0L+WjAQAkbmFtZSxzc24KSmFuZSBUZXN0cGVyc29uLDA3OC0wNS0xMTIwCgAAAAC6QpxWrgC6CwABPSXSKWoBH7bzfQEAAAAABFla");

    public static byte[] Utf8(string text) => PiiScanner.Testing.FormatFiles.Utf8(text);

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
        => Zip(CompressionLevel.Optimal, entries);

    public static byte[] Zip(CompressionLevel level, params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = zip.CreateEntry(name, level);
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Tar(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>A gzip stream whose header carries the original file name (FNAME).</summary>
    public static byte[] GzipWithName(byte[] content, string name)
    {
        var plain = Gzip(content);
        var header = plain[..10];
        header[3] |= 0x08;
        return [.. header, .. Encoding.Latin1.GetBytes(name), 0, .. plain[10..]];
    }

    public static byte[] Bzip2(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var bzip2 = SharpCompress.Compressors.BZip2.BZip2Stream.Create(
            buffer, SharpCompress.Compressors.CompressionMode.Compress, decompressConcatenated: false, leaveOpen: true, tolerateTruncatedStream: false))
        {
            bzip2.Write(content);
            bzip2.Finish();
        }

        return buffer.ToArray();
    }

    public static byte[] SevenZip(params (string Name, byte[] Content)[] entries) => PiiScanner.Testing.FormatFiles.SevenZip(entries);

    /// <summary>Sets the "encrypted" flag of every entry (local and central headers); the data stays plain.</summary>
    public static byte[] MarkEncrypted(byte[] zip)
    {
        var copy = (byte[])zip.Clone();
        for (var i = 0; i + 4 <= copy.Length; i++)
        {
            if (copy[i] == 'P' && copy[i + 1] == 'K' && copy[i + 2] == 3 && copy[i + 3] == 4)
            {
                copy[i + 6] |= 1;
            }
            else if (copy[i] == 'P' && copy[i + 1] == 'K' && copy[i + 2] == 1 && copy[i + 3] == 2)
            {
                copy[i + 8] |= 1;
            }
        }

        return copy;
    }

    /// <summary>
    /// An overlapping-entry zip bomb: one deflated kernel of <paramref name="kernelBytes"/> zeros and
    /// <paramref name="copies"/> central-directory entries that all point at the same local header.
    /// </summary>
    public static byte[] OverlappingBomb(int copies, int kernelBytes)
    {
        var single = Zip(("kernel.bin", new byte[kernelBytes]));
        var cdStart = FindLast(single, [(byte)'P', (byte)'K', 1, 2]);
        var eocd = FindLast(single, [(byte)'P', (byte)'K', 5, 6]);
        var central = single[cdStart..eocd];
        using var buffer = new MemoryStream();
        buffer.Write(single, 0, cdStart);
        for (var i = 0; i < copies; i++)
        {
            buffer.Write(central);
        }

        var end = single[eocd..];
        BitConverter.TryWriteBytes(end.AsSpan(8, 2), (ushort)copies);
        BitConverter.TryWriteBytes(end.AsSpan(10, 2), (ushort)copies);
        BitConverter.TryWriteBytes(end.AsSpan(12, 4), (uint)(central.Length * copies));
        buffer.Write(end);
        return buffer.ToArray();
    }

    /// <summary>A 42.zip-style nested bomb: <paramref name="levels"/> levels of <paramref name="copies"/> copies.</summary>
    public static byte[] NestedBomb(int levels, int copies, int leafBytes)
    {
        var current = Zip(("zeros.bin", new byte[leafBytes]));
        for (var level = 1; level < levels; level++)
        {
            current = Zip([.. Enumerable.Range(1, copies).Select(i => ($"{i}.zip", current))]);
        }

        return current;
    }

    private static int FindLast(byte[] data, byte[] signature)
    {
        for (var i = data.Length - signature.Length; i >= 0; i--)
        {
            if (data.AsSpan(i, signature.Length).SequenceEqual(signature))
            {
                return i;
            }
        }

        throw new InvalidOperationException("signature not found");
    }
}
