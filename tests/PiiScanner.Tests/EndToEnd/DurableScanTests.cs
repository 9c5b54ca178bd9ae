using PiiScanner.Index;
using PiiScanner.Notification;
using PiiScanner.Testing;
using PiiScanner.Tests.Index;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>Scans that are killed (<c>kill -9</c> of a child process) at chosen points, then resumed or checked.</summary>
public sealed class DurableScanTests
{
    private static readonly string[] NotificationFiles = [NotificationSink.NotificationCsv, NotificationSink.NotificationSummaryJson, NotificationSink.ReportHtml];

    private static Dictionary<string, string> Kill(string variable, string value) => new(StringComparer.Ordinal) { [variable] = value };

    [Fact]
    public async Task ScanKilledWhileWritingNeverLeavesACompleteLookingIndex()
    {
        using var temp = new TempFolder();
        var share = Share(temp, 20, seed: 3, copies: 1);

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
        var share = Share(temp, 30, seed: 9, copies: 2);
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
        var share = Share(temp, 30, seed: 9, copies: 2);
        var outDir = temp.Combine("out");

        // Every item committed on its own, so what a kill leaves journaled can be counted exactly.
        var eachItem = new Dictionary<string, string>(Kill("PIISCAN_TEST_KILL_AFTER_ITEMS", "4")) { ["PIISCAN_TEST_JOURNAL_COMMIT_EVERY"] = "1" };
        var (code, _, _) = await CliProcess.RunAsync(eachItem, "scan", share, "--out", outDir, "-q", "--threads", "1");
        Assert.Equal(CliProcess.Killed, code);

        // Each item read in this run reaches the kill sink: 4 more items read means none of the first 4 was read again
        // (one worker: nothing else is in flight), so the second kill comes exactly 4 items later.
        var journaled = ItemsJournaled(outDir);
        Assert.True(journaled >= 4, $"{journaled} items journaled before the first kill");
        (code, _, _) = await CliProcess.RunAsync(eachItem, "scan", share, "--out", outDir, "-q", "--threads", "1");
        Assert.Equal(CliProcess.Killed, code);
        Assert.Equal(journaled + 4, ItemsJournaled(outDir));
    }

    [Fact]
    public async Task AKillLosesAtMostTheOpenCommitGroupWhichTheResumedScanReadsAgain()
    {
        using var temp = new TempFolder();
        var share = Share(temp, 30, seed: 9, copies: 2);
        var reference = temp.Combine("reference");
        Assert.Equal(0, (await CliProcess.RunAsync(null, "scan", share, "--out", reference, "-q", "--threads", "1")).ExitCode);
        var outDir = temp.Combine("out");

        // Groups of at most 3 (a group a quarter of a second old commits early: the first items pay for the JIT): killed
        // right after the 7th item, the open group holds at most 2 of the 7, so at least 5 are journaled.
        var grouped = new Dictionary<string, string>(Kill("PIISCAN_TEST_KILL_AFTER_ITEMS", "7")) { ["PIISCAN_TEST_JOURNAL_COMMIT_EVERY"] = "3" };
        var (code, _, _) = await CliProcess.RunAsync(grouped, "scan", share, "--out", outDir, "-q", "--threads", "1");
        Assert.Equal(CliProcess.Killed, code);
        var journaled = ScanJournalTests.Rows(Path.Combine(outDir, ScanJournal.FileName), "units"); // top-level items
        Assert.InRange(journaled, 5, 7);

        var (last, _, lastError) = await CliProcess.RunAsync(null, "scan", share, "--out", outDir, "-q", "--threads", "1");
        Assert.True(last == 0, lastError);
        AssertSameOutputs(reference, outDir);
    }

    [Fact]
    public async Task FinishedScanIsNotOverwrittenWithoutForce()
    {
        using var temp = new TempFolder();
        var share = Share(temp, 5, seed: 2, copies: 1);
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

    [Fact]
    public async Task ScanOfAMissingRootLeavesNoScanBehind()
    {
        using var temp = new TempFolder();
        var share = Share(temp, 5, seed: 2, copies: 1);
        var outDir = temp.Combine("out");

        Assert.Equal(2, (await CliRunner.RunAsync("scan", temp.Combine("typo"), "--out", outDir, "-q")).ExitCode);
        Assert.False(File.Exists(Path.Combine(outDir, ScanJournal.FileName)));
        var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir, "-q");
        Assert.True(code == 0, stderr);
    }

    /// <summary>Every output file byte for byte; in summary.json, everything but what describes the run itself: elapsed time, provenance (arguments, clock times) and access times (files this run opened).</summary>
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

    private static string WithoutTimings(byte[] summary)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(summary)!.AsObject();
        root.Remove("provenance");
        root.Remove("accessTimes"); // files this run opened: a resumed run opens only what was not journaled
        Strip(root);
        return root.ToJsonString();

        static void Strip(System.Text.Json.Nodes.JsonNode? node)
        {
            if (node is System.Text.Json.Nodes.JsonObject o)
            {
                o.Remove("elapsedSeconds");
                foreach (var (_, child) in o)
                {
                    Strip(child);
                }
            }
        }
    }

    private static long ItemsJournaled(string outDir) => ScanJournalTests.Rows(Path.Combine(outDir, ScanJournal.FileName), "results");

    /// <summary>A synthetic share in the temp folder (six files per copy).</summary>
    private static string Share(TempFolder temp, int people, int seed, int copies)
    {
        var share = temp.Combine("share");
        SyntheticShare.Write(share, people, seed, copies);
        return share;
    }

    [Fact]
    public async Task RescanSinceCarriesUnchangedFilesOverAndReportsNewChangedAndGone()
    {
        using var temp = new TempFolder();
        var share = Share(temp, 30, seed: 4, copies: 2);
        var first = temp.Combine("first");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", first, "-q")).ExitCode);

        // One file changed, one new, one gone; the rest untouched.
        File.AppendAllText(Path.Combine(share, "dept000", "Exports", "patients_2019.csv"), "Hawthorne,Celeste,M,611-38-2290,12/30/1955,\"9 Elm St\",Helena,MT,59601,,01/02/2020\n");
        File.Copy(Path.Combine(share, "dept000", "Api", "patients.json"), Path.Combine(share, "dept000", "Api", "patients-copy.json"));
        File.Delete(Path.Combine(share, "dept001", "Notes", "intake_notes.txt"));
        var total = Directory.GetFiles(share, "*", SearchOption.AllDirectories).Length;

        var rescan = temp.Combine("rescan");
        var (code, stdout, stderr) = await CliRunner.RunAsync("scan", share, "--out", rescan, "-q", "--since", first);
        Assert.True(code == 0, stderr);
        Assert.Contains($"1 new, 1 changed, {total - 2} unchanged, 1 gone", stdout, StringComparison.Ordinal);

        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(rescan, OutputDirectorySink.SummaryJson)));
        var changes = summary.RootElement.GetProperty("changes");
        Assert.Equal(Path.GetFullPath(first), changes.GetProperty("since").GetString());
        Assert.Equal([1, 1, total - 2, 1], new[] { "new", "changed", "unchanged", "gone" }.Select(k => changes.GetProperty(k).GetInt32()));

        var files = SyntheticShareTests.ReadJsonl(Path.Combine(rescan, OutputDirectorySink.FilesJsonl));
        Assert.All(files, f => Assert.True(f.TryGetProperty("change", out _), f.GetProperty("path").GetString()));
        string Change(string path) => files.Single(f => f.GetProperty("path").GetString() == path).GetProperty("change").GetString()!;
        Assert.Equal("changed", Change("dept000/Exports/patients_2019.csv"));
        Assert.Equal("new", Change("dept000/Api/patients-copy.json"));
        Assert.Equal("unchanged", Change("dept001/Api/patients.json"));

        // The carried-over index is the one a full scan of the share as it is now writes, bar the change fields.
        var full = temp.Combine("full");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", full, "-q")).ExitCode);
        foreach (var name in new[] { OutputDirectorySink.IndividualsJsonl, OutputDirectorySink.IndividualsCsv, OutputDirectorySink.StaffJsonl, OutputDirectorySink.FindingsJsonl })
        {
            AssertSameFile(full, rescan, name, "from a full scan");
        }

        Assert.Equal(
            File.ReadAllLines(Path.Combine(full, OutputDirectorySink.FilesJsonl)),
            File.ReadAllLines(Path.Combine(rescan, OutputDirectorySink.FilesJsonl)).Select(l => System.Text.RegularExpressions.Regex.Replace(l, ",\"change\":\"[a-z]+\"", string.Empty)));

        // The decision and the report too: nothing of the previous scan's is carried over when something changed.
        foreach (var name in NotificationFiles)
        {
            AssertSameFile(full, rescan, name, "from a full scan");
        }
    }

    [Fact]
    public async Task UnchangedRescanCopiesTheDecisionOnlyWhenDecidedAlike()
    {
        using var temp = new TempFolder();
        var (share, first) = await ScannedShareAsync(temp, seed: 9);

        // A mark no decision writes: only a copy of the previous scan's files can bring it.
        const string Mark = "copied from the previous scan";
        foreach (var name in new[] { NotificationSink.NotificationCsv, NotificationSink.ReportHtml })
        {
            File.AppendAllText(Path.Combine(first, name), Mark);
        }

        var same = temp.Combine("same");
        var (code, stdout, stderr) = await CliRunner.RunAsync("scan", share, "--out", same, "-q", "--since", first);
        Assert.True(code == 0, stderr);
        Assert.EndsWith(Mark, File.ReadAllText(Path.Combine(same, NotificationSink.NotificationCsv)), StringComparison.Ordinal);
        Assert.EndsWith(Mark, File.ReadAllText(Path.Combine(same, NotificationSink.ReportHtml)), StringComparison.Ordinal);
        var (_, firstStdout, _) = await CliRunner.RunAsync("scan", share, "--out", temp.Combine("plain"), "-q");
        Assert.Equal(Line(firstStdout, "to notify:"), Line(stdout, "to notify:"));

        // Other options, another review or other masking decide again: the rescan writes what a full scan with them writes.
        var id = System.Text.Json.JsonDocument.Parse(File.ReadLines(Path.Combine(first, OutputDirectorySink.IndividualsJsonl)).First()).RootElement.GetProperty("id").GetString();
        var review = temp.Combine("review.yaml");
        File.WriteAllText(review, $"exclude:\n  - id: {id}\n    reason: staff test record\n");
        foreach (var options in new[] { new[] { "--hipaa" }, ["--review", review], ["--reveal"] })
        {
            var what = string.Join(' ', options);
            var rescan = temp.Combine("rescan" + options[0]);
            (code, _, stderr) = await CliRunner.RunAsync(["scan", share, "--out", rescan, "-q", "--since", first, .. options]);
            Assert.True(code == 0, stderr);
            var full = temp.Combine("full" + options[0]);
            Assert.Equal(0, (await CliRunner.RunAsync(["scan", share, "--out", full, "-q", .. options])).ExitCode);
            foreach (var name in NotificationFiles)
            {
                AssertSameFile(full, rescan, name, "from a full scan with " + what);
            }
        }
    }

    [Fact]
    public async Task UnchangedRescanDecidesAgainUnderOtherLaws()
    {
        using var temp = new TempFolder();
        var share = Share(temp, 30, seed: 10, copies: 1);
        var shipped = Path.Combine(RepoPaths.Rules, "notification");
        var other = temp.Combine("laws");
        Directory.CreateDirectory(other);
        foreach (var file in Directory.GetFiles(shipped, "*.yaml"))
        {
            var text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(file), "^deadline: .*$", "deadline: 'within one day (test law)'", System.Text.RegularExpressions.RegexOptions.Multiline);
            File.WriteAllText(Path.Combine(other, Path.GetFileName(file)), text);
        }

        var first = temp.Combine("first");
        await LibraryScanAsync(share, first, NotificationLaws.Load(shipped), since: null);
        var rescan = temp.Combine("rescan");
        await LibraryScanAsync(share, rescan, NotificationLaws.Load(other), since: first);
        var full = temp.Combine("full");
        await LibraryScanAsync(share, full, NotificationLaws.Load(other), since: null);

        Assert.Contains("within one day (test law)", File.ReadAllText(Path.Combine(rescan, NotificationSink.NotificationSummaryJson)), StringComparison.Ordinal);
        foreach (var name in NotificationFiles)
        {
            AssertSameFile(full, rescan, name, "from a full scan under the other laws");
        }
    }

    /// <summary>A synthetic share of 30 people and its first scan (by the command), in the temp folder.</summary>
    private static async Task<(string Share, string First)> ScannedShareAsync(TempFolder temp, int seed)
    {
        var share = Share(temp, 30, seed, copies: 1);
        var first = temp.Combine("first");
        var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", first, "-q");
        Assert.True(code == 0, stderr);
        return (share, first);
    }

    private static async Task LibraryScanAsync(string share, string outDir, NotificationLaws laws, string? since)
    {
        var scanner = new ScannerBuilder().WithThreads(2).ExcludePath(outDir).Build();
        var options = new OutputOptions();
        using var journal = scanner.OpenJournal(outDir, [share], new JournalOptions { Since = since });
        await scanner.ScanAsync([share], [new NotificationSink(outDir, options, new NotificationDecider(laws)), new OutputDirectorySink(outDir, options)], journal);
    }

    private static string Line(string text, string start) => text.Split('\n').Single(l => l.StartsWith(start, StringComparison.Ordinal));

    [Fact]
    public async Task UnchangedRescanCarriesTheResolutionOverAndWritesWhatAFullScanWrites()
    {
        using var temp = new TempFolder();
        var share = Share(temp, 30, seed: 6, copies: 2);
        var first = temp.Combine("first");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", first, "-q")).ExitCode);
        var rescan = temp.Combine("rescan");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", rescan, "-q", "--since", first)).ExitCode);
        var again = temp.Combine("again");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", again, "-q", "--since", rescan)).ExitCode);

        // Every output but the change fields and the summary is the first scan's, byte for byte; a rescan of the
        // rescan (carried over twice) writes the rescan's, index.db included.
        foreach (var name in OutputDirectorySink.OutputFiles.Concat([NotificationSink.NotificationCsv, NotificationSink.NotificationSummaryJson, NotificationSink.ReportHtml]))
        {
            if (name is not (OutputDirectorySink.FilesJsonl or OutputDirectorySink.IndexDb or OutputDirectorySink.SummaryJson))
            {
                AssertSameFile(first, rescan, name, "from the first scan");
            }

            if (name != OutputDirectorySink.SummaryJson)
            {
                AssertSameFile(rescan, again, name, "between rescans");
            }
        }

        Assert.Equal(
            File.ReadAllLines(Path.Combine(first, OutputDirectorySink.FilesJsonl)),
            File.ReadAllLines(Path.Combine(rescan, OutputDirectorySink.FilesJsonl)).Select(l => l.Replace(",\"change\":\"unchanged\"", string.Empty, StringComparison.Ordinal)));
        foreach (var part in (string[])["individuals", "findings", "files"])
        {
            Assert.Equal(Summary(first, part).GetRawText(), Summary(rescan, part).GetRawText());
        }
    }

    [Fact]
    public async Task UnchangedRescanTakesTheResolutionFromThePreviousJournalAndAChangedOneDoesNot()
    {
        using var temp = new TempFolder();
        var share = Share(temp, 10, seed: 7, copies: 1);
        var first = temp.Combine("first");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", first, "-q")).ExitCode);

        // Counts that no scan of this share would give: only a carried-over resolution can bring them.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + Path.Combine(first, ScanJournal.FileName) + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE resolved SET data=$data WHERE kind='counts'";
            command.Parameters.AddWithValue("$data", new SummaryBuilder().Encode());
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var unchanged = temp.Combine("unchanged");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", unchanged, "-q", "--since", first)).ExitCode);
        Assert.Equal(0, Summary(unchanged, "files").GetProperty("total").GetInt32());

        File.WriteAllText(Path.Combine(share, "roster.csv"), "Name,SSN\nCeleste Hawthorne,611-38-2290\n");
        var changed = temp.Combine("changed");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", changed, "-q", "--since", first)).ExitCode);
        Assert.True(Summary(changed, "files").GetProperty("total").GetInt32() > 0);
    }

    private static void AssertSameFile(string a, string b, string name, string what) =>
        Assert.True(File.ReadAllBytes(Path.Combine(a, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, name))), name + " differs " + what);

    private static System.Text.Json.JsonElement Summary(string outDir, string property)
    {
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, OutputDirectorySink.SummaryJson)));
        return summary.RootElement.GetProperty(property).Clone();
    }

    [Fact]
    public async Task RescanTrustsSizeTimeAndInodeUnlessAskedToVerifyTheHash()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        Directory.CreateDirectory(share);
        var roster = Path.Combine(share, "roster.csv");
        File.WriteAllText(roster, "Name,SSN\nMarisol Quintero,518-24-3307\n");
        var first = temp.Combine("first");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", first, "-q", "--reveal")).ExitCode);

        // Same size, same inode, same modification time, other content: only the hash can tell.
        var modified = File.GetLastWriteTimeUtc(roster);
        File.WriteAllText(roster, "Name,SSN\nMarisol Quintero,518-24-3308\n");
        File.SetLastWriteTimeUtc(roster, modified);

        var trusted = temp.Combine("trusted");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", trusted, "-q", "--reveal", "--since", first)).ExitCode);
        var verified = temp.Combine("verified");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", verified, "-q", "--reveal", "--since", first, "--verify-hash")).ExitCode);

        Assert.Contains("3307", File.ReadAllText(Path.Combine(trusted, OutputDirectorySink.FindingsJsonl)), StringComparison.Ordinal);
        Assert.DoesNotContain("3308", File.ReadAllText(Path.Combine(trusted, OutputDirectorySink.FindingsJsonl)), StringComparison.Ordinal);
        Assert.DoesNotContain("3307", File.ReadAllText(Path.Combine(verified, OutputDirectorySink.FindingsJsonl)), StringComparison.Ordinal);
        Assert.Contains("\"change\":\"unchanged\"", File.ReadAllText(Path.Combine(trusted, OutputDirectorySink.FilesJsonl)), StringComparison.Ordinal);
        Assert.Contains("3308", File.ReadAllText(Path.Combine(verified, OutputDirectorySink.FindingsJsonl)), StringComparison.Ordinal);
        Assert.Contains("\"change\":\"changed\"", File.ReadAllText(Path.Combine(verified, OutputDirectorySink.FilesJsonl)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RescanSinceAScanOfOtherRootsIsRefused()
    {
        using var temp = new TempFolder();
        var share = Share(temp, 5, seed: 2, copies: 1);
        var first = temp.Combine("first");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", first, "-q")).ExitCode);

        var (code, _, stderr) = await CliRunner.RunAsync("scan", Path.Combine(share, "Exports"), "--out", temp.Combine("again"), "-q", "--since", first);
        Assert.Equal(2, code);
        Assert.Contains("other roots", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", temp.Combine("again"), "-q", "--since", temp.Combine("nothing"));
        Assert.Equal(2, code);
        Assert.Contains("no finished scan", stderr, StringComparison.Ordinal);
    }
}
