using Microsoft.Data.Sqlite;
using PiiScanner.Index;
using PiiScanner.Testing;
using PiiScanner.Tests.EndToEnd;

namespace PiiScanner.Tests.Index;

public sealed class ScanJournalTests
{
    private static readonly Scanner Scanner = new ScannerBuilder().WithThreads(2).Build();

    private static async Task<string> ScanAsync(string share, string outDir, IScanJournal? journal)
    {
        var sinks = new IScanSink[] { new OutputDirectorySink(outDir, new OutputOptions { Reveal = true }) };
        if (journal is null)
        {
            await Scanner.ScanAsync([share], sinks);
        }
        else
        {
            await Scanner.ScanAsync([share], sinks, journal);
        }

        return outDir;
    }

    /// <summary>Rows of a journal's table (<c>units</c>: top-level items; <c>results</c>: items with members).</summary>
    internal static long Rows(string journalPath, string table = "units")
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = journalPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM " + table;
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task JournaledScanWritesTheSameOutputAsAScanKeptInMemory()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        SyntheticShare.Write(share, 40, seed: 11, copies: 2);

        var inMemory = await ScanAsync(share, temp.Combine("memory"), journal: null);
        string journaled;
        using (var journal = Scanner.OpenJournal(temp.Combine("journal"), [share], new JournalOptions()))
        {
            journaled = await ScanAsync(share, temp.Combine("journal"), journal);
        }

        Assert.False(File.Exists(Path.Combine(inMemory, ScanJournal.FileName)));
        Assert.True(File.Exists(Path.Combine(journaled, ScanJournal.FileName)));
        foreach (var name in OutputDirectorySink.OutputFiles.Where(n => n is not OutputDirectorySink.SummaryJson and not OutputDirectorySink.IndexDb))
        {
            var a = await File.ReadAllBytesAsync(Path.Combine(inMemory, name));
            var b = await File.ReadAllBytesAsync(Path.Combine(journaled, name));
            Assert.True(a.AsSpan().SequenceEqual(b), name + " differs between the journaled and the in-memory scan");
        }

        Assert.NotEmpty(await File.ReadAllLinesAsync(Path.Combine(journaled, OutputDirectorySink.FindingsJsonl)));
    }

    [Fact]
    public async Task JournalReadsFileRecordsAloneAsTheItemsHoldThem()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        SyntheticShare.Write(share, 10, seed: 12, copies: 1);
        await File.WriteAllBytesAsync(Path.Combine(share, "broken.zip"), [0x50, 0x4B, 0x03, 0x04, 1, 2, 3]);
        using var journal = Scanner.OpenJournal(temp.Combine("out"), [share], new JournalOptions());
        await ScanAsync(share, temp.Combine("out"), journal);

        static string Line(FileRecord file)
        {
            using var stream = new MemoryStream();
            using (var w = new System.Text.Json.Utf8JsonWriter(stream))
            {
                IndexJson.WriteFile(w, file);
            }

            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }

        var full = journal.Read(CancellationToken.None).Select(i => Line(i.File)).ToList();
        Assert.Contains(full, l => l.Contains("broken.zip", StringComparison.Ordinal) && !l.Contains("\"scanned\"", StringComparison.Ordinal));
        Assert.Contains(full, l => l.Contains("\"counts\"", StringComparison.Ordinal));
        Assert.Equal(full, journal.ReadFiles(CancellationToken.None).Select(Line));
    }

    [Fact]
    public async Task JournalIsOwnerOnlyAndHoldsFullValues()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempFolder();
        var share = temp.Combine("share");
        Directory.CreateDirectory(share);
        await File.WriteAllTextAsync(Path.Combine(share, "r.csv"), "Name,SSN\nMarisol Quintero,518-24-3307\n");
        var outDir = temp.Combine("out");
        using var journal = Scanner.OpenJournal(outDir, [share], new JournalOptions());

        // Mid-scan: the WAL and shared-memory files exist beside the database.
        await journal.TryReuseAsync(new PiiScanner.Sources.ScanItem("x", 1, null), CancellationToken.None);
        var files = Directory.GetFiles(outDir, ScanJournal.FileName + "*");
        Assert.Contains(files, f => f.EndsWith("-wal", StringComparison.Ordinal));
        foreach (var file in files)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        await Scanner.ScanAsync([share], [new OutputDirectorySink(outDir, new OutputOptions())], journal);
        var masked = await File.ReadAllTextAsync(Path.Combine(outDir, OutputDirectorySink.FindingsJsonl));
        Assert.DoesNotContain("518243307", masked, StringComparison.Ordinal);
        Assert.Contains(journal.Read(CancellationToken.None).SelectMany(i => i.Findings), f => f.Value == "518243307");
    }

    [Fact]
    public async Task TornLastWriteIsDroppedAndTheRestResumes()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        SyntheticShare.Write(share, 10, seed: 5, copies: 1);
        var outDir = temp.Combine("out");
        var crashed = temp.Combine("crashed");
        Directory.CreateDirectory(crashed);

        var items = (await Scanner.ScanAsync([share], [])).Items;
        using (var journal = Scanner.OpenJournal(outDir, [share], new JournalOptions { CommitEvery = 1 }))
        {
            foreach (var item in items)
            {
                journal.Append(new PiiScanner.Sources.ScanItem(item.File.Path, item.File.Size, null), [item], 1);
            }

            // A copy taken while the journal is open, before any checkpoint: its items are in the WAL, as after a crash.
            foreach (var suffix in new[] { string.Empty, "-wal" })
            {
                File.Copy(Path.Combine(outDir, ScanJournal.FileName + suffix), Path.Combine(crashed, ScanJournal.FileName + suffix));
            }
        }

        var wal = Path.Combine(crashed, ScanJournal.FileName + "-wal");
        var whole = Rows(Path.Combine(outDir, ScanJournal.FileName));
        Assert.True(whole > 2, "the share has several files");
        Assert.True(new FileInfo(wal).Length > 0, "items are in the WAL");

        // Tear the last write: its last bytes never reached the disk.
        using (var stream = new FileStream(wal, FileMode.Open))
        {
            stream.SetLength(stream.Length - 100);
        }

        var survived = Rows(Path.Combine(crashed, ScanJournal.FileName));
        Assert.InRange(survived, 0, whole - 1);

        // What survived is a consistent journal of an unfinished scan: it resumes.
        using var resumed = Scanner.OpenJournal(crashed, [share], new JournalOptions { Resume = true });
        Assert.True(resumed.Resumed);
    }

    [Fact]
    public void FolderHoldingOtherFilesOrAnotherScanIsRefused()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        Directory.CreateDirectory(share);
        var other = temp.Combine("other");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "notes.txt"), "x");

        var notEmpty = Assert.Throws<ScanJournalException>(() => Scanner.OpenJournal(other, [share], new JournalOptions()));
        Assert.Contains("not empty", notEmpty.Message, StringComparison.Ordinal);
        Assert.Throws<ScanJournalException>(() => Scanner.OpenJournal(temp.Combine("none"), [share], new JournalOptions { Resume = true }));
        using (Scanner.OpenJournal(other, [share], new JournalOptions { Restart = true }))
        {
        }

        var otherRoots = Assert.Throws<ScanJournalException>(() => Scanner.OpenJournal(other, [temp.Path], new JournalOptions()));
        Assert.Contains("other roots", otherRoots.Message, StringComparison.Ordinal);
        using var again = Scanner.OpenJournal(other, [share], new JournalOptions());
        Assert.True(again.Resumed);
    }

    [Fact]
    public void AJournalOfAnEarlierBuildIsRefusedWithItsSchema()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        Directory.CreateDirectory(share);
        var old = temp.Combine("old");
        using (Scanner.OpenJournal(old, [share], new JournalOptions()))
        {
        }

        // What an earlier build (JSON rows) left: schema 1.
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(old, ScanJournal.FileName), Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value='1' WHERE key='schema'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var resume = Assert.Throws<ScanJournalException>(() => Scanner.OpenJournal(old, [share], new JournalOptions()));
        Assert.Contains("another piiscan build (journal schema 1", resume.Message, StringComparison.Ordinal);
        Assert.Contains("--force", resume.Message, StringComparison.Ordinal);
        var since = Assert.Throws<ScanJournalException>(() => Scanner.OpenJournal(temp.Combine("new"), [share], new JournalOptions { Since = old }));
        Assert.Contains("journal schema 1", since.Message, StringComparison.Ordinal);
        using (Scanner.OpenJournal(old, [share], new JournalOptions { Restart = true }))
        {
        }
    }
}
