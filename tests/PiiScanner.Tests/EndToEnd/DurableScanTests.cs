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
}
