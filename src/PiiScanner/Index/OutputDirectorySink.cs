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
/// <para>Output is byte-identical for identical input whatever the thread count: items are written in ordinal
/// path order, findings in document order, individuals by id. The one exception is the elapsed time in
/// <c>summary.json</c>'s <c>timings</c>. Nothing is written to the console; exception messages carry file
/// names, never values.</para>
/// <para><see cref="OnItem"/> keeps nothing; everything is taken from the <see cref="ScanResult"/>. Not meant
/// for concurrent use (the engine calls sinks from one thread).</para>
/// </remarks>
public sealed class OutputDirectorySink : IScanSink
{
    /// <summary>Output file names.</summary>
    public const string IndividualsJsonl = "individuals.jsonl", IndividualsCsv = "individuals.csv",
        FindingsJsonl = "findings.jsonl", FilesJsonl = "files.jsonl", SummaryJson = "summary.json", IndexDb = "index.db",
        StaffJsonl = "staff.jsonl";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _directory;
    private readonly OutputOptions _options;
    private readonly Masker _masker;

    /// <summary>Creates a sink that writes into <paramref name="directory"/>.</summary>
    public OutputDirectorySink(string directory, OutputOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        _directory = directory;
        _options = options;
        _masker = new Masker(options.Reveal);
    }

    /// <summary>The files a sink writes, by name.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        [IndividualsJsonl, IndividualsCsv, FindingsJsonl, FilesJsonl, SummaryJson, IndexDb, StaffJsonl];

    /// <summary>
    /// Makes <paramref name="directory"/> ready for an index before a scan starts, so a bad output folder fails in a
    /// second rather than after the scan: creates it owner-only (0700 on Unix) or tightens an existing one to that,
    /// checks that a file can be created in it, and unless <paramref name="replace"/> is set, that it is empty.
    /// With <paramref name="replace"/>, the index files of an earlier scan are removed (other files are left alone).
    /// </summary>
    /// <exception cref="IOException">The folder is a file, not empty, or not writable (the message says which).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be created or changed.</exception>
    public static void PrepareDirectory(string directory, bool replace)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (File.Exists(directory))
        {
            throw new IOException($"the output folder {directory} is a file");
        }

        if (!replace && Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
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
    public void OnItem(ItemResult item)
    {
    }

    /// <inheritdoc />
    public ValueTask OnCompletedAsync(ScanResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        cancellationToken.ThrowIfCancellationRequested();
        OwnerOnlyFile.EnsureDirectory(_directory);

        var items = result.Items
            .Select((item, i) => (item, i))
            .OrderBy(x => x.item.File.Path, StringComparer.Ordinal)
            .ThenBy(x => x.i)
            .Select(x => x.item)
            .ToList();
        var people = result.Individuals.OrderBy(p => p.Id, StringComparer.Ordinal).ToList();

        WriteLines(IndividualsJsonl, people, (w, p) => IndexJson.WriteIndividual(w, p, _masker), cancellationToken);
        WriteLines(StaffJsonl, result.Staff, (w, s) => IndexJson.WriteStaff(w, s, _masker), cancellationToken);
        WriteLines(
            FindingsJsonl,
            items.SelectMany(item => InDocumentOrder(item.Findings).Select(f => (item.File.Path, Finding: f))),
            (w, x) => IndexJson.WriteFinding(w, x.Path, x.Finding, _masker),
            cancellationToken);
        WriteLines(FilesJsonl, items.Select(i => i.File), IndexJson.WriteFile, cancellationToken);
        WriteFile(SummaryJson, stream =>
        {
            using var w = new Utf8JsonWriter(stream, IndexJson.DocumentOptions);
            IndexJson.WriteSummary(w, result.Summary, _options);
            w.Flush();
            stream.WriteByte((byte)'\n');
        });
        WriteFile(IndividualsCsv, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8NoBom, 1 << 16, leaveOpen: true);
            IndexCsv.Write(writer, people, _masker);
        });

        if (_options.WriteSqlite)
        {
            var final = Path.Combine(_directory, IndexDb);
            var temp = OwnerOnlyFile.NewTempPath(final);
            try
            {
                // An empty owner-only file first: SQLite then opens it as a new database and creates nothing
                // itself with the default (umask) mode.
                OwnerOnlyFile.CreateNew(temp).Dispose();
                IndexSqlite.Write(temp, items, people, result.Staff, _masker, cancellationToken);
                OwnerOnlyFile.Commit(temp, final);
            }
            finally
            {
                OwnerOnlyFile.TryDelete(temp);
            }
        }

        return ValueTask.CompletedTask;
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
            using var w = new Utf8JsonWriter(stream, IndexJson.LineOptions);
            var n = 0;
            foreach (var value in values)
            {
                if ((++n & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                w.Reset(stream);
                write(w, value);
                w.Flush();
                stream.WriteByte((byte)'\n');
            }
        });
    }

    private void WriteFile(string name, Action<Stream> write) => OwnerOnlyFile.Write(Path.Combine(_directory, name), write);
}
