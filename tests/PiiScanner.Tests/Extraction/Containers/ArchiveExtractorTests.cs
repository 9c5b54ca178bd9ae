using System.Diagnostics;
using PiiScanner.Extraction;

namespace PiiScanner.Tests.Extraction.Containers;

public sealed class ArchiveExtractorTests
{
    private static readonly byte[] People = Fixtures.Utf8(Fixtures.PeopleCsv);

    [Fact]
    public async Task NestedZipMembersGetBangPathsAndDepths()
    {
        var inner = Fixtures.Zip(("people.csv", People));
        var outer = Fixtures.Zip(("nested/inner.zip", inner), ("readme.txt", Fixtures.Utf8("nothing here\n")));
        var host = new ContainerTestHost();

        var top = await host.ScanAsync("Backups/outer.zip", outer);

        Assert.Equal("zip", top.Extractor);
        Assert.Equal("scanned", top.Status);
        Assert.Equal(
            ["Backups/outer.zip", "Backups/outer.zip!nested/inner.zip", "Backups/outer.zip!nested/inner.zip!people.csv", "Backups/outer.zip!readme.txt"],
            host.Records.Select(r => r.Path));
        var leaf = host["Backups/outer.zip!nested/inner.zip!people.csv"];
        Assert.Equal(2, leaf.Depth);
        Assert.Equal("delimited", leaf.Extractor);
        Assert.Contains("078-05-1120", leaf.AllText, StringComparison.Ordinal);
        Assert.Equal(1, host["Backups/outer.zip!nested/inner.zip"].Depth);
        Assert.Equal("zip", host["Backups/outer.zip!nested/inner.zip"].Extractor);
    }

    [Fact]
    public async Task TarGzShowsEveryLayer()
    {
        var tar = Fixtures.Tar(("data/people.csv", People), ("data/notes.txt", Fixtures.Utf8("hello\n")));
        var host = new ContainerTestHost();

        await host.ScanAsync("nightly.tar.gz", Fixtures.Gzip(tar));

        Assert.Equal("gzip", host["nightly.tar.gz"].Extractor);
        Assert.Equal("tar", host["nightly.tar.gz!nightly.tar"].Extractor);
        var leaf = host["nightly.tar.gz!nightly.tar!data/people.csv"];
        Assert.Equal(2, leaf.Depth);
        Assert.Contains("Jane Testperson", leaf.AllText, StringComparison.Ordinal);
        Assert.All(host.Records, r => Assert.Equal("scanned", r.Status));
    }

    [Fact]
    public async Task TgzChildIsNamedTar()
    {
        var host = new ContainerTestHost();
        await host.ScanAsync("x/backup.tgz", Fixtures.Gzip(Fixtures.Tar(("a.csv", People))));
        Assert.Equal("scanned", host["x/backup.tgz!backup.tar!a.csv"].Status);
    }

    [Fact]
    public async Task GzipChildTakesTheStoredFileName()
    {
        var host = new ContainerTestHost();
        await host.ScanAsync("upload.bin", Fixtures.GzipWithName(People, "clients.csv"));
        Assert.Contains("078-05-1120", host["upload.bin!clients.csv"].AllText, StringComparison.Ordinal);

        var plain = new ContainerTestHost();
        await plain.ScanAsync("export.csv.gz", Fixtures.Gzip(People));
        Assert.Equal("delimited", plain["export.csv.gz!export.csv"].Extractor);

        var odd = new ContainerTestHost();
        await odd.ScanAsync("blob", Fixtures.Gzip(People));
        Assert.Equal("scanned", odd["blob!blob.out"].Status);
    }

    [Fact]
    public async Task Bzip2AndXzDecompress()
    {
        var host = new ContainerTestHost();
        await host.ScanAsync("people.csv.bz2", Fixtures.Bzip2(People));
        await host.ScanAsync("people.csv.xz", Fixtures.PeopleCsvXz);

        Assert.Equal("bzip2", host["people.csv.bz2"].Extractor);
        Assert.Contains("078-05-1120", host["people.csv.bz2!people.csv"].AllText, StringComparison.Ordinal);
        Assert.Equal("xz", host["people.csv.xz"].Extractor);
        Assert.Contains("078-05-1120", host["people.csv.xz!people.csv"].AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SevenZipMembersAreScanned()
    {
        var archive = Fixtures.SevenZip(("clients/people.csv", People), ("clients/more.csv", People));
        var host = new ContainerTestHost();

        var top = await host.ScanAsync("old.7z", archive);

        Assert.Equal("7z", top.Extractor);
        Assert.Equal("scanned", top.Status);
        Assert.Contains("078-05-1120", host["old.7z!clients/people.csv"].AllText, StringComparison.Ordinal);
        Assert.Equal("scanned", host["old.7z!clients/more.csv"].Status);
    }

    [Fact]
    public async Task CorruptSevenZipIsReportedNotThrown()
    {
        var archive = Fixtures.SevenZip(("people.csv", People));
        var broken = archive[..(archive.Length / 2)];
        var host = new ContainerTestHost();

        var top = await host.ScanAsync("broken.7z", broken);

        Assert.Contains(top.Status, new[] { "skipped", "partial" });
        Assert.NotNull(top.Reason);
    }

    [Fact]
    public async Task EncryptedZipEntryIsSkippedAsEncrypted()
    {
        var zip = Fixtures.MarkEncrypted(Fixtures.Zip(("secret.csv", People)));
        var host = new ContainerTestHost();

        var top = await host.ScanAsync("locked.zip", zip);

        Assert.Equal("partial", top.Status);
        Assert.Equal("encrypted", top.Reason);
        var member = host["locked.zip!secret.csv"];
        Assert.Equal("skipped", member.Status);
        Assert.Equal("encrypted", member.Reason);
    }

    [Fact]
    public async Task ZipSlipNamesStayLogical()
    {
        var zip = Fixtures.Zip(("../../etc/evil.csv", People), ("..\\..\\win.csv", People), ("a!b.csv", People));
        var host = new ContainerTestHost();

        await host.ScanAsync("slip.zip", zip);

        Assert.Equal("scanned", host["slip.zip!../../etc/evil.csv"].Status);
        Assert.Equal("scanned", host["slip.zip!../../win.csv"].Status);
        Assert.Equal("scanned", host["slip.zip!a%21b.csv"].Status);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "..", "etc", "evil.csv")));
    }

    [Fact]
    public async Task DuplicateMemberNamesAreMadeUnique()
    {
        var tar = Fixtures.Tar(("a.csv", People), ("a.csv", People));
        var host = new ContainerTestHost();
        await host.ScanAsync("dup.tar", tar);
        Assert.Equal("scanned", host["dup.tar!a.csv"].Status);
        Assert.Equal("scanned", host["dup.tar!a (2).csv"].Status);
    }

    [Fact]
    public async Task TruncatedArchivesEndWithAStatus()
    {
        var zip = Fixtures.Zip(CompressionLevelNone, ("first.csv", People), ("second.csv", new byte[20_000]));
        var tar = Fixtures.Tar(("first.csv", People), ("second.csv", new byte[20_000]));
        var gz = Fixtures.Gzip(Fixtures.Utf8(string.Concat(Enumerable.Repeat(Fixtures.PeopleCsv, 500))));
        var host = new ContainerTestHost();

        var zipTop = await host.ScanAsync("cut.zip", zip[..(zip.Length - 5_000)]);
        var tarTop = await host.ScanAsync("cut.tar", tar[..(tar.Length - 5_000)]);
        var gzTop = await host.ScanAsync("cut.csv.gz", gz[..(gz.Length / 2)]);

        Assert.Equal("partial", zipTop.Status);
        Assert.Equal("scanned", host["cut.zip!first.csv"].Status);
        Assert.Equal("partial", tarTop.Status);
        Assert.Equal("truncated", tarTop.Reason);
        Assert.Equal("scanned", host["cut.tar!first.csv"].Status);
        Assert.Equal("failed", host["cut.tar!second.csv"].Status);
        Assert.Equal("partial", gzTop.Status);
        Assert.Equal("truncated", gzTop.Reason);
        Assert.Contains(host.Records, r => r.Path == "cut.csv.gz!cut.csv");
    }

    [Fact]
    public async Task GarbageWithZipMagicIsSkipped()
    {
        byte[] garbage = [(byte)'P', (byte)'K', 3, 4, .. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))];
        var host = new ContainerTestHost();
        var top = await host.ScanAsync("junk.zip", garbage);
        Assert.Contains(top.Status, new[] { "skipped", "partial" });
    }

    [Fact]
    public async Task NestedZipBombStopsOnALimitQuickly()
    {
        var bomb = Fixtures.NestedBomb(levels: 10, copies: 10, leafBytes: 1 << 20);
        var host = new ContainerTestHost();
        var clock = Stopwatch.StartNew();

        var top = await host.ScanAsync("42.zip", bomb);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal("partial", top.Status);
        Assert.Contains("limit:", top.Reason, StringComparison.Ordinal);
        Assert.True(host.Records.Count < 100_000, $"{bomb.Length} bytes, {host.Records.Count} records: " + string.Join(", ", host.Records.GroupBy(r => (r.Depth, r.Status, r.Reason, r.Extractor)).Select(g => $"{g.Key}={g.Count()}")));
    }

    [Fact]
    public async Task NestedBombWithoutRatioLimitIsBoundedByExpandedBytes()
    {
        var limits = new ExtractionLimits { MaxExpansionRatio = 1e9, MaxExpandedBytesPerItem = 24L << 20 };
        var host = new ContainerTestHost(limits);

        var top = await host.ScanAsync("42.zip", Fixtures.NestedBomb(levels: 4, copies: 10, leafBytes: 1 << 20));

        Assert.Equal("partial", top.Status);
        Assert.Equal(LimitNames.ExpandedBytes, top.Reason);
        Assert.Contains(host.Records, r => r.Reason == LimitNames.ExpandedBytes && r.Depth == 3);
    }

    [Fact]
    public async Task OverlappingEntryBombIsCaught()
    {
        var bomb = Fixtures.OverlappingBomb(copies: 50, kernelBytes: 4 << 20);
        var host = new ContainerTestHost();

        var top = await host.ScanAsync("zbsm.zip", bomb);

        Assert.Equal("partial", top.Status);
        Assert.Contains("overlapping-entries", top.Reason, StringComparison.Ordinal);
        Assert.Equal(49, host.Records.Count(r => r.Reason == "overlapping-entries"));
    }

    [Fact]
    public async Task SelfNestingStopsAtTheDepthLimit()
    {
        var current = Fixtures.Zip(("people.csv", People));
        for (var i = 0; i < 12; i++)
        {
            current = Fixtures.Zip(("droste.zip", current));
        }

        var host = new ContainerTestHost(new ExtractionLimits { MaxDepth = 5 });
        var top = await host.ScanAsync("droste.zip", current);

        // Only the container whose member was cut is partial; its ancestors read all their members.
        Assert.Equal("scanned", top.Status);
        var deepest = host.Records.MaxBy(r => r.Depth)!;
        Assert.Equal(6, deepest.Depth);
        Assert.Equal("skipped", deepest.Status);
        Assert.Equal(LimitNames.Depth, deepest.Reason);
        var cut = host.Records.Single(r => r.Depth == 5);
        Assert.Equal("partial", cut.Status);
        Assert.Equal(LimitNames.Depth, cut.Reason);
        Assert.Equal(7, host.Records.Count);
    }

    [Fact]
    public async Task EntryLimitStopsTheContainer()
    {
        var zip = Fixtures.Zip([.. Enumerable.Range(1, 20).Select(i => ($"{i:D2}.csv", People))]);
        var host = new ContainerTestHost(new ExtractionLimits { MaxEntriesPerContainer = 5 });

        var top = await host.ScanAsync("many.zip", zip);

        Assert.Equal("partial", top.Status);
        Assert.Equal(LimitNames.Entries, top.Reason);
        Assert.Equal(5, host.Records.Count(r => r.Depth == 1));
    }

    [Fact]
    public async Task ScanBudgetIsSharedAcrossItems()
    {
        var limits = new ExtractionLimits { MaxExpandedBytesPerScan = 3L << 20, MaxExpansionRatio = 1e9 };
        var host = new ContainerTestHost(limits);
        var gz = Fixtures.Gzip(new byte[2 << 20]);

        var first = await host.ScanAsync("one.bin.gz", gz);
        var second = await host.ScanAsync("two.bin.gz", gz);

        Assert.NotEqual(LimitNames.ScanExpandedBytes, first.Reason);
        Assert.Equal(LimitNames.ScanExpandedBytes, second.Reason);
        Assert.Equal(LimitNames.ScanExpandedBytes, host["two.bin.gz!two.bin"].Reason);
    }

    [Fact]
    public async Task GzipBombTripsTheRatio()
    {
        var host = new ContainerTestHost();
        var top = await host.ScanAsync("bomb.gz", Fixtures.Gzip(new byte[64 << 20]));
        Assert.Equal("partial", top.Status);
        Assert.Equal(LimitNames.Ratio, top.Reason);
        Assert.Equal(LimitNames.Ratio, host["bomb.gz!bomb"].Reason);
    }

    [Fact]
    public async Task TimeLimitStopsTheContainer()
    {
        var host = new ContainerTestHost(new ExtractionLimits { MaxTimePerItem = TimeSpan.Zero });
        var top = await host.ScanAsync("slow.zip", Fixtures.Zip(("a.csv", People), ("b.csv", People)));
        Assert.Equal("partial", top.Status);
        Assert.Equal(LimitNames.Time, top.Reason);
    }

    private const System.IO.Compression.CompressionLevel CompressionLevelNone = System.IO.Compression.CompressionLevel.NoCompression;
}
