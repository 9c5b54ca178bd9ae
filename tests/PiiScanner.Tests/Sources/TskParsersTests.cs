using PiiScanner.Sources.SleuthKit;

namespace PiiScanner.Tests.Sources;

public sealed class TskParsersTests
{
    [Theory]
    [InlineData("r/r 12:\talloc.txt", 'r', false, "12", false, "alloc.txt")]
    [InlineData("r/r * 13:\tdocs/gone.txt", 'r', true, "13", false, "docs/gone.txt")]
    [InlineData("r/r * 64-128-2(realloc):\tUsers/x.doc", 'r', true, "64-128-2", true, "Users/x.doc")]
    [InlineData("-/r * 16:\t$OrphanFiles/OrphanFile-16", 'r', true, "16", false, "$OrphanFiles/OrphanFile-16")]
    [InlineData("r/- * 0:\tlost name.txt", 'r', true, "0", false, "lost name.txt")]
    [InlineData("d/d 11:\tlost+found", 'd', false, "11", false, "lost+found")]
    [InlineData("l/l 20:\tlink", 'l', false, "20", false, "link")]
    public void FlsShortLines(string line, char type, bool deleted, string address, bool realloc, string path)
    {
        var entry = TskParsers.ParseFls(line, longFormat: false);
        Assert.NotNull(entry);
        Assert.Equal(type, entry.Type);
        Assert.Equal(deleted, entry.Deleted);
        Assert.Equal(address, entry.Address);
        Assert.Equal(realloc, entry.Reallocated);
        Assert.Equal(path, entry.Path);
    }

    [Fact]
    public void FlsLongLine_NameWithTabAndTimes()
    {
        var entry = TskParsers.ParseFls(
            "r/r * 14:\tweird\tname.txt\t2026-11-27 22:23:17 (UTC)\t2026-11-27 22:23:18 (UTC)\t0000-00-00 00:00:00 (UTC)\t2026-11-27 22:23:17 (UTC)\t37\t0\t0",
            longFormat: true);
        Assert.NotNull(entry);
        Assert.Equal("weird\tname.txt", entry.Path);
        Assert.Equal(37, entry.Size);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 22, 23, 17, TimeSpan.Zero), entry.Modified);
        Assert.Null(TskParsers.ParseFls("not an fls line", longFormat: true));
    }

    [Fact]
    public void Mmls_PartitionsGapsAndExtendedContainers()
    {
        const string output = """
            DOS Partition Table
            Offset Sector: 0
            Units are in 512-byte sectors

                  Slot      Start        End          Length       Description
            000:  Meta      0000000000   0000000000   0000000001   Primary Table (#0)
            001:  -------   0000000000   0000002047   0000002048   Unallocated
            002:  000:000   0000002048   0000010239   0000008192   Linux (0x83)
            003:  000:001   0000010240   0000020479   0000010240   DOS Extended (0x05)
            004:  001:000   0000010242   0000020479   0000010238   NTFS / exFAT (0x07)
            """;
        var table = TskParsers.ParseMmls(output);
        Assert.Equal("DOS Partition Table", table.VolumeSystem);
        Assert.Equal(512, table.SectorSize);
        Assert.Equal(["002", "004"], table.Entries.Where(e => e.IsPartition).Select(e => e.Index));
        Assert.True(table.Entries[1].IsUnallocated);
        Assert.Equal(2048, table.Entries[2].Start);
    }

    [Fact]
    public async Task BlklsList_MergesConsecutiveAddresses()
    {
        static async IAsyncEnumerable<string> Lines()
        {
            foreach (var line in new[] { "class|host|image|first_time|unit", "blkls|vm||1|Fragment", "addr|alloc", "5|f", "6|f", "7|f", "9|f", "12|f", "13|f" })
            {
                await Task.Yield();
                yield return line;
            }
        }

        var ranges = new List<(long, long)>();
        await foreach (var range in TskParsers.ParseFreeRangesAsync(Lines()))
        {
            ranges.Add(range);
        }

        Assert.Equal([(5L, 3L), (9L, 1L), (12L, 2L)], ranges);
    }

    [Theory]
    [InlineData("plain/name.txt", "plain/name.txt")]
    [InlineData("a!b#c%d.txt", "a%21b%23c%25d.txt")]
    [InlineData("new\nline", "new%0Aline")]
    public void ItemPathEscaping(string name, string expected) => Assert.Equal(expected, DiskImageProbe.EscapeName(name));

    [Fact]
    public void Ewfverify_SuccessAndFailureInWords()
    {
        const string ok = "ewfverify 20140813\n\n\nMD5 hash stored in file:\t\te1b7042683ebc5cfb90311d7467bc0d9\nMD5 hash calculated over data:\t\te1b7042683ebc5cfb90311d7467bc0d9\n\newfverify: SUCCESS\n";
        var success = TskParsers.ParseEwfverify(ok);
        Assert.True(success.Success);
        Assert.Equal("e1b7042683ebc5cfb90311d7467bc0d9", success.StoredMd5);
        Assert.Equal(success.StoredMd5, success.CalculatedMd5);

        const string bad = "ewfverify 20140813\n\n\nSector validation errors:\n\ttotal number: 1\n\tat sector(s): 8512 - 8575 (number: 64) in segment file(s): /evidence/case.E05\n\n"
            + "MD5 hash stored in file:\t\te1b7042683ebc5cfb90311d7467bc0d9\nMD5 hash calculated over data:\t\t16f2be2e801f805d389523003f726745\n\newfverify: FAILURE\n";
        var failure = TskParsers.ParseEwfverify(bad);
        Assert.False(failure.Success);
        Assert.Equal("16f2be2e801f805d389523003f726745", failure.CalculatedMd5);
        Assert.Equal("sectors 8512-8575 fail their checksum (case.E05); the MD5 over the data differs from the one stored at acquisition", failure.Problem);
        Assert.Equal("ewfverify could not verify the image", TskParsers.ParseEwfverify("Unable to verify input.").Problem);
    }
}
