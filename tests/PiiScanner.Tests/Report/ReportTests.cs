using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PiiScanner.Notification;
using PiiScanner.Report;
using PiiScanner.Tests.EndToEnd;
using PiiScanner.Tests.Notification;
using PiiScanner.Tests.Sources;
using Xunit.Abstractions;

namespace PiiScanner.Tests.Report;

/// <summary>The notification outputs and report.html, end to end through the CLI and in a real browser.</summary>
public sealed partial class ReportTests(ITestOutputHelper output)
{
    private const string Ssn = "518-24-3307";

    private static string WriteShare(TempFolder temp)
    {
        var share = temp.Combine("share");
        Directory.CreateDirectory(share);
        File.WriteAllText(
            Path.Combine(share, "clients.csv"),
            "First Name,Last Name,SSN,DOB,Address,City,State,Zip\n"
            + $"Marisol,Quintero,{Ssn},03/04/1961,12 Oak St,Helena,MT,59601\n"
            + "Tobias,Oyelaran,611-38-2290,12/30/1955,7 Elm Ave,Hartford,CT,06103\n"
            + "Gwendolyn,Ravensworth,,01/02/1970,9 Larch St,Havre,MT,59501\n");
        File.WriteAllText(Path.Combine(share, "payments.csv"), $"Name,SSN,Amount\nMarisol Quintero,{Ssn},120.00\n");
        return share;
    }

    [Fact]
    public async Task NotificationFilesAreOwnerOnlyMaskedAndRevealedOnlyWithReveal()
    {
        using var temp = new TempFolder();
        var share = WriteShare(temp);
        var masked = temp.Combine("masked");
        var (code, stdout, _) = await CliRunner.RunAsync("scan", share, "--out", masked, "-q");
        Assert.Equal(0, code);
        Assert.Contains("to notify: 2 in 2 jurisdictions", stdout, StringComparison.Ordinal);

        foreach (var name in new[] { NotificationSink.NotificationCsv, NotificationSink.NotificationSummaryJson, NotificationSink.ReportHtml })
        {
            var path = Path.Combine(masked, name);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            var text = File.ReadAllText(path);
            Assert.DoesNotContain(Ssn, text, StringComparison.Ordinal);
            Assert.DoesNotContain("518243307", text, StringComparison.Ordinal);
        }

        var rows = File.ReadAllLines(Path.Combine(masked, NotificationSink.NotificationCsv));
        Assert.Equal(string.Join(',', NotificationWriters.CsvColumns), rows[0]);
        Assert.Equal(3, rows.Length);
        var marisol = Assert.Single(rows, r => r.Contains("Marisol Quintero", StringComparison.Ordinal));
        Assert.Contains("\"12 Oak St, Helena, MT 59601\",MT,address,name; ssn,ssn ***-**-3307,Mont. Code Ann.", marisol, StringComparison.Ordinal);
        Assert.Contains(rows, r => r.Contains(",CT,address,", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("Ravensworth", StringComparison.Ordinal));

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(masked, NotificationSink.NotificationSummaryJson)));
        var root = summary.RootElement;
        Assert.True(root.GetProperty("masked").GetBoolean());
        Assert.Equal(3, root.GetProperty("individuals").GetInt32());
        Assert.Equal(2, root.GetProperty("notifiable").GetInt32());
        Assert.Equal(2, root.GetProperty("byState").GetProperty("MT").GetProperty("individuals").GetInt32());
        Assert.Equal(1, root.GetProperty("byState").GetProperty("MT").GetProperty("notifiable").GetInt32());
        Assert.Contains(root.GetProperty("regulatorsToNotify").EnumerateArray(), r => r.GetProperty("jurisdiction").GetString() == "CT");

        var revealed = temp.Combine("revealed");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", revealed, "--reveal", "-q")).ExitCode);
        Assert.Contains("ssn " + Ssn, File.ReadAllText(Path.Combine(revealed, NotificationSink.NotificationCsv)), StringComparison.Ordinal);
        Assert.Contains(Ssn, File.ReadAllText(Path.Combine(revealed, NotificationSink.ReportHtml)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReviewFileIsAppliedOnTheNextRunAndRecorded()
    {
        using var temp = new TempFolder();
        var share = WriteShare(temp);
        var first = temp.Combine("first");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", first, "-q")).ExitCode);
        var id = File.ReadAllLines(Path.Combine(first, NotificationSink.NotificationCsv)).Single(r => r.Contains("Marisol", StringComparison.Ordinal)).Split(',')[0];

        var review = temp.Combine("review.yaml");
        File.WriteAllText(review, $"exclude:\n  - {{id: {id}, reason: staff member}}\n");
        var second = temp.Combine("second");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", second, "--review", review, "-q")).ExitCode);

        Assert.DoesNotContain("Marisol", File.ReadAllText(Path.Combine(second, NotificationSink.NotificationCsv)), StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(second, NotificationSink.NotificationSummaryJson)));
        var excluded = Assert.Single(summary.RootElement.GetProperty("review").GetProperty("excluded").EnumerateArray());
        Assert.Equal(id, excluded.GetProperty("id").GetString());
        Assert.Equal("staff member", excluded.GetProperty("reason").GetString());
        Assert.Contains("staff member", File.ReadAllText(Path.Combine(second, NotificationSink.ReportHtml)), StringComparison.Ordinal);

        var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", temp.Combine("third"), "--review", temp.Combine("missing.yaml"), "-q");
        Assert.Equal(2, code);
        Assert.Contains("missing.yaml", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReportIsSelfContainedAndCapsThePeopleRows()
    {
        using var temp = new TempFolder();
        var share = WriteShare(temp);
        var outDir = temp.Combine("out");
        var decider = new NotificationDecider(NotificationLawTests.Laws);
        var sink = new NotificationSink(outDir, new PiiScanner.Index.OutputOptions(), decider, report: new ReportOptions { MaxPeople = 2 });
        await new ScannerBuilder().WithThreads(1).Build().ScanAsync([share], [sink]);

        var html = File.ReadAllText(Path.Combine(outDir, NotificationSink.ReportHtml));
        Assert.Contains("Content-Security-Policy\" content=\"default-src 'none'", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?i)https?://|<link|<img|\ssrc=|@import|url\(", html);
        Assert.Equal(2, PersonRow().Matches(html).Count);
        Assert.Contains("id=\"capped\"", html, StringComparison.Ordinal);
        Assert.Contains("OFFSET 2", html, StringComparison.Ordinal);
        Assert.Contains("same SSN", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALargeIndexListsTheDefaultCapOfPeopleAndPointsToIndexDb()
    {
        using var temp = new TempFolder();
        var people = Enumerable.Range(0, 6000)
            .Select(i => NotificationLawTests.Resident("MT", "name", "ssn") with { Id = i.ToString("x16", CultureInfo.InvariantCulture) })
            .ToList();
        var sink = new NotificationSink(temp.Path, new PiiScanner.Index.OutputOptions(), new NotificationDecider(NotificationLawTests.Laws));
        await sink.OnCompletedAsync(NotificationDeciderTests.Result([], people), CancellationToken.None);

        var html = File.ReadAllText(Path.Combine(temp.Path, NotificationSink.ReportHtml));
        Assert.Equal(new ReportOptions().MaxPeople, PersonRow().Matches(html).Count);
        Assert.Contains("OFFSET 5000", html, StringComparison.Ordinal);
        Assert.Contains("data-value=\"6000\"", html, StringComparison.Ordinal);
        Assert.Equal(6001, File.ReadAllLines(Path.Combine(temp.Path, NotificationSink.NotificationCsv)).Length);
    }

    [Fact]
    public async Task ANewScanFirstRemovesTheNotificationFilesOfAnEarlierOne()
    {
        using var temp = new TempFolder();
        foreach (var name in (string[])[NotificationSink.NotificationCsv, NotificationSink.NotificationSummaryJson, NotificationSink.ReportHtml, "notes.txt"])
        {
            File.WriteAllText(Path.Combine(temp.Path, name), "earlier");
        }

        var sink = new NotificationSink(temp.Path, new PiiScanner.Index.OutputOptions(), new NotificationDecider(NotificationLawTests.Laws));
        await sink.OnStartingAsync(CancellationToken.None);

        Assert.Equal(["notes.txt"], Directory.EnumerateFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void EveryJurisdictionHasAMapTile() =>
        Assert.Empty(NotificationLawTests.Laws.States.Select(l => l.Jurisdiction).Except(ReportWriter.MapCodes));

    [Fact]
    public async Task TheBrowserShowsTheTotalsOfSummaryJson()
    {
        var chromium = ImageTestKit.Which("chromium") ?? ImageTestKit.Which("chromium-browser");
        if (chromium is null)
        {
            const string message = "chromium is missing (apt-get install chromium; .ci/run installs it)";
            Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), message);
            output.WriteLine("SKIPPED: " + message);
            return;
        }

        using var temp = new TempFolder();
        var outDir = temp.Combine("out");
        var (code, _, _) = await CliRunner.RunAsync("scan", Path.Combine(RepoPaths.Root, "tests", "sample-server"), "--out", outDir, "-q");
        Assert.Equal(0, code);

        var dom = await RenderAsync(chromium, Path.Combine(outDir, NotificationSink.ReportHtml), temp.Combine("profile"));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        using var notification = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, NotificationSink.NotificationSummaryJson)));
        var s = summary.RootElement;
        var expected = new Dictionary<string, long>
        {
            ["total-files"] = s.GetProperty("files").GetProperty("total").GetInt64(),
            ["total-findings"] = s.GetProperty("findings").GetProperty("total").GetInt64(),
            ["total-individuals"] = s.GetProperty("individuals").GetProperty("total").GetInt64(),
            ["total-notifiable"] = notification.RootElement.GetProperty("notifiable").GetInt64(),
            ["total-regulators"] = notification.RootElement.GetProperty("regulatorsToNotify").GetArrayLength(),
        };
        Assert.True(expected["total-individuals"] > 0);
        foreach (var (id, value) in expected)
        {
            var m = Regex.Match(dom, $"id=\"{id}\" data-value=\"(\\d+)\">([\\d,]+)<");
            Assert.True(m.Success, $"{id} is not on the rendered page");
            Assert.Equal(value, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            Assert.Equal(value, long.Parse(m.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
        }

        // Each element bar of summary.json's individuals.byElement shows its count.
        foreach (var element in s.GetProperty("individuals").GetProperty("byElement").EnumerateObject())
        {
            Assert.Contains($"data-element=\"{element.Name}\">{element.Value.GetInt64().ToString("N0", CultureInfo.InvariantCulture)}<", dom, StringComparison.Ordinal);
        }

        Assert.Equal((int)expected["total-individuals"], PersonRow().Matches(dom).Count);
    }

    private static async Task<string> RenderAsync(string chromium, string page, string profile)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile, "--dump-dom", new Uri(page).AbsoluteUri })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cts.Token);
        await stderr;
        return await stdout;
    }

    [GeneratedRegex("<tr id=\"p-[0-9a-f]+\"")]
    private static partial Regex PersonRow();
}
