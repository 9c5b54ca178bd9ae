using System.Text.Json;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>A user rule whose regex runs out of time: reported per rule and file, never a crash, never a value.</summary>
public sealed class RegexTimeoutTests
{
    [Fact]
    public async Task CatastrophicUserRuleMakesItsFilesPartialAndIsTotalledInTheSummary()
    {
        using var temp = new TempFolder();
        var rules = temp.Folder("rules");
        // Backtracks exponentially on a long digit run that does not end the line.
        File.WriteAllText(Path.Combine(rules, "slow.yaml"), "id: test-slow\nelement: ssn\npatterns:\n  - {name: slow, regex: '^(\\d|\\d\\d)+$'}\n");
        var share = temp.Folder("share");
        var digits = new string('7', 5000);
        File.WriteAllText(Path.Combine(share, "b-slow.txt"), digits + "y\n");
        File.WriteAllText(Path.Combine(share, "a-slow.txt"), digits + "x\n");
        File.WriteAllText(Path.Combine(share, "c-fine.txt"), "Nothing to see here.\n");
        var outDir = temp.Combine("out");

        var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir, "--rules", rules, "-q", "--threads", "2");

        Assert.Equal(0, code);
        Assert.Contains("piiscan: rule test-slow ran out of time on 2 items", stderr, StringComparison.Ordinal);
        var files = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl")).ToDictionary(f => f.GetProperty("path").GetString()!);
        foreach (var slow in (string[])["a-slow.txt", "b-slow.txt"])
        {
            Assert.Equal("partial", files[slow].GetProperty("status").GetString());
            Assert.StartsWith("regex-timeout: rule test-slow ran out of time", files[slow].GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.False(files[slow].TryGetProperty("regexTimeouts", out _));
        }

        Assert.Equal("scanned", files["c-fine.txt"].GetProperty("status").GetString());

        var summaryText = File.ReadAllText(Path.Combine(outDir, "summary.json"));
        Assert.DoesNotContain("7777", summaryText, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(summaryText);
        var timeouts = summary.RootElement.GetProperty("regexTimeouts");
        var slowRule = Assert.Single(timeouts.EnumerateObject());
        Assert.Equal("test-slow", slowRule.Name);
        Assert.Equal(2, slowRule.Value.GetProperty("files").GetInt64());
        Assert.Equal("a-slow.txt", slowRule.Value.GetProperty("examplePath").GetString());
        Assert.Equal(2, summary.RootElement.GetProperty("files").GetProperty("byStatus").GetProperty("partial").GetInt64());
    }

    [Fact]
    public async Task AScanWithoutTimeoutsReportsNone()
    {
        using var temp = new TempFolder();
        var share = temp.Folder("share");
        File.WriteAllText(Path.Combine(share, "note.txt"), "Nothing to see here.\n");
        var outDir = temp.Combine("out");

        var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir, "-q");

        Assert.Equal(0, code);
        Assert.DoesNotContain("ran out of time", stderr, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Empty(summary.RootElement.GetProperty("regexTimeouts").EnumerateObject());
    }
}
