using PiiScanner.Detection;
using PiiScanner.Index;
using PiiScanner.Resolution;
using PiiScanner.Sources;

namespace PiiScanner.Tests.Sources;

public sealed class BulkExtractorFeatureSinkTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "piiscan-be-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static Finding Ssn(string value, string locator, long? byteOffset = null) => new()
    {
        Element = Elements.Ssn,
        Value = value,
        Locator = locator,
        Confidence = 0.9,
        Evidence = new Evidence { RuleId = "ssn" },
        ByteOffset = byteOffset,
    };

    private static ScanResult Result() => new(
        [
            new ItemResult(
                new FileRecord { Path = "p1/$unallocated/000000001048576", Status = FileStatus.Scanned, Origin = new ItemOrigin { Partition = "p1", ImageOffset = 1_048_576 } },
                [Ssn("123456704", "offset 1048676", 1_048_680), Ssn("123456705", "offset 1049000")],
                []),
            new ItemResult(
                new FileRecord { Path = "p1/gone.txt#13", Status = FileStatus.Scanned, Origin = new ItemOrigin { Partition = "p1", Inode = "13", Deleted = true } },
                [Ssn("123456702", "line 2"), new Finding { Element = Elements.Dob, Value = "1980-02-03", Locator = "line 3", Confidence = 0.8, Evidence = new Evidence { RuleId = "dob" } }],
                Array.Empty<PersonRecord>()),
        ],
        [],
        new ScanSummary
        {
            Roots = ["disk image /cases/42/server.raw (raw)"],
            FilesByStatus = new Dictionary<FileStatus, long>(),
            FindingsByElement = new Dictionary<string, long>(),
            IndividualsByElement = new Dictionary<string, long>(),
        });

    [Fact]
    public async Task FeatureFiles_HaveBulkExtractorHeaderAndMaskedTabSeparatedLines()
    {
        await new BulkExtractorFeatureSink(_folder).OnCompletedAsync(Result(), CancellationToken.None);

        var ssn = File.ReadAllLines(Path.Combine(_folder, "ssn.txt"));
        Assert.Contains("# Feature-Recorder: ssn", ssn);
        Assert.Contains("# Feature-File-Version: 1.1", ssn);
        Assert.Contains("# Filename: disk image /cases/42/server.raw (raw)", ssn);
        var lines = ssn.Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(
            [
                "1048680\t***-**-6704\toffset 1048676 in p1/$unallocated/000000001048576",
                "1049000\t***-**-6705\toffset 1049000 in p1/$unallocated/000000001048576",
                "p1/gone.txt#13\t***-**-6702\tline 2 (deleted, address 13)",
            ],
            lines);
        Assert.Contains("p1/gone.txt#13\t1980-**-**\tline 3 (deleted, address 13)", File.ReadAllLines(Path.Combine(_folder, "dob.txt")));
        Assert.DoesNotContain("123456702", File.ReadAllText(Path.Combine(_folder, "ssn.txt")), StringComparison.Ordinal);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, "ssn.txt")));
        }
    }

    [Fact]
    public async Task Reveal_WritesValuesAndEscapesControlCharacters()
    {
        await new BulkExtractorFeatureSink(_folder, reveal: true).OnCompletedAsync(Result(), CancellationToken.None);
        Assert.Contains("p1/gone.txt#13\t123456702\tline 2 (deleted, address 13)", File.ReadAllLines(Path.Combine(_folder, "ssn.txt")));
        Assert.Equal("a\\x09b\\x5Cc", BulkExtractorFeatureSink.Escape("a\tb\\c"));
    }
}
