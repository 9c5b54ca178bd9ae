using System.Text;
using System.Text.Json;
using PiiScanner.Index;

namespace PiiScanner.Tests.Index;

public sealed class FileStatusAndReasonTests
{
    [Theory]
    [InlineData(FileStatus.Scanned, "scanned")]
    [InlineData(FileStatus.Partial, "partial")]
    [InlineData(FileStatus.Skipped, "skipped")]
    [InlineData(FileStatus.Failed, "failed")]
    public void StatusIsWrittenAsTheContractString(FileStatus status, string written)
    {
        Assert.Equal(written, WireName.Of(status));
        Assert.True(WireName.TryParse<FileStatus>(written, out var back));
        Assert.Equal(status, back);

        var line = FilesLine(new FileRecord { Path = "a.txt", Status = status, Reason = status == FileStatus.Scanned ? null : "encrypted" });
        using var doc = JsonDocument.Parse(line);
        Assert.Equal(written, doc.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void EveryStatusHasAnOutputName() =>
        Assert.All(Enum.GetValues<FileStatus>(), s => Assert.False(string.IsNullOrEmpty(WireName.Of(s))));

    [Theory]
    [InlineData("binary", ReasonKind.Binary)]
    [InlineData("encrypted", ReasonKind.Encrypted)]
    [InlineData("corrupt: the data is not laid out as its format requires", ReasonKind.Corrupt)]
    [InlineData("json:invalid at byte 120", ReasonKind.Corrupt)]
    [InlineData("delimited:unterminated-quote", ReasonKind.Corrupt)]
    [InlineData("truncated", ReasonKind.Truncated)]
    [InlineData("limit:depth", ReasonKind.Limit)]
    [InlineData("limit:ocr-pages", ReasonKind.Limit)]
    [InlineData("ocr-disabled", ReasonKind.OcrDisabled)]
    [InlineData("ocr-unavailable: tesseract not found (install Debian packages tesseract-ocr)", ReasonKind.ToolMissing)]
    [InlineData("pst: install Debian package pff-tools (pffexport)", ReasonKind.ToolMissing)]
    [InlineData("pst: pffexport could not read the file (not an Outlook store, or damaged beyond reading)", ReasonKind.Corrupt)]
    [InlineData("symlink: not followed", ReasonKind.Link)]
    [InlineData("link", ReasonKind.Link)]
    [InlineData("special: fifo", ReasonKind.SpecialFile)]
    [InlineData("special-file", ReasonKind.SpecialFile)]
    [InlineData("permission-denied: the file could not be opened for reading", ReasonKind.PermissionDenied)]
    [InlineData("io-error: the operating system reported an error while the file was read", ReasonKind.IoError)]
    [InlineData("changed-during-scan: the file was modified while it was being read", ReasonKind.ChangedDuringScan)]
    [InlineData("fixed-width:bad-layout: staff.cpy: line 2", ReasonKind.BadLayout)]
    [InlineData("regex-timeout: rule custom-id ran out of time", ReasonKind.RegexTimeout)]
    [InlineData("encrypted; limit:entries", ReasonKind.Encrypted)]
    [InlineData("errors everywhere", ReasonKind.Other)]
    [InlineData("linked-list", ReasonKind.Other)]
    [InlineData("my-extractor: gave up", ReasonKind.Other)]
    public void ReasonKindIsTheLeadingKeyword(string reason, ReasonKind kind)
    {
        var record = new FileRecord { Path = "a", Status = FileStatus.Partial, Reason = reason };
        Assert.Equal(kind, record.ReasonKind);

        // The text is written as it was given: the kind is a view of it, never a second field in files.jsonl.
        using var doc = JsonDocument.Parse(FilesLine(record));
        Assert.Equal(reason, doc.RootElement.GetProperty("reason").GetString());
        Assert.False(doc.RootElement.TryGetProperty("reasonKind", out _));
    }

    [Fact]
    public void NoReasonHasNoKind() => Assert.Null(new FileRecord { Path = "a", Status = FileStatus.Scanned }.ReasonKind);

    [Fact]
    public void JournalKeepsTheStatusAndReason()
    {
        var item = new ItemResult(new FileRecord { Path = "a.zip", Status = FileStatus.Skipped, Reason = "encrypted" }, [], []);
        var back = JournalCodec.Decode(JournalCodec.Encode(item));
        Assert.Equal(FileStatus.Skipped, back.File.Status);
        Assert.Equal(ReasonKind.Encrypted, back.File.ReasonKind);
    }

    [Fact]
    public void SummaryCountsEveryStatusUnderItsContractName()
    {
        var items = new[]
        {
            new ItemResult(new FileRecord { Path = "a", Status = FileStatus.Scanned }, [], []),
            new ItemResult(new FileRecord { Path = "b", Status = FileStatus.Failed, Reason = "error: x" }, [], []),
            new ItemResult(new FileRecord { Path = "c", Status = FileStatus.Failed, Reason = "error: y" }, [], []),
        };
        var builder = new SummaryBuilder();
        foreach (var item in items)
        {
            builder.Add(item);
        }

        // The counts survive being kept with a journal's resolution (the unchanged-rescan path).
        var summary = SummaryBuilder.Decode(builder.Encode()).Build(["root"], [], new JournalTotals(0, null), TimeSpan.Zero, new Dictionary<string, string>());
        Assert.Equal(2, summary.FilesByStatus[FileStatus.Failed]);
        Assert.Equal(0, summary.FilesByStatus[FileStatus.Skipped]);

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            IndexJson.WriteSummary(w, summary, new OutputOptions());
        }

        using var doc = JsonDocument.Parse(stream.ToArray());
        var byStatus = doc.RootElement.GetProperty("files").GetProperty("byStatus");
        Assert.Equal(["failed", "partial", "scanned", "skipped"], byStatus.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, byStatus.GetProperty("failed").GetInt64());
        Assert.Equal(1, byStatus.GetProperty("scanned").GetInt64());
    }

    private static string FilesLine(FileRecord record)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            IndexJson.WriteFile(w, record);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
