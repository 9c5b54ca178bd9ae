using System.Buffers.Binary;
using PiiScanner.Extraction.Raw;
using PiiScanner.Sources;
using Xunit.Abstractions;

namespace PiiScanner.Tests.Sources;

public sealed class DiskImageSourceTests : IDisposable
{
    private const string AllocatedText = "Name: Jane Testperson\nSSN: 123-45-6701\nDOB: 1980-02-03\n";
    private const string DeletedText = "Name: John Deletedson\nSSN: 123-45-6702\n";
    private const string UnallocatedText = "Name: Una Allocated SSN 123-45-6704 DOB 1975-06-07";
    private const long ExtFreeBlock = 3500;
    private const long ExtFreeOffset = (ExtFreeBlock * 1024) + 100;

    private readonly ImageTestKit _kit;

    private readonly ITestOutputHelper _output;

    public DiskImageSourceTests(ITestOutputHelper output)
    {
        _output = output;
        _kit = new ImageTestKit(output);
    }

    public void Dispose() => _kit.Dispose();

    /// <summary>4 MiB ext4 (1 KiB blocks): alloc.txt, odd!name#.txt, deleted gone.txt, PII poked into free block 3500.</summary>
    private string BuildExt4(string name = "ext4.img")
    {
        var tree = _kit.PathOf("tree-" + name);
        Directory.CreateDirectory(Path.Combine(tree, "docs"));
        File.WriteAllText(Path.Combine(tree, "docs", "alloc.txt"), AllocatedText);
        File.WriteAllText(Path.Combine(tree, "gone.txt"), DeletedText);
        File.WriteAllText(Path.Combine(tree, "odd!name#.txt"), "nothing here\n");
        var image = _kit.PathOf(name);
        _kit.Run("mke2fs", "-q", "-F", "-t", "ext4", "-b", "1024", "-d", tree, image, "4M");
        _kit.Run("debugfs", "-w", "-R", "rm gone.txt", image);
        Assert.Contains("not in use", _kit.Run("debugfs", "-R", $"testb {ExtFreeBlock}", image), StringComparison.Ordinal);
        ImageTestKit.Poke(image, ExtFreeOffset, UnallocatedText);
        return image;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task PartsOfAnImage_TogetherYieldExactlyTheItemsAndFactsOfTheWholeImage(bool e01, bool wholeImage)
    {
        if (!_kit.Have(["mke2fs", "debugfs", "mkfs.vfat", "mcopy", "mmd", "mdel", "fls", "icat", "blkls", "mmls", .. e01 ? new[] { "ewfacquire" } : []]))
        {
            return;
        }

        var image = _kit.BuildPartitionedDisk(e01);
        var options = new DiskImageOptions { LogicalName = "case/disk", ScanWholeImage = wholeImage };
        var whole = new DiskImageSource(image, options);
        var expected = await ImageTestKit.EnumerateAsync(whole);
        var expectedFacts = whole.GetFacts();

        // A page range of one byte: every raw page is a part of its own (cut in the middle of p1's long free run).
        // Files: ranges of 64 bytes or 2 entries, so the ext4's and the FAT's directories are cut up (some in the
        // middle: batches of names), and the part that reads the image's hashes is the caller (as a cluster's client).
        var plan = await whole.PlanPartsAsync(1, 64, 2, CancellationToken.None);
        var files = plan.Where(p => p.Volume is not null).ToList();
        Assert.Equal(files, plan.Take(files.Count));
        Assert.Equal([0, 1, 2], files.Select(p => p.Volume!.Value).Distinct());
        foreach (var volume in files.GroupBy(p => p.Volume))
        {
            var ranges = volume.ToList();
            Assert.Null(ranges[0].FilesFrom);
            Assert.Null(ranges[^1].FilesTo);
            Assert.Equal(ranges.Skip(1).Select(p => p.FilesFrom), ranges.SkipLast(1).Select(p => p.FilesTo));
        }

        Assert.True(files.Count(p => p.Volume == 0) >= 5 && files.Count(p => p.Volume == 1) >= 3, string.Join(", ", files.Select(p => $"{p.Volume}:{p.FilesFrom}")));
        Assert.Single(files, p => p.Volume == 2);
        Assert.True(plan.Count > files.Count + 4, $"{plan.Count} parts");
        var hasher = new DiskImageSource(image, options);
        await hasher.HashBeforeAsync(CancellationToken.None);
        var items = new List<ScanItem>();
        var facts = new List<IReadOnlyDictionary<string, string>>();
        foreach (var part in plan)
        {
            var source = whole.ForPart(part);
            var mine = await ImageTestKit.EnumerateAsync(source);
            Assert.True(part.Volume is not null || mine.All(i => i.ExtractorHint == "raw"), "a pages part yields pages only");
            Assert.DoesNotContain("case/disk/image.sha256.before", source.GetFacts().Keys);
            items.AddRange(mine);
            facts.Add(source.GetFacts());
        }

        facts.Insert(0, hasher.GetFacts());

        static string Describe(ScanItem i) => $"{i.Path}|{i.Length}|{i.Origin?.Partition}|{i.Origin?.Inode}|{i.Origin?.ImageOffset}|{i.SkipReason}|{i.ExtractorHint}";
        Assert.Equal(expected.Select(Describe).Order(StringComparer.Ordinal), items.Select(Describe).Order(StringComparer.Ordinal));
        Assert.All(items, i => Assert.StartsWith("case/disk/", i.Path, StringComparison.Ordinal));
        var page = Assert.Single(items, i => i.ExtractorHint == "raw" && i.Origin?.Partition == (wholeImage ? null : "p1") && i.Origin?.ImageOffset is { } at
            && at <= (2048 * 512) + (12L << 20) && at + RawExtractor.PageSize > (2048 * 512) + (12L << 20) && !i.Path.Contains("#slack", StringComparison.Ordinal));
        Assert.Contains("123-45-6724", ImageTestKit.ReadText(page), StringComparison.Ordinal);
        Assert.Equal(expectedFacts, DiskImageSource.MergePartFacts(facts));
        Assert.Equal("true", expectedFacts["case/disk/image.unchanged"]);

        // The parts read their files as a whole enumeration does (in-process through libtsk when it loads, with slack).
        Assert.Contains("123-45-6741", ImageTestKit.ReadText(Assert.Single(items, i => i.Path == "case/disk/p1/legal/contracts/2024/memo1.txt")), StringComparison.Ordinal);
        Assert.Contains("123-45-6725", ImageTestKit.ReadText(Assert.Single(items, i => i.Path == "case/disk/p2/MAIL/F.TXT")), StringComparison.Ordinal);
        Assert.Equal(expectedFacts["case/disk/image.contents"], facts[1]["case/disk/image.contents"]);
    }

    [Fact]
    public async Task Ext4_AllocatedDeletedAndUnallocatedPiiAreEnumerated()
    {
        if (!_kit.Have("mke2fs", "debugfs", "fls", "icat", "blkls", "mmls"))
        {
            return;
        }

        var image = BuildExt4();
        var hash = ImageTestKit.Sha256(image);
        Assert.True(DiskImageSource.IsDiskImage(image, out var reason));
        Assert.Null(reason);

        var source = new DiskImageSource(image);
        var items = await ImageTestKit.EnumerateAsync(source);

        var allocated = Assert.Single(items, i => i.Path == "fs/docs/alloc.txt");
        Assert.NotNull(allocated.Origin);
        Assert.False(allocated.Origin.Deleted);
        Assert.Null(allocated.Origin.Partition);
        Assert.Equal(AllocatedText.Length, allocated.Length);
        Assert.NotNull(allocated.Modified);
        Assert.Contains("123-45-6701", ImageTestKit.ReadText(allocated), StringComparison.Ordinal);

        var deleted = Assert.Single(items, i => i.Path.StartsWith("fs/gone.txt#", StringComparison.Ordinal));
        Assert.True(deleted.Origin!.Deleted);
        Assert.Equal("fs/gone.txt#" + deleted.Origin.Inode, deleted.Path);
        Assert.Matches("^[0-9]+$", deleted.Origin.Inode);
        Assert.Contains("123-45-6702", ImageTestKit.ReadText(deleted), StringComparison.Ordinal);

        // Disposing an icat stream early kills icat and does not throw.
        using (var partial = allocated.Open!(CancellationToken.None))
        {
            var five = new byte[5];
            partial.ReadExactly(five);
            Assert.Equal("Name:", System.Text.Encoding.ASCII.GetString(five));
        }

        Assert.Contains(items, i => i.Path == "fs/odd%21name%23.txt");
        Assert.DoesNotContain(items, i => i.Path.EndsWith("/docs", StringComparison.Ordinal) || i.Path.Contains("$OrphanFiles", StringComparison.Ordinal) && i.Origin?.Inode is null);

        var (page, found) = await ImageTestKit.FindInPagesAsync(items, ExtFreeOffset, "123-45-6704");
        Assert.StartsWith("fs/$unallocated/", page.Path, StringComparison.Ordinal);
        Assert.Equal(ExtFreeOffset + UnallocatedText.IndexOf("123-45-6704", StringComparison.Ordinal), found);

        var facts = source.GetFacts();
        Assert.Equal(hash, facts["image.sha256.before"]);
        Assert.Equal(hash, facts["image.sha256.after"]);
        Assert.Equal("true", facts["image.unchanged"]);
        Assert.Equal("raw", facts["image.type"]);
        Assert.Equal("none", facts["image.volumeSystem"]);
        Assert.Contains("ext4", facts["image.partitions"], StringComparison.Ordinal);
        Assert.Matches(@"^\d+\.\d+", facts["tsk.version"]);
        Assert.Equal(hash, ImageTestKit.Sha256(image));

        var where = await source.LocateAsync(ExtFreeOffset, CancellationToken.None);
        Assert.StartsWith("fs ", where, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MbrDisk_PartitionLabelAndImageOffsetsAccountForThePartitionStart()
    {
        if (!_kit.Have("mke2fs", "debugfs", "fls", "icat", "blkls", "mmls"))
        {
            return;
        }

        var fs = File.ReadAllBytes(BuildExt4());
        const long start = 2048L * 512;
        var disk = _kit.PathOf("disk.raw");
        var total = start + fs.Length + (512 * 1024);
        var bytes = new byte[total];
        fs.CopyTo(bytes, start);
        var entry = bytes.AsSpan(446, 16);
        entry[4] = 0x83;
        BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], 2048);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], (uint)(fs.Length / 512));
        bytes[510] = 0x55;
        bytes[511] = 0xAA;
        File.WriteAllBytes(disk, bytes);
        const string outside = "Left behind: SSN 123-45-6705";
        var outsideOffset = total - 4096;
        ImageTestKit.Poke(disk, outsideOffset, outside);

        Assert.True(DiskImageSource.IsDiskImage(disk, out _));
        var source = new DiskImageSource(disk);
        var items = await ImageTestKit.EnumerateAsync(source);

        var allocated = Assert.Single(items, i => i.Path == "p1/docs/alloc.txt");
        Assert.Equal("p1", allocated.Origin!.Partition);
        Assert.Contains("123-45-6701", ImageTestKit.ReadText(allocated), StringComparison.Ordinal);
        Assert.Single(items, i => i.Path.StartsWith("p1/gone.txt#", StringComparison.Ordinal) && i.Origin!.Deleted);

        var (page, found) = await ImageTestKit.FindInPagesAsync(items, start + ExtFreeOffset, "123-45-6704");
        Assert.StartsWith("p1/$unallocated/", page.Path, StringComparison.Ordinal);
        Assert.Equal("p1", page.Origin!.Partition);
        Assert.Equal(start + ExtFreeOffset + UnallocatedText.IndexOf("123-45-6704", StringComparison.Ordinal), found);

        var (gap, foundOutside) = await ImageTestKit.FindInPagesAsync(items, outsideOffset, "123-45-6705");
        Assert.StartsWith("$unpartitioned/", gap.Path, StringComparison.Ordinal);
        Assert.Equal(outsideOffset + outside.IndexOf("123-45-6705", StringComparison.Ordinal), foundOutside);

        var facts = source.GetFacts();
        Assert.Equal("true", facts["image.unchanged"]);
        Assert.StartsWith("p1: offset 1048576", facts["image.partitions"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fat_DeletedFileIsRecoveredAndUnallocatedPiiHasItsOffset()
    {
        if (!_kit.Have("mkfs.vfat", "mcopy", "mdel", "fls", "icat", "blkls", "mmls"))
        {
            return;
        }

        var alloc = _kit.PathOf("alloc.txt");
        var gone = _kit.PathOf("gone.txt");
        File.WriteAllText(alloc, AllocatedText);
        File.WriteAllText(gone, DeletedText);
        var image = _kit.PathOf("fat.img");
        _kit.Run("mkfs.vfat", "-C", image, "2048");
        _kit.Run("mcopy", "-i", image, alloc, "::ALLOC.TXT");
        _kit.Run("mcopy", "-i", image, gone, "::GONE.TXT");
        _kit.Run("mdel", "-i", image, "::GONE.TXT");
        const long freeOffset = 1536L * 1024; // the data area is empty beyond the first few clusters
        ImageTestKit.Poke(image, freeOffset, UnallocatedText);
        var hash = ImageTestKit.Sha256(image);

        var source = new DiskImageSource(image);
        var items = await ImageTestKit.EnumerateAsync(source);

        Assert.Contains("123-45-6701", ImageTestKit.ReadText(Assert.Single(items, i => i.Path == "fs/ALLOC.TXT")), StringComparison.Ordinal);
        var deleted = Assert.Single(items, i => i.Origin?.Deleted == true && i.Path.EndsWith(".TXT#" + i.Origin.Inode, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("123-45-6702", ImageTestKit.ReadText(deleted), StringComparison.Ordinal);
        Assert.DoesNotContain(items, i => i.Path.Contains("$FAT1", StringComparison.Ordinal));

        var (_, found) = await ImageTestKit.FindInPagesAsync(items, freeOffset, "123-45-6704");
        Assert.Equal(freeOffset + UnallocatedText.IndexOf("123-45-6704", StringComparison.Ordinal), found);
        Assert.Equal(hash, source.GetFacts()["image.sha256.after"]);
        Assert.Equal(hash, ImageTestKit.Sha256(image));
    }

    /// <summary>
    /// FAT with 2 KiB clusters: an old record left in the first data cluster, then a short file written over it by
    /// mcopy (which writes only the file's bytes). The slack item covers the cluster's remaining sectors, one run.
    /// </summary>
    [Fact]
    public async Task Fat_OldRecordInClusterSlackIsItsOwnRawItem()
    {
        if (!_kit.Have("mkfs.vfat", "mcopy", "fls", "fsstat") || !HaveLibTsk())
        {
            return;
        }

        var image = _kit.PathOf("slack.fat");
        _kit.Run("mkfs.vfat", "-C", image, "2048");
        var fsstat = _kit.Run("fsstat", image);
        Assert.Contains("Cluster Size: 2048", fsstat, StringComparison.Ordinal);
        var firstCluster = long.Parse(System.Text.RegularExpressions.Regex.Match(fsstat, @"Cluster Area: (\d+) - ").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 512;
        const string old = "Name: Olive Fatslack SSN 123-45-6708 DOB 1958-12-01";
        ImageTestKit.Poke(image, firstCluster + 1500, old);
        var local = _kit.PathOf("new.txt");
        File.WriteAllText(local, "short new text\n");
        _kit.Run("mcopy", "-i", image, local, "::NEW.TXT");
        var other = _kit.PathOf("other.txt");
        File.WriteAllText(other, "nothing behind this one\n");
        _kit.Run("mcopy", "-i", image, other, "::OTHER.TXT");

        var source = new DiskImageSource(image);
        var items = await ImageTestKit.EnumerateAsync(source);

        Assert.Equal("short new text\n", ImageTestKit.ReadText(Assert.Single(items, i => i.Path == "fs/NEW.TXT")));
        var slack = Assert.Single(items, i => i.Path == "fs/NEW.TXT#slack");
        Assert.Equal("raw", slack.ExtractorHint);
        Assert.Equal(firstCluster + 15, slack.Origin!.ImageOffset);
        Assert.Equal(2048 - 15, slack.Length);
        Assert.False(slack.Origin.Deleted);
        var (_, found) = await ImageTestKit.FindInPagesAsync([slack], firstCluster + 1500, "123-45-6708");
        Assert.Equal(firstCluster + 1500 + old.IndexOf("123-45-6708", StringComparison.Ordinal), found);
        Assert.DoesNotContain(items, i => i.Path == "fs/OTHER.TXT#slack");
        var facts = source.GetFacts();
        Assert.Equal("1", facts["image.slack.items"]);
        Assert.Equal((2048 - 15).ToString(System.Globalization.CultureInfo.InvariantCulture), facts["image.slack.bytes"]);
        Assert.Equal("1", facts["image.slack.empty"]);
        Assert.Equal("true", facts["image.unchanged"]);
    }

    private bool HaveLibTsk()
    {
        if (PiiScanner.Sources.SleuthKit.LibTsk.Instance is not null)
        {
            return true;
        }

        MissingTool.SkipOrFail(_output, "libtsk not usable: " + PiiScanner.Sources.SleuthKit.LibTsk.LoadFailure);
        return false;
    }

    [Fact]
    public async Task Ntfs_AllocatedFileAndUnallocatedPiiAreFound()
    {
        if (!_kit.Have("mkntfs", "ntfscp", "ntfscluster", "fls", "icat", "blkls", "mmls"))
        {
            return;
        }

        var alloc = _kit.PathOf("alloc.txt");
        File.WriteAllText(alloc, AllocatedText);
        var image = _kit.PathOf("ntfs.img");
        using (var file = File.Create(image))
        {
            file.SetLength(8L << 20);
        }

        _kit.Run("mkntfs", "-q", "-F", "-Q", image);
        _kit.Run("ntfscp", image, alloc, "alloc.txt");
        const long freeCluster = 1900;
        Assert.Contains("no inode found", _kit.Run("ntfscluster", "-c", freeCluster.ToString(System.Globalization.CultureInfo.InvariantCulture), image), StringComparison.Ordinal);
        const long freeOffset = (freeCluster * 4096) + 10;
        ImageTestKit.Poke(image, freeOffset, UnallocatedText);

        var source = new DiskImageSource(image);
        var items = await ImageTestKit.EnumerateAsync(source);

        var allocated = Assert.Single(items, i => i.Path == "fs/alloc.txt");
        Assert.Matches("^[0-9]+-128-[0-9]+$", allocated.Origin!.Inode);
        Assert.Contains("123-45-6701", ImageTestKit.ReadText(allocated), StringComparison.Ordinal);
        Assert.Contains(items, i => i.Path == "fs/$BadClus:$Bad" && i.SkipReason is not null);

        var (_, found) = await ImageTestKit.FindInPagesAsync(items, freeOffset, "123-45-6704");
        Assert.Equal(freeOffset + UnallocatedText.IndexOf("123-45-6704", StringComparison.Ordinal), found);
        Assert.Equal("true", source.GetFacts()["image.unchanged"]);
    }

    [Fact]
    public async Task SplitRawAndE01_AreReadThroughTheSleuthKit()
    {
        if (!_kit.Have("mke2fs", "debugfs", "fls", "icat", "blkls", "img_cat", "ewfacquire"))
        {
            return;
        }

        var image = BuildExt4();
        var bytes = File.ReadAllBytes(image);
        var first = _kit.PathOf("split.001");
        for (var i = 0; i < 4; i++)
        {
            File.WriteAllBytes(_kit.PathOf($"split.{i + 1:000}"), bytes.AsSpan(i << 20, 1 << 20).ToArray());
        }

        _kit.Run("ewfacquire", "-u", "-q", "-t", _kit.PathOf("evidence"), "-f", "encase6", "-c", "none", image);
        var e01 = _kit.PathOf("evidence.E01");

        foreach (var (path, type) in new[] { (first, "split-raw"), (e01, "ewf") })
        {
            Assert.True(DiskImageSource.IsDiskImage(path, out var reason), path);
            Assert.Null(reason);
            var source = new DiskImageSource(path);
            var items = await ImageTestKit.EnumerateAsync(source);
            Assert.Contains("123-45-6701", ImageTestKit.ReadText(Assert.Single(items, i => i.Path == "fs/docs/alloc.txt")), StringComparison.Ordinal);
            Assert.Contains("123-45-6702", ImageTestKit.ReadText(Assert.Single(items, i => i.Path.StartsWith("fs/gone.txt#", StringComparison.Ordinal))), StringComparison.Ordinal);
            var (_, found) = await ImageTestKit.FindInPagesAsync(items, ExtFreeOffset, "123-45-6704");
            Assert.Equal(ExtFreeOffset + UnallocatedText.IndexOf("123-45-6704", StringComparison.Ordinal), found);
            var facts = source.GetFacts();
            Assert.Equal(type, facts["image.type"]);
            Assert.Equal("true", facts["image.unchanged"]);
        }

        Assert.Equal(4, new DiskImageSource(first).Segments.Count);
    }

    /// <summary>
    /// An E01 (compressed, in 1 MiB segments) acquired from a disk with an MBR and two partitions, ext4 and FAT:
    /// both partitions are listed, and their files, slack and unallocated space are read through the EWF layer.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PartitionedE01_EveryPartitionIsListedAndRead(bool readWithTools)
    {
        if (!_kit.Have("mke2fs", "debugfs", "mkfs.vfat", "mcopy", "fls", "icat", "blkls", "img_cat", "img_stat", "mmls", "ewfacquire"))
        {
            return;
        }

        var ext4 = File.ReadAllBytes(BuildExt4());
        var fat = _kit.PathOf("p2.fat");
        _kit.Run("mkfs.vfat", "-C", fat, "2048");
        var b = _kit.PathOf("b.txt");
        File.WriteAllText(b, "Name: Pam Parttwo\nSSN: 123-45-6712\n");
        _kit.Run("mcopy", "-i", fat, b, "::B.TXT");
        var fatBytes = File.ReadAllBytes(fat);
        const long start1 = 2048;
        var start2 = start1 + (ext4.Length / 512);
        var bytes = new byte[(start2 * 512) + fatBytes.Length + (1 << 20)];
        ext4.CopyTo(bytes, start1 * 512);
        fatBytes.CopyTo(bytes, start2 * 512);
        foreach (var (slot, type, first, sectors) in new[] { (0, (byte)0x83, start1, ext4.Length / 512), (1, (byte)0x0C, start2, fatBytes.Length / 512) })
        {
            var entry = bytes.AsSpan(446 + (16 * slot), 16);
            entry[4] = type;
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)first);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], (uint)sectors);
        }

        bytes[510] = 0x55;
        bytes[511] = 0xAA;
        var raw = _kit.PathOf("disk.raw");
        File.WriteAllBytes(raw, bytes);
        const string outside = "Left behind: SSN 123-45-6705";
        var outsideOffset = bytes.Length - 4096;
        ImageTestKit.Poke(raw, outsideOffset, outside);
        _kit.Run("ewfacquire", "-u", "-q", "-t", _kit.PathOf("disk"), "-f", "encase6", "-c", "fast", "-S", "1MiB", raw);
        var e01 = _kit.PathOf("disk.E01");
        File.Delete(raw);

        Assert.True(DiskImageSource.IsDiskImage(e01, out var reason), e01);
        Assert.Null(reason);
        var source = new DiskImageSource(e01, new DiskImageOptions { ReadWithTools = readWithTools });
        var items = await ImageTestKit.EnumerateAsync(source);
        var facts = source.GetFacts();
        Assert.Equal("ewf", facts["image.type"]);
        Assert.StartsWith(readWithTools ? "icat per file" : "libtsk ", facts["image.contents"], StringComparison.Ordinal);
        Assert.Equal(readWithTools ? "ewf" : "mbr", facts["image.content"]); // the data inside the container, when libtsk reads it
        Assert.Equal("DOS Partition Table", facts["image.volumeSystem"]);
        var partitions = facts["image.partitions"].Split("; ");
        Assert.Equal(2, partitions.Length);
        Assert.StartsWith("p1: offset 1048576 ", partitions[0], StringComparison.Ordinal);
        Assert.EndsWith("fs=ext4", partitions[0], StringComparison.Ordinal);
        Assert.StartsWith($"p2: offset {start2 * 512} ", partitions[1], StringComparison.Ordinal);
        Assert.Contains("fs=fat", partitions[1], StringComparison.Ordinal);

        Assert.Contains("123-45-6701", ImageTestKit.ReadText(Assert.Single(items, i => i.Path == "p1/docs/alloc.txt")), StringComparison.Ordinal);
        Assert.Contains("123-45-6702", ImageTestKit.ReadText(Assert.Single(items, i => i.Path.StartsWith("p1/gone.txt#", StringComparison.Ordinal))), StringComparison.Ordinal);
        var second = Assert.Single(items, i => i.Path == "p2/B.TXT");
        Assert.Equal("p2", second.Origin!.Partition);
        Assert.Contains("123-45-6712", ImageTestKit.ReadText(second), StringComparison.Ordinal);
        var (page, found) = await ImageTestKit.FindInPagesAsync(items, (start1 * 512) + ExtFreeOffset, "123-45-6704");
        Assert.StartsWith("p1/$unallocated/", page.Path, StringComparison.Ordinal);
        Assert.Equal((start1 * 512) + ExtFreeOffset + UnallocatedText.IndexOf("123-45-6704", StringComparison.Ordinal), found);
        var (gap, foundOutside) = await ImageTestKit.FindInPagesAsync(items, outsideOffset, "123-45-6705");
        Assert.StartsWith("$unpartitioned/", gap.Path, StringComparison.Ordinal);
        Assert.Equal(outsideOffset + outside.IndexOf("123-45-6705", StringComparison.Ordinal), foundOutside);
        Assert.Equal("true", facts["image.unchanged"]);
    }

    [Theory]
    [InlineData("split-d3", "disk.raw.", "000")]
    [InlineData("split-d2", "disk.", "00")]
    [InlineData("split-letters", "disk.", "aa")]
    [InlineData("split-from-one", "disk.", "001")]
    public async Task SplitRawImage_EverySegmentIsRead_WhateverTheNaming(string folder, string prefix, string firstSuffix)
    {
        if (!_kit.Have("mke2fs", "debugfs", "fls", "icat", "blkls", "img_cat", "split"))
        {
            return;
        }

        var image = BuildExt4();
        var first = SplitImage(image, folder, prefix, firstSuffix);

        Assert.True(DiskImageSource.IsDiskImage(first, out var reason), first);
        Assert.Null(reason);
        var source = new DiskImageSource(first);
        Assert.Equal(4, source.Segments.Count);
        var items = await ImageTestKit.EnumerateAsync(source);
        Assert.Contains("123-45-6701", ImageTestKit.ReadText(Assert.Single(items, i => i.Path == "fs/docs/alloc.txt")), StringComparison.Ordinal);

        // Block 3500 lies in the fourth 1 MiB segment: found only when the whole set is read.
        var (_, found) = await ImageTestKit.FindInPagesAsync(items, ExtFreeOffset, "123-45-6704");
        Assert.Equal(ExtFreeOffset + UnallocatedText.IndexOf("123-45-6704", StringComparison.Ordinal), found);
        var facts = source.GetFacts();
        Assert.Equal("split-raw", facts["image.type"]);
        Assert.Equal("4", facts["image.segments"]);
        Assert.Equal(new FileInfo(image).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), facts["image.size"]);
    }

    [Fact]
    public void SplitRawImage_WithASegmentMissing_FailsNamingIt()
    {
        if (!_kit.Have("mke2fs", "debugfs", "split"))
        {
            return;
        }

        var first = SplitImage(BuildExt4(), "gap", "disk.", "000");
        File.Delete(Path.Combine(Path.GetDirectoryName(first)!, "disk.002"));

        AssertFailsBeforeReading(first, "split image segment 3 (disk.002) missing while disk.003 is present");
    }

    [Fact]
    public void E01Set_WithASegmentMissing_FailsNamingIt()
    {
        if (!_kit.Have("mke2fs", "debugfs", "ewfacquire"))
        {
            return;
        }

        var image = BuildExt4();
        _kit.Run("ewfacquire", "-u", "-q", "-t", _kit.PathOf("set"), "-f", "encase6", "-c", "none", "-S", "1MiB", image);
        var segments = Directory.GetFiles(_kit.Folder, "set.E*").Order(StringComparer.Ordinal).ToList();
        Assert.True(segments.Count >= 4, string.Join(", ", segments));
        var e01 = _kit.PathOf("set.E01");
        Assert.True(DiskImageSource.IsDiskImage(e01, out var complete));
        Assert.Null(complete);
        Assert.Equal(segments.Count, new DiskImageSource(e01).Segments.Count);

        // A segment in the middle: the set's size is known from its last segment.
        var third = _kit.PathOf("set.E03");
        var saved = File.ReadAllBytes(third);
        File.Delete(third);
        AssertFailsBeforeReading(e01, $"E01 segment 3 of {segments.Count} missing (set.E03)");
        File.WriteAllBytes(third, saved);

        // The last segment: the one before it says the set goes on.
        var last = segments[^1];
        File.Delete(last);
        AssertFailsBeforeReading(e01, $"E01 segment {segments.Count} missing: {Path.GetFileName(segments[^2])} is not the last segment of the set");
    }

    [Theory]
    [InlineData("vmdk", "monolithicSparse", "vmdk")]
    [InlineData("vmdk", "twoGbMaxExtentSparse", "vmdk")]
    [InlineData("vpc", "dynamic", "vhd")]
    [InlineData("vpc", "fixed", "vhd")]
    public async Task VirtualDisk_IsReadEndToEnd(string format, string subformat, string type)
    {
        if (!_kit.Have("mke2fs", "debugfs", "fls", "icat", "blkls", "img_cat", "qemu-img"))
        {
            return;
        }

        var image = ConvertExt4($"disk-{subformat}.{type}", format, subformat);

        Assert.True(DiskImageSource.IsDiskImage(image, out var reason), image);
        Assert.Null(reason);
        var source = new DiskImageSource(image);
        var items = await ImageTestKit.EnumerateAsync(source);
        Assert.Contains("123-45-6701", ImageTestKit.ReadText(Assert.Single(items, i => i.Path == "fs/docs/alloc.txt")), StringComparison.Ordinal);
        Assert.Contains("123-45-6702", ImageTestKit.ReadText(Assert.Single(items, i => i.Path.StartsWith("fs/gone.txt#", StringComparison.Ordinal))), StringComparison.Ordinal);
        var (_, found) = await ImageTestKit.FindInPagesAsync(items, ExtFreeOffset, "123-45-6704");
        Assert.Equal(ExtFreeOffset + UnallocatedText.IndexOf("123-45-6704", StringComparison.Ordinal), found);
        Assert.Equal(type, source.GetFacts()["image.type"]);
    }

    [Fact]
    public void SplitVmdk_WithAnExtentMissing_FailsNamingIt()
    {
        if (!_kit.Have("mke2fs", "debugfs", "qemu-img"))
        {
            return;
        }

        var image = ConvertExt4("split.vmdk", "vmdk", "twoGbMaxExtentSparse");
        Assert.True(DiskImageSource.IsDiskImage(image, out var whole));
        Assert.Null(whole);
        File.Delete(_kit.PathOf("split-s001.vmdk"));

        AssertFailsBeforeReading(image, "VMDK extent 1 of 1 missing (split-s001.vmdk)");
    }

    [Fact]
    public void DifferencingVmdk_NeedsItsParent()
    {
        if (!_kit.Have("mke2fs", "debugfs", "qemu-img"))
        {
            return;
        }

        var parent = ConvertExt4("base.vmdk", "vmdk", "monolithicSparse");
        var child = _kit.PathOf("child.vmdk");
        _kit.Run("qemu-img", "create", "-q", "-f", "vmdk", "-b", "base.vmdk", "-F", "vmdk", child);

        // With its parent beside it: The Sleuth Kit still opens no parent, so the root fails saying how to merge them.
        Assert.True(DiskImageSource.IsDiskImage(child, out var present));
        Assert.StartsWith("differencing VMDK images are not read directly: merge it with its parent by `qemu-img convert -O raw child.vmdk out.raw`", present, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => new DiskImageSource(child));

        File.Move(parent, _kit.PathOf("elsewhere.vmdk"));
        AssertFailsBeforeReading(child, "differencing VMDK needs its parent base.vmdk, which is not beside it");
    }

    [Fact]
    public void DifferencingVhd_NeedsItsParent()
    {
        if (!_kit.Have("mke2fs", "debugfs", "qemu-img"))
        {
            return;
        }

        // qemu-img writes no differencing VHD: a dynamic one is turned into one (disk type 4 in both copies of the
        // footer, the parent's name in the dynamic header).
        var child = ConvertExt4("child.vhd", "vpc", "dynamic");
        var bytes = File.ReadAllBytes(child);
        foreach (var footer in new[] { 0, bytes.Length - 512 })
        {
            Assert.Equal("conectix", System.Text.Encoding.ASCII.GetString(bytes, footer, 8));
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(footer + 0x3C), 4);
        }

        var dynamicHeader = (int)BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(0x10));
        Assert.Equal("cxsparse", System.Text.Encoding.ASCII.GetString(bytes, dynamicHeader, 8));
        System.Text.Encoding.BigEndianUnicode.GetBytes("C:\\VMs\\base.vhd").CopyTo(bytes, dynamicHeader + 0x40);
        File.WriteAllBytes(child, bytes);

        AssertFailsBeforeReading(child, "differencing VHD needs its parent base.vhd, which is not beside it");

        File.WriteAllBytes(_kit.PathOf("base.vhd"), []);
        Assert.True(DiskImageSource.IsDiskImage(child, out var present));
        Assert.Equal("differencing VHD images are not read directly: merge it into its parent first (Hyper-V's `Merge-VHD`; qemu-img would leave the parent's blocks out), then scan the merged image", present);
    }

    [Fact]
    public async Task E01Set_IsVerifiedWithEwfverify()
    {
        if (!_kit.Have("mke2fs", "debugfs", "fls", "icat", "blkls", "ewfacquire", "ewfverify"))
        {
            return;
        }

        _kit.Run("ewfacquire", "-u", "-q", "-t", _kit.PathOf("checked"), "-f", "encase6", "-c", "none", "-S", "1MiB", BuildExt4());
        var e01 = _kit.PathOf("checked.E01");
        var source = new DiskImageSource(e01);
        await ImageTestKit.EnumerateAsync(source);
        var facts = source.GetFacts();
        Assert.Equal("success", facts["image.ewf.verify"]);
        Assert.Equal(facts["image.ewf.md5"], facts["image.ewf.md5.calculated"]);

        // Bytes changed inside a chunk of the third segment: its checksum and the MD5 no longer match.
        ImageTestKit.Poke(_kit.PathOf("checked.E03"), 300_000, "tampered");
        var tampered = new DiskImageSource(e01);
        await ImageTestKit.EnumerateAsync(tampered);
        var verify = tampered.GetFacts()["image.ewf.verify"];
        Assert.StartsWith("failure: sectors ", verify, StringComparison.Ordinal);
        Assert.Contains("fail their checksum (checked.E03)", verify, StringComparison.Ordinal);
        Assert.EndsWith("the MD5 over the data differs from the one stored at acquisition", verify, StringComparison.Ordinal);

        var unverified = new DiskImageSource(e01, new DiskImageOptions { VerifyEwf = false });
        await ImageTestKit.EnumerateAsync(unverified);
        Assert.False(unverified.GetFacts().ContainsKey("image.ewf.verify"));
    }

    [Theory]
    [InlineData("xfs", 0, "XFSB")]
    [InlineData("lvm2", 512, "LABELONE")]
    [InlineData("btrfs", 0x10040, "_BHRfS_M")]
    public async Task FileSystemTheSleuthKitCannotList_IsReadAsRawPagesAndMarked(string content, int at, string magic)
    {
        if (!_kit.Have("fls", "fsstat", "mmls", "img_stat"))
        {
            return;
        }

        // A volume header The Sleuth Kit does not list, and a person further in: once one plain file, now raw pages.
        var image = _kit.PathOf(content + ".img");
        File.WriteAllBytes(image, new byte[2 << 20]);
        ImageTestKit.Poke(image, at, magic);
        const long personAt = 1_500_000;
        ImageTestKit.Poke(image, personAt, UnallocatedText);

        Assert.True(DiskImageSource.IsDiskImage(image, out var reason), image);
        Assert.Null(reason);
        var source = new DiskImageSource(image);
        var items = await ImageTestKit.EnumerateAsync(source);

        var marker = Assert.Single(items, i => i.Path == "fs");
        Assert.Equal($"no file system The Sleuth Kit lists here (content: {content}): its bytes are read as raw pages fs/$raw/…", marker.SkipReason);
        var (page, found) = await ImageTestKit.FindInPagesAsync(items, personAt, "123-45-6704");
        Assert.StartsWith("fs/$raw/", page.Path, StringComparison.Ordinal);
        Assert.Equal(personAt + UnallocatedText.IndexOf("123-45-6704", StringComparison.Ordinal), found);
        Assert.Equal("fs (content: " + content + ")", source.GetFacts()["image.unlisted"]);
    }

    [Fact]
    public void BitLockerVolume_IsRecognisedButUnsupportedWithAHint()
    {
        var image = _kit.PathOf("bitlocker.img");
        var bytes = new byte[4096];
        "-FVE-FS-"u8.CopyTo(bytes.AsSpan(3));
        File.WriteAllBytes(image, bytes);

        Assert.True(DiskImageSource.IsDiskImage(image, out var reason));
        Assert.StartsWith("BitLocker-encrypted images are not read directly: unlock the volume with `dislocker`", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ToolFailure_ReasonSaysWhatTheToolSaid()
    {
        const string libewf = "Error reading image file (ewf_image_read - offset: 8741888 - len: 1024 - libewf_read_io_handle_read_chunk_data: missing chunk data: 266. libewf_handle_read_buffer: unable to read chunk data: 266.)";
        Assert.Equal(
            "io-error: icat: image data missing at offset 8741888 (a segment file of the image is absent or truncated)",
            ItemPipeline.Describe(new PiiScanner.Sources.SleuthKit.ToolFailedException("icat", 1, libewf)));
        Assert.Equal("io-error: fls: Invalid magic value (not an ext file system)", ItemPipeline.Describe(new PiiScanner.Sources.SleuthKit.ToolFailedException("fls", 1, "Invalid magic value (not an ext file system)")));
        Assert.Equal("io-error: icat exited with code 139", ItemPipeline.Describe(new PiiScanner.Sources.SleuthKit.ToolFailedException("icat", 139, string.Empty)));
    }

    /// <summary>The test's ext4 image converted by qemu-img to <paramref name="format"/> (<c>vmdk</c>, <c>vpc</c>).</summary>
    private string ConvertExt4(string name, string format, string subformat)
    {
        var image = _kit.PathOf(name);
        _kit.Run("qemu-img", "convert", "-f", "raw", "-O", format, "-o", "subformat=" + subformat, BuildExt4(), image);
        return image;
    }

    /// <summary>The image is recognised, and a scan of it fails before anything is read, with <paramref name="reason"/>.</summary>
    private static void AssertFailsBeforeReading(string image, string reason)
    {
        Assert.True(DiskImageSource.IsDiskImage(image, out var said), image);
        Assert.Equal(reason, said);
        Assert.Equal(reason, Assert.Throws<InvalidDataException>(() => new DiskImageSource(image)).Message);
    }

    /// <summary>Cuts an image into 1 MiB pieces with split(1) in a folder of their own; returns the first piece.</summary>
    private string SplitImage(string image, string folder, string prefix, string firstSuffix)
    {
        var directory = _kit.PathOf(folder);
        Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, prefix);
        var width = firstSuffix.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (char.IsAsciiLetter(firstSuffix[0]))
        {
            _kit.Run("split", "-b", "1M", "-a", width, image, target);
        }
        else
        {
            _kit.Run("split", "-b", "1M", "-a", width, "--numeric-suffixes=" + firstSuffix, image, target);
        }

        var first = target + firstSuffix;
        Assert.True(File.Exists(first), first);
        return first;
    }

    [Fact]
    public async Task ScanWholeImage_PagesCoverTheImageWithOverlap()
    {
        if (!_kit.Have("mke2fs", "debugfs", "fls", "icat", "blkls"))
        {
            return;
        }

        var image = BuildExt4();
        var items = await ImageTestKit.EnumerateAsync(new DiskImageSource(image, new DiskImageOptions { ScanWholeImage = true }));
        var pages = items.Where(i => i.ExtractorHint == "raw").ToList();
        Assert.All(pages, p => Assert.StartsWith("$image/", p.Path, StringComparison.Ordinal));
        Assert.Equal(0, pages[0].Origin!.ImageOffset);
        Assert.Equal(new FileInfo(image).Length, pages.Sum(p => Math.Min(p.Length!.Value, RawExtractor.PageSize)));
        var (_, found) = await ImageTestKit.FindInPagesAsync(items, ExtFreeOffset, "123-45-6704");
        Assert.Equal(ExtFreeOffset + UnallocatedText.IndexOf("123-45-6704", StringComparison.Ordinal), found);
        Assert.Contains(items, i => i.Path == "fs/docs/alloc.txt");
    }

    [Fact]
    public async Task MissingSleuthKit_MessageNamesThePackage()
    {
        if (!_kit.Have("mke2fs"))
        {
            return;
        }

        var image = _kit.PathOf("tiny.img");
        _kit.Run("mke2fs", "-q", "-F", "-t", "ext2", image, "1M");
        var empty = _kit.PathOf("no-tools");
        Directory.CreateDirectory(empty);
        var source = new DiskImageSource(image, new DiskImageOptions { ToolDirectory = empty });
        var ex = await Assert.ThrowsAsync<MissingToolException>(() => ImageTestKit.EnumerateAsync(source));
        Assert.Equal("sleuthkit", ex.Package);
        Assert.Contains("apt-get install sleuthkit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Qcow2_IsRecognisedButUnsupportedWithAConversionHint()
    {
        var path = _kit.PathOf("vm.qcow2");
        var header = new byte[4096];
        header[0] = (byte)'Q';
        header[1] = (byte)'F';
        header[2] = (byte)'I';
        header[3] = 0xFB;
        header[7] = 3;
        File.WriteAllBytes(path, header);

        Assert.True(DiskImageSource.IsDiskImage(path, out var reason));
        Assert.NotNull(reason);
        Assert.Contains("qcow2", reason, StringComparison.Ordinal);
        Assert.Contains("qemu-img convert -O raw vm.qcow2 out.raw", reason, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => new DiskImageSource(path));
    }

    [Fact]
    public void PlainFiles_AreNotDiskImages()
    {
        var text = _kit.PathOf("notes.txt");
        File.WriteAllText(text, "SSN 123-45-6701\n");
        var empty = _kit.PathOf("empty.bin");
        File.WriteAllBytes(empty, []);

        Assert.False(DiskImageSource.IsDiskImage(text, out var reason));
        Assert.Null(reason);
        Assert.False(DiskImageSource.IsDiskImage(empty, out _));
        Assert.False(DiskImageSource.IsDiskImage(_kit.PathOf("absent.img"), out _));
    }
}
