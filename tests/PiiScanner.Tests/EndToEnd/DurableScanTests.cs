using PiiScanner.Index;
using PiiScanner.Testing;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>Scans that are killed (<c>kill -9</c> of a child process) at chosen points, then resumed or checked.</summary>
public sealed class DurableScanTests
{
    private static Dictionary<string, string> Kill(string variable, string value) => new(StringComparer.Ordinal) { [variable] = value };

    [Fact]
    public async Task ScanKilledWhileWritingNeverLeavesACompleteLookingIndex()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        SyntheticShare.Write(share, 20, seed: 3, copies: 1);

        foreach (var name in OutputDirectorySink.OutputFiles.Where(n => n != OutputDirectorySink.SummaryJson))
        {
            // Each time over a complete index of an earlier run: the old completion marker must not survive.
            var outDir = temp.Combine("out-" + name);
            Assert.Equal(0, (await CliProcess.RunAsync(null, "scan", share, "--out", outDir, "-q")).ExitCode);
            Assert.True(File.Exists(Path.Combine(outDir, OutputDirectorySink.SummaryJson)));

            var (code, _, stderr) = await CliProcess.RunAsync(Kill("PIISCAN_TEST_KILL_AFTER_OUTPUT", name), "scan", share, "--out", outDir, "-q", "--force");

            Assert.True(code == CliProcess.Killed, $"{name}: exit {code} {stderr}");
            Assert.True(File.Exists(Path.Combine(outDir, name)), name + " was committed before the kill");
            Assert.False(File.Exists(Path.Combine(outDir, OutputDirectorySink.SummaryJson)), "summary.json beside a half-written index (killed after " + name + ")");
        }
    }

    [Fact]
    public async Task ScanKilledAtSeveralPointsAndResumedWritesTheSameBytesAsAnUninterruptedScan()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        SyntheticShare.Write(share, 30, seed: 9, copies: 2);
        var files = Directory.GetFiles(share, "*", SearchOption.AllDirectories).Length;
        Assert.True(files > 8, "the share has files to kill between");

        var reference = temp.Combine("reference");
        Assert.Equal(0, (await CliProcess.RunAsync(null, "scan", share, "--out", reference, "-q", "--threads", "2")).ExitCode);

        // Killed after 1 item, resumed and killed again 3 items later, resumed with --resume and killed while
        // writing findings.jsonl, then resumed to the end by the plain command.
        var outDir = temp.Combine("out");
        var kills = new[]
        {
            (Variable: "PIISCAN_TEST_KILL_AFTER_ITEMS", Value: "1", Extra: Array.Empty<string>()),
            ("PIISCAN_TEST_KILL_AFTER_ITEMS", "3", []),
            ("PIISCAN_TEST_KILL_AFTER_OUTPUT", OutputDirectorySink.FindingsJsonl, ["--resume"]),
        };
        foreach (var (variable, value, extra) in kills)
        {
            var (code, _, stderr) = await CliProcess.RunAsync(Kill(variable, value), ["scan", share, "--out", outDir, "-q", "--threads", "2", .. extra]);
            Assert.True(code == CliProcess.Killed, $"{variable}={value}: exit {code} {stderr}");
            Assert.False(File.Exists(Path.Combine(outDir, OutputDirectorySink.SummaryJson)));
        }

        var (last, _, lastError) = await CliProcess.RunAsync(null, "scan", share, "--out", outDir, "-q", "--threads", "1");
        Assert.True(last == 0, lastError);
        AssertSameOutputs(reference, outDir);
    }

    [Fact]
    public async Task ResumedScanReadsAgainOnlyWhatItHadNotJournaled()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        SyntheticShare.Write(share, 30, seed: 9, copies: 2);
        var outDir = temp.Combine("out");

        var (code, _, _) = await CliProcess.RunAsync(Kill("PIISCAN_TEST_KILL_AFTER_ITEMS", "4"), "scan", share, "--out", outDir, "-q", "--threads", "1");
        Assert.Equal(CliProcess.Killed, code);

        // Each item read in this run reaches the kill sink: 4 more items read means none of the first 4 was read again
        // (one worker: nothing else is in flight), so the second kill comes exactly 4 items later.
        var journaled = await ItemsDoneAsync(outDir);
        Assert.True(journaled >= 4, $"{journaled} items journaled before the first kill");
        (code, _, _) = await CliProcess.RunAsync(Kill("PIISCAN_TEST_KILL_AFTER_ITEMS", "4"), "scan", share, "--out", outDir, "-q", "--threads", "1");
        Assert.Equal(CliProcess.Killed, code);
        Assert.Equal(journaled + 4, await ItemsDoneAsync(outDir));
    }

    [Fact]
    public async Task FinishedScanIsNotOverwrittenWithoutForce()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        SyntheticShare.Write(share, 5, seed: 2, copies: 1);
        var outDir = temp.Combine("out");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", outDir, "-q")).ExitCode);
        var before = await File.ReadAllBytesAsync(Path.Combine(outDir, OutputDirectorySink.SummaryJson));

        var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir, "-q");
        Assert.Equal(2, code);
        Assert.Contains("finished scan", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(outDir, OutputDirectorySink.SummaryJson)));

        (code, _, stderr) = await CliRunner.RunAsync("scan", temp.Combine("share", "Exports"), "--out", outDir, "-q", "--resume");
        Assert.Equal(2, code);
        Assert.Contains("other roots", stderr, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", outDir, "-q", "--force")).ExitCode);
    }

    /// <summary>Every output file byte for byte; in summary.json, everything but the elapsed time.</summary>
    internal static void AssertSameOutputs(string expectedDir, string actualDir)
    {
        foreach (var name in OutputDirectorySink.OutputFiles)
        {
            var expected = File.ReadAllBytes(Path.Combine(expectedDir, name));
            var actual = File.ReadAllBytes(Path.Combine(actualDir, name));
            if (name == OutputDirectorySink.SummaryJson)
            {
                Assert.Equal(WithoutTimings(expected), WithoutTimings(actual));
            }
            else
            {
                Assert.True(expected.Length > 0 || name == OutputDirectorySink.StaffJsonl, name + " is empty");
                Assert.True(expected.AsSpan().SequenceEqual(actual), name + " differs");
            }
        }
    }

    private static string[] WithoutTimings(byte[] summary)
        => System.Text.Encoding.UTF8.GetString(summary).Split('\n').Where(l => !l.Contains("\"elapsedSeconds\"", StringComparison.Ordinal)).ToArray();

    private static async Task<long> ItemsDoneAsync(string outDir)
    {
        var path = Path.Combine(outDir, ScanJournal.FileName);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM results";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
