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

    // Built once the rows are in: one sort per index instead of a B-tree insert per row.
    private const string Indexes = """
        CREATE INDEX exposed_values_individual ON exposed_values(individual_id);
        CREATE INDEX sources_individual ON sources(individual_id);
        CREATE INDEX sources_path ON sources(path);
        CREATE INDEX findings_path ON findings(path);
        CREATE INDEX files_path ON files(path);
        """;

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _tx;
    private readonly SqliteCommand _findings;
    private readonly SqliteCommand _files;
    private readonly Masker _masker;

    /// <summary>
    /// Opens <paramref name="path"/>, an existing empty owner-only file, as a new database and writes the people and
    /// staff; items follow with <see cref="Add"/>, in order, and <see cref="Complete"/> commits.
    /// </summary>
    public IndexSqlite(string path, IReadOnlyList<Individual> people, IReadOnlyList<StaffMember> staff, Masker masker, CancellationToken cancellationToken)
    {
        _masker = masker;
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
        _connection = new SqliteConnection(cs);
        _connection.Open();
        // A temporary file renamed into place only when complete: no rollback journal, no syncs, one writer.
        Exec(_connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;");
        _tx = _connection.BeginTransaction();
        Exec(_connection, Schema, _tx);
        WritePeople(_connection, _tx, people, masker, cancellationToken);
        WriteStaff(_connection, _tx, staff, masker, cancellationToken);
        _findings = Command(_connection, _tx, "INSERT INTO findings VALUES ($path,$locator,$type,$value,$confidence,$rule,$pattern,$validator,$context,$header,$offset,$owner,$inferred)");
        foreach (var name in (string[])["$path", "$locator", "$type", "$value", "$confidence", "$rule", "$pattern", "$validator", "$context", "$header", "$offset", "$owner", "$inferred"])
        {
            _findings.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        _findings.Prepare();
        _files = Command(_connection, _tx, "INSERT INTO files VALUES ($path,$size,$sha256,$status,$reason,$extractor,$detail,$findings,$counts,$partition,$inode,$deleted,$offset,$change)");
    }

    /// <summary>Adds one item's file row and finding rows.</summary>
    public void Add(ItemResult item)
    {
        var file = item.File;
        var fil = _files;
        Set(fil, "$path", file.Path);
        Set(fil, "$size", file.Size);
        Set(fil, "$sha256", file.Sha256);
        Set(fil, "$status", WireName.Of(file.Status));
        Set(fil, "$reason", file.Reason);
        Set(fil, "$extractor", file.Extractor);
        Set(fil, "$detail", file.Detail);
        Set(fil, "$findings", file.Findings);
        Set(fil, "$counts", file.Counts is null ? null : JsonCounts(file.Counts));
        Set(fil, "$partition", file.Origin?.Partition);
        Set(fil, "$inode", file.Origin?.Inode);
        Set(fil, "$deleted", file.Origin?.Deleted == true ? 1 : 0);
        Set(fil, "$offset", file.Origin?.ImageOffset);
        Set(fil, "$change", file.Change);
        fil.ExecuteNonQuery();

        foreach (var f in OutputDirectorySink.InDocumentOrder(item.Findings))
        {
            // The hot loop (one row per finding): parameters by position, not looked up by name.
            var values = _findings.Parameters;
            values[0].Value = file.Path;
            values[1].Value = f.Locator;
            values[2].Value = f.Element;
            values[3].Value = _masker.Mask(f.Element, f.Value);
            values[4].Value = IndexJson.Round(f.Confidence);
            values[5].Value = f.Evidence.RuleId;
            values[6].Value = (object?)f.Evidence.Pattern ?? DBNull.Value;
            values[7].Value = (object?)f.Evidence.Validator ?? DBNull.Value;
            values[8].Value = (object?)f.Evidence.ContextWord ?? DBNull.Value;
            values[9].Value = (object?)f.Evidence.Header ?? DBNull.Value;
            values[10].Value = (object?)f.ByteOffset ?? DBNull.Value;
            values[11].Value = (object?)f.Owner ?? DBNull.Value;
            values[12].Value = f.Evidence.InferredHeader ? 1 : 0;
            _findings.ExecuteNonQuery();
        }
    }

    /// <summary>Commits and closes the database.</summary>
    public void Complete()
    {
        Exec(_connection, Indexes, _tx);
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

    private static void WritePeople(SqliteConnection c, SqliteTransaction tx, IReadOnlyList<Individual> people, Masker masker, CancellationToken ct)
    {
        using var ind = Command(c, tx, "INSERT INTO individuals VALUES ($id,$name,$variants,$elements,$confidence,$json,$joined)");
        using var val = Command(c, tx, "INSERT INTO exposed_values VALUES ($id,$element,$value,$state,$code,$category)");
        using var src = Command(c, tx, "INSERT INTO sources VALUES ($id,$path,$locator,$elements,$deleted,$partition,$inode)");
        var buffer = new MemoryStream();
        using var w = new Utf8JsonWriter(buffer, IndexJson.LineOptions);
        foreach (var p in people)
        {
            ct.ThrowIfCancellationRequested();
            Set(ind, "$id", p.Id);
            Set(ind, "$name", p.Name);
            Set(ind, "$variants", JsonArray(p.NameVariants));
            Set(ind, "$elements", JsonArray(p.Elements));
            Set(ind, "$confidence", IndexJson.Round(p.Confidence));
            buffer.SetLength(0);
            w.Reset(buffer);
            IndexJson.WriteIndividual(w, p, masker);
            w.Flush();
            Set(ind, "$json", Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            buffer.SetLength(0);
            w.Reset(buffer);
            IndexJson.WriteJoinedBy(w, p.JoinedBy, name: null);
            w.Flush();
            Set(ind, "$joined", Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            ind.ExecuteNonQuery();

            foreach (var element in p.Elements)
            {
                if (!p.Values.TryGetValue(element, out var values))
                {
                    continue;
                }

                foreach (var v in values)
                {
                    Set(val, "$id", p.Id);
                    Set(val, "$element", element);
                    Set(val, "$value", masker.Mask(element, v.Value));
                    Set(val, "$state", v.State);
                    Set(val, "$code", v.Code);
                    Set(val, "$category", v.Category);
                    val.ExecuteNonQuery();
                }
            }

            foreach (var s in p.Sources)
            {
                Set(src, "$id", p.Id);
                Set(src, "$path", s.Path);
                Set(src, "$locator", s.Locator);
                Set(src, "$elements", JsonArray(s.Elements));
                Set(src, "$deleted", s.Deleted ? 1 : 0);
                Set(src, "$partition", s.Partition);
                Set(src, "$inode", s.Inode);
                src.ExecuteNonQuery();
            }
        }
    }

    private static void WriteStaff(SqliteConnection c, SqliteTransaction tx, IReadOnlyList<StaffMember> staff, Masker masker, CancellationToken ct)
    {
        using var cmd = Command(c, tx, "INSERT INTO staff VALUES ($name,$role,$sources)");
        var buffer = new MemoryStream();
        using var w = new Utf8JsonWriter(buffer, IndexJson.LineOptions);
        foreach (var s in staff)
        {
            ct.ThrowIfCancellationRequested();
            buffer.SetLength(0);
            w.Reset(buffer);
            IndexJson.WriteStaffSources(w, s, name: null);
            w.Flush();
            Set(cmd, "$name", masker.Mask(Detection.Elements.Name, s.Name));
            Set(cmd, "$role", s.Role);
            Set(cmd, "$sources", Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            cmd.ExecuteNonQuery();
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

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction tx, string sql)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }

    private static void Set(SqliteCommand cmd, string name, object? value)
    {
        if (cmd.Parameters.Contains(name))
        {
            cmd.Parameters[name].Value = value ?? DBNull.Value;
        }
        else
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    private static void Exec(SqliteConnection c, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
