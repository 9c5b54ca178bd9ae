using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using PiiScanner.Extraction;
using PiiScanner.Extraction.Raw;
using PiiScanner.Sources;
using Xunit.Abstractions;

namespace PiiScanner.Tests.Sources;

/// <summary>Builds small disk images with command-line tools (no mounting) and reads them back.</summary>
internal sealed class ImageTestKit : IDisposable
{
    private readonly ITestOutputHelper _output;

    public ImageTestKit(ITestOutputHelper output)
    {
        _output = output;
        Folder = Path.Combine(Path.GetTempPath(), "piiscan-img-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>
    /// True when every tool is on PATH. Outside CI a missing tool skips the test (with a message); in CI
    /// (env CI set) the tools are installed by .ci/run, so a missing one fails the test.
    /// </summary>
    public bool Have(params string[] tools)
    {
        var missing = tools.Where(t => Which(t) is null).ToList();
        if (missing.Count == 0)
        {
            return true;
        }

        var message = "missing tools: " + string.Join(", ", missing)
            + " (apt-get install sleuthkit ewf-tools e2fsprogs dosfstools mtools ntfs-3g qemu-utils; .ci/run installs them)";
        MissingTool.SkipOrFail(_output, message);
        return false;
    }

    /// <summary>
    /// Full path of a tool on PATH, else in <c>/usr/sbin</c> or <c>/sbin</c> (where Debian puts mke2fs, mkfs.vfat and
    /// mkntfs, and which a normal user's PATH leaves out).
    /// </summary>
    public static string? Which(string tool)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin"])
            .Select(d => Path.Combine(d, tool))
            .FirstOrDefault(File.Exists);

    /// <summary>Runs a tool (argument list, no shell) and returns its standard output; fails the test on a non-zero exit.</summary>
    public string Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(Which(tool) ?? tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        return stdout + stderr.Result;
    }

    /// <summary>
    /// An MBR disk of about 24 MiB for tests that cut an image into parts: p1 a 16 MiB ext4 (1 KiB blocks; a roster,
    /// memos in nested directories, a deleted file, a person poked 6 MiB into its long free run, so past the run's
    /// first 4 MiB page), p2 a 2 MiB FAT (a file, files in two directories, a deleted file), p3 1 MiB without a file
    /// system (a person in it), and 1 MiB outside every partition at the end (a person there). With
    /// <paramref name="e01"/>, acquired as an E01 set (1 MiB segments).
    /// Needs mke2fs, debugfs, mkfs.vfat, mcopy, mmd, mdel (and ewfacquire for E01).
    /// </summary>
    public string BuildPartitionedDisk(bool e01 = false)
    {
        var tree = PathOf("parts-tree");
        Directory.CreateDirectory(Path.Combine(tree, "hr"));
        File.WriteAllText(Path.Combine(tree, "hr", "roster.csv"), "Name,SSN,DOB\nAlice Partone,123-45-6721,1980-02-03\nBen Partone,123-45-6722,1981-03-04\n");
        File.WriteAllText(Path.Combine(tree, "gone.txt"), "Name: Gina Gonepart\nSSN: 123-45-6723\n");
        foreach (var (dir, n) in new[] { ("hr/payroll", 3), ("legal", 2), ("legal/contracts/2024", 2), ("zz", 1) })
        {
            Directory.CreateDirectory(Path.Combine(tree, dir));
            for (var i = 0; i < n; i++)
            {
                File.WriteAllText(Path.Combine(tree, dir, $"memo{i}.txt"), $"Memo {dir} {i}: call Ida Indexed{i} about SSN 123-45-67{40 + i}\n");
            }
        }

        var ext4 = PathOf("parts-p1.ext4");
        Run("mke2fs", "-q", "-F", "-t", "ext4", "-b", "1024", "-d", tree, ext4, "16M");
        Run("debugfs", "-w", "-R", "rm gone.txt", ext4);
        const long poked = 12L << 20;
        Assert.Contains("not in use", Run("debugfs", "-R", $"testb {poked / 1024}", ext4), StringComparison.Ordinal);
        Poke(ext4, poked + 10, "Name: Fred Freerun SSN 123-45-6724 DOB 1970-01-02");

        var fat = PathOf("parts-p2.fat");
        var b = PathOf("parts-b.txt");
        File.WriteAllText(b, "Name: Pam Parttwo\nSSN: 123-45-6725\n");
        Run("mkfs.vfat", "-C", fat, "2048");
        Run("mcopy", "-i", fat, b, "::B.TXT");
        Run("mcopy", "-i", fat, b, "::OLD.TXT");
        Run("mmd", "-i", fat, "::DOCS", "::DOCS/SUB", "::MAIL");
        Run("mcopy", "-i", fat, b, "::DOCS/C.TXT");
        Run("mcopy", "-i", fat, b, "::DOCS/SUB/D.TXT");
        Run("mcopy", "-i", fat, b, "::MAIL/E.TXT");
        Run("mcopy", "-i", fat, b, "::MAIL/F.TXT");
        Run("mdel", "-i", fat, "::OLD.TXT");

        var p1 = File.ReadAllBytes(ext4);
        var p2 = File.ReadAllBytes(fat);
        const long start1 = 2048;
        var start2 = start1 + (p1.Length / 512);
        var start3 = start2 + (p2.Length / 512);
        const long sectors3 = 2048;
        var bytes = new byte[((start3 + sectors3) * 512) + (1 << 20)];
        p1.CopyTo(bytes, start1 * 512);
        p2.CopyTo(bytes, start2 * 512);
        foreach (var (slot, type, first, sectors) in new[] { (0, (byte)0x83, start1, p1.Length / 512), (1, (byte)0x0C, start2, p2.Length / 512), (2, (byte)0x83, start3, sectors3) })
        {
            var entry = bytes.AsSpan(446 + (16 * slot), 16);
            entry[4] = type;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)first);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], (uint)sectors);
        }

        bytes[510] = 0x55;
        bytes[511] = 0xAA;
        var raw = PathOf("parts.raw");
        File.WriteAllBytes(raw, bytes);
        Poke(raw, (start3 * 512) + 5000, "Name: Rita Rawpart SSN 123-45-6726");
        Poke(raw, bytes.Length - 4096, "Left behind: Olga Outside SSN 123-45-6727");
        if (!e01)
        {
            return raw;
        }

        Run("ewfacquire", "-u", "-q", "-t", PathOf("parts"), "-f", "encase6", "-c", "fast", "-S", "1MiB", raw);
        File.Delete(raw);
        return PathOf("parts.E01");
    }

    /// <summary>Writes bytes into an image file at an offset (simulating data left in unallocated space).</summary>
    public static void Poke(string image, long offset, string text)
    {
        using var file = new FileStream(image, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        file.Write(Encoding.ASCII.GetBytes(text));
    }

    /// <summary>
    /// Deletes a file from an NTFS image the way NTFS itself leaves it, without mounting (Debian's ntfs-3g has no
    /// tool that deletes, and FUSE mounts are not available everywhere): the MFT entry's in-use flag is cleared and
    /// the file's entries are removed from its parent directory's index blocks (INDX records, fixups undone and
    /// redone), so only the unallocated MFT entry remains. The $MFT and cluster bitmaps are left as they were (The
    /// Sleuth Kit reads allocation from the entry's flag). Returns the number of index entries removed.
    /// </summary>
    public static int DeleteNtfsFile(string image, long entry, long parent)
    {
        var b = File.ReadAllBytes(image);
        var bytesPerSector = BitConverter.ToUInt16(b, 0x0B);
        var clusterSize = bytesPerSector * b[0x0D];
        var mft = BitConverter.ToInt64(b, 0x30) * clusterSize;
        var perRecord = (sbyte)b[0x40];
        var recordSize = perRecord < 0 ? 1 << -perRecord : perRecord * clusterSize;
        var record = (int)(mft + (entry * recordSize));
        Assert.Equal("FILE", Encoding.ASCII.GetString(b, record, 4));
        Assert.Equal(entry, BitConverter.ToUInt32(b, record + 0x2C));
        var flags = BitConverter.ToUInt16(b, record + 0x16);
        Assert.True((flags & 1) == 1, "the MFT entry is not in use");
        BitConverter.TryWriteBytes(b.AsSpan(record + 0x16), (ushort)(flags & ~1));

        var removed = 0;
        for (var node = 0; node + 4096 <= b.Length; node += clusterSize)
        {
            if (Encoding.ASCII.GetString(b, node, 4) != "INDX")
            {
                continue;
            }

            Fixups(b, node, bytesPerSector, undo: true);
            var header = node + 0x18;
            var used = BitConverter.ToInt32(b, header + 4);
            var at = header + BitConverter.ToInt32(b, header);
            while (at < header + used)
            {
                var length = BitConverter.ToUInt16(b, at + 8);
                var entryFlags = BitConverter.ToUInt16(b, at + 12);
                if ((entryFlags & 2) != 0)
                {
                    break; // the end marker
                }

                if ((BitConverter.ToInt64(b, at) & 0xFFFFFFFFFFFF) == entry && (BitConverter.ToInt64(b, at + 0x10) & 0xFFFFFFFFFFFF) == parent)
                {
                    Assert.True((entryFlags & 1) == 0, "the entry has a sub-node (not a leaf)");
                    Buffer.BlockCopy(b, at + length, b, at, header + used - at - length);
                    used -= length;
                    BitConverter.TryWriteBytes(b.AsSpan(header + 4), used);
                    removed++;
                    continue;
                }

                at += length;
            }

            Fixups(b, node, bytesPerSector, undo: false);
        }

        File.WriteAllBytes(image, b);
        return removed;
    }

    /// <summary>NTFS multi-sector protection: the last two bytes of each sector of a record live in its update sequence array.</summary>
    private static void Fixups(byte[] b, int record, int bytesPerSector, bool undo)
    {
        var array = record + BitConverter.ToUInt16(b, record + 4);
        var count = BitConverter.ToUInt16(b, record + 6);
        for (var i = 1; i < count; i++)
        {
            var end = record + (i * bytesPerSector) - 2;
            var saved = array + (2 * i);
            if (undo)
            {
                Assert.True(b[end] == b[array] && b[end + 1] == b[array + 1], "torn NTFS record");
                (b[end], b[end + 1]) = (b[saved], b[saved + 1]);
            }
            else
            {
                (b[saved], b[saved + 1]) = (b[end], b[end + 1]);
                (b[end], b[end + 1]) = (b[array], b[array + 1]);
            }
        }
    }

    public static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    /// <summary>Enumerates a source into a list.</summary>
    public static async Task<List<ScanItem>> EnumerateAsync(IScanSource source)
    {
        var writer = new ListWriter();
        await source.EnumerateAsync(writer, CancellationToken.None);
        return writer.Items;
    }

    public static string ReadText(ScanItem item)
    {
        Assert.NotNull(item.Open);
        using var stream = item.Open(CancellationToken.None);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Encoding.Latin1.GetString(copy.ToArray());
    }

    /// <summary>Runs <see cref="RawExtractor"/> over an item and returns its segments.</summary>
    public static async Task<List<Segment>> ExtractRawAsync(ScanItem item)
    {
        Assert.NotNull(item.Open);
        using var stream = item.Open(CancellationToken.None);
        var segments = new List<Segment>();
        var context = new ExtractionContext(item, stream, ReadOnlyMemory<byte>.Empty, new ExtractionLimits(), segments.Add, (_, _, _) => ValueTask.CompletedTask);
        await new RawExtractor().ExtractAsync(context, CancellationToken.None);
        return segments;
    }

    /// <summary>Finds the raw page covering <paramref name="imageOffset"/> and the image offset at which <paramref name="text"/> was found in it.</summary>
    public static async Task<(ScanItem Page, long Offset)> FindInPagesAsync(IEnumerable<ScanItem> items, long imageOffset, string text)
    {
        var page = items.Single(i => i.ExtractorHint == "raw" && i.Origin?.ImageOffset is { } start
            && imageOffset >= start && imageOffset < start + Math.Min(i.Length ?? 0, RawExtractor.PageSize));
        foreach (var segment in await ExtractRawAsync(page))
        {
            var at = segment.Text.IndexOf(text, StringComparison.Ordinal);
            if (at >= 0 && !segment.Locator.ToString().EndsWith("utf-16le", StringComparison.Ordinal))
            {
                Assert.Equal($"offset {segment.ByteOffset}", segment.Locator);
                return (page, segment.ByteOffset!.Value + at);
            }
        }

        Assert.Fail($"'{text}' not found in the raw page at {page.Origin?.ImageOffset}");
        return default;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class ListWriter : ItemWriter
    {
        public List<ScanItem> Items { get; } = [];

        public override ValueTask WriteAsync(ScanItem item, CancellationToken cancellationToken)
        {
            lock (Items)
            {
                Items.Add(item);
            }

            return ValueTask.CompletedTask;
        }
    }
}
