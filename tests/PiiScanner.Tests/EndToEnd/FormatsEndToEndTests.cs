using System.Text.Json;
using PiiScanner.Testing;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>
/// The formats issue's acceptance run through the CLI: a tree of Office, PDF, HTML, mail and archive files built in
/// code, each holding synthetic people. Every person must come out of <c>individuals.jsonl</c> with the right values
/// and a source that points inside the file (sheet cell, table row, page line, attachment row, archive member),
/// and <c>files.jsonl</c> must account for every file and every container member with its status and extractor.
/// </summary>
public sealed class FormatsEndToEndTests
{
    private const string SsnFormat = "000-00-0000";

    /// <summary>A person planted in the tree and where the index must say they are.</summary>
    private sealed record Planted(string Name, string Ssn, string Dob, string Path, string Locator);

    private static readonly Planted[] People =
    [
        new("Perpetua Galloway", "012-34-5678", "1958-06-21", "roster.xlsx", "Patients!A2"),
        new("Ansel Whitcombe", "265-19-4803", "1983-09-14", "roster.xlsx", "Patients!A3"),
        new("Theodora Blackwood", "348-62-1957", "1971-01-30", "notes.docx", "table 1 row 2"),
        new("Casimir Ellingham", "419-07-3326", "1990-12-02", "notes.docx", "table 1 row 3"),
        new("Rosamund Achebe", "537-28-6641", "1966-04-09", "intake.pdf", "page 1 line 2"),
        new("Benedikt Saranov", "224-81-9035", "1975-07-17", "inbox/0001.eml!applicants.csv", "row 2"),
        new("Ottoline Farquhar", "603-44-2718", "1988-02-25", "box.mbox!0001.eml", "body line 1"),
        new("Lazarus Pennington", "156-70-8842", "1949-10-11", "box.mbox!0002.eml", "body line 1"),
        new("Clementine Oduya", "471-55-0296", "1993-05-06", "outer.zip!inner.zip!people.csv", "row 2"),
        new("Evander Mulholland", "382-09-6614", "1962-08-28", "backup.tar.gz!backup.tar!people/list.csv", "row 2"),
        new("Marguerite Solberg", "295-36-7180", "1979-03-03", "slides.pptx", "slide 1"),
        new("Fitzgerald Amankwah", "508-12-4467", "1985-11-19", "intranet.html", "table 1 row 2"),
        new("Isolde Vandermeer", "331-48-9052", "1954-12-24", "legacy.7z!clients.csv", "row 2"),
    ];

    [Fact]
    public async Task PeopleInEveryFormatAreFoundWithValuesAndLocators()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        WriteTree(share);
        var outDir = temp.Combine("out");

        var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir, "--reveal", "--quiet");

        Assert.True(code == 0, stderr);
        var individuals = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "individuals.jsonl"));
        Assert.Equal(People.Length, individuals.Count);
        foreach (var person in People)
        {
            var individual = Assert.Single(individuals, i => SyntheticShareTests.Strings(i, "ssn").Contains(person.Ssn));
            Assert.Equal(person.Name, individual.GetProperty("name").GetString());
            Assert.Equal([person.Dob], SyntheticShareTests.Strings(individual, "dob"));
            Assert.Equal(["name", "ssn", "dob"], SyntheticShareTests.Strings(individual, "elements").Where(e => e is "name" or "ssn" or "dob"));
            var sources = individual.GetProperty("sources").EnumerateArray()
                .Select(s => (Path: s.GetProperty("path").GetString(), Locator: s.GetProperty("locator").GetString()))
                .ToList();
            Assert.True(sources.Contains((person.Path, person.Locator)), $"{person.Name}: {string.Join("; ", sources)}");
        }

        // Cell and line locators of single values, from findings.jsonl.
        var findings = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "findings.jsonl"));
        Assert.Contains(findings, f => Is(f, "roster.xlsx", "Patients!B2", "ssn", "012-34-5678"));
        Assert.Contains(findings, f => Is(f, "roster.xlsx", "Patients!C2", "dob", "1958-06-21"));
        Assert.Contains(findings, f => Is(f, "notes.docx", "table 1 row 3 col 2", "ssn", "419-07-3326"));
        Assert.Contains(findings, f => Is(f, "notes.docx", "paragraph 2", "name", "Theodora Blackwood"));
        Assert.Contains(findings, f => Is(f, "intake.pdf", "page 1 line 4", "dob", "1966-04-09"));
        Assert.Contains(findings, f => Is(f, "intake.pdf", "page 1 line 3", "ssn", "537-28-6641"));
        Assert.Contains(findings, f => Is(f, "box.mbox!0002.eml", "body line 2", "ssn", "156-70-8842"));
        Assert.Contains(findings, f => Is(f, "slides.pptx", "slide 1", "ssn", "295-36-7180"));
        Assert.Contains(findings, f => Is(f, "intranet.html", "table 1 row 2 col 3", "ssn", "508-12-4467"));

        // Every file and every member is accounted for, scanned, by the extractor its content calls for.
        var files = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl"))
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f);
        var expected = new Dictionary<string, string>
        {
            ["roster.xlsx"] = "xlsx",
            ["notes.docx"] = "docx",
            ["intake.pdf"] = "pdf",
            ["slides.pptx"] = "pptx",
            ["intranet.html"] = "html",
            ["inbox/0001.eml"] = "eml",
            ["inbox/0001.eml!applicants.csv"] = "delimited",
            ["box.mbox"] = "mbox",
            ["box.mbox!0001.eml"] = "eml",
            ["box.mbox!0002.eml"] = "eml",
            ["outer.zip"] = "zip",
            ["outer.zip!readme.txt"] = "text",
            ["outer.zip!inner.zip"] = "zip",
            ["outer.zip!inner.zip!people.csv"] = "delimited",
            ["backup.tar.gz"] = "gzip",
            ["backup.tar.gz!backup.tar"] = "tar",
            ["backup.tar.gz!backup.tar!people/list.csv"] = "delimited",
            ["legacy.7z"] = "7z",
            ["legacy.7z!clients.csv"] = "delimited",
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), files.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, extractor) in expected)
        {
            Assert.Equal("scanned", files[path].GetProperty("status").GetString());
            Assert.Equal(extractor, files[path].GetProperty("extractor").GetString());
        }

        Assert.Equal(2, files["box.mbox"].GetProperty("counts").GetProperty("entries").GetInt32());
        Assert.Equal(1, files["intake.pdf"].GetProperty("counts").GetProperty("pages").GetInt32());
        Assert.Equal(2, files["outer.zip"].GetProperty("counts").GetProperty("entries").GetInt32());
    }

    [Fact]
    public async Task MaskedOutputOfTheFormatTreeHoldsNoFullValue()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        WriteTree(share);
        var outDir = temp.Combine("out");

        var (code, stdout, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir);

        Assert.True(code == 0, stderr);
        foreach (var name in new[] { "individuals.jsonl", "individuals.csv", "findings.jsonl", "files.jsonl", "summary.json" })
        {
            var text = File.ReadAllText(Path.Combine(outDir, name));
            foreach (var person in People)
            {
                Assert.DoesNotContain(person.Ssn, text, StringComparison.Ordinal);
                Assert.DoesNotContain(person.Ssn.Replace("-", string.Empty, StringComparison.Ordinal), text, StringComparison.Ordinal);
            }
        }

        foreach (var person in People)
        {
            Assert.DoesNotContain(person.Name, stdout + stderr, StringComparison.Ordinal);
        }
    }

    private static bool Is(JsonElement finding, string path, string locator, string type, string value)
        => finding.GetProperty("path").GetString() == path
           && finding.GetProperty("locator").GetString() == locator
           && finding.GetProperty("type").GetString() == type
           && finding.GetProperty("value").GetString() == value;

    private static Planted Person(string path, int index = 0) => People.Where(p => p.Path == path).ElementAt(index);

    private static string MonthDayYear(string isoDate) => DateOnly.ParseExact(isoDate, "yyyy-MM-dd").ToString("MM/dd/yyyy", System.Globalization.CultureInfo.InvariantCulture);

    private static string Csv(params Planted[] people)
        => "Name,SSN,DOB\n" + string.Concat(people.Select(p => $"{p.Name},{p.Ssn},{MonthDayYear(p.Dob)}\n"));

    private static void WriteTree(string root)
    {
        void Write(string relative, byte[] bytes)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }

        // Excel: SSNs stored as numbers with the SSN format (one with a leading zero), DOBs as date serials.
        var (x1, x2) = (Person("roster.xlsx"), Person("roster.xlsx", 1));
        Write("roster.xlsx", FormatFiles.Xlsx(
            "Patients",
            ["Name", "SSN", "DOB"],
            [x1.Name, new XlsxNumber(double.Parse(x1.Ssn.Replace("-", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture), SsnFormat), new XlsxDate(DateOnly.Parse(x1.Dob, System.Globalization.CultureInfo.InvariantCulture), "mm/dd/yyyy")],
            [x2.Name, new XlsxNumber(double.Parse(x2.Ssn.Replace("-", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture), SsnFormat), new XlsxDate(DateOnly.Parse(x2.Dob, System.Globalization.CultureInfo.InvariantCulture), "d-mmm-yyyy")]));

        // Word: a note paragraph naming the first person, and a Name/SSN/DOB table.
        var (d1, d2) = (Person("notes.docx"), Person("notes.docx", 1));
        Write("notes.docx", FormatFiles.Docx(
            "Case notes",
            $"Client: {d1.Name}",
            "Follow-up visit scheduled.",
            new[]
            {
                new[] { "Name", "SSN", "DOB" },
                new[] { d1.Name, d1.Ssn, MonthDayYear(d1.Dob) },
                new[] { d2.Name, d2.Ssn, MonthDayYear(d2.Dob) },
            }));

        // PDF: a form whose DOB label and value are drawn apart on line 4.
        var pdf = Person("intake.pdf");
        Write("intake.pdf", FormatFiles.Pdf(
        [
            new PdfLine("Patient Intake"),
            new PdfLine($"Name: {pdf.Name}"),
            new PdfLine($"SSN: {pdf.Ssn}"),
            new PdfLine("Date of Birth:", MonthDayYear(pdf.Dob)),
        ]));

        var slide = Person("slides.pptx");
        Write("slides.pptx", FormatFiles.Pptx(("Client spotlight", [$"Client: {slide.Name}", $"SSN: {slide.Ssn}", $"Date of Birth: {MonthDayYear(slide.Dob)}"], null)));

        var html = Person("intranet.html");
        Write("intranet.html", FormatFiles.Html("Referrals", "Open referrals.", ["Name", "Date of Birth", "SSN"], [html.Name, MonthDayYear(html.Dob), html.Ssn]));

        // Mail: a message with a CSV attachment; an mbox of two messages, one person each.
        var date = new DateTimeOffset(2021, 5, 4, 9, 30, 0, TimeSpan.Zero);
        Write("inbox/0001.eml", FormatFiles.Eml(new MailMessage(
            "Intake <intake@example.org>", "Records <records@example.org>", "Applicants", date, "Applicants attached.\n",
            new MailAttachment("applicants.csv", "text/csv", FormatFiles.Utf8(Csv(Person("inbox/0001.eml!applicants.csv")))))));
        var (m1, m2) = (Person("box.mbox!0001.eml"), Person("box.mbox!0002.eml"));
        Write("box.mbox", FormatFiles.Mbox(
            new MailMessage("Worker <worker@example.org>", "Desk <desk@example.org>", "Claim", date, $"Client: {m1.Name}\nSSN: {m1.Ssn}\nDOB: {MonthDayYear(m1.Dob)}\n"),
            new MailMessage("Desk <desk@example.org>", "Worker <worker@example.org>", "Re: Claim", date.AddHours(2), $"Member: {m2.Name}\nSSN: {m2.Ssn}\nDate of Birth: {MonthDayYear(m2.Dob)}\n")));

        // Archives: zip in zip, tar.gz, 7z.
        Write("outer.zip", FormatFiles.Zip(
            ("readme.txt", FormatFiles.Utf8("Nightly backup.\n")),
            ("inner.zip", FormatFiles.Zip(("people.csv", FormatFiles.Utf8(Csv(Person("outer.zip!inner.zip!people.csv"))))))));
        Write("backup.tar.gz", FormatFiles.TarGz(("people/list.csv", FormatFiles.Utf8(Csv(Person("backup.tar.gz!backup.tar!people/list.csv"))))));
        Write("legacy.7z", FormatFiles.SevenZip(("clients.csv", FormatFiles.Utf8(Csv(Person("legacy.7z!clients.csv"))))));
    }
}
