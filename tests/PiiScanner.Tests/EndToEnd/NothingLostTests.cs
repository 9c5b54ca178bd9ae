using System.IO.Compression;
using System.Text;
using PiiScanner.Index;
using PiiScanner.Sources;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>Input that used to be lost or misreported: damaged zip members, files that change while read, twin roots.</summary>
public sealed class NothingLostTests
{
    private const string Roster = "First Name,Last Name,SSN,DOB\nMarisol,Quintero,518-24-3307,03/04/1961\nTobias,Oyelaran,611-38-2290,12/30/1955\n";

    private static byte[] Zip(CompressionLevel level, params (string Name, string Text)[] members)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in members)
            {
                using var stream = zip.CreateEntry(name, level).Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return buffer.ToArray();
    }

    [Fact]
    public async Task ZipMemberWhoseBytesDoNotMatchItsCrcIsCorruptAndItsFindingsDropped()
    {
        using var temp = new TempFolder();
        var share = temp.Folder("share");
        var zip = Zip(CompressionLevel.NoCompression, ("bad.csv", Roster), ("good.csv", Roster.Replace("Marisol", "Mariela", StringComparison.Ordinal)));
        // A stored member: change one digit of the first SSN in place; the archive's CRC-32 still describes the original.
        var at = zip.AsSpan().IndexOf("518-24-3307"u8);
        Assert.True(at > 0);
        zip[at + 10] = (byte)'8';
        File.WriteAllBytes(Path.Combine(share, "backup.zip"), zip);
        var outDir = temp.Combine("out");

        var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir, "-q", "--reveal");

        Assert.True(code == 0, stderr);
        var files = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl")).ToDictionary(f => f.GetProperty("path").GetString()!);
        var bad = files["backup.zip!bad.csv"];
        Assert.Equal("partial", bad.GetProperty("status").GetString());
        Assert.StartsWith("corrupt: the member's CRC-32 does not match", bad.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, bad.GetProperty("findings").GetInt32());
        Assert.False(bad.TryGetProperty("sha256", out _));
        Assert.Equal("scanned", files["backup.zip!good.csv"].GetProperty("status").GetString());
        Assert.Equal("partial", files["backup.zip"].GetProperty("status").GetString());

        var findings = File.ReadAllText(Path.Combine(outDir, "findings.jsonl"));
        Assert.DoesNotContain("518-24-3308", findings, StringComparison.Ordinal);
        Assert.DoesNotContain("backup.zip!bad.csv", findings, StringComparison.Ordinal);
        Assert.Contains("backup.zip!good.csv", findings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FuzzedZipsGiveTheSameOutputEveryRunAndForAnyThreadCount()
    {
        using var temp = new TempFolder();
        var share = temp.Folder("share");
        var members = Enumerable.Range(0, 6)
            .Select(i => ($"export-{i}.csv", string.Concat(Enumerable.Repeat(Roster, 20 + i))))
            .Append(("nested.zip", string.Empty))
            .ToArray();
        var clean = Zip(CompressionLevel.Optimal, members[..^1]);
        var random = new Random(20250);
        for (var n = 0; n < 40; n++)
        {
            var fuzzed = (byte[])clean.Clone();
            for (var flips = 0; flips < 1 + (n % 4); flips++)
            {
                fuzzed[random.Next(fuzzed.Length)] ^= (byte)(1 << random.Next(8));
            }

            File.WriteAllBytes(Path.Combine(share, $"fuzz-{n:00}.zip"), fuzzed);
        }

        var runs = new List<string>();
        foreach (var threads in new[] { "1", "1", "2" })
        {
            var outDir = temp.Combine("out-" + runs.Count);
            var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir, "-q", "--threads", threads, "--no-sqlite");
            Assert.True(code is 0 or 3, stderr);
            runs.Add(outDir);
        }

        foreach (var file in new[] { "files.jsonl", "findings.jsonl", "individuals.jsonl" })
        {
            var first = File.ReadAllText(Path.Combine(runs[0], file));
            Assert.True(first.Length > 0 || file != "files.jsonl", file + " is empty");
            foreach (var other in runs.Skip(1))
            {
                Assert.True(first == File.ReadAllText(Path.Combine(other, file)), $"{file} differs between runs ({runs[0]} vs {other})");
            }
        }

        // Damage was met and said so, as a sentence.
        var reasons = SyntheticShareTests.ReadJsonl(Path.Combine(runs[0], "files.jsonl"))
            .Where(f => f.TryGetProperty("reason", out _))
            .Select(f => f.GetProperty("reason").GetString()!)
            .ToList();
        Assert.Contains(reasons, r => r.StartsWith("corrupt: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFileThatChangesWhileReadIsPartialAndHasNoHash()
    {
        using var temp = new TempFolder();
        var growing = temp.Combine("growing.csv");
        var steady = temp.Combine("steady.csv");
        File.WriteAllText(growing, Roster);
        File.WriteAllText(steady, Roster);
        var scanner = new ScannerBuilder().WithThreads(1).Build();

        var result = await scanner.ScanAsync([new OpenThenAppend(growing), new OpenThenAppend(steady, append: false)], []);

        var grown = Assert.Single(result.Items, i => i.File.Path == "growing.csv").File;
        Assert.Equal(FileStatus.Partial, grown.Status);
        Assert.StartsWith("changed-during-scan: ", grown.Reason, StringComparison.Ordinal);
        Assert.Null(grown.Sha256);
        var same = Assert.Single(result.Items, i => i.File.Path == "steady.csv").File;
        Assert.Equal(FileStatus.Scanned, same.Status);
        Assert.NotNull(same.Sha256);
    }

    [Fact]
    public async Task EvidenceIsReadWithoutTouchingItsAccessTime()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var temp = new TempFolder();
        var share = temp.Folder("share");
        var file = Path.Combine(share, "roster.csv");
        File.WriteAllText(file, Roster);
        var then = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file, then.AddDays(-1));
        File.SetLastAccessTimeUtc(file, then);

        var result = await new ScannerBuilder().WithThreads(1).Build().ScanAsync([share], []);

        // The test owns the file, so the kernel allows O_NOATIME whoever runs the tests.
        Assert.Equal(1, result.Summary.FilesOpened);
        Assert.Equal(1, result.Summary.FilesOpenedWithNoAtime);
        Assert.Equal(then, File.GetLastAccessTimeUtc(file));
    }

    [Fact]
    public async Task TwoRootsWithTheSameNameKeepApartInTheIndex()
    {
        using var temp = new TempFolder();
        foreach (var (site, ssn) in new[] { ("east", "518-24-3307"), ("west", "611-38-2290") })
        {
            Directory.CreateDirectory(temp.Combine(site, "share"));
            File.WriteAllText(temp.Combine(site, "share", "roster.csv"), $"First Name,Last Name,SSN\nPat,Rivera,{ssn}\n");
        }

        var outDir = temp.Combine("out");
        var (code, _, stderr) = await CliRunner.RunAsync("scan", temp.Combine("east", "share"), temp.Combine("west", "share"), "--out", outDir, "-q");

        Assert.True(code == 0, stderr);
        var paths = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl")).Select(f => f.GetProperty("path").GetString()).ToList();
        Assert.Equal(["east/share/roster.csv", "west/share/roster.csv"], paths);
    }

    [Theory]
    [InlineData(new[] { "/srv/a/share", "/srv/b/share" }, new[] { "a/share", "b/share" })]
    [InlineData(new[] { "/srv/a/share", "/srv/mail" }, new[] { "share", "mail" })]
    [InlineData(new[] { "/x/a/share", "/y/a/share", "/z/b" }, new[] { "x/a/share", "y/a/share", "b" })]
    [InlineData(new[] { "/srv/share", "/srv/share/" }, new[] { "share", "share#2" })]
    public void RootNamesAreTheShortestThatTellThemApart(string[] roots, string[] expected)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(expected, SourceResolver.LogicalNames(roots));
    }

    [Fact]
    public async Task NamesThatAreNotUtf8AreScannedWithTheirBytesEscaped()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var temp = new TempFolder();
        var share = temp.Folder("share");
        // Latin-1 names as an old share holds them: 0xE9 is 'é' in Latin-1 and no UTF-8 at all.
        const string Script = """
            cd "$1"
            mkdir "$(printf 'Dossiers_\351t\351')"
            printf 'First Name,Last Name,SSN\nMarisol,Quintero,518-24-3307\n' > "$(printf 'caf\351.csv')"
            printf 'First Name,Last Name,SSN\nTobias,Oyelaran,611-38-2290\n' > "$(printf 'Dossiers_\351t\351/roster.csv')"
            """;
        using (var bash = System.Diagnostics.Process.Start("bash", ["-c", Script, "bash", share]))
        {
            await bash.WaitForExitAsync();
            Assert.Equal(0, bash.ExitCode);
        }

        var outDir = temp.Combine("out");
        var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir, "-q", "--reveal");

        Assert.True(code == 0, stderr);
        var files = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl")).ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.Equal(["Dossiers_\\xE9t\\xE9/roster.csv", "caf\\xE9.csv"], files.Keys.Order(StringComparer.Ordinal));
        Assert.All(files.Values, f => Assert.Equal("scanned", f.GetProperty("status").GetString()));
        var ssns = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "individuals.jsonl")).SelectMany(i => SyntheticShareTests.Strings(i, "ssn")).Order(StringComparer.Ordinal);
        Assert.Equal(["518-24-3307", "611-38-2290"], ssns);
    }

    [Theory]
    [InlineData(new byte[] { 0x63, 0x61, 0x66, 0xE9, 0x2E, 0x63, 0x73, 0x76 }, "caf\\xE9.csv")]
    [InlineData(new byte[] { 0x63, 0x61, 0x66, 0xC3, 0xA9 }, "café")]
    [InlineData(new byte[] { 0xC3, 0x28, 0x41 }, "\\xC3(A")]
    public void NameBytesAreEscapedOnlyWhereTheyAreNotUtf8(byte[] name, string expected)
        => Assert.Equal(expected, NativeFile.EscapeName(name));

    /// <summary>A one-file source whose file grows right after it is opened (a log being written during the scan).</summary>
    private sealed class OpenThenAppend(string path, bool append = true) : IScanSource
    {
        public string Description => path;

        public async Task EnumerateAsync(ItemWriter output, CancellationToken cancellationToken)
        {
            await output.WriteAsync(
                new ScanItem(Path.GetFileName(path), new FileInfo(path).Length, _ =>
                {
                    var stream = EvidenceFile.Open(path);
                    if (append)
                    {
                        File.AppendAllText(path, "Ada,Lovelace,233-90-1146,12/10/1915\n");
                    }

                    return stream;
                }),
                cancellationToken);
        }
    }
}
