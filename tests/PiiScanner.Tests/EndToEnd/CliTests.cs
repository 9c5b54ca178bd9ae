using System.Diagnostics;
using System.Text.Json;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>End-to-end runs of <c>piiscan scan</c> on trees built in the test.</summary>
public sealed class CliTests
{
    private const string Ssn = "518-24-3307";

    private static void WriteRoster(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(
            Path.Combine(folder, "roster.csv"),
            $"First Name,Last Name,SSN,DOB\nMarisol,Quintero,{Ssn},03/04/1961\nTobias,Oyelaran,611-38-2290,12/30/1955\n");
    }

    [Fact]
    public async Task OutputsAreMaskedOwnerOnlyAndConsoleHoldsNoPii()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        WriteRoster(share);
        var outDir = temp.Combine("out");

        var (code, stdout, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir);

        Assert.Equal(0, code);
        Assert.Contains("individuals: 2", stdout, StringComparison.Ordinal);
        foreach (var text in new[] { stdout, stderr })
        {
            Assert.DoesNotContain("3307", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Quintero", text, StringComparison.Ordinal);
        }

        var expected = new[] { "individuals.jsonl", "individuals.csv", "findings.jsonl", "files.jsonl", "summary.json", "index.db" };
        foreach (var name in expected)
        {
            var path = Path.Combine(outDir, name);
            Assert.True(File.Exists(path), name);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            if (name != "index.db")
            {
                Assert.DoesNotContain(Ssn, File.ReadAllText(path), StringComparison.Ordinal);
                Assert.DoesNotContain("518243307", File.ReadAllText(path), StringComparison.Ordinal);
            }
        }

        var individuals = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "individuals.jsonl"));
        Assert.Contains(individuals, i => SyntheticShareTests.Strings(i, "ssn").Contains("***-**-3307"));
    }

    [Fact]
    public async Task RevealWritesFullValues()
    {
        using var temp = new TempFolder();
        WriteRoster(temp.Combine("share"));
        var outDir = temp.Combine("out");

        var (code, _, _) = await CliRunner.RunAsync("scan", temp.Combine("share"), "--out", outDir, "--reveal", "-q");

        Assert.Equal(0, code);
        var individuals = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "individuals.jsonl"));
        var person = Assert.Single(individuals, i => SyntheticShareTests.Strings(i, "ssn").Contains(Ssn));
        Assert.Equal(["1961-03-04"], SyntheticShareTests.Strings(person, "dob"));
        Assert.Equal("Marisol Quintero", person.GetProperty("name").GetString());
    }

    [Fact]
    public async Task FifoSymlinkAndUnreadableFilesAreRecordedNotOpened()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempFolder();
        var share = temp.Combine("share");
        WriteRoster(share);
        var outside = temp.Combine("outside");
        WriteRoster(outside);
        File.CreateSymbolicLink(Path.Combine(share, "link-out.csv"), Path.Combine(outside, "roster.csv"));
        Directory.CreateSymbolicLink(Path.Combine(share, "linked-dir"), outside);
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(share, "pipe")))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var outDir = temp.Combine("out");
        var scan = CliRunner.RunAsync("scan", share, "--out", outDir, "-q");
        // A scanner that opened the FIFO would block here forever.
        var finished = await Task.WhenAny(scan, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.Same(scan, finished);
        Assert.Equal(0, (await scan).ExitCode);

        var files = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl"))
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f);
        Assert.Equal("scanned", files["roster.csv"].GetProperty("status").GetString());
        Assert.Equal("skipped", files["pipe"].GetProperty("status").GetString());
        Assert.Contains("fifo", files["pipe"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("skipped", files["link-out.csv"].GetProperty("status").GetString());
        Assert.Equal("skipped", files["linked-dir"].GetProperty("status").GetString());
        Assert.DoesNotContain(files.Keys, k => k.StartsWith("linked-dir/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutputFolderInsideTheTreeIsNotScanned()
    {
        using var temp = new TempFolder();
        WriteRoster(temp.Path);
        var outDir = temp.Combine("out");

        Assert.Equal(0, (await CliRunner.RunAsync("scan", temp.Path, "--out", outDir, "-q")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("scan", temp.Path, "--out", outDir, "-q")).ExitCode);

        var paths = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl")).Select(f => f.GetProperty("path").GetString()).ToList();
        Assert.Equal(["roster.csv"], paths);
    }

    [Fact]
    public async Task MissingRootIsAClearError()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = await CliRunner.RunAsync("scan", temp.Combine("nope"), "--out", temp.Combine("out"), "-q");
        Assert.Equal(2, code);
        Assert.Contains("not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SampleServerFromTheReadmeFindsItsPeople()
    {
        using var temp = new TempFolder();
        var outDir = temp.Combine("out");

        var (code, _, stderr) = await CliRunner.RunAsync("scan", Path.Combine(RepoPaths.Root, "tests", "sample-server"), "--out", outDir, "--reveal", "-q");

        Assert.True(code == 0, stderr);
        var individuals = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "individuals.jsonl"));
        var ssns = individuals.SelectMany(i => SyntheticShareTests.Strings(i, "ssn")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["145-62-0937", "233-90-1146", "327-04-6618", "402-71-5829", "518-24-3307", "611-38-2290"], ssns);
        var brochure = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "individuals.jsonl"))
            .SelectMany(i => i.GetProperty("sources").EnumerateArray())
            .Where(s => s.GetProperty("path").GetString()!.StartsWith("Public/", StringComparison.Ordinal));
        Assert.Empty(brochure);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal(JsonValueKind.Object, summary.RootElement.ValueKind);
    }
}
