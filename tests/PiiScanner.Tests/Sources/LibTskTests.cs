using System.Diagnostics;
using System.Globalization;
using PiiScanner.Sources;
using PiiScanner.Sources.SleuthKit;
using Xunit.Abstractions;

namespace PiiScanner.Tests.Sources;

/// <summary>
/// File contents read in-process through libtsk: the bytes, sizes and data-unit sizes libtsk gives must be the ones
/// The Sleuth Kit's own programs give (which also checks the structure offsets <see cref="LibTsk"/> relies on), on
/// ext4, FAT and NTFS, from several threads at once; and the command-line fallback still reads everything.
/// </summary>
public sealed class LibTskTests : IDisposable
{
    private readonly ImageTestKit _kit;
    private readonly ITestOutputHelper _output;

    public LibTskTests(ITestOutputHelper output)
    {
        _output = output;
        _kit = new ImageTestKit(output);
    }

    public void Dispose() => _kit.Dispose();

    /// <summary>libtsk is there wherever Debian's sleuthkit is (it depends on libtsk19); a test needing it skips or fails like a missing tool.</summary>
    private bool HaveLibTsk()
    {
        if (LibTsk.Instance is not null)
        {
            return true;
        }

        MissingTool.SkipOrFail(_output, "libtsk not usable: " + LibTsk.LoadFailure);
        return false;
    }

    [Theory]
    [InlineData("ext4")]
    [InlineData("fat")]
    [InlineData("ntfs")]
    public async Task EveryFile_ReadsAsIcatReadsIt(string kind)
    {
        if (!_kit.Have("mke2fs", "debugfs", "mkfs.vfat", "mcopy", "mkntfs", "ntfscp", "fls", "icat", "blkcat") || !HaveLibTsk())
        {
            return;
        }

        var image = kind switch
        {
            "ext4" => BuildExt4(40),
            "fat" => BuildFat(),
            _ => BuildNtfs(),
        };
        var source = new DiskImageSource(image);
        var items = await ImageTestKit.EnumerateAsync(source);
        var facts = source.GetFacts();
        Assert.StartsWith("libtsk " + LibTsk.Instance!.Version + " in-process", facts["image.contents"], StringComparison.Ordinal);
        Assert.Equal("read", facts["image.slack"]);

        var files = items.Where(i => i.Open is not null && i.ExtractorHint is null).ToList();
        Assert.True(files.Count >= 3, string.Join(", ", items.Select(i => i.Path)));
        var fsType = _kit.Run("fsstat", "-t", image).Trim();
        var read = 0;
        foreach (var file in files)
        {
            // Where icat fails (an NTFS orphan entry without $DATA), the library fails too, and the other way round.
            var viaIcat = RunBytes("icat", "-f", fsType, image, file.Origin!.Inode!);
            if (viaIcat is null)
            {
                var failure = Assert.Throws<ToolFailedException>(() => ReadAll(file));
                Assert.StartsWith("libtsk: ", failure.Reason, StringComparison.Ordinal);
                continue;
            }

            var viaLibrary = ReadAll(file);
            Assert.True(viaIcat.AsSpan().SequenceEqual(viaLibrary), $"{file.Path} ({file.Origin.Inode}): libtsk {viaLibrary.Length} bytes, icat {viaIcat.Length}");
            Assert.Equal(file.Length, viaLibrary.Length); // fls's size column = TSK_FS_ATTR.size read at its offset
            read++;
        }

        Assert.True(read >= 3, $"{read} files read");

        // TSK_FS_INFO.block_size read at its offset = blkcat -s; TSK_FS_INFO.offset was checked on open.
        var lib = LibTsk.Instance!;
        using var tskImage = TskImage.Open(lib, [image]);
        using var fs = tskImage.OpenFileSystem(0, fsType);
        var blkcat = _kit.Run("blkcat", "-s", image);
        Assert.Equal(uint.Parse(blkcat[..blkcat.IndexOf(':', StringComparison.Ordinal)].Trim(), CultureInfo.InvariantCulture), fs.BlockSize);

        // TSK_FS_INFO.last_block = the end of the range fsstat prints (blocks, FAT sectors, NTFS clusters).
        var range = kind switch { "ext4" => "Block Range: 0 - ", "fat" => "Total Range: 0 - ", _ => "Total Cluster Range: 0 - " };
        var fsstat = _kit.Run("fsstat", image);
        var at = fsstat.IndexOf(range, StringComparison.Ordinal);
        Assert.True(at >= 0, fsstat);
        Assert.Equal(long.Parse(new string(fsstat[(at + range.Length)..].TakeWhile(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture), fs.LastBlock);
    }

    [Fact]
    public async Task ManyThreads_ReadTheSameBytes()
    {
        if (!_kit.Have("mke2fs") || !HaveLibTsk())
        {
            return;
        }

        var image = BuildExt4(300);
        var items = (await ImageTestKit.EnumerateAsync(new DiskImageSource(image))).Where(i => i.Path.StartsWith("fs/many/", StringComparison.Ordinal)).ToList();
        Assert.Equal(300, items.Count);
        var texts = new string[items.Count];
        Parallel.For(0, items.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            var i = n % items.Count;
            var text = ImageTestKit.ReadText(items[i]);
            Assert.Equal(Expected(items[i].Path), text);
            texts[i] = text;
        });
        Assert.All(texts, t => Assert.NotNull(t));
    }

    [Fact]
    public async Task CommandLineFallback_StillReadsEveryFileAndSaysSlackIsNotRead()
    {
        if (!_kit.Have("mke2fs", "fls", "icat"))
        {
            return;
        }

        var image = BuildExt4(5);
        var source = new DiskImageSource(image, new DiskImageOptions { ReadWithTools = true });
        var items = await ImageTestKit.EnumerateAsync(source);
        var facts = source.GetFacts();
        Assert.Equal("icat per file (the command-line tools were asked for)", facts["image.contents"]);
        Assert.StartsWith("not read: ", facts["image.slack"], StringComparison.Ordinal);
        Assert.DoesNotContain(items, i => i.Path.Contains("#slack", StringComparison.Ordinal));
        var file = Assert.Single(items, i => i.Path == "fs/many/f0003.txt");
        Assert.Equal(Expected(file.Path), ImageTestKit.ReadText(file));
    }

    [Fact]
    public async Task UnreadableAddress_FailsWithWhatLibTskSaid()
    {
        if (!_kit.Have("mke2fs") || !HaveLibTsk())
        {
            return;
        }

        var image = BuildExt4(1);
        using var tskImage = TskImage.Open(LibTsk.Instance!, [image]);
        using var fs = tskImage.OpenFileSystem(0, "ext4");
        var ex = Assert.Throws<ToolFailedException>(() => fs.OpenStream("999999"));
        Assert.StartsWith("libtsk: ", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("999999", ex.Reason, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("12", 12UL, null, null)]
    [InlineData("35-128-1", 35UL, 128U, (ushort)1)]
    [InlineData("64-128", 64UL, 128U, null)]
    public void MetadataAddress_IsParsedAsFlsPrintsIt(string address, ulong inode, uint? type, ushort? id)
        => Assert.Equal((inode, type, id), TskFileSystem.ParseAddress(address));

    [Theory]
    [InlineData("")]
    [InlineData("12-x")]
    [InlineData("1-2-3-4")]
    [InlineData("-5")]
    public void MetadataAddress_NotAnAddress_IsRejected(string address)
        => Assert.Throws<FormatException>(() => TskFileSystem.ParseAddress(address));

    [Theory]
    [InlineData("4.11.1", true)]
    [InlineData("4.13.0", true)]
    [InlineData("4.14.0", false)]
    [InlineData("5.0.0", false)]
    public void OnlyCheckedVersions_AreUsedInProcess(string version, bool used)
        => Assert.Equal(used, LibTsk.IsCheckedVersion(version));

    private static string Expected(string path) => $"Name: Person {Path.GetFileNameWithoutExtension(path)}\nSSN: 123-45-{int.Parse(path[^8..^4], CultureInfo.InvariantCulture) + 1000:D4}\n";

    /// <summary>ext4 (4 KiB blocks) with <paramref name="count"/> small files under many/, one 70 KB file and an empty one.</summary>
    private string BuildExt4(int count)
    {
        var tree = _kit.PathOf("tree-ext4");
        Directory.CreateDirectory(Path.Combine(tree, "many"));
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(tree, "many", $"f{i:D4}.txt");
            File.WriteAllText(path, Expected(path));
        }

        File.WriteAllText(Path.Combine(tree, "big.txt"), string.Concat(Enumerable.Range(0, 7000).Select(i => $"line {i:D5}\n")));
        File.WriteAllText(Path.Combine(tree, "empty.txt"), string.Empty);
        var image = _kit.PathOf("ext4.img");
        _kit.Run("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree, image, "8M");
        return image;
    }

    private string BuildFat()
    {
        var image = _kit.PathOf("fat.img");
        _kit.Run("mkfs.vfat", "-C", image, "2048");
        foreach (var (name, text) in new[] { ("A.TXT", "alpha\n"), ("B.TXT", new string('b', 5000)), ("C.TXT", "gamma gamma\n") })
        {
            var local = _kit.PathOf(name);
            File.WriteAllText(local, text);
            _kit.Run("mcopy", "-i", image, local, "::" + name);
        }

        return image;
    }

    /// <summary>NTFS with a resident file, a non-resident one and an alternate data stream is not built (ntfscp writes no ADS): two files.</summary>
    private string BuildNtfs()
    {
        var image = _kit.PathOf("ntfs.img");
        using (var file = File.Create(image))
        {
            file.SetLength(8L << 20);
        }

        _kit.Run("mkntfs", "-q", "-F", "-Q", image);
        foreach (var (name, text) in new[] { ("small.txt", "resident in the MFT record\n"), ("large.txt", new string('x', 20000) + "end\n") })
        {
            var local = _kit.PathOf(name);
            File.WriteAllText(local, text);
            _kit.Run("ntfscp", image, local, name);
        }

        return image;
    }

    private static byte[] ReadAll(ScanItem item)
    {
        using var stream = item.Open!(CancellationToken.None);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A tool's standard output as bytes, or null when it exits with an error.</summary>
    private static byte[]? RunBytes(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(ImageTestKit.Which(tool) ?? tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var copy = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(copy);
        process.WaitForExit();
        _ = stderr.Result;
        return process.ExitCode == 0 ? copy.ToArray() : null;
    }
}
