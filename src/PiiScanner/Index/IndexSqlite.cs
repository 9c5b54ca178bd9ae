using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using PiiScanner.Detection;
using PiiScanner.Resolution;

namespace PiiScanner.Index;

/// <summary>
/// <c>index.db</c>: the same content as the JSONL files, masked the same way, for analysts to query.
/// Tables: <c>individuals</c> (with the full JSONL object in <c>json</c>), <c>exposed_values</c> (one row per
/// person, element and value), <c>sources</c>, <c>findings</c>, <c>files</c>, <c>staff</c> (prescribers,
/// providers and staff: name, role, sources as JSON). <c>individuals.joined_by</c> holds the <c>joinedBy</c> array.
/// </summary>
internal sealed class IndexSqlite : IDisposable
{
    private const string Schema = """
        CREATE TABLE individuals (id TEXT PRIMARY KEY, name TEXT, name_variants TEXT NOT NULL, elements TEXT NOT NULL, confidence REAL NOT NULL, json TEXT NOT NULL, joined_by TEXT NOT NULL);
        CREATE TABLE staff (name TEXT NOT NULL, role TEXT NOT NULL, sources TEXT NOT NULL);
        CREATE TABLE exposed_values (individual_id TEXT NOT NULL, element TEXT NOT NULL, value TEXT NOT NULL, state TEXT, code TEXT, category TEXT);
        CREATE TABLE sources (individual_id TEXT NOT NULL, path TEXT NOT NULL, locator TEXT NOT NULL, elements TEXT NOT NULL, deleted INTEGER NOT NULL, partition TEXT, inode TEXT);
        CREATE TABLE findings (path TEXT NOT NULL, locator TEXT NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL, confidence REAL NOT NULL, rule TEXT NOT NULL, pattern TEXT, validator TEXT, context TEXT, header TEXT, image_offset INTEGER, owner TEXT, inferred_header INTEGER NOT NULL);
        CREATE TABLE files (path TEXT NOT NULL, size INTEGER, sha256 TEXT, status TEXT NOT NULL, reason TEXT, extractor TEXT, detail TEXT, findings INTEGER NOT NULL, counts TEXT, partition TEXT, inode TEXT, deleted INTEGER NOT NULL, image_offset INTEGER, change TEXT);
        """;

    // Built once the rows are in: one sort per index instead of a B-tree insert per row. The items' first (they are
    // written while the items are resolved), the people's at the end.
    private const string ItemIndexes = """
        CREATE INDEX findings_path ON findings(path);
        CREATE INDEX files_path ON files(path);
        """;

    private const string PeopleIndexes = """
        CREATE INDEX exposed_values_individual ON exposed_values(individual_id);
        CREATE INDEX sources_individual ON sources(individual_id);
        CREATE INDEX sources_path ON sources(path);
        """;

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _tx;
    private readonly RowInsert _findings;
    private readonly RowInsert _files;
    private readonly Masker _masker;

    /// <summary>
    /// Opens <paramref name="path"/>, an existing empty owner-only file, as a new database; the items follow with
    /// <see cref="Add"/>, in order, then <see cref="AddPeople"/>, and <see cref="Complete"/> commits. The order of
    /// the calls is the file's page order, so the same calls make the same file. One caller at a time (any thread).
    /// </summary>
    public IndexSqlite(string path, Masker masker)
    {
        _masker = masker;
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
        _connection = new SqliteConnection(cs);
        _connection.Open();
        // A temporary file renamed into place only when complete: no rollback journal, no syncs, one writer.
        Exec(_connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;");
        _tx = _connection.BeginTransaction();
        Exec(_connection, Schema, _tx);
        _findings = new RowInsert(_connection, "findings", 13);
        _files = new RowInsert(_connection, "files", 14);
    }

    /// <summary>Adds one item's file row and its finding rows (<paramref name="findings"/>: in document order).</summary>
    public void Add(ItemResult item, IReadOnlyList<Finding> findings)
    {
        var file = item.File;
        _files
            .Text(1, file.Path)
            .Integer(2, file.Size)
            .Text(3, file.Sha256)
            .Text(4, WireName.Of(file.Status))
            .Text(5, file.Reason)
            .Text(6, file.Extractor)
            .Text(7, file.Detail)
            .Integer(8, file.Findings)
            .Text(9, file.Counts is null ? null : JsonCounts(file.Counts))
            .Text(10, file.Origin?.Partition)
            .Text(11, file.Origin?.Inode)
            .Integer(12, file.Origin?.Deleted == true ? 1 : 0)
            .Integer(13, file.Origin?.ImageOffset)
            .Text(14, file.Change)
            .Run();

        foreach (var f in findings)
        {
            _findings
                .Text(1, file.Path)
                .Text(2, f.Locator)
                .Text(3, f.Element)
                .Text(4, _masker.Mask(f.Element, f.Value))
                .Real(5, IndexJson.Round(f.Confidence))
                .Text(6, f.Evidence.RuleId)
                .Text(7, f.Evidence.Pattern)
                .Text(8, f.Evidence.Validator)
                .Text(9, f.Evidence.ContextWord)
                .Text(10, f.Evidence.Header)
                .Integer(11, f.ByteOffset)
                .Text(12, f.Owner)
                .Integer(13, f.Evidence.InferredHeader ? 1 : 0)
                .Run();
        }
    }

    /// <summary>Ends the items (builds their indexes), then writes the people and staff.</summary>
    public void AddPeople(IReadOnlyList<Individual> people, IReadOnlyList<StaffMember> staff, CancellationToken cancellationToken)
    {
        _findings.Dispose();
        _files.Dispose();
        Exec(_connection, ItemIndexes, _tx);
        WritePeople(_connection, people, _masker, cancellationToken);
        WriteStaff(_connection, staff, _masker, cancellationToken);
    }

    /// <summary>Builds the people's indexes, commits and closes the database.</summary>
    public void Complete()
    {
        Exec(_connection, PeopleIndexes, _tx);
        _tx.Commit();
        _connection.Close();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _findings.Dispose();
        _files.Dispose();
        _tx.Dispose();
        _connection.Dispose();
    }

    /// <summary>Sets the change of every file of the index at <paramref name="path"/> (a staged copy of another index).</summary>
    public static void MarkEveryFile(string path, string change)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        Exec(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;");
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE files SET change=$change";
        update.Parameters.AddWithValue("$change", change);
        update.ExecuteNonQuery();
    }

    private static void WritePeople(SqliteConnection c, IReadOnlyList<Individual> people, Masker masker, CancellationToken ct)
    {
        using var ind = new RowInsert(c, "individuals", 7);
        using var val = new RowInsert(c, "exposed_values", 6);
        using var src = new RowInsert(c, "sources", 7);
        var buffer = new MemoryStream();
        using var w = new Utf8JsonWriter(buffer, IndexJson.LineOptions);
        foreach (var p in people)
        {
            ct.ThrowIfCancellationRequested();
            buffer.SetLength(0);
            w.Reset(buffer);
            IndexJson.WriteIndividual(w, p, masker);
            w.Flush();
            var json = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            buffer.SetLength(0);
            w.Reset(buffer);
            IndexJson.WriteJoinedBy(w, p.JoinedBy, name: null);
            w.Flush();
            ind
                .Text(1, p.Id)
                .Text(2, p.Name)
                .Text(3, JsonArray(p.NameVariants))
                .Text(4, JsonArray(p.Elements))
                .Real(5, IndexJson.Round(p.Confidence))
                .Text(6, json)
                .Text(7, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length))
                .Run();

            foreach (var element in p.Elements)
            {
                if (!p.Values.TryGetValue(element, out var values))
                {
                    continue;
                }

                foreach (var v in values)
                {
                    val.Text(1, p.Id).Text(2, element).Text(3, masker.Mask(element, v.Value)).Text(4, v.State).Text(5, v.Code).Text(6, v.Category).Run();
                }
            }

            foreach (var s in p.Sources)
            {
                src.Text(1, p.Id).Text(2, s.Path).Text(3, s.Locator).Text(4, JsonArray(s.Elements)).Integer(5, s.Deleted ? 1 : 0).Text(6, s.Partition).Text(7, s.Inode).Run();
            }
        }
    }

    private static void WriteStaff(SqliteConnection c, IReadOnlyList<StaffMember> staff, Masker masker, CancellationToken ct)
    {
        using var cmd = new RowInsert(c, "staff", 3);
        var buffer = new MemoryStream();
        using var w = new Utf8JsonWriter(buffer, IndexJson.LineOptions);
        foreach (var s in staff)
        {
            ct.ThrowIfCancellationRequested();
            buffer.SetLength(0);
            w.Reset(buffer);
            IndexJson.WriteStaffSources(w, s, name: null);
            w.Flush();
            cmd.Text(1, masker.Mask(Detection.Elements.Name, s.Name)).Text(2, s.Role).Text(3, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).Run();
        }
    }

    private static string JsonArray(IEnumerable<string> values)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, IndexJson.LineOptions))
        {
            w.WriteStartArray();
            foreach (var v in values)
            {
                w.WriteStringValue(v);
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string JsonCounts(IReadOnlyDictionary<string, long> counts)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, IndexJson.LineOptions))
        {
            w.WriteStartObject();
            foreach (var (k, v) in counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WriteNumber(k, v);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Exec(SqliteConnection c, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// A prepared <c>INSERT INTO table VALUES (?1, …)</c> on the connection's handle (inside its open transaction),
    /// bound by position: a row per call of <see cref="Run"/>, without the per-execution parameter look-up by name of
    /// <see cref="SqliteCommand"/> (a third of the writer's time at a million rows).
    /// </summary>
    private sealed class RowInsert : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;

        public RowInsert(SqliteConnection connection, string table, int columns)
        {
            _db = connection.Handle!;
            var sql = $"INSERT INTO {table} VALUES ({string.Join(',', Enumerable.Range(1, columns).Select(i => "?" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
            Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        }

        public RowInsert Text(int column, string? value)
        {
            Check(value is null ? raw.sqlite3_bind_null(_statement, column) : raw.sqlite3_bind_text(_statement, column, value));
            return this;
        }

        public RowInsert Integer(int column, long? value)
        {
            Check(value is { } v ? raw.sqlite3_bind_int64(_statement, column, v) : raw.sqlite3_bind_null(_statement, column));
            return this;
        }

        public RowInsert Real(int column, double value)
        {
            Check(raw.sqlite3_bind_double(_statement, column, value));
            return this;
        }

        public void Run()
        {
            var rc = raw.sqlite3_step(_statement);
            raw.sqlite3_reset(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                Check(rc);
            }
        }

        public void Dispose() => _statement.Dispose();

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
            {
                throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc);
            }
        }
    }
}
