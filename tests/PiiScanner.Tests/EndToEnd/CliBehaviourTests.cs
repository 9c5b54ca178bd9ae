using System.Diagnostics;
using System.Text.Json;
using PiiScanner.Cli;
using PiiScanner.Index;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>The command's contract: options checked before any work, exit codes, one-line errors, progress, --json.</summary>
public sealed class CliBehaviourTests
{
    private static string Roster(TempFolder temp)
    {
        var share = temp.Folder("share");
        File.WriteAllText(Path.Combine(share, "roster.csv"), "First Name,Last Name,SSN\nMarisol,Quintero,518-24-3307\n");
        return share;
    }

    [Theory]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("--threads=0", "--threads must be at least 1")]
    [InlineData("--max-depth=-1", "--max-depth must be at least 0")]
    public async Task BadOptionsAreUsageErrorsBeforeAnyWork(string option, string message)
    {
        using var temp = new TempFolder();
        var outDir = temp.Combine("out");

        var (code, stdout, stderr) = await CliRunner.RunAsync("scan", Roster(temp), option, "--out", outDir);

        Assert.Equal(2, code);
        Assert.Contains("piiscan: " + message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.False(Directory.Exists(outDir), "nothing may be created before the options are valid");
    }

    [Fact]
    public async Task NonEmptyOutputFolderIsRefusedUnlessForced()
    {
        using var temp = new TempFolder();
        var share = Roster(temp);
        var outDir = temp.Folder("out");
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "an analyst's notes");
        File.WriteAllText(Path.Combine(outDir, "index.db"), "a stale index of an earlier scan");

        var (refused, _, error) = await CliRunner.RunAsync("scan", share, "--out", outDir, "-q");
        Assert.Equal(2, refused);
        Assert.Contains("is not empty", error, StringComparison.Ordinal);
        Assert.Contains("--force", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(outDir, "individuals.jsonl")));

        var (forced, _, forcedError) = await CliRunner.RunAsync("scan", share, "--out", outDir, "-q", "--force", "--no-sqlite");
        Assert.True(forced == 0, forcedError);
        Assert.True(File.Exists(Path.Combine(outDir, "individuals.jsonl")));
        Assert.False(File.Exists(Path.Combine(outDir, "index.db")), "the earlier scan's index.db must not pass for this one's");
        Assert.Equal("an analyst's notes", File.ReadAllText(Path.Combine(outDir, "notes.txt")));
    }

    [Fact]
    public async Task OutputFolderIsTightenedToOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempFolder();
        var outDir = temp.Combine("out");
        Directory.CreateDirectory(outDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var (code, _, stderr) = await CliRunner.RunAsync("scan", Roster(temp), "--out", outDir, "-q");

        Assert.True(code == 0, stderr);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(outDir));
    }

    [Fact]
    public async Task OutputFolderThatIsAFileIsAUsageError()
    {
        using var temp = new TempFolder();
        var outFile = temp.Combine("out");
        File.WriteAllText(outFile, string.Empty);

        var (code, _, stderr) = await CliRunner.RunAsync("scan", Roster(temp), "--out", outFile, "-q");

        Assert.Equal(2, code);
        Assert.Contains("is a file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnItemThatCannotBeReadGivesTheIncompleteExitCode()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // /proc/self/mem is a regular file that fails with EIO at offset 0, whoever reads it (root too).
        using var temp = new TempFolder();
        var (code, stdout, stderr) = await CliRunner.RunAsync("scan", "/proc/self/mem", "--out", temp.Combine("out"), "-q");

        Assert.Equal(3, code);
        Assert.Contains("files: 1 failed", stdout, StringComparison.Ordinal);
        Assert.Contains("piiscan: 1 item could not be read", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreadableFoldersAndFailuresCountAsUnreadButCorruptFilesDoNot()
    {
        Assert.True(ScanCommand.IsUnread(new() { Path = "a", Status = FileStatus.Failed, Reason = "io-error: x" }));
        Assert.True(ScanCommand.IsUnread(new() { Path = "b", Status = FileStatus.Skipped, Reason = "permission-denied: x" }));
        Assert.True(ScanCommand.IsUnread(new() { Path = "c", Status = FileStatus.Skipped, Reason = "io-error: directory unreadable" }));
        Assert.False(ScanCommand.IsUnread(new() { Path = "d", Status = FileStatus.Skipped, Reason = "corrupt: damaged cross-reference table" }));
        Assert.False(ScanCommand.IsUnread(new() { Path = "e", Status = FileStatus.Partial, Reason = "limit:time" }));
        Assert.False(ScanCommand.IsUnread(new() { Path = "f", Status = FileStatus.Scanned }));
    }

    [Fact]
    public async Task JsonPrintsTheSummaryWithItsProvenance()
    {
        using var temp = new TempFolder();
        var outDir = temp.Combine("out");
        string[] args = ["scan", Roster(temp), "--out", outDir, "-q", "--json", "--threads", "2"];

        var (code, stdout, stderr) = await CliRunner.RunAsync(args);

        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(outDir, "summary.json")), stdout);
        using var summary = JsonDocument.Parse(stdout);
        var provenance = summary.RootElement.GetProperty("provenance");
        Assert.Equal(Scanner.ToolVersion, provenance.GetProperty("toolVersion").GetString());
        Assert.StartsWith("0.", Scanner.ToolVersion, StringComparison.Ordinal);
        Assert.Equal(args, provenance.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(new ScannerBuilder().Build().RulesHash, provenance.GetProperty("rulesHash").GetString());
        Assert.Matches("^[0-9a-f]{64}$", provenance.GetProperty("rulesHash").GetString()!);
        Assert.True(provenance.GetProperty("masked").GetBoolean());
        Assert.Equal(2, provenance.GetProperty("threads").GetInt32());
        Assert.Equal(8, provenance.GetProperty("limits").GetProperty("maxDepth").GetInt32());
        var started = provenance.GetProperty("startedAt").GetDateTimeOffset();
        var ended = provenance.GetProperty("endedAt").GetDateTimeOffset();
        Assert.True(started <= ended);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromHours(1));
        Assert.Equal(1, summary.RootElement.GetProperty("accessTimes").GetProperty("filesOpened").GetInt32());
        Assert.DoesNotContain("Quintero", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevealIsRecordedAsUnmasked()
    {
        using var temp = new TempFolder();
        var (code, stdout, stderr) = await CliRunner.RunAsync("scan", Roster(temp), "--out", temp.Combine("out"), "-q", "--json", "--reveal");

        Assert.True(code == 0, stderr);
        using var summary = JsonDocument.Parse(stdout);
        Assert.False(summary.RootElement.GetProperty("provenance").GetProperty("masked").GetBoolean());
    }

    [Fact]
    public async Task ProgressToALogHasPhasesAndNoCarriageReturns()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = await CliRunner.RunAsync("scan", Roster(temp), "--out", temp.Combine("out"));

        Assert.True(code == 0, stderr);
        Assert.DoesNotContain('\r', stderr);
        var last = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("done: 1 of 1 files", last, StringComparison.Ordinal);
    }

    [Fact]
    public void ProgressLineShowsPhaseCountsRateAndEta()
    {
        var p = new ScanProgress(ItemsQueued: 400, ItemsDone: 150, BytesRead: 0, Findings: 12, Completed: false)
        {
            Phase = ScanPhase.Scanning,
            TopLevelDone = 100,
            BytesQueued = 40_000_000,
            BytesDone = 10_000_000,
        };

        var line = ScanCommand.ConsoleProgress.Describe(p, TimeSpan.FromSeconds(5));

        // 10 MB in 5 s is 2 MB/s; the 30 MB left take 15 s.
        Assert.Equal("scanning: 100 of 400 files, 10.0 of 40.0 MB, 2.0 MB/s, 12 findings, ETA 0:15", line);
        Assert.StartsWith("walking: ", ScanCommand.ConsoleProgress.Describe(p with { Phase = ScanPhase.Walking }, TimeSpan.FromSeconds(5)), StringComparison.Ordinal);
        Assert.DoesNotContain("ETA", ScanCommand.ConsoleProgress.Describe(p with { Phase = ScanPhase.Walking }, TimeSpan.FromSeconds(5)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task ASignalStopsTheScanCleanlyWithItsExitCode(string signal, int expected)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var temp = new TempFolder();
        var share = temp.Folder("share");
        for (var i = 0; i < 3000; i++)
        {
            File.WriteAllText(Path.Combine(share, $"memo-{i:0000}.txt"), $"Memo {i}: the quarterly figures are attached; call extension {i % 90 + 10} with questions.\n");
        }

        var outDir = temp.Combine("out");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // 3,000 small files take about a second: each waits a little, so the signal comes while the scan still reads.
        info.Environment["PIISCAN_TEST_ITEM_DELAY_MS"] = "5";
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "piiscan.dll"), "scan", share, "--out", outDir, "--threads", "1"])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        // The first progress line: the scan is under way.
        var first = await process.StandardError.ReadLineAsync();
        Assert.NotNull(first);
        using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == expected, $"exit {process.ExitCode}: {first}\n{stderr}{await stdout}");
        Assert.Contains("piiscan: stopped before the index was written", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(outDir, "summary.json")));
    }
}
