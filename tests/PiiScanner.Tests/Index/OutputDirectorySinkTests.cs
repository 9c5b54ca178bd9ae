using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Index;
using PiiScanner.Resolution;
using static PiiScanner.Tests.Resolution.TestFindings;

namespace PiiScanner.Tests.Index;

public sealed class OutputDirectorySinkTests : IDisposable
{
    private static readonly string[] OutputFiles =
        ["individuals.jsonl", "individuals.csv", "staff.jsonl", "findings.jsonl", "files.jsonl", "summary.json", "index.db"];

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("piiscan-out-");

    public void Dispose() => _temp.Delete(recursive: true);

    private static List<ItemResult> Items() =>
    [
        Item("DPHHS/Exports/x.csv",
        [
            F(Elements.Name, "Jane A. Doe", "row 17", group: 17, segment: 17),
            F(Elements.Ssn, "123456701", "row 17", group: 17, segment: 17, start: 20, confidence: 0.95),
            F(Elements.Dob, "1961-03-04", "row 17", group: 17, segment: 17, start: 40),
            F(Elements.Name, "=HYPERLINK(\"x\")", "row 18", group: 18, segment: 18),
            F(Elements.Ssn, "123456702", "row 18", group: 18, segment: 18, start: 20),
        ]),
        Item("mail/0001.eml!applicants.csv",
        [
            F(Elements.Name, "DOE, JANE A", "row 2", group: 2, segment: 2),
            F(Elements.Dob, "1961-03-04", "row 2", group: 2, segment: 2, start: 10),
            F(Elements.DriversLicense, "D12045678901", "row 2", group: 2, segment: 2, start: 20, state: "IL"),
            F(Elements.Address, "12 Oak St, Helena, MT 59601", "row 2", group: 2, segment: 2, start: 40),
            F(Elements.Medical, "Type 2 diabetes mellitus", "row 2", group: 2, segment: 2, start: 60, code: "E11.9"),
        ]),
        Item("img/deleted.txt",
        [
            F(Elements.Name, "Zoë Ångström", "line 3", kind: GroupKind.Block, segment: 3),
            F(Elements.Ssn, "123456703", "line 3", kind: GroupKind.Block, segment: 3, start: 30),
        ], deleted: true),
        new ItemResult(new FileRecord { Path = "bin/tool.exe", Status = FileStatus.Skipped, Reason = "binary", Size = 10 }, [], []),
    ];

    private static ScanResult Result(IReadOnlyList<ItemResult> items)
    {
        var sorted = items.OrderBy(i => i.File.Path, StringComparer.Ordinal).ToList();
        var index = new IdentityResolver(NameMatcher.Load([RepoPaths.Rules])).ResolveIndex(sorted);
        var people = index.Individuals;
        var summary = new ScanSummary
        {
            Roots = ["share"],
            FilesByStatus = sorted.GroupBy(i => i.File.Status).ToDictionary(g => g.Key, g => (long)g.Count()),
            FindingsByElement = sorted.SelectMany(i => i.Findings).GroupBy(f => f.Element).ToDictionary(g => g.Key, g => (long)g.Count()),
            IndividualsByElement = people.SelectMany(p => p.Elements).GroupBy(e => e).ToDictionary(g => g.Key, g => (long)g.Count()),
            Individuals = people.Count,
            BytesRead = 300,
            Elapsed = TimeSpan.FromSeconds(1.5),
        };
        return new ScanResult(items, people, summary) { Staff = index.Staff };
    }

    private async Task<string> WriteAsync(IReadOnlyList<ItemResult> items, OutputOptions? options = null, string name = "out")
    {
        var dir = Path.Combine(_temp.FullName, name);
        var sink = new OutputDirectorySink(dir, options ?? new OutputOptions());
        foreach (var item in items)
        {
            await sink.OnItemAsync(item, CancellationToken.None);
        }

        await sink.OnCompletedAsync(Result(items), CancellationToken.None);
        return dir;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task AnUnchangedRescanCopiesThePreviousIndexWrittenAlike(bool reveal, bool sameChanges)
    {
        var previous = await WriteAsync(Items(), name: "previous");

        // Marked, so that a copy can be told from a file written again (a real previous index holds what this
        // sink would write).
        foreach (var name in OutputFiles.Where(n => n != "summary.json"))
        {
            File.AppendAllText(Path.Combine(previous, name), "copied");
        }

        var dir = Path.Combine(_temp.FullName, "rescan");
        var sink = new OutputDirectorySink(dir, new OutputOptions { Reveal = reveal });
        var result = Result(Items());
        await sink.OnCompletedAsync(result with { CarriedFrom = new CarriedIndex(new ResolvedIndex(result.Individuals, result.Staff), [], previous, sameChanges) }, CancellationToken.None);

        foreach (var name in OutputFiles.Where(n => n != "summary.json"))
        {
            var copied = File.ReadAllText(Path.Combine(dir, name), Encoding.Latin1).EndsWith("copied", StringComparison.Ordinal);

            // Masked the same: every file is copied but files.jsonl when the previous scan's change values were other
            // (index.db is copied then too, and its files' change set). Masked otherwise: nothing is.
            var expected = !reveal && (sameChanges || name != "files.jsonl");
            Assert.True(expected == copied, $"{name}: copied {copied}, expected {expected}");
            if (OperatingSystem.IsLinux())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, name)));
            }
        }

        if (!reveal)
        {
            // Every item of an unchanged rescan is unchanged: so says its index, copied or not.
            using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir, "index.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            c.Open();
            using var changes = c.CreateCommand();
            changes.CommandText = "SELECT COUNT(*), COUNT(*) FILTER (WHERE change='unchanged') FROM files";
            using var reader = changes.ExecuteReader();
            Assert.True(reader.Read());
            Assert.True(reader.GetInt64(0) > 0);
            Assert.Equal(sameChanges ? 0 : reader.GetInt64(0), reader.GetInt64(1));
        }

        Assert.True(File.Exists(Path.Combine(dir, "summary.json")));
    }

    private static JsonElement Person(string dir, string name)
    {
        foreach (var line in File.ReadAllLines(Path.Combine(dir, "individuals.jsonl")))
        {
            var doc = JsonDocument.Parse(line).RootElement;
            if (doc.GetProperty("name").GetString() == name)
            {
                return doc.Clone();
            }
        }

        throw new InvalidOperationException("person not found");
    }

    [Fact]
    public async Task IndividualLineMatchesTheContract()
    {
        var dir = await WriteAsync(Items());
        var p = Person(dir, "Jane A. Doe");

        Assert.Equal(
            ["id", "name", "nameVariants", "elements", "address", "ssn", "driversLicense", "dob", "medical", "sources", "joinedBy", "confidence"],
            p.EnumerateObject().Select(x => x.Name));
        var join = Assert.Single(p.GetProperty("joinedBy").EnumerateArray());
        Assert.Equal("name+dob", join.GetProperty("key").GetString());
        Assert.Equal(1, join.GetProperty("records").GetInt32());
        Assert.Matches("^[0-9a-f]{16}$", p.GetProperty("id").GetString());
        Assert.Equal(["DOE, JANE A"], p.GetProperty("nameVariants").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(["name", "address", "ssn", "driversLicense", "dob", "medical"], p.GetProperty("elements").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(["***-**-6701"], p.GetProperty("ssn").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(["1961-**-**"], p.GetProperty("dob").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(["12 Oak St, Helena, MT 59601"], p.GetProperty("address").EnumerateArray().Select(x => x.GetString()));
        var dl = Assert.Single(p.GetProperty("driversLicense").EnumerateArray().ToList());
        Assert.Equal("IL", dl.GetProperty("state").GetString());
        Assert.Equal("D120********", dl.GetProperty("number").GetString());
        var med = Assert.Single(p.GetProperty("medical").EnumerateArray().ToList());
        Assert.Equal("Type 2 diabetes mellitus", med.GetProperty("term").GetString());
        Assert.Equal("E11.9", med.GetProperty("code").GetString());
        Assert.False(med.TryGetProperty("category", out _));

        var sources = p.GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(2, sources.Count);
        Assert.Equal("DPHHS/Exports/x.csv", sources[0].GetProperty("path").GetString());
        Assert.Equal("row 17", sources[0].GetProperty("locator").GetString());
        Assert.Equal(["name", "ssn", "dob"], sources[0].GetProperty("elements").EnumerateArray().Select(x => x.GetString()));
        Assert.False(sources[0].TryGetProperty("deleted", out _));
        Assert.Equal("mail/0001.eml!applicants.csv", sources[1].GetProperty("path").GetString());

        var confidence = p.GetProperty("confidence").GetDouble();
        Assert.Equal(Math.Round(confidence, 2), confidence);
        Assert.InRange(confidence, 0.9, 0.99);
    }

    [Fact]
    public async Task AccentedNamesStayReadableAndDeletedSourcesAreFlagged()
    {
        var dir = await WriteAsync(Items());
        var text = File.ReadAllText(Path.Combine(dir, "individuals.jsonl"), Encoding.UTF8);
        Assert.Contains("\"name\":\"Zoë Ångström\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);

        var p = Person(dir, "Zoë Ångström");
        Assert.True(p.GetProperty("sources")[0].GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task FindingsAndFilesLinesAreMaskedAndOmitNulls()
    {
        var dir = await WriteAsync(Items());
        var findings = File.ReadAllLines(Path.Combine(dir, "findings.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(12, findings.Count);
        var first = findings.First(f => f.GetProperty("type").GetString() == "ssn");
        Assert.Equal(["path", "locator", "type", "value", "confidence", "evidence"], first.EnumerateObject().Select(x => x.Name));
        Assert.Equal("***-**-6701", first.GetProperty("value").GetString());
        Assert.Equal(["rule", "pattern", "header"], first.GetProperty("evidence").EnumerateObject().Select(x => x.Name));

        // Qualifiers appear when set: the licence's state.
        var licence = findings.First(f => f.GetProperty("type").GetString() == "driversLicense");
        Assert.Equal("IL", licence.GetProperty("state").GetString());
        Assert.DoesNotContain("123456701", File.ReadAllText(Path.Combine(dir, "findings.jsonl")), StringComparison.Ordinal);

        var files = File.ReadAllLines(Path.Combine(dir, "files.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["DPHHS/Exports/x.csv", "bin/tool.exe", "img/deleted.txt", "mail/0001.eml!applicants.csv"], files.Select(f => f.GetProperty("path").GetString()));
        Assert.Equal(["path", "size", "status", "reason", "findings"], files[1].EnumerateObject().Select(x => x.Name));
        Assert.True(files[2].GetProperty("origin").GetProperty("deleted").GetBoolean());

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal(4, summary.RootElement.GetProperty("files").GetProperty("total").GetInt64());
        Assert.Equal(3, summary.RootElement.GetProperty("individuals").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task RevealWritesFullValues()
    {
        var dir = await WriteAsync(Items(), new OutputOptions { Reveal = true, WriteSqlite = false });
        var p = Person(dir, "Jane A. Doe");
        Assert.Equal("123-45-6701", p.GetProperty("ssn")[0].GetString());
        Assert.Equal("1961-03-04", p.GetProperty("dob")[0].GetString());
        Assert.False(File.Exists(Path.Combine(dir, "index.db")));
    }

    [Fact]
    public async Task CsvIsQuotedAndGuardedAgainstFormulas()
    {
        var dir = await WriteAsync(Items());
        var lines = File.ReadAllText(Path.Combine(dir, "individuals.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,name,elements,ssn,dob,driversLicense,address,medical,", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",sourceCount,sources", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.Contains(",\"'=HYPERLINK(\"\"x\"\")\",", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"12 Oak St, Helena, MT 59601\"", StringComparison.Ordinal)
            && l.Contains("IL D120********", StringComparison.Ordinal)
            && l.Contains("Type 2 diabetes mellitus (E11.9)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutputFilesAreOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var dir = Path.Combine(_temp.FullName, "out");
        Directory.CreateDirectory(dir);
        var stale = Path.Combine(dir, "individuals.jsonl");
        File.WriteAllText(stale, "old");
        File.SetUnixFileMode(stale, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await WriteAsync(Items());
        foreach (var name in OutputFiles)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, name)));
        }

        Assert.Equal(OutputFiles.Order(StringComparer.Ordinal), Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var created = await WriteAsync(Items(), name: "fresh/nested");
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(created));
    }

    [Fact]
    public async Task OutputIsByteIdenticalWhateverTheItemOrder()
    {
        var items = Items();
        var a = await WriteAsync(items, name: "a");
        var shuffled = new List<ItemResult> { items[2], items[0], items[3], items[1] };
        var b = await WriteAsync(shuffled, name: "b");

        foreach (var name in OutputFiles)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(a, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, name))),
                name + " differs");
        }
    }

    [Fact]
    public async Task ItemFilesStartedBeforeResolutionAreTheSameAndAppearOnlyAtCompletion()
    {
        var items = Items();
        var a = await WriteAsync(items, name: "a");

        var b = Path.Combine(_temp.FullName, "b");
        var sink = new OutputDirectorySink(b, new OutputOptions());
        var result = Result(items);
        ((IItemOutputSink)sink).BeginItems(result.Results, CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(b, "findings.jsonl")));
        Assert.False(File.Exists(Path.Combine(b, "files.jsonl")));
        await sink.OnCompletedAsync(result, CancellationToken.None);

        foreach (var name in OutputFiles.Where(n => n != "summary.json"))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(a, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, name))), name + " differs");
        }

        Assert.Empty(Directory.EnumerateFiles(b, "*.tmp"));
    }

    [Fact]
    public async Task AWriterThatFailsFailsTheIndexWithItsOwnErrorAndLeavesNoSummary()
    {
        var dir = Path.Combine(_temp.FullName, "broken");
        var sink = new OutputDirectorySink(dir, new OutputOptions());
        var result = Result(Items()) with { Results = new FailingReader() };

        var error = await Assert.ThrowsAsync<IOException>(() => sink.OnCompletedAsync(result, CancellationToken.None).AsTask());
        Assert.Equal("the journal could not be read", error.Message);
        Assert.False(File.Exists(Path.Combine(dir, "summary.json")));
        Assert.False(File.Exists(Path.Combine(dir, "findings.jsonl")));
        Assert.Empty(Directory.EnumerateFiles(dir, "*.tmp", new EnumerationOptions { AttributesToSkip = 0 }));
    }

    /// <summary>A journal whose reads fail after the first item.</summary>
    private sealed class FailingReader : IItemResultReader
    {
        public IEnumerable<ItemResult> Read(CancellationToken cancellationToken)
        {
            yield return Items()[3];
            throw new IOException("the journal could not be read");
        }
    }

    [Fact]
    public async Task SqliteHoldsTheSameRows()
    {
        var dir = await WriteAsync(Items());
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir, "index.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();

        long Count(string sql)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            return (long)cmd.ExecuteScalar()!;
        }

        Assert.Equal(3, Count("SELECT COUNT(*) FROM individuals"));
        Assert.Equal(4, Count("SELECT COUNT(*) FROM files"));
        Assert.Equal(12, Count("SELECT COUNT(*) FROM findings"));
        Assert.Equal(4, Count("SELECT COUNT(*) FROM sources"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM sources WHERE deleted = 1"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM exposed_values WHERE element = 'ssn' AND value = '***-**-6701'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM findings WHERE value = '123456701'"));

        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT json FROM individuals WHERE name = 'Jane A. Doe'";
        var json = (string)cmd.ExecuteScalar()!;
        var line = File.ReadAllLines(Path.Combine(dir, "individuals.jsonl")).Single(l => l.Contains("\"Jane A. Doe\"", StringComparison.Ordinal));
        Assert.Equal(line, json);
    }

    [Fact]
    public async Task StaffAndJoinedByReachEveryOutput()
    {
        List<ItemResult> items =
        [
            Item("rx/fills.csv",
            [
                F(Elements.Name, "Iona Blackwood", "row 2", group: 2, segment: 2),
                F(Elements.Ssn, "123456701", "row 2", group: 2, segment: 2, start: 10),
                F(Elements.Name, "Lucian Harrowgate, MD", "row 2", group: 2, segment: 2, start: 30, qualifiers: new() { Role = PersonRole.Provider }),
                F(Elements.Npi, "1234567893", "row 2", group: 2, segment: 2, start: 40),
            ]),
            Item("rx/more.csv",
            [
                F(Elements.Name, "Iona Blackwood", "row 2", group: 2, segment: 2),
                F(Elements.Ssn, "123456701", "row 2", group: 2, segment: 2, start: 10),
            ]),
        ];
        var dir = await WriteAsync(items);

        var staff = JsonDocument.Parse(Assert.Single(File.ReadAllLines(Path.Combine(dir, "staff.jsonl")))).RootElement;
        var providerFinding = File.ReadAllLines(Path.Combine(dir, "findings.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(f => f.GetProperty("type").GetString() == "name" && f.TryGetProperty("category", out _));
        Assert.Equal("provider", providerFinding.GetProperty("category").GetString());
        Assert.Equal(["name", "role", "sources"], staff.EnumerateObject().Select(x => x.Name));
        Assert.Equal("Lucian Harrowgate, MD", staff.GetProperty("name").GetString());
        Assert.Equal("provider", staff.GetProperty("role").GetString());
        Assert.Equal("rx/fills.csv", Assert.Single(staff.GetProperty("sources").EnumerateArray()).GetProperty("path").GetString());

        var person = JsonDocument.Parse(Assert.Single(File.ReadAllLines(Path.Combine(dir, "individuals.jsonl")))).RootElement;
        Assert.Equal("[{\"key\":\"ssn\",\"records\":1}]", person.GetProperty("joinedBy").GetRawText());
        Assert.False(person.TryGetProperty("npi", out _));

        var csv = File.ReadAllLines(Path.Combine(dir, "individuals.csv"));
        Assert.Contains(",joinedBy,sourceCount,sources", csv[0], StringComparison.Ordinal);
        Assert.Contains(",ssn=1,2,", csv[1], StringComparison.Ordinal);

        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir, "index.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name || '|' || role || '|' || sources FROM staff UNION ALL SELECT joined_by FROM individuals";
        using var reader = cmd.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        Assert.Equal(["Lucian Harrowgate, MD|provider|[{\"path\":\"rx/fills.csv\",\"locator\":\"row 2\"}]", "[{\"key\":\"ssn\",\"records\":1}]"], rows);
    }
}
