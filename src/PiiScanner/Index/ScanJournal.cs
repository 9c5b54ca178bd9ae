using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using PiiScanner.Resolution;
using PiiScanner.Sources;

namespace PiiScanner.Index;

/// <summary>
/// The durable journal of a scan: <c>journal.db</c> in the output folder, a SQLite database in WAL mode that
/// receives each top-level item's results (the item's and its container members') in one transaction as soon as
/// the item is read. A killed process loses at most the items being read; a torn last write is detected by
/// SQLite's WAL checksums and rolled back. Opened with <see cref="Scanner.OpenJournal"/>.
/// </summary>
/// <remarks>
/// <para><b>Sensitive.</b> The journal holds every finding with its full, unmasked value — resolution joins on
/// them and <c>--reveal</c> writes them — so it is as sensitive as a revealed index: created owner-only (0600; its
/// WAL and shared-memory files inherit that mode) in the owner-only output folder. It is kept after the scan for
/// <c>--since</c>; delete it when no rescan will follow.</para>
/// <para><b>Resume.</b> The journal records the scan's fingerprint (tool version, roots, rules, limits, hashing,
/// the <c>--since</c> folder). Opened again with the same fingerprint before the scan completed, it resumes: items
/// journaled with the same size, modification time and inode are not read again; items changed since are read
/// again; items that vanished are dropped at <see cref="Finish"/>.</para>
/// <para><b>Format.</b> Rows are <see cref="JournalCodec"/>'s binary encoding (journal schema 2). A journal of another
/// schema (the JSON rows of earlier builds) is neither resumed nor carried over: opening it says so, and
/// <c>--force</c> starts the scan over.</para>
/// <para><b>Incremental.</b> With <see cref="JournalOptions.Since"/>, the previous scan's journal is attached
/// read-only and an item whose size, modification time and inode are unchanged (and, with
/// <see cref="JournalOptions.VerifyHash"/>, whose SHA-256 is unchanged) has its results copied over unread.</para>
/// <para>Thread-safe: writes are serialized on one connection; each <see cref="Read"/> opens its own read-only
/// connection.</para>
/// </remarks>
public sealed class ScanJournal : IScanJournal, IDisposable
{
    /// <summary>The journal's file name in the output folder.</summary>
    public const string FileName = "journal.db";

    // 2: rows in JournalCodec's binary format (1 was UTF-8 JSON). A journal of another schema is refused, not read.
    private const string SchemaVersion = "2";
    private const string Running = "running", Complete = "complete";
    private const string Collation = "ordinal";

    // Reused items (resumed or carried over) are committed in batches: losing a batch in a crash only means
    // reusing those items again. Items that were read are committed one by one.
    private const int ReuseBatch = 256;

    /// <summary>Longest an open transaction of items read here waits for more before it is committed.</summary>
    private static readonly TimeSpan ReadBatchTime = TimeSpan.FromMilliseconds(250);

    // Rows decoded ahead of the reader of Read: enough to keep every core decoding while it consumes.
    private static readonly int DecodeAhead = Math.Max(4, Environment.ProcessorCount * 4);

    private const string Schema = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE units (key TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, file_id INTEGER, sha256 TEXT, bytes INTEGER NOT NULL, change TEXT, run INTEGER NOT NULL);
        CREATE TABLE results (seq INTEGER PRIMARY KEY, unit TEXT NOT NULL, path TEXT NOT NULL COLLATE ordinal, inode TEXT COLLATE ordinal, change TEXT, data BLOB NOT NULL);
        CREATE INDEX results_order ON results(path, inode);
        CREATE INDEX results_unit ON results(unit);
        """;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly long _run;
    private readonly bool _hasPrevious;
    private readonly string? _since;
    private readonly bool _verifyHash;
    private readonly IReadOnlyDictionary<string, string> _previousOutputKeys;
    private SqliteTransaction? _tx;
    private int _batched;
    private readonly int _commitEvery;
    private readonly System.Diagnostics.Stopwatch _transactionAge = new();
    private int _carried;
    private bool _unchangedSincePrevious;

    // Meta keys under which the sinks record what their outputs were made from (RecordOutputKey).
    private const string OutputKeyPrefix = "output.";

    private ScanJournal(SqliteConnection connection, string path, long run, string? since, bool verifyHash, bool resumed, IReadOnlyDictionary<string, string> previousOutputKeys, int commitEvery)
    {
        _previousOutputKeys = previousOutputKeys;
        _connection = connection;
        _commitEvery = commitEvery;
        _path = path;
        _run = run;
        _since = since;
        _hasPrevious = since is not null;
        _verifyHash = verifyHash;
        Resumed = resumed;
    }

    /// <summary>True when this journal continues an unfinished scan (some items may be reused).</summary>
    public bool Resumed { get; }

    /// <summary>The folder the journal is in (the output folder): resolution spills its temporary files there.</summary>
    internal string Folder => Path.GetDirectoryName(_path)!;

    /// <summary>Opens or creates the journal of a scan with the given fingerprint in <paramref name="directory"/>.</summary>
    /// <exception cref="ScanJournalException">The folder holds something this scan must not resume or overwrite.</exception>
    internal static ScanJournal Open(string directory, string fingerprint, JournalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CommitEvery, 1, nameof(options));
        if (options.Resume && options.Restart)
        {
            throw new ScanJournalException("--resume and --force cannot be used together");
        }

        directory = Path.GetFullPath(directory);
        var since = options.Since is null ? null : Path.GetFullPath(options.Since);
        if (since is not null && Path.TrimEndingDirectorySeparator(since) == Path.TrimEndingDirectorySeparator(directory))
        {
            throw new ScanJournalException($"--since {options.Since} must be another folder than --out");
        }

        var path = Path.Combine(directory, FileName);
        var sinceText = since ?? string.Empty;
        var verifyText = options.VerifyHash ? "1" : "0";
        var resumed = false;
        var previousOutputKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.Restart)
        {
            DeleteDatabase(path);
        }
        else if (File.Exists(path))
        {
            var meta = ReadMeta(path);
            if (meta is not null && meta.GetValueOrDefault("schema") != SchemaVersion)
            {
                throw new ScanJournalException($"--out {directory} holds a scan journaled by another piiscan build (journal schema {meta.GetValueOrDefault("schema")}, this build reads {SchemaVersion}); it cannot be resumed: pass --force to start over");
            }

            if (meta is null || meta.GetValueOrDefault("fingerprint") != fingerprint || meta.GetValueOrDefault("since") != sinceText || meta.GetValueOrDefault("verify") != verifyText)
            {
                throw new ScanJournalException($"--out {directory} holds a scan of other roots or options; pass --force to start over, or choose another folder");
            }

            if (meta.GetValueOrDefault("state") == Complete)
            {
                throw new ScanJournalException($"--out {directory} holds a finished scan; pass --force to scan again, or --since {directory} with a new --out to rescan only what changed");
            }

            resumed = true;
        }
        else if (options.Resume)
        {
            throw new ScanJournalException($"--out {directory} holds no scan to resume");
        }
        else if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new ScanJournalException($"--out {directory} is not empty and holds no scan; pass --force to write into it, or choose an empty folder");
        }

        if (since is not null)
        {
            var previous = Path.Combine(since, FileName);
            var meta = File.Exists(previous) ? ReadMeta(previous) : null;
            if (meta is not null && meta.GetValueOrDefault("schema") != SchemaVersion)
            {
                throw new ScanJournalException($"--since {options.Since} was journaled by another piiscan build (journal schema {meta.GetValueOrDefault("schema")}, this build reads {SchemaVersion}); it cannot be carried over: scan without --since");
            }

            if (meta is null || meta.GetValueOrDefault("state") != Complete)
            {
                throw new ScanJournalException($"--since {options.Since} holds no finished scan");
            }

            if (meta.GetValueOrDefault("fingerprint") != fingerprint)
            {
                throw new ScanJournalException($"--since {options.Since} is a scan of other roots or options (or another piiscan version); it cannot be carried over");
            }

            foreach (var (key, value) in meta.Where(m => m.Key.StartsWith(OutputKeyPrefix, StringComparison.Ordinal)))
            {
                previousOutputKeys[key[OutputKeyPrefix.Length..]] = value;
            }
        }

        OwnerOnlyFile.EnsureDirectory(directory);
        if (!resumed)
        {
            // An empty owner-only file first: SQLite then creates nothing with the default (umask) mode.
            OwnerOnlyFile.CreateNew(path).Dispose();
        }

        var connection = Connect(path, SqliteOpenMode.ReadWrite);
        try
        {
            Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            long run;
            if (resumed)
            {
                using var command = Command(connection, null, "SELECT value FROM meta WHERE key='run'", []);
                run = long.Parse(command.ExecuteScalar() as string ?? "0", CultureInfo.InvariantCulture) + 1;
            }
            else
            {
                Exec(connection, Schema);
                run = 1;
                foreach (var (key, value) in new[] { ("schema", SchemaVersion), ("fingerprint", fingerprint), ("since", sinceText), ("verify", verifyText), ("state", Running) })
                {
                    SetMeta(connection, key, value);
                }
            }

            SetMeta(connection, "run", run.ToString(CultureInfo.InvariantCulture));
            if (since is not null)
            {
                using var attach = connection.CreateCommand();
                attach.CommandText = "ATTACH DATABASE $path AS prev";
                attach.Parameters.AddWithValue("$path", new SqliteConnectionStringBuilder { DataSource = Path.Combine(since, FileName), Mode = SqliteOpenMode.ReadOnly }.DataSource);
                attach.ExecuteNonQuery();
                Exec(connection, "CREATE TEMP TABLE carried (key TEXT PRIMARY KEY)");
            }

            return new ScanJournal(connection, path, run, since, options.VerifyHash, resumed, previousOutputKeys, options.CommitEvery);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryReuseAsync(ScanItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return await ReuseAsync(item, item.Open is null ? null : ct => HashAsync(item, ct), cancellationToken).ConfigureAwait(false) == true;
    }

    /// <summary>
    /// <see cref="TryReuseAsync(ScanItem, CancellationToken)"/> for an item read elsewhere (by a cluster's worker):
    /// <paramref name="sha256"/> is its SHA-256 as the reader hashed it (<see cref="HashAsync"/>), or null. With
    /// <see cref="JournalOptions.VerifyHash"/>, an item that looks unchanged is answered null while the hash is not
    /// given: hash it and ask again.
    /// </summary>
    public ValueTask<bool?> TryReuseAsync(ScanItem item, string? sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return ReuseAsync(item, sha256 is null ? null : _ => Task.FromResult(sha256), cancellationToken);
    }

    /// <summary>True: carried over; false: read it; null: it looks unchanged, the hash is to be verified and <paramref name="hash"/> is not given.</summary>
    private async ValueTask<bool?> ReuseAsync(ScanItem item, Func<CancellationToken, Task<string>>? hash, CancellationToken cancellationToken)
    {
        var key = Key(item);
        string? previousHash;
        lock (_lock)
        {
            // Only a resumed scan's journal holds items before this run met them.
            var current = Resumed ? Identity("units", key) : null;
            if (current is not null)
            {
                if (current.Matches(item, requireKnown: false))
                {
                    Exec("UPDATE units SET run=$run WHERE key=$key", ("$run", _run), ("$key", key));
                    Batched();
                    return true;
                }

                // Changed since the interrupted run journaled it: read it again.
                Exec("DELETE FROM results WHERE unit=$key", ("$key", key));
                Exec("DELETE FROM units WHERE key=$key", ("$key", key));
            }

            if (!_hasPrevious || Identity("prev.units", key) is not { } previous || !previous.Matches(item, requireKnown: true))
            {
                return false;
            }

            previousHash = previous.Sha256;
        }

        if (_verifyHash && hash is null && previousHash is not null)
        {
            return null;
        }

        if (_verifyHash && (previousHash is null || await hash!(cancellationToken).ConfigureAwait(false) != previousHash))
        {
            return false;
        }

        lock (_lock)
        {
            // Copied with the batch (CopyCarried), in one statement per table rather than per item.
            Exec("INSERT OR IGNORE INTO temp.carried VALUES ($key)", ("$key", key));
            _carried++;
            Batched();
        }

        return true;
    }

    /// <summary>
    /// Copies the rows of the items carried over since the last commit (<c>temp.carried</c>) from the previous journal,
    /// in the open transaction: their results (marked unchanged) and their units, met by this run. An item this
    /// journal holds already is not copied again.
    /// </summary>
    private void CopyCarried()
    {
        if (!_hasPrevious || _carried == 0)
        {
            return;
        }

        Exec(
            "INSERT INTO results(unit, path, inode, change, data) SELECT unit, path, inode, $change, data FROM prev.results WHERE unit IN (SELECT key FROM temp.carried) AND unit NOT IN (SELECT key FROM main.units) ORDER BY seq",
            ("$change", FileChange.Unchanged));
        Exec(
            "INSERT OR IGNORE INTO units SELECT key, size, mtime, file_id, sha256, 0, $change, $run FROM prev.units WHERE key IN (SELECT key FROM temp.carried)",
            ("$change", FileChange.Unchanged),
            ("$run", _run));
        Exec("DELETE FROM temp.carried");
        _carried = 0;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Items read here are committed in groups (<see cref="JournalOptions.CommitEvery"/> items or <see cref="ReadBatchTime"/>, whichever
    /// comes first, and always by <see cref="Finish"/>): one transaction per item cost a dozen page writes and a lock
    /// round per file, the largest per-file cost on a share of small files. A kill loses at most that group, whose
    /// items a resumed scan reads again.
    /// </remarks>
    public void Append(ScanItem item, IReadOnlyList<ItemResult> results, long bytesRead) => Append([FinishedItem.Create(item, results, bytesRead)], commitNow: false);

    /// <summary>
    /// Durably records one top-level item read elsewhere (a silo of a cluster scan), all or nothing, as met by this
    /// run. Idempotent by the item's key: results journaled for the same item before are replaced, so an item
    /// delivered twice (a work unit run again after its silo died) is counted once.
    /// </summary>
    public void Append(FinishedItem item) => Append([item]);

    /// <summary>
    /// Durably records top-level items read elsewhere in one transaction (a batch a silo delivered), all or
    /// nothing; each as <see cref="Append(FinishedItem)"/>.
    /// </summary>
    public void Append(IReadOnlyList<FinishedItem> items) => Append(items, commitNow: true);

    private void Append(IReadOnlyList<FinishedItem> items, bool commitNow)
    {
        ArgumentNullException.ThrowIfNull(items);
        lock (_lock)
        {
            try
            {
                foreach (var item in items)
                {
                    Insert(item);
                }
            }
            catch
            {
                // Nothing of a failed batch stays (nor the reuse batched before it: those items are reused again).
                _tx?.Rollback();
                _tx?.Dispose();
                _tx = null;
                _batched = 0;
                _carried = 0;
                throw;
            }

            // Items delivered from elsewhere are committed at once (a silo's unit is acknowledged after this), with
            // anything batched before them; items read here once their group is full or old enough.
            if (commitNow || _batched + items.Count >= _commitEvery || _transactionAge.Elapsed >= ReadBatchTime)
            {
                Commit();
            }
            else
            {
                _batched += items.Count;
            }
        }
    }

    /// <summary>
    /// Counts every item journaled by an earlier run of this scan as met by this one, so <see cref="Finish"/> keeps
    /// it: for a resumed scan whose items are not walked again here (a cluster scan whose coordinator still holds
    /// the work units those items came from as done).
    /// </summary>
    public void KeepJournaledItems()
    {
        lock (_lock)
        {
            Exec("UPDATE units SET run=$run", ("$run", _run));
            Commit();
        }
    }

    /// <inheritdoc />
    public JournalTotals Finish()
    {
        lock (_lock)
        {
            Exec("DELETE FROM results WHERE unit IN (SELECT key FROM units WHERE run<>$run)", ("$run", _run));
            Exec("DELETE FROM units WHERE run<>$run", ("$run", _run));
            Commit();

            var bytes = Scalar("SELECT COALESCE(SUM(bytes), 0) FROM units") is long b ? b : 0;
            ScanChanges? changes = null;
            if (_hasPrevious)
            {
                long Count(string change) => (long)Scalar("SELECT COUNT(*) FROM units WHERE change=$change", ("$change", change))!;
                changes = new ScanChanges
                {
                    Previous = _since!,
                    New = Count(FileChange.New),
                    Changed = Count(FileChange.Changed),
                    Unchanged = Count(FileChange.Unchanged),
                    Gone = (long)Scalar("SELECT COUNT(*) FROM prev.units WHERE key NOT IN (SELECT key FROM main.units)")!,
                };
                _unchangedSincePrevious = changes is { New: 0, Changed: 0, Gone: 0 };
            }

            Commit();
            return new JournalTotals(bytes, changes);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Rows are decoded on the thread pool, in order, while the caller consumes the ones before — at most
    /// <see cref="DecodeAhead"/> of them at once: a reader that decodes faster than its caller consumes must not
    /// hold thousands of decoded items (an ordered PLINQ query buffers that many per worker).
    /// </remarks>
    public IEnumerable<ItemResult> Read(CancellationToken cancellationToken)
    {
        var ahead = new Queue<Task<ItemResult>>(DecodeAhead);
        try
        {
            foreach (var row in Rows(cancellationToken))
            {
                if (ahead.Count == DecodeAhead)
                {
                    yield return ahead.Dequeue().GetAwaiter().GetResult();
                }

                var (data, change) = row;
                ahead.Enqueue(Task.Run(
                    () =>
                    {
                        var item = JournalCodec.Decode(data);
                        return change is null ? item : item with { File = item.File with { Change = change } };
                    },
                    cancellationToken));
            }

            while (ahead.Count > 0)
            {
                yield return ahead.Dequeue().GetAwaiter().GetResult();
            }
        }
        finally
        {
            // Abandoned early (or failed): let the decodes in flight finish before the caller moves on.
            foreach (var task in ahead)
            {
                try
                {
                    task.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                }
            }
        }
    }

    /// <summary>The file records of <see cref="Read"/>, in its order, without decoding findings and records.</summary>
    internal IEnumerable<FileRecord> ReadFiles(CancellationToken cancellationToken) =>
        Rows(cancellationToken).Select(row =>
        {
            var file = JournalCodec.DecodeFile(row.Data);
            return row.Change is null ? file : file with { Change = row.Change };
        });

    private IEnumerable<(byte[] Data, string? Change)> Rows(CancellationToken cancellationToken)
    {
        using var connection = Connect(_path, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT data, change FROM results ORDER BY path, inode, seq";
        using var reader = command.ExecuteReader();
        var n = 0;
        while (reader.Read())
        {
            if ((++n & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            yield return ((byte[])reader.GetValue(0), reader.IsDBNull(1) ? null : reader.GetString(1));
        }
    }

    /// <summary>
    /// Keeps the scan's resolution (its individuals, staff and item counts) beside its items, so that a rescan of it
    /// whose every item is unchanged can carry the resolution over (<see cref="CarriedOverResolution"/>) instead of
    /// resolving the same items again. Individuals not in a <see cref="SpilledIndividuals"/> are not kept.
    /// </summary>
    internal void SaveResolution(IReadOnlyList<Individual> individuals, IReadOnlyList<StaffMember> staff, byte[] counts)
    {
        if (individuals is not SpilledIndividuals && individuals.Count > 0)
        {
            return;
        }

        lock (_lock)
        {
            Exec("CREATE TABLE IF NOT EXISTS resolved (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, data BLOB NOT NULL)");
            Exec("DELETE FROM resolved");
            var spilled = individuals as SpilledIndividuals;
            var offsets = spilled?.Offsets ?? [];
            var offsetBytes = new byte[offsets.Count * sizeof(long)];
            for (var i = 0; i < offsets.Count; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(offsetBytes.AsSpan(i * sizeof(long)), offsets[i]);
            }

            using var insert = Command("INSERT INTO resolved(kind, data) VALUES ($kind, $data)", []);
            var kind = insert.Parameters.Add("$kind", SqliteType.Text);
            var data = insert.Parameters.Add("$data", SqliteType.Blob);
            foreach (var (k, bytes) in new[] { ("counts", counts), ("staff", IndividualCodec.EncodeStaff(staff)), ("offsets", offsetBytes) }
                .Concat((spilled?.Chunks() ?? []).Select(c => ("people", c))))
            {
                kind.Value = k;
                data.Value = bytes;
                insert.ExecuteNonQuery();
            }

            Commit();
        }
    }

    /// <summary>
    /// The previous scan's resolution (<see cref="SaveResolution"/>) when this is a rescan (<c>--since</c>) in which
    /// every item was carried over unchanged and nothing is new or gone: the same items resolve to the same index.
    /// Null otherwise. Call after <see cref="Finish"/>. The individuals are copied into <paramref name="spillDirectory"/>.
    /// <see cref="CarriedIndex.Previous"/> is the previous scan's folder (whose outputs are this scan's but for the items'
    /// change values); <see cref="CarriedIndex.SameChanges"/> says the previous scan's items were all unchanged too
    /// (it was itself an unchanged rescan), so their change values are this scan's as well.
    /// </summary>
    internal CarriedIndex? CarriedOverResolution(string spillDirectory)
    {
        lock (_lock)
        {
            if (!_unchangedSincePrevious || Scalar("SELECT 1 FROM prev.sqlite_master WHERE type='table' AND name='resolved'") is null)
            {
                return null;
            }

            byte[]? counts = null, staff = null, offsets = null;
            using (var command = Command("SELECT kind, data FROM prev.resolved WHERE kind<>'people'", []))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var data = (byte[])reader.GetValue(1);
                    switch (reader.GetString(0))
                    {
                        case "counts":
                            counts = data;
                            break;
                        case "staff":
                            staff = data;
                            break;
                        case "offsets":
                            offsets = data;
                            break;
                    }
                }
            }

            if (counts is null || staff is null || offsets is null)
            {
                return null;
            }

            var starts = new long[offsets.Length / sizeof(long)];
            for (var i = 0; i < starts.Length; i++)
            {
                starts[i] = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(offsets.AsSpan(i * sizeof(long)));
            }

            var sameChanges = Scalar("SELECT 1 FROM prev.results WHERE change IS NOT $change LIMIT 1", ("$change", FileChange.Unchanged)) is null;
            IReadOnlyList<Individual> people = starts.Length == 0 ? [] : SpilledIndividuals.FromChunks(spillDirectory, PeopleChunks(), starts);
            return new CarriedIndex(new ResolvedIndex(people, IndividualCodec.ReadStaff(staff)), counts, _since!, sameChanges) { OutputKeys = _previousOutputKeys };
        }
    }

    // The previous scan's encoded individuals, a chunk at a time.
    private IEnumerable<byte[]> PeopleChunks()
    {
        using var command = Command("SELECT data FROM prev.resolved WHERE kind='people' ORDER BY seq", []);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (byte[])reader.GetValue(0);
        }
    }

    /// <summary>
    /// Records what <paramref name="sink"/>'s outputs of this scan were made from (a hash of its options and data
    /// files): an unchanged rescan of this scan whose sink has the same key may copy those outputs
    /// (<see cref="CarriedIndex.OutputKeys"/>). Call before <see cref="MarkComplete"/>.
    /// </summary>
    internal void RecordOutputKey(string sink, string key)
    {
        lock (_lock)
        {
            Exec("INSERT OR REPLACE INTO meta VALUES ($key, $value)", ("$key", OutputKeyPrefix + sink), ("$value", key));
            Commit();
        }
    }

    /// <inheritdoc />
    public void MarkComplete()
    {
        lock (_lock)
        {
            Exec("INSERT OR REPLACE INTO meta VALUES ('state', $value)", ("$value", Complete));
            Commit();
            Exec(_connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /// <summary>
    /// Closes the journal and deletes it: for a new scan that failed before it began (a root that does not exist),
    /// so the folder is not left holding an unfinished scan nobody meant to start.
    /// </summary>
    public void Discard()
    {
        Dispose();
        DeleteDatabase(_path);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            // What was batched and not committed is lost, as in a crash: those items are read again on resume.
            _tx?.Dispose();
            _tx = null;
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _commands.Clear();
            _connection.Dispose();
        }
    }

    /// <summary>Writes one item's rows in the open transaction, replacing any journaled for its key.</summary>
    private void Insert(FinishedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var key = item.Key;
        string? change = null;
        if (_hasPrevious)
        {
            change = Scalar("SELECT 1 FROM prev.units WHERE key=$key", ("$key", key)) is null ? FileChange.New : FileChange.Changed;
        }

        Exec("DELETE FROM results WHERE unit=$key", ("$key", key));
        var insert = Cached("INSERT INTO results(unit, path, inode, change, data) VALUES ($unit, $path, $inode, $change, $data)", []);
        var unit = insert.Parameters.Add("$unit", SqliteType.Text);
        var path = insert.Parameters.Add("$path", SqliteType.Text);
        var inode = insert.Parameters.Add("$inode", SqliteType.Text);
        insert.Parameters.AddWithValue("$change", (object?)change ?? DBNull.Value);
        var data = insert.Parameters.Add("$data", SqliteType.Blob);
        unit.Value = key;
        foreach (var row in item.Results)
        {
            path.Value = row.Path;
            inode.Value = (object?)row.Inode ?? DBNull.Value;
            data.Value = row.Data;
            insert.ExecuteNonQuery();
        }

        Exec(
            "INSERT OR REPLACE INTO units VALUES ($key, $size, $mtime, $fileId, $sha, $bytes, $change, $run)",
            ("$key", key),
            ("$size", item.Length),
            ("$mtime", item.ModifiedUtcTicks),
            ("$fileId", item.FileId),
            ("$sha", item.Sha256),
            ("$bytes", item.BytesRead),
            ("$change", change),
            ("$run", _run));
    }

    /// <summary>Counts a reused item in the open transaction; commits every <see cref="ReuseBatch"/> of them.</summary>
    private void Batched()
    {
        if (++_batched >= ReuseBatch)
        {
            Commit();
        }
    }

    private void Commit()
    {
        CopyCarried();
        _tx?.Commit();
        _tx?.Dispose();
        _tx = null;
        _batched = 0;
    }

    private void Exec(string sql, params (string Name, object? Value)[] parameters) => Cached(sql, parameters).ExecuteNonQuery();

    private object? Scalar(string sql, params (string Name, object? Value)[] parameters) => Cached(sql, parameters).ExecuteScalar();

    /// <summary>
    /// A statement of the journal in the open transaction (begun when none is), prepared once and reused: every item
    /// runs a few (reusing one in a rescan is four), so preparing them again per item would cost more than running
    /// them. Not to be disposed by the caller.
    /// </summary>
    private SqliteCommand Cached(string sql, (string Name, object? Value)[] parameters)
    {
        BeginIfNone();
        if (!_commands.TryGetValue(sql, out var command))
        {
            _commands[sql] = command = _connection.CreateCommand();
            command.CommandText = sql;
        }

        command.Transaction = _tx;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>A command in the open transaction (begun when none is): statements of the journal run batched.</summary>
    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        BeginIfNone();
        return Command(_connection, _tx, sql, parameters);
    }

    private void BeginIfNone()
    {
        if (_tx is null)
        {
            _tx = _connection.BeginTransaction();
            _transactionAge.Restart();
        }
    }

    private UnitIdentity? Identity(string table, string key)
    {
        var command = Cached($"SELECT size, mtime, file_id, sha256 FROM {table} WHERE key=$key", [("$key", key)]);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new UnitIdentity(
            reader.IsDBNull(0) ? null : reader.GetInt64(0),
            reader.IsDBNull(1) ? null : reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetInt64(2),
            reader.IsDBNull(3) ? null : reader.GetString(3));
    }

    /// <summary>The unit key of a top-level item: its path and, for items of a disk image, its file-system address.</summary>
    private static string Key(ScanItem item) => FinishedItem.KeyOf(item.Path, item.Origin?.Inode);

    /// <summary>The SHA-256 a rescan with <see cref="JournalOptions.VerifyHash"/> compares: of the item's content, lowercase hex; empty when it cannot be read now.</summary>
    public static async Task<string> HashAsync(ScanItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            var stream = item.Open!(cancellationToken);
            await using (stream.ConfigureAwait(false))
            {
                return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable now: read it again, and let the pipeline record why.
            return string.Empty;
        }
    }

    private static Dictionary<string, string>? ReadMeta(string path)
    {
        try
        {
            using var connection = Connect(path, SqliteOpenMode.ReadOnly);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT key, value FROM meta";
            using var reader = command.ExecuteReader();
            var meta = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                meta[reader.GetString(0)] = reader.GetString(1);
            }

            return meta.ContainsKey("schema") ? meta : null;
        }
        catch (SqliteException)
        {
            // Not a journal (or a damaged one): the caller says the folder holds no resumable scan.
            return null;
        }
    }

    private static void DeleteDatabase(string path)
    {
        foreach (var suffix in (string[])["-wal", "-shm", string.Empty])
        {
            File.Delete(path + suffix);
        }
    }

    private static SqliteConnection Connect(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.CreateCollation(Collation, string.CompareOrdinal);
        connection.Open();
        // Sorts and temporary tables stay in memory: never a temporary file of findings outside the folder.
        Exec(connection, "PRAGMA temp_store=MEMORY;");
        return connection;
    }

    private static void SetMeta(SqliteConnection connection, string key, string value)
        => Exec(connection, "INSERT OR REPLACE INTO meta VALUES ($key, $value)", ("$key", key), ("$value", value));

    private static void Exec(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, null, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Size, modification time (UTC ticks) and inode of a journaled unit, and its SHA-256.</summary>
    private sealed record UnitIdentity(long? Size, long? Modified, long? FileId, string? Sha256)
    {
        /// <summary>
        /// Whether the item looks unchanged. <paramref name="requireKnown"/>: all three must be known (a rescan
        /// trusts only a full match); otherwise unknown on both sides matches (a disk image's files, which do not change).
        /// </summary>
        public bool Matches(ScanItem item, bool requireKnown)
        {
            if (requireKnown && (Size is null || Modified is null || FileId is null))
            {
                return false;
            }

            return Size == item.Length && Modified == item.Modified?.UtcTicks && FileId == item.FileId;
        }
    }
}

/// <summary>A previous scan's resolution carried over by an unchanged rescan (<see cref="ScanJournal.CarriedOverResolution"/>).</summary>
/// <param name="Index">The individuals and staff.</param>
/// <param name="Counts">The summary counts (<see cref="SummaryBuilder.Encode"/>).</param>
/// <param name="Previous">The previous scan's output folder (full path).</param>
/// <param name="SameChanges">The previous scan's items were all unchanged as well, so their change values are the same.</param>
internal sealed record CarriedIndex(ResolvedIndex Index, byte[] Counts, string Previous, bool SameChanges)
{
    /// <summary>What the previous scan's sinks made their outputs from, by sink (<see cref="ScanJournal.RecordOutputKey"/>).</summary>
    public IReadOnlyDictionary<string, string> OutputKeys { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>How <see cref="Scanner.OpenJournal"/> treats an output folder. Immutable.</summary>
public sealed record JournalOptions
{
    /// <summary>Require an unfinished scan to resume (<c>--resume</c>); without it, one is resumed when found.</summary>
    public bool Resume { get; init; }

    /// <summary>Start over (<c>--force</c>): discard any journal and write into the folder even if it is not empty.</summary>
    public bool Restart { get; init; }

    /// <summary>A previous scan's output folder whose unchanged items are carried over (<c>--since</c>).</summary>
    public string? Since { get; init; }

    /// <summary>With <see cref="Since"/>: re-hash items that look unchanged and carry them over only if the hash matches.</summary>
    public bool VerifyHash { get; init; }

    /// <summary>
    /// Most items read by this scan that one journal transaction holds (it is also committed when a quarter of a second
    /// old, and at the end of the walk); at least 1. A killed scan loses at most that group, which a resumed scan reads
    /// again; 1 commits every item on its own, at a dozen page writes per item.
    /// </summary>
    public int CommitEvery { get; init; } = 64;
}

/// <summary>An output folder that a scan must not resume or overwrite; the message is one line meant for the user.</summary>
public sealed class ScanJournalException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScanJournalException()
    {
    }

    /// <summary>Creates the exception with a message meant for the user.</summary>
    public ScanJournalException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ScanJournalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
