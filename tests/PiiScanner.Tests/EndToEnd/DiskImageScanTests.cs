using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PiiScanner.Tests.Sources;
using Xunit.Abstractions;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>
/// Issue 5's acceptance runs: small ext4 (in an MBR partition) and FAT images built here, holding person A in an
/// allocated file, person B in a file that is then deleted, and person C written straight into unallocated space.
/// <c>piiscan scan IMAGE --out DIR</c> must find all three as one individual each, with B's deleted flag, inode and
/// partition and C's image byte offset, and must leave the image unchanged.
/// </summary>
public sealed class DiskImageScanTests : IDisposable
{
    private const string SsnA = "123-45-6701";
    private const string SsnB = "123-45-6702";
    private const string SsnC = "123-45-6703";
    private const string CsvA = "Name,SSN,DOB\nAlice Brennan,123-45-6701,1980-02-03\n";
    private const string TextB = "Name: Robert Okafor\nSSN: 123-45-6702\nDOB: 1972-11-21\n";
    private const string RawC = "Name: Carol Whitfield SSN 123-45-6703 DOB 1965-04-05";

    private const long PartitionStart = 2048L * 512;
    private const long ExtFreeBlock = 3500;
    private const long FatFreeOffset = 1536L * 1024;

    private readonly ImageTestKit _kit;
    private readonly ITestOutputHelper _output;

    public DiskImageScanTests(ITestOutputHelper output)
    {
        _output = output;
        _kit = new ImageTestKit(output);
    }

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task Ext4InMbrPartition_AllocatedDeletedAndUnallocatedPeopleAreIndexed()
    {
        if (!_kit.Have("mke2fs", "debugfs", "mmls", "fsstat", "fls", "icat", "blkls", "blkcat", "ifind", "ffind", "img_stat"))
        {
            return;
        }

        var (image, offsetC) = BuildExt4Disk();
        var run = await ScanAsync(image);

        run.AssertThreePeople(_output);
        var b = run.SourceOf(SsnB, deleted: true);
        Assert.StartsWith("p1/old/applicant.txt#", b.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal("p1", b.GetProperty("partition").GetString());
        var inodeB = b.GetProperty("inode").GetString();
        Assert.Equal("p1/old/applicant.txt#" + inodeB, b.GetProperty("path").GetString());

        var fileB = run.File("p1/old/applicant.txt#" + inodeB);
        Assert.Equal("scanned", fileB.GetProperty("status").GetString());
        var origin = fileB.GetProperty("origin");
        Assert.True(origin.GetProperty("deleted").GetBoolean());
        Assert.Equal(inodeB, origin.GetProperty("inode").GetString());
        Assert.Equal("p1", origin.GetProperty("partition").GetString());

        var a = run.SourceOf(SsnA, deleted: false);
        Assert.Equal("p1/hr/employees.csv", a.GetProperty("path").GetString());
        Assert.Equal("p1", a.GetProperty("partition").GetString());
        Assert.Matches("^[0-9]+$", a.GetProperty("inode").GetString());
        Assert.False(run.File("p1/hr/employees.csv").GetProperty("origin").GetProperty("deleted").GetBoolean());

        var c = run.AssertUnallocatedFinding(SsnC, offsetC, "p1/$unallocated/");
        Assert.Equal($"p1 data unit {ExtFreeBlock}, no file", c.GetProperty("owner").GetString());

        // B's blocks are free after the delete, so the unallocated pages hold B's text too: The Sleuth Kit still
        // maps those blocks to B's (deleted) inode, and that is what the finding says.
        var unallocatedB = run.Findings.Where(f => f.GetProperty("type").GetString() == "ssn"
            && Digits(f.GetProperty("value").GetString()) == Digits(SsnB)
            && f.GetProperty("path").GetString()!.StartsWith("p1/$unallocated/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(unallocatedB);
        Assert.All(unallocatedB, f => Assert.Equal($"p1 inode {inodeB} /old/applicant.txt (deleted)", f.GetProperty("owner").GetString()));

        // index.db carries the same provenance for analysts' queries.
        using (var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(run.OutDir, "index.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            db.Open();
            using var query = db.CreateCommand();
            query.CommandText = "SELECT path || '|' || partition || '|' || inode FROM sources WHERE deleted = 1";
            Assert.Equal($"p1/old/applicant.txt#{inodeB}|p1|{inodeB}", query.ExecuteScalar());
            query.CommandText = "SELECT image_offset || '|' || owner FROM findings WHERE type = 'ssn' AND value LIKE '%6703'";
            Assert.Equal($"{offsetC}|p1 data unit {ExtFreeBlock}, no file", query.ExecuteScalar());
        }

        run.AssertImageUnchanged();
        Assert.StartsWith("p1: offset 1048576", run.Facts.GetProperty("image.partitions").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fat_AllocatedDeletedAndUnallocatedPeopleAreIndexed()
    {
        if (!_kit.Have("mkfs.vfat", "mcopy", "mdel", "mmls", "fsstat", "fls", "icat", "blkls", "blkcat", "ifind", "ffind", "img_stat"))
        {
            return;
        }

        var (image, offsetC) = BuildFat();
        var run = await ScanAsync(image);

        run.AssertThreePeople(_output);
        var b = run.SourceOf(SsnB, deleted: true);
        var pathB = b.GetProperty("path").GetString()!;
        var inodeB = b.GetProperty("inode").GetString();
        Assert.Matches("^fs/.*APPLIC.*#[0-9]+$", pathB);
        Assert.EndsWith("#" + inodeB, pathB, StringComparison.Ordinal);
        Assert.False(b.TryGetProperty("partition", out _));
        var origin = run.File(pathB).GetProperty("origin");
        Assert.True(origin.GetProperty("deleted").GetBoolean());
        Assert.Equal(inodeB, origin.GetProperty("inode").GetString());
        Assert.False(origin.TryGetProperty("partition", out _)); // a bare file system has no partition

        Assert.Equal("fs/EMPLOYEES.CSV", run.SourceOf(SsnA, deleted: false).GetProperty("path").GetString());
        var c = run.AssertUnallocatedFinding(SsnC, offsetC, "fs/$unallocated/");
        Assert.StartsWith("fs ", c.GetProperty("owner").GetString(), StringComparison.Ordinal);
        run.AssertImageUnchanged();
    }

    [Fact]
    public async Task TwoImagesInOneScan_KeepTheirOwnPathsAndFacts()
    {
        if (!_kit.Have("mke2fs", "debugfs", "mkfs.vfat", "mcopy", "mdel", "mmls", "fsstat", "fls", "icat", "blkls", "blkcat", "ifind", "ffind", "img_stat"))
        {
            return;
        }

        var (ext4, offsetExt) = BuildExt4Disk();
        var (fat, offsetFat) = BuildFat();
        var outDir = _kit.PathOf("out-both");
        var (code, _, stderr) = await CliRunner.RunAsync(["scan", ext4, fat, "--out", outDir, "--reveal", "-q"]);
        Assert.True(code == 0, stderr);

        var files = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl")).Select(f => f.GetProperty("path").GetString()!).ToList();
        Assert.Equal(files.Count, files.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("disk.raw/p1/hr/employees.csv", files);
        Assert.Contains("fat.img/fs/EMPLOYEES.CSV", files);
        Assert.All(files, f => Assert.True(f.StartsWith("disk.raw/", StringComparison.Ordinal) || f.StartsWith("fat.img/", StringComparison.Ordinal), f));

        // Each image's unallocated person is found on a page of its own image, at its own offset.
        var findings = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "findings.jsonl"))
            .Where(f => f.GetProperty("type").GetString() == "ssn" && Digits(f.GetProperty("value").GetString()) == Digits(SsnC)).ToList();
        Assert.Contains(findings, f => f.GetProperty("path").GetString()!.StartsWith("disk.raw/p1/$unallocated/", StringComparison.Ordinal) && f.GetProperty("imageOffset").GetInt64() == offsetExt);
        Assert.Contains(findings, f => f.GetProperty("path").GetString()!.StartsWith("fat.img/fs/$unallocated/", StringComparison.Ordinal) && f.GetProperty("imageOffset").GetInt64() == offsetFat);

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var facts = summary.RootElement.GetProperty("facts");
        Assert.Equal(ImageTestKit.Sha256(ext4), facts.GetProperty("disk.raw/image.sha256.before").GetString());
        Assert.Equal(ImageTestKit.Sha256(fat), facts.GetProperty("fat.img/image.sha256.before").GetString());
        Assert.Equal("DOS Partition Table", facts.GetProperty("disk.raw/image.volumeSystem").GetString());
        Assert.Equal("none", facts.GetProperty("fat.img/image.volumeSystem").GetString());
        Assert.False(facts.TryGetProperty("image.path", out _), "an unprefixed fact would be one image's, overwritten by the other's");
    }

    /// <summary>
    /// NTFS: A in an allocated file (MFT address), B in a file deleted as NTFS leaves it (MFT entry no longer in use,
    /// its directory index entry gone; built by <see cref="ImageTestKit.DeleteNtfsFile"/>, as no Debian tool deletes
    /// without mounting), C in an unallocated cluster.
    /// </summary>
    [Fact]
    public async Task Ntfs_AllocatedDeletedAndUnallocatedPeopleAreIndexed()
    {
        if (!_kit.Have("mkntfs", "ntfscp", "ntfscluster", "mmls", "fsstat", "fls", "icat", "blkls", "blkcat", "ifind", "ffind", "img_stat"))
        {
            return;
        }

        var csv = _kit.PathOf("employees.csv");
        File.WriteAllText(csv, CsvA);
        var txt = _kit.PathOf("applicant.txt");
        File.WriteAllText(txt, TextB + new string('.', 2000) + "\n"); // past an MFT record: its bytes are in a cluster
        var image = _kit.PathOf("ntfs.img");
        using (var file = File.Create(image))
        {
            file.SetLength(8L << 20);
        }

        _kit.Run("mkntfs", "-q", "-F", "-Q", image);
        _kit.Run("ntfscp", image, csv, "employees.csv");
        _kit.Run("ntfscp", image, txt, "applicant.txt");
        var entryB = long.Parse(_kit.Run("ifind", "-n", "applicant.txt", image).Split('\n')[0].Trim(), CultureInfo.InvariantCulture);
        Assert.Equal(1, ImageTestKit.DeleteNtfsFile(image, entryB, parent: 5));
        Assert.Contains($"-/r * {entryB}-128-", _kit.Run("fls", image), StringComparison.Ordinal);
        const long freeCluster = 1900;
        Assert.Contains("no inode found", _kit.Run("ntfscluster", "-c", freeCluster.ToString(CultureInfo.InvariantCulture), image), StringComparison.Ordinal);
        var pokeAt = (freeCluster * 4096) + 10;
        ImageTestKit.Poke(image, pokeAt, RawC);
        var offsetC = pokeAt + RawC.IndexOf(SsnC, StringComparison.Ordinal);

        var run = await ScanAsync(image);

        run.AssertThreePeople(_output);
        var b = run.SourceOf(SsnB, deleted: true);
        var inodeB = b.GetProperty("inode").GetString()!;
        Assert.Matches($"^{entryB}-128-[0-9]+$", inodeB);
        Assert.Equal("fs/applicant.txt#" + inodeB, b.GetProperty("path").GetString());
        var fileB = run.File("fs/applicant.txt#" + inodeB);
        Assert.Equal("scanned", fileB.GetProperty("status").GetString());
        Assert.True(fileB.GetProperty("origin").GetProperty("deleted").GetBoolean());

        var a = run.SourceOf(SsnA, deleted: false);
        Assert.Equal("fs/employees.csv", a.GetProperty("path").GetString());
        Assert.Matches("^[0-9]+-128-[0-9]+$", a.GetProperty("inode").GetString());
        run.AssertUnallocatedFinding(SsnC, offsetC, "fs/$unallocated/");
        run.AssertImageUnchanged();
    }

    /// <summary>
    /// A file rewritten shorter in place (its size cut with debugfs, as an editor's save leaves it): the old person's
    /// record now lies after the file's end in its last block. Only the slack item holds them, at their image offset.
    /// </summary>
    [Fact]
    public async Task Ext4_PersonLeftInFileSlackIsIndexedWithTheSlackOffset()
    {
        if (!_kit.Have("mke2fs", "debugfs", "mmls", "fsstat", "fls", "icat", "blkls", "blkcat", "ifind", "ffind", "img_stat"))
        {
            return;
        }

        const string now = "Meeting notes: the budget review moved to Thursday.\n";
        const string before = "Name: Sally Slackford\nSSN: 123-45-6707\nDOB: 1969-08-09\n";
        var tree = _kit.PathOf("slack-tree");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "notes.txt"), now + before);
        File.WriteAllText(Path.Combine(tree, "other.txt"), "nothing left behind here\n");
        var image = _kit.PathOf("slack.ext4");
        _kit.Run("mke2fs", "-q", "-F", "-t", "ext4", "-b", "1024", "-d", tree, image, "4M");
        _kit.Run("debugfs", "-w", "-R", $"sif notes.txt size {now.Length}", image);
        var block = long.Parse(_kit.Run("debugfs", "-R", "bmap notes.txt 0", image).Split('\n').Select(l => l.Trim()).Single(l => l.Length > 0 && l.All(char.IsAsciiDigit)), CultureInfo.InvariantCulture);
        var offset = (block * 1024) + now.Length + before.IndexOf("123-45-6707", StringComparison.Ordinal);

        var run = await ScanAsync(image);

        var person = Assert.Single(run.Individuals, i => SyntheticShareTests.Strings(i, "ssn").Any(s => Digits(s) == "123456707"));
        Assert.Contains("Slackford", person.GetProperty("name").GetString() ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(["1969-08-09"], SyntheticShareTests.Strings(person, "dob"));
        var source = Assert.Single(person.GetProperty("sources").EnumerateArray());
        Assert.Equal("fs/notes.txt#slack", source.GetProperty("path").GetString());
        Assert.StartsWith("offset ", source.GetProperty("locator").GetString(), StringComparison.Ordinal);

        var finding = Assert.Single(run.Findings, f => f.GetProperty("type").GetString() == "ssn" && Digits(f.GetProperty("value").GetString()) == "123456707");
        Assert.Equal("fs/notes.txt#slack", finding.GetProperty("path").GetString());
        Assert.Equal(offset, finding.GetProperty("imageOffset").GetInt64());

        var slack = run.File("fs/notes.txt#slack");
        Assert.Equal("scanned", slack.GetProperty("status").GetString());
        Assert.Equal((block * 1024) + now.Length, slack.GetProperty("origin").GetProperty("imageOffset").GetInt64());
        Assert.Equal(1024 - now.Length, slack.GetProperty("size").GetInt64());
        Assert.Equal(now.Length, run.File("fs/notes.txt").GetProperty("size").GetInt64());
        Assert.DoesNotContain(run.Files, f => f.GetProperty("path").GetString() == "fs/other.txt#slack"); // its slack is zeros

        Assert.Equal("1", run.Facts.GetProperty("image.slack.items").GetString());
        Assert.StartsWith("libtsk ", run.Facts.GetProperty("image.contents").GetString(), StringComparison.Ordinal);
        run.AssertImageUnchanged();
    }

    [Fact]
    public async Task Features_SsnFeatureFileHoldsTheUnallocatedOffset()
    {
        if (!_kit.Have("mke2fs", "debugfs", "mmls", "fsstat", "fls", "icat", "blkls", "blkcat", "ifind", "ffind", "img_stat"))
        {
            return;
        }

        var (image, offsetC) = BuildExt4Disk();
        var features = _kit.PathOf("features");
        var run = await ScanAsync(image, "--features", features);
        run.AssertImageUnchanged();

        var lines = File.ReadAllLines(Path.Combine(features, "ssn.txt"));
        Assert.Contains(lines, l => l.StartsWith("# Feature-Recorder: ssn", StringComparison.Ordinal));
        var c = Assert.Single(lines, l => l.StartsWith(offsetC.ToString(CultureInfo.InvariantCulture) + "\t", StringComparison.Ordinal));
        var fields = c.Split('\t');
        Assert.Equal(3, fields.Length);
        Assert.Equal(Digits(SsnC), Digits(fields[1]));
        Assert.Contains("p1/$unallocated/", fields[2], StringComparison.Ordinal);
        Assert.EndsWith($"(p1 data unit {ExtFreeBlock}, no file)", fields[2], StringComparison.Ordinal);

        // Files are named by their path; the deleted one says so with its address.
        Assert.Contains(lines, l => l.StartsWith("p1/hr/employees.csv\t", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("p1/old/applicant.txt#", StringComparison.Ordinal) && l.Contains("(deleted, address ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingSleuthKit_CliExitsWith2AndNamesThePackage()
    {
        if (!_kit.Have("mke2fs"))
        {
            return;
        }

        var (image, _) = BuildExt4Disk();
        var hash = ImageTestKit.Sha256(image);
        var piiscan = Path.Combine(AppContext.BaseDirectory, "piiscan.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : Environment.ProcessPath!;
        Assert.True(File.Exists(piiscan), piiscan);

        // A PATH with no Sleuth Kit on it: an empty folder. The CLI runs as a child process so the test host's
        // PATH (shared with tests running in parallel) is never changed.
        var empty = _kit.PathOf("empty-path");
        Directory.CreateDirectory(empty);
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[piiscan, "scan", image, "--out", _kit.PathOf("out"), "-q"])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["PATH"] = empty;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var error = await stderr;
        _output.WriteLine(stdout + error);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("piiscan: `", error, StringComparison.Ordinal);
        Assert.Contains("install the Debian package `sleuthkit` (apt-get install sleuthkit)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal); // a message, not a stack trace
        Assert.Equal(hash, ImageTestKit.Sha256(image));
    }

    private static string Digits(string? value) => new((value ?? string.Empty).Where(char.IsAsciiDigit).ToArray());

    /// <summary>
    /// 4 MiB ext4 (1 KiB blocks) at sector 2048 of an MBR disk with 512 KiB of free space after it: A in
    /// hr/employees.csv, B in old/applicant.txt (deleted with debugfs), C poked into free block 3500.
    /// Returns the image and the image offset of C's SSN.
    /// </summary>
    private (string Image, long OffsetC) BuildExt4Disk()
    {
        var tree = _kit.PathOf("tree");
        Directory.CreateDirectory(Path.Combine(tree, "hr"));
        Directory.CreateDirectory(Path.Combine(tree, "old"));
        File.WriteAllText(Path.Combine(tree, "hr", "employees.csv"), CsvA);
        File.WriteAllText(Path.Combine(tree, "old", "applicant.txt"), TextB);
        var fsImage = _kit.PathOf("fs.ext4");
        _kit.Run("mke2fs", "-q", "-F", "-t", "ext4", "-b", "1024", "-d", tree, fsImage, "4M");
        _kit.Run("debugfs", "-w", "-R", "rm old/applicant.txt", fsImage);
        Assert.Contains("not in use", _kit.Run("debugfs", "-R", $"testb {ExtFreeBlock}", fsImage), StringComparison.Ordinal);

        var fs = File.ReadAllBytes(fsImage);
        var disk = _kit.PathOf("disk.raw");
        var bytes = new byte[PartitionStart + fs.Length + (512 * 1024)];
        fs.CopyTo(bytes, PartitionStart);
        var entry = bytes.AsSpan(446, 16);
        entry[4] = 0x83;
        BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)(PartitionStart / 512));
        BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], (uint)(fs.Length / 512));
        bytes[510] = 0x55;
        bytes[511] = 0xAA;
        File.WriteAllBytes(disk, bytes);

        var pokeAt = PartitionStart + (ExtFreeBlock * 1024) + 100;
        ImageTestKit.Poke(disk, pokeAt, RawC);
        return (disk, pokeAt + RawC.IndexOf(SsnC, StringComparison.Ordinal));
    }

    /// <summary>2 MiB FAT (mkfs.vfat + mtools): EMPLOYEES.CSV, APPLICANT.TXT deleted with mdel, C poked at 1.5 MiB (free clusters).</summary>
    private (string Image, long OffsetC) BuildFat()
    {
        var csv = _kit.PathOf("employees.csv");
        var txt = _kit.PathOf("applicant.txt");
        File.WriteAllText(csv, CsvA);
        File.WriteAllText(txt, TextB);
        var image = _kit.PathOf("fat.img");
        _kit.Run("mkfs.vfat", "-C", image, "2048");
        _kit.Run("mcopy", "-i", image, csv, "::EMPLOYEES.CSV");
        _kit.Run("mcopy", "-i", image, txt, "::APPLICANT.TXT");
        _kit.Run("mdel", "-i", image, "::APPLICANT.TXT");
        ImageTestKit.Poke(image, FatFreeOffset, RawC);
        return (image, FatFreeOffset + RawC.IndexOf(SsnC, StringComparison.Ordinal));
    }

    private async Task<ScanRun> ScanAsync(string image, params string[] extra)
    {
        var hashBefore = ImageTestKit.Sha256(image);
        var written = File.GetLastWriteTimeUtc(image);
        var outDir = _kit.PathOf("out-" + Guid.NewGuid().ToString("N"));
        var (code, _, stderr) = await CliRunner.RunAsync(["scan", image, "--out", outDir, "--reveal", "-q", .. extra]);
        Assert.True(code == 0, stderr);
        Assert.Equal(hashBefore, ImageTestKit.Sha256(image));
        Assert.Equal(written, File.GetLastWriteTimeUtc(image));

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        return new ScanRun(
            outDir,
            hashBefore,
            SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "individuals.jsonl")),
            SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "findings.jsonl")),
            SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl")),
            summary.RootElement.GetProperty("facts").Clone());
    }

    private sealed record ScanRun(string OutDir, string Hash, List<JsonElement> Individuals, List<JsonElement> Findings, List<JsonElement> Files, JsonElement Facts)
    {
        /// <summary>A, B and C are each exactly one individual, with their own DOB and surname.</summary>
        public void AssertThreePeople(ITestOutputHelper output)
        {
            foreach (var individual in Individuals)
            {
                output.WriteLine($"individual: name={individual.GetProperty("name")} ssn={string.Join(",", SyntheticShareTests.Strings(individual, "ssn"))} sources={individual.GetProperty("sources").GetRawText()}");
            }

            foreach (var (ssn, surname, dob) in new[] { (SsnA, "Brennan", "1980-02-03"), (SsnB, "Okafor", "1972-11-21"), (SsnC, "Whitfield", "1965-04-05") })
            {
                var person = Assert.Single(Individuals, i => SyntheticShareTests.Strings(i, "ssn").Any(s => Digits(s) == Digits(ssn)));
                Assert.Contains(surname, person.GetProperty("name").GetString() ?? string.Empty, StringComparison.OrdinalIgnoreCase);
                Assert.Equal([dob], SyntheticShareTests.Strings(person, "dob"));
                Assert.Equal([Digits(ssn)], SyntheticShareTests.Strings(person, "ssn").Select(Digits));
            }

            Assert.Equal(3, Individuals.Count);
        }

        /// <summary>The source entry of the individual holding <paramref name="ssn"/> that is (or is not) a deleted file.</summary>
        public JsonElement SourceOf(string ssn, bool deleted)
        {
            var person = Individuals.Single(i => SyntheticShareTests.Strings(i, "ssn").Any(s => Digits(s) == Digits(ssn)));
            var sources = person.GetProperty("sources").EnumerateArray()
                .Where(s => !s.GetProperty("path").GetString()!.Contains("/$unallocated/", StringComparison.Ordinal))
                .ToList();
            var source = Assert.Single(sources);
            Assert.Equal(deleted, source.TryGetProperty("deleted", out var flag) && flag.GetBoolean());
            return source;
        }

        public JsonElement File(string path) => Assert.Single(Files, f => f.GetProperty("path").GetString() == path);

        /// <summary>
        /// C's SSN finding: on a raw page of unallocated space, with its exact image offset in findings.jsonl and the
        /// page's run offset in its locator; C's individual's only source is that page; files.jsonl has the page.
        /// </summary>
        public JsonElement AssertUnallocatedFinding(string ssn, long offset, string pagePrefix)
        {
            var finding = Assert.Single(Findings, f => f.GetProperty("type").GetString() == "ssn" && Digits(f.GetProperty("value").GetString()) == Digits(ssn));
            var path = finding.GetProperty("path").GetString()!;
            Assert.StartsWith(pagePrefix, path, StringComparison.Ordinal);
            Assert.Equal(offset, finding.GetProperty("imageOffset").GetInt64());
            var locator = finding.GetProperty("locator").GetString()!;
            Assert.StartsWith("offset ", locator, StringComparison.Ordinal);
            var runStart = long.Parse(locator["offset ".Length..], NumberStyles.None, CultureInfo.InvariantCulture);
            Assert.InRange(offset - runStart, 0, 64); // the run starts at "Name: …", a few bytes before the SSN

            var person = Individuals.Single(i => SyntheticShareTests.Strings(i, "ssn").Any(s => Digits(s) == Digits(ssn)));
            var source = Assert.Single(person.GetProperty("sources").EnumerateArray());
            Assert.Equal(path, source.GetProperty("path").GetString());
            Assert.Equal(locator, source.GetProperty("locator").GetString());
            Assert.False(source.TryGetProperty("deleted", out _));

            var page = File(path);
            var pageStart = page.GetProperty("origin").GetProperty("imageOffset").GetInt64();
            Assert.InRange(offset, pageStart, pageStart + page.GetProperty("size").GetInt64() - 1);
            Assert.Equal(pageStart.ToString("D15", CultureInfo.InvariantCulture), path[(path.LastIndexOf('/') + 1)..]);
            return finding;
        }

        /// <summary>summary.json's facts: the image hash before and after match each other and the test's own hash.</summary>
        public void AssertImageUnchanged()
        {
            Assert.Equal(Hash, Facts.GetProperty("image.sha256.before").GetString());
            Assert.Equal(Hash, Facts.GetProperty("image.sha256.after").GetString());
            Assert.Equal("true", Facts.GetProperty("image.unchanged").GetString());
        }
    }
}
