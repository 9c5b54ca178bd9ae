using System.Text;
using System.Text.Json;
using PiiScanner.Detection;
using PiiScanner.Resolution;

namespace PiiScanner.Index;

/// <summary>
/// Writes the output contract (DESIGN.md) into a directory when the scan completes: <c>individuals.jsonl</c>,
/// <c>individuals.csv</c>, <c>staff.jsonl</c> (prescribers, providers and staff named in the sources, who are not
/// people to notify), <c>findings.jsonl</c>, <c>files.jsonl</c>, <c>summary.json</c> and, unless disabled,
/// <c>index.db</c>.
/// </summary>
/// <remarks>
/// <para>Values are masked with <see cref="Masker"/> unless <see cref="OutputOptions.Reveal"/> is set.</para>
/// <para>The directory is created (0700 on Unix) when missing. Every file is created owner-only (0600 on Unix)
/// from the start, written to a temporary name in the directory and renamed over any existing output when
/// complete, so a reader never sees a half-written file and an earlier, more permissive file is replaced, not
/// reused.</para>
/// <para><c>summary.json</c> is the completion marker: it is deleted first when a scan starts
/// (<see cref="OnStartingAsync"/>, with every other output and any temporary file a killed write left) and written
/// last, after every other file is committed. A directory with <c>summary.json</c> holds a complete index; one
/// without it holds a scan that is running, was killed, or failed.</para>
/// <para>Output is byte-identical for identical input whatever the thread count: items are written in ordinal
/// path order, findings in document order, individuals by id. The one exception is the elapsed time in
/// <c>summary.json</c>'s <c>timings</c>. Nothing is written to the console; exception messages carry file
/// names, never values.</para>
/// <para><see cref="OnItemAsync"/> keeps nothing; everything is taken from the <see cref="ScanResult"/>. Not meant
/// for concurrent use (the engine calls sinks from one thread).</para>
/// </remarks>
public sealed class OutputDirectorySink : IScanSink, IItemOutputSink
{
    /// <summary>Output file names.</summary>
    public const string IndividualsJsonl = "individuals.jsonl", IndividualsCsv = "individuals.csv",
        FindingsJsonl = "findings.jsonl", FilesJsonl = "files.jsonl", SummaryJson = "summary.json", IndexDb = "index.db",
        StaffJsonl = "staff.jsonl";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _directory;
    private readonly OutputOptions _options;
    private readonly Masker _masker;
    private Task<ItemFiles>? _items;

    /// <summary>Creates a sink that writes into <paramref name="directory"/>.</summary>
    public OutputDirectorySink(string directory, OutputOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        _directory = directory;
        _options = options;
        _masker = new Masker(options.Reveal);
    }

    /// <summary>Every output file, in the order written; <see cref="SummaryJson"/> (the completion marker) is last.</summary>
    public static IReadOnlyList<string> OutputFiles { get; } =
        [IndividualsJsonl, StaffJsonl, IndividualsCsv, FindingsJsonl, FilesJsonl, IndexDb, SummaryJson];

    /// <summary>The files a sink writes, by name (<see cref="OutputFiles"/>).</summary>
    public static IReadOnlyList<string> FileNames => OutputFiles;

    /// <summary>
    /// Makes <paramref name="directory"/> ready for an index before a scan starts, so a bad output folder fails in a
    /// second rather than after the scan: creates it owner-only (0700 on Unix) or tightens an existing one to that,
    /// checks that a file can be created in it, and unless <paramref name="replace"/> is set (or
    /// <paramref name="requireEmpty"/> is not: the scan journal decides what an earlier scan in it means), that it is
    /// empty. With <paramref name="replace"/>, the index files of an earlier scan are removed (other files are left alone).
    /// </summary>
    /// <exception cref="IOException">The folder is a file, not empty, or not writable (the message says which).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be created or changed.</exception>
    public static void PrepareDirectory(string directory, bool replace, bool requireEmpty = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (File.Exists(directory))
        {
            throw new IOException($"the output folder {directory} is a file");
        }

        if (requireEmpty && !replace && Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new IOException($"the output folder {directory} is not empty (--force replaces an earlier index in it)");
        }

        OwnerOnlyFile.EnsureOwnerOnlyDirectory(directory);
        var probe = OwnerOnlyFile.NewTempPath(Path.Combine(directory, "probe"));
        try
        {
            OwnerOnlyFile.CreateNew(probe).Dispose();
        }
        catch (UnauthorizedAccessException)
        {
            throw new IOException($"the output folder {directory} is not writable");
        }
        finally
        {
            OwnerOnlyFile.TryDelete(probe);
        }

        if (replace)
        {
            foreach (var name in FileNames)
            {
                File.Delete(Path.Combine(directory, name));
            }
        }
    }

    /// <inheritdoc />
    public ValueTask OnItemAsync(ItemResult item, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Starts writing findings.jsonl, files.jsonl and index.db's item tables (they depend on the items alone) under
    /// temporary names while the items are resolved; <see cref="OnCompletedAsync"/> waits for them, adds the people
    /// to index.db and commits them.
    /// </summary>
    void IItemOutputSink.BeginItems(IItemResultReader items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        OwnerOnlyFile.EnsureDirectory(_directory);
        _items = Task.Run(() => WriteItems(items, cancellationToken), CancellationToken.None);
    }

    /// <summary>
    /// Creates the directory if needed and removes the completion marker, then every other output and leftover
    /// temporary file of an earlier run, so the directory stops looking finished before anything new is written.
    /// </summary>
    public ValueTask OnStartingAsync(CancellationToken cancellationToken)
    {
        OwnerOnlyFile.EnsureDirectory(_directory);
        foreach (var name in OutputFiles.Reverse())
        {
            File.Delete(Path.Combine(_directory, name));
        }

        foreach (var name in OutputFiles)
        {
            foreach (var temp in Directory.EnumerateFiles(_directory, "." + name + ".*.tmp"))
            {
                OwnerOnlyFile.TryDelete(temp);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask OnCompletedAsync(ScanResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        cancellationToken.ThrowIfCancellationRequested();
        OwnerOnlyFile.EnsureDirectory(_directory);
        File.Delete(Path.Combine(_directory, SummaryJson));

        var people = InIdOrder(result.Individuals);

        // An unchanged rescan's index is the previous scan's: its files are copied when written with the same
        // options, all but those that hold the items' change values (files.jsonl, index.db) unless those are the
        // same too (the previous scan was an unchanged rescan itself).
        var previous = result.CarriedFrom is { } carried && WrittenAlike(carried.Previous) ? carried : null;
        var copyItems = previous is { SameChanges: true } && (!_options.WriteSqlite || File.Exists(Path.Combine(previous.Previous, IndexDb)));

        // The files are independent of one another: each is written by its own task from its own pass over the
        // spilled individuals or the journal (both are safe for several readers), so both cores write at once.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = failed.Token;
        var writers = new List<Action>();
        Task<ItemFiles>? itemFiles = null;
        if (previous is not null)
        {
            writers.Add(() =>
            {
                foreach (var name in (string[])[IndividualsJsonl, StaffJsonl, IndividualsCsv])
                {
                    CopyFile(previous.Previous, name);
                }
            });
        }
        else
        {
            writers.Add(() =>
            {
                WriteLines(IndividualsJsonl, people, (w, p) => IndexJson.WriteIndividual(w, p, _masker), token);
                WriteLines(StaffJsonl, result.Staff, (w, s) => IndexJson.WriteStaff(w, s, _masker), token);
            });
            writers.Add(() => WriteFile(IndividualsCsv, stream =>
            {
                using var writer = new StreamWriter(stream, Utf8NoBom, 1 << 16, leaveOpen: true);
                IndexCsv.Write(writer, people, _masker);
            }));
        }

        if (copyItems)
        {
            writers.Add(() =>
            {
                foreach (var name in _options.WriteSqlite ? (string[])[FindingsJsonl, FilesJsonl, IndexDb] : [FindingsJsonl, FilesJsonl])
                {
                    CopyFile(previous!.Previous, name);
                }
            });
        }
        else if (previous is not null && (!_options.WriteSqlite || File.Exists(Path.Combine(previous.Previous, IndexDb))))
        {
            var early = _items;
            _items = null;
            writers.Add(() =>
            {
                // Carried over after all: the item files written during resolution are not this scan's.
                if (early is not null)
                {
                    WaitFor(early).Dispose();
                }

                WriteUnchangedItems(result, previous.Previous, token);
            });
        }
        else
        {
            var early = _items;
            _items = null;
            if (previous is not null && early is not null)
            {
                // Carried over after all: this scan's findings.jsonl is the previous one.
                WaitFor(early).Dispose();
                early = null;
            }

            // One pass over the items writes their files and index.db's item tables (during resolution when begun
            // early); the people go into index.db once its items are in.
            itemFiles = early ?? Task.Run(() => WriteItems(result.Results, token, findings: previous is null), CancellationToken.None);
            var written = itemFiles;
            writers.Add(() =>
            {
                var files = WaitFor(written);
                if (previous is not null)
                {
                    CopyFile(previous.Previous, FindingsJsonl);
                }

                files.Commit(this);
            });
            if (_options.WriteSqlite)
            {
                writers.Add(() => WriteDatabase(WaitFor(written).Database!, result, people, token));
            }
        }

        var tasks = writers.ConvertAll(write => Task.Run(
            () =>
            {
                try
                {
                    write();
                }
                catch
                {
                    // One writer failed: the others stop too, and the first failure is the one reported.
                    failed.Cancel();
                    throw;
                }
            },
            CancellationToken.None));
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException e)
        {
            var first = tasks.Select(t => t.Exception?.InnerException).FirstOrDefault(x => x is not null and not OperationCanceledException)
                ?? e.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
        finally
        {
            // What was not committed (a writer failed) is removed.
            if (itemFiles is { IsCompletedSuccessfully: true })
            {
                itemFiles.Result.Dispose();
            }
        }

        // Last: its presence says every other file is complete.
        WriteFile(SummaryJson, stream =>
        {
            using var w = new Utf8JsonWriter(stream, IndexJson.DocumentOptions);
            IndexJson.WriteSummary(w, result.Summary, _options);
            w.Flush();
            stream.WriteByte((byte)'\n');
        });

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// One pass over the items (they stream from the journal): findings.jsonl (unless <paramref name="findings"/> is
    /// false), files.jsonl and, when index.db is written, its item tables, written side by side under temporary names,
    /// to be completed and committed by the caller.
    /// </summary>
    private ItemFiles WriteItems(IItemResultReader items, CancellationToken cancellationToken, bool findings = true)
    {
        var written = new ItemFiles(findings ? new StagedFile(_directory, FindingsJsonl) : null, new StagedFile(_directory, FilesJsonl), _options.WriteSqlite ? new ItemDatabase(_directory, _masker) : null);
        try
        {
            using var findingLine = written.Findings is null ? null : new JsonLineWriter(written.Findings.Stream);
            using var fileLine = new JsonLineWriter(written.Files.Stream);
            var ordered = new List<Finding>();
            foreach (var item in items.Read(cancellationToken))
            {
                ordered.Clear();
                ordered.AddRange(InDocumentOrder(item.Findings));
                if (findingLine is not null)
                {
                    foreach (var finding in ordered)
                    {
                        IndexJson.WriteFinding(findingLine.Begin(), item.File.Path, finding, _masker);
                        findingLine.End();
                    }
                }

                IndexJson.WriteFile(fileLine.Begin(), item.File);
                fileLine.End();
                written.Database?.Sqlite.Add(item, ordered);
            }

            return written;
        }
        catch
        {
            written.Dispose();
            throw;
        }
    }

    private static ItemFiles WaitFor(Task<ItemFiles> task) => task.GetAwaiter().GetResult();

    /// <summary>index.db, its items in: the people and staff, then committed.</summary>
    private void WriteDatabase(ItemDatabase database, ScanResult result, IReadOnlyList<Individual> people, CancellationToken cancellationToken)
    {
        database.Sqlite.AddPeople(people, result.Staff, cancellationToken);
        database.Sqlite.Complete();
        Commit(database.File);
    }

    /// <summary>
    /// Whether the complete index in <paramref name="folder"/> was written as this sink writes: its summary is there
    /// (the index is complete), says its values are masked exactly when this sink masks them, and every file this sink
    /// would copy from it is there.
    /// </summary>
    private bool WrittenAlike(string folder)
    {
        var summary = Path.Combine(folder, SummaryJson);
        if (!File.Exists(summary) || !((string[])[IndividualsJsonl, StaffJsonl, IndividualsCsv, FindingsJsonl]).All(n => File.Exists(Path.Combine(folder, n))))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(summary));
            return doc.RootElement.TryGetProperty("provenance", out var provenance)
                && provenance.TryGetProperty("masked", out var masked)
                && masked.ValueKind is JsonValueKind.True or JsonValueKind.False
                && masked.GetBoolean() == !_options.Reveal;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Copies an output file of a previous index into this one (staged owner-only, then renamed).</summary>
    private void CopyFile(string folder, string name)
    {
        using var file = new StagedFile(_directory, name);
        using (var source = new FileStream(Path.Combine(folder, name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            source.CopyTo(file.Stream, 1 << 20);
        }

        Commit(file);
    }

    /// <summary>
    /// The item files of an unchanged rescan whose previous scan's items had other change values (it was a full scan,
    /// or a rescan with changes): findings.jsonl is copied, files.jsonl written from the file records alone, and
    /// index.db copied with every file's change set to <c>unchanged</c> (as every item of this scan is). The previous
    /// folder has an index.db when this sink writes one.
    /// </summary>
    private void WriteUnchangedItems(ScanResult result, string previous, CancellationToken cancellationToken)
    {
        CopyFile(previous, FindingsJsonl);
        using (var files = new StagedFile(_directory, FilesJsonl))
        {
            using (var fileLine = new JsonLineWriter(files.Stream))
            {
                var records = result.Results is ScanJournal journal
                    ? journal.ReadFiles(cancellationToken)
                    : result.Results.Read(cancellationToken).Select(i => i.File);
                foreach (var file in records)
                {
                    IndexJson.WriteFile(fileLine.Begin(), file);
                    fileLine.End();
                }
            }

            Commit(files);
        }

        if (_options.WriteSqlite)
        {
            using var database = new StagedFile(_directory, IndexDb);
            using (var source = new FileStream(Path.Combine(previous, IndexDb), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            {
                source.CopyTo(database.Stream, 1 << 20);
            }

            // Closed first: SQLite opens the copy by its name (as it opens a new index, WriteItems).
            database.Stream.Dispose();
            IndexSqlite.MarkEveryFile(database.TempPath, FileChange.Unchanged);
            Commit(database);
        }
    }

    /// <summary>
    /// The individuals by id: a resolution's list as it is (sorted when built, and streamed from disk for a big
    /// scan: copying it would hold every person), any other list sorted when it is not in order already.
    /// </summary>
    internal static IReadOnlyList<Individual> InIdOrder(IReadOnlyList<Individual> people)
    {
        if (people is SpilledIndividuals)
        {
            return people;
        }

        for (var i = 1; i < people.Count; i++)
        {
            if (string.CompareOrdinal(people[i - 1].Id, people[i].Id) > 0)
            {
                return [.. people.OrderBy(p => p.Id, StringComparer.Ordinal)];
            }
        }

        return people;
    }

    /// <summary>Findings in document order: segment, position, then arrival (stable).</summary>
    internal static IEnumerable<Finding> InDocumentOrder(IReadOnlyList<Finding> findings) =>
        findings
            .Select((f, i) => (f, i))
            .OrderBy(x => x.f.SegmentIndex)
            .ThenBy(x => x.f.Start)
            .ThenBy(x => x.i)
            .Select(x => x.f);

    private void WriteLines<T>(string name, IEnumerable<T> values, Action<Utf8JsonWriter, T> write, CancellationToken cancellationToken)
    {
        WriteFile(name, stream =>
        {
            using var line = new JsonLineWriter(stream);
            var n = 0;
            foreach (var value in values)
            {
                if ((++n & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                write(line.Begin(), value);
                line.End();
            }
        });
    }

    private void WriteFile(string name, Action<Stream> write)
    {
        using var file = new StagedFile(_directory, name);
        write(file.Stream);
        Commit(file);
    }

    private void Commit(StagedFile file)
    {
        file.Commit();
        _options.FileWritten?.Invoke(file.Name);
    }

    /// <summary>
    /// findings.jsonl (when written), files.jsonl and index.db with its items (when written), staged; removed unless
    /// committed. <see cref="Commit"/> commits the two JSONL files; the database is completed and committed apart.
    /// </summary>
    private sealed record ItemFiles(StagedFile? Findings, StagedFile Files, ItemDatabase? Database) : IDisposable
    {
        public void Commit(OutputDirectorySink sink)
        {
            if (Findings is not null)
            {
                sink.Commit(Findings);
            }

            sink.Commit(Files);
        }

        public void Dispose()
        {
            Findings?.Dispose();
            Files.Dispose();
            Database?.Dispose();
        }
    }

    /// <summary>index.db staged under a temporary name and open for its rows.</summary>
    private sealed class ItemDatabase : IDisposable
    {
        public ItemDatabase(string directory, Masker masker)
        {
            File = new StagedFile(directory, IndexDb);

            // An empty owner-only file: SQLite opens it as a new database and creates nothing with the umask mode.
            File.Stream.Dispose();
            try
            {
                Sqlite = new IndexSqlite(File.TempPath, masker);
            }
            catch
            {
                File.Dispose();
                throw;
            }
        }

        public StagedFile File { get; }

        public IndexSqlite Sqlite { get; }

        public void Dispose()
        {
            Sqlite.Dispose();
            File.Dispose();
        }
    }

    /// <summary>JSON Lines on a stream: one compact object per <see cref="Begin"/> … <see cref="End"/>, ended by <c>\n</c>.</summary>
    private sealed class JsonLineWriter(Stream stream) : IDisposable
    {
        private readonly Utf8JsonWriter _writer = new(stream, IndexJson.LineOptions);

        public Utf8JsonWriter Begin()
        {
            _writer.Reset(stream);
            return _writer;
        }

        public void End()
        {
            _writer.Flush();
            stream.WriteByte((byte)'\n');
        }

        public void Dispose() => _writer.Dispose();
    }
}
