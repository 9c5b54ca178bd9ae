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
        Assert.Equal(0, (await CliRunner.RunAsync("scan", temp.Path, "--out", outDir, "-q", "--force")).ExitCode);

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
        Assert.Equal(
            [
                "041-72-6650", // HR/payroll_roster_2020.xlsx, stored as the number 41726650 with format 000-00-0000
                "145-62-0937",
                "214-66-9081",
                "233-90-1146",
                "255-73-4408",
                "284-51-7736",
                "301-85-6627",
                "327-04-6618",
                "363-48-2915",
                "387-14-5520",
                "402-71-5829",
                "451-09-2273",
                "472-38-1196",
                "509-33-8142",
                "518-24-3307",
                "529-61-0384",
                "611-38-2290",
                "618-20-4497",
                "622-47-0159",
            ],
            ssns);

        var sources = individuals
            .SelectMany(i => i.GetProperty("sources").EnumerateArray().Select(s => (
                Ssn: SyntheticShareTests.Strings(i, "ssn").Single(),
                Path: s.GetProperty("path").GetString()!,
                Locator: s.GetProperty("locator").GetString()!)))
            .ToList();
        Assert.DoesNotContain(sources, s => s.Path.StartsWith("Public/", StringComparison.Ordinal));

        // At least one person comes out of each format of the tree, located inside the file.
        Assert.Contains(sources, s => s.Path.EndsWith(".docx", StringComparison.Ordinal) && s.Locator.StartsWith("table 1 row ", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Path.EndsWith(".xlsx", StringComparison.Ordinal) && s.Locator.StartsWith("Roster!A", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Path.EndsWith(".pptx", StringComparison.Ordinal) && s.Locator.StartsWith("slide ", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Path.EndsWith(".pdf", StringComparison.Ordinal) && s.Locator.StartsWith("page 1 line ", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Path.EndsWith(".html", StringComparison.Ordinal) && s.Locator.StartsWith("table 1 row ", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Path == "Mail/Export/0001.eml!applicants.csv" && s.Locator == "row 2");
        Assert.Contains(sources, s => s.Path.StartsWith("Mail/Export/caseworker.mbox!0001.eml", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Path.StartsWith("Mail/Export/caseworker.mbox!0002.eml", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Path.StartsWith("Backups/nightly_2021.zip!", StringComparison.Ordinal) && s.Path.Count(c => c == '!') == 2 && s.Path.EndsWith(".csv", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Path.StartsWith("Backups/exports_2018.tar.gz!", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.Path.StartsWith("Backups/legacy_clients.7z!", StringComparison.Ordinal));

        // People of the text exports are joined with their copies in the other formats.
        Assert.Equal(
            ["DPHHS/CaseNotes/case_review_2021.docx", "DPHHS/CaseNotes/intake_notes.txt", "DPHHS/Exports/clients_2019.csv"],
            PathsOf("518-24-3307"));
        Assert.Contains("HR/payroll_roster_2020.xlsx", PathsOf("402-71-5829"));
        Assert.Contains("Intranet/referrals.html", PathsOf("327-04-6618"));
        Assert.Contains("Mail/Export/caseworker.mbox!0002.eml", PathsOf("233-90-1146"));
        Assert.Contains("Backups/nightly_2021.zip!nested/2020_archive.zip!old_clients.csv", PathsOf("611-38-2290"));
        Assert.Contains(PathsOf("145-62-0937"), p => p.StartsWith("Backups/exports_2018.tar.gz!", StringComparison.Ordinal));
        Assert.Equal(["DPHHS/Intake/intake_form_0417.pdf", "Intranet/referrals.html"], PathsOf("529-61-0384"));

        var files = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl"));
        Assert.All(files, f => Assert.Equal("scanned", f.GetProperty("status").GetString()));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal(JsonValueKind.Object, summary.RootElement.ValueKind);

        List<string> PathsOf(string ssn) => sources.Where(s => s.Ssn == ssn).Select(s => s.Path).Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
