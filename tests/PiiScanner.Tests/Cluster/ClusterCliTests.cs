using PiiScanner.Index;
using PiiScanner.Testing;
using PiiScanner.Tests.EndToEnd;

namespace PiiScanner.Tests.Cluster;

/// <summary>The cluster options of the command line: bad input is one line and exit code 2, with nothing left behind.</summary>
public sealed class ClusterCliTests
{
    [Theory]
    [InlineData("postgres://db:5432", "expected redis://host:port")]
    [InlineData("redis-host:6379", "expected redis://host:port")]
    public async Task ScanWithAClusterThatIsNotRedisIsAUsageError(string address, string expected)
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        SyntheticShare.Write(share, 3, seed: 1, copies: 1);
        var outDir = temp.Combine("out");

        var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir, "--cluster", address, "-q");

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(outDir, ScanJournal.FileName)));
    }

    [Fact]
    public async Task SiloWithABadAddressIsAUsageError()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("silo", "--cluster", "redis://127.0.0.1:6379", "--advertise", "not-an-ip");

        Assert.Equal(2, code);
        Assert.Contains("--advertise not-an-ip", stderr, StringComparison.Ordinal);
    }
}
