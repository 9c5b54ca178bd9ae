using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PiiScanner.Resolution;

namespace PiiScanner.Index;

/// <summary>
/// <c>index.db</c>: the same content as the JSONL files, masked the same way, for analysts to query.
/// Tables: <c>individuals</c> (with the full JSONL object in <c>json</c>), <c>exposed_values</c> (one row per
/// person, element and value), <c>sources</c>, <c>findings</c>, <c>files</c>, <c>staff</c> (prescribers,
/// providers and staff: name, role, sources as JSON). <c>individuals.joined_by</c> holds the <c>joinedBy</c> array.
/// </summary>
/// <remarks>
/// Written for speed as one bulk load: the file is a temporary one, renamed into place only when complete (see
/// <see cref="OutputDirectorySink"/>), so it needs no rollback journal and no syncs while it is written; the rows go
/// in through prepared statements reused for every row, in one transaction, and the indexes are built once at the
/// end rather than kept up to date row by row.
/// </remarks>
internal static class IndexSqlite
{
    private const string Tables = """
        CREATE TABLE individuals (id TEXT PRIMARY KEY, name TEXT, name_variants TEXT NOT NULL, elements TEXT NOT NULL, confidence REAL NOT NULL, json TEXT NOT NULL, joined_by TEXT NOT NULL);
        CREATE TABLE staff (name TEXT NOT NULL, role TEXT NOT NULL, sources TEXT NOT NULL);
        CREATE TABLE exposed_values (individual_id TEXT NOT NULL, element TEXT NOT NULL, value TEXT NOT NULL, state TEXT, code TEXT, category TEXT);
        CREATE TABLE sources (individual_id TEXT NOT NULL, path TEXT NOT NULL, locator TEXT NOT NULL, elements TEXT NOT NULL, deleted INTEGER NOT NULL, partition TEXT, inode TEXT);
        CREATE TABLE findings (path TEXT NOT NULL, locator TEXT NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL, confidence REAL NOT NULL, rule TEXT NOT NULL, pattern TEXT, validator TEXT, context TEXT, header TEXT, image_offset INTEGER, owner TEXT, inferred_header INTEGER NOT NULL);
        CREATE TABLE files (path TEXT NOT NULL, size INTEGER, sha256 TEXT, status TEXT NOT NULL, reason TEXT, extractor TEXT, detail TEXT, findings INTEGER NOT NULL, counts TEXT, partition TEXT, inode TEXT, deleted INTEGER NOT NULL, image_offset INTEGER);
        """;

    private const string Indexes = """
        CREATE INDEX exposed_values_individual ON exposed_values(individual_id);
        CREATE INDEX sources_individual ON sources(individual_id);
        CREATE INDEX sources_path ON sources(path);
        CREATE INDEX findings_path ON findings(path);
        CREATE INDEX files_path ON files(path);
        """;

    /// <summary>Writes the database into <paramref name="path"/>, an existing empty owner-only file.</summary>
    public static void Write(string path, IReadOnlyList<ItemResult> items, IReadOnlyList<Individual> people, IReadOnlyList<StaffMember> staff, Masker masker, CancellationToken cancellationToken)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
        using var connection = new SqliteConnection(cs);
        connection.Open();
        Exec(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768;");
        using (var tx = connection.BeginTransaction())
        {
            Exec(connection, Tables, tx);
            WritePeople(connection, tx, people, masker, cancellationToken);
            WriteStaff(connection, tx, staff, masker, cancellationToken);
            WriteItems(connection, tx, items, masker, cancellationToken);
            Exec(connection, Indexes, tx);
            tx.Commit();
        }

        connection.Close();
    }

    private static void WritePeople(SqliteConnection c, SqliteTransaction tx, IReadOnlyList<Individual> people, Masker masker, CancellationToken ct)
    {
        using var ind = Insert(c, tx, "individuals", 7);
        using var val = Insert(c, tx, "exposed_values", 6);
        using var src = Insert(c, tx, "sources", 7);
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
            var joined = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            Run(ind, p.Id, p.Name, JsonArray(p.NameVariants), JsonArray(p.Elements), IndexJson.Round(p.Confidence), json, joined);

            foreach (var element in p.Elements)
            {
                if (!p.Values.TryGetValue(element, out var values))
                {
                    continue;
                }

                foreach (var v in values)
                {
                    Run(val, p.Id, element, masker.Mask(element, v.Value), v.State, v.Code, v.Category);
                }
            }

            foreach (var s in p.Sources)
            {
                Run(src, p.Id, s.Path, s.Locator, JsonArray(s.Elements), s.Deleted ? 1 : 0, s.Partition, s.Inode);
            }
        }
    }

    private static void WriteStaff(SqliteConnection c, SqliteTransaction tx, IReadOnlyList<StaffMember> staff, Masker masker, CancellationToken ct)
    {
        using var cmd = Insert(c, tx, "staff", 3);
        var buffer = new MemoryStream();
        using var w = new Utf8JsonWriter(buffer, IndexJson.LineOptions);
        foreach (var s in staff)
        {
            ct.ThrowIfCancellationRequested();
            buffer.SetLength(0);
            w.Reset(buffer);
            IndexJson.WriteStaffSources(w, s, name: null);
            w.Flush();
            Run(cmd, masker.Mask(Detection.Elements.Name, s.Name), s.Role, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        }
    }

    private static void WriteItems(SqliteConnection c, SqliteTransaction tx, IReadOnlyList<ItemResult> items, Masker masker, CancellationToken ct)
    {
        using var fnd = Insert(c, tx, "findings", 13);
        using var fil = Insert(c, tx, "files", 13);
        foreach (var item in items)
        {
            ct.ThrowIfCancellationRequested();
            var file = item.File;
            Run(
                fil,
                file.Path,
                file.Size,
                file.Sha256,
                file.Status,
                file.Reason,
                file.Extractor,
                file.Detail,
                file.Findings,
                file.Counts is null ? null : JsonCounts(file.Counts),
                file.Origin?.Partition,
                file.Origin?.Inode,
                file.Origin?.Deleted == true ? 1 : 0,
                file.Origin?.ImageOffset);

            foreach (var f in OutputDirectorySink.InDocumentOrder(item.Findings))
            {
                Run(
                    fnd,
                    file.Path,
                    f.Locator,
                    f.Element,
                    masker.Mask(f.Element, f.Value),
                    IndexJson.Round(f.Confidence),
                    f.Evidence.RuleId,
                    f.Evidence.Pattern,
                    f.Evidence.Validator,
                    f.Evidence.ContextWord,
                    f.Evidence.Header,
                    f.ByteOffset,
                    f.Owner,
                    f.Evidence.InferredHeader ? 1 : 0);
            }
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

    /// <summary>A prepared <c>INSERT INTO table VALUES (…)</c> with <paramref name="columns"/> positional parameters.</summary>
    private static SqliteCommand Insert(SqliteConnection c, SqliteTransaction tx, string table, int columns)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO {table} VALUES ({string.Join(',', Enumerable.Range(1, columns).Select(i => "$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
        for (var i = 1; i <= columns; i++)
        {
            cmd.Parameters.Add(new SqliteParameter("$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), DBNull.Value));
        }

        cmd.Prepare();
        return cmd;
    }

    /// <summary>Runs a prepared insert with one row's values, by position (null is SQL NULL).</summary>
    private static void Run(SqliteCommand insert, params ReadOnlySpan<object?> values)
    {
        var parameters = insert.Parameters;
        for (var i = 0; i < values.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
        }

        insert.ExecuteNonQuery();
    }

    private static void Exec(SqliteConnection c, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
