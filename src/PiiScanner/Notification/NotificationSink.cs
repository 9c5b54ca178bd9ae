using System.Text;
using System.Text.Json;
using PiiScanner.Index;
using PiiScanner.Report;

namespace PiiScanner.Notification;

/// <summary>
/// Writes the notification step's outputs when the scan completes: <c>notification.csv</c>,
/// <c>notification-summary.json</c> and <c>report.html</c>, beside the index, with the index's owner-only atomic
/// writes (<see cref="OwnerOnlyFile"/>) and its <see cref="Masker"/> (values masked unless
/// <see cref="OutputOptions.Reveal"/>). Byte-identical for identical input whatever the thread count. Nothing is
/// written to the console. Not meant for concurrent use.
/// </summary>
public sealed class NotificationSink : IScanSink
{
    /// <summary>Output file names.</summary>
    public const string NotificationCsv = "notification.csv", NotificationSummaryJson = "notification-summary.json", ReportHtml = "report.html";

    // The name this sink's outputs are recorded under in the journal (ScanJournal.RecordOutputKey).
    private const string OutputKeyName = "notification";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly string[] Files = [NotificationCsv, NotificationSummaryJson, ReportHtml];

    private readonly string _directory;
    private readonly NotificationDecider _decider;
    private readonly Review _review;
    private readonly Masker _masker;
    private readonly ReportOptions _report;
    private Lazy<NotificationOutcome>? _outcome;

    /// <summary>Creates a sink that writes into <paramref name="directory"/>.</summary>
    /// <param name="directory">The output folder (created owner-only when missing).</param>
    /// <param name="options">Masking, as for the index.</param>
    /// <param name="decider">The laws and options of the decision.</param>
    /// <param name="review">The analyst's overrides, or null.</param>
    /// <param name="report">Report options, or null for the defaults.</param>
    public NotificationSink(string directory, OutputOptions options, NotificationDecider decider, Review? review = null, ReportOptions? report = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(decider);
        _directory = directory;
        _decider = decider;
        _review = review ?? Review.Empty;
        _masker = new Masker(options.Reveal);
        _report = report ?? new ReportOptions();
    }

    /// <summary>
    /// The decision of the last completed scan, or null before one completes. After an unchanged rescan whose files
    /// were copied from the previous scan, it is decided on first read (from the scan's journal, which must still exist).
    /// </summary>
    public NotificationOutcome? Outcome => _outcome?.Value;

    /// <summary>The totals of the last completed scan's decision (what the command prints), or null before one completes.</summary>
    internal NotificationTotals? Totals { get; private set; }

    /// <inheritdoc />
    public ValueTask OnItemAsync(ItemResult item, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Removes this sink's files of an earlier scan before a new one starts, as the index sink does with its own:
    /// a scan killed before it completes must not leave an earlier scan's mailing list beside its journal.
    /// </summary>
    public ValueTask OnStartingAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(_directory))
        {
            foreach (var name in Files)
            {
                File.Delete(Path.Combine(_directory, name));
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
        var key = OutputKey(result);
        (result.Results as ScanJournal)?.RecordOutputKey(OutputKeyName, key);

        // An unchanged rescan decided by the same laws, options, review and masking decides what the previous scan
        // decided (same items, same individuals, same roots): its files are copied instead of deciding again.
        if (result.CarriedFrom is { } carried && carried.OutputKeys.GetValueOrDefault(OutputKeyName) == key
            && Files.All(name => File.Exists(Path.Combine(carried.Previous, name))))
        {
            foreach (var name in Files)
            {
                var from = Path.Combine(carried.Previous, name);
                OwnerOnlyFile.Write(Path.Combine(_directory, name), stream =>
                {
                    using var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                    source.CopyTo(stream, 1 << 20);
                });
            }

            _outcome = new Lazy<NotificationOutcome>(() => _decider.Decide(result, _review));
            Totals = NotificationTotals.Read(Path.Combine(_directory, NotificationSummaryJson));
            return ValueTask.CompletedTask;
        }

        var outcome = _decider.Decide(result, _review);
        _outcome = new Lazy<NotificationOutcome>(outcome);
        Totals = NotificationTotals.Of(outcome);

        // The mailing list and the report each read the people afresh (they stream from disk): both cores at once.
        var report = Task.Run(
            () =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                WriteText(ReportHtml, writer => ReportWriter.Write(writer, result, outcome, _masker, _report));
            },
            CancellationToken.None);
        try
        {
            WriteText(NotificationCsv, writer => NotificationWriters.WriteCsv(writer, outcome, _masker));
            OwnerOnlyFile.Write(Path.Combine(_directory, NotificationSummaryJson), stream =>
            {
                using var w = new Utf8JsonWriter(stream, IndexJson.DocumentOptions);
                NotificationWriters.WriteSummary(w, outcome, _masker);
                w.Flush();
                stream.WriteByte((byte)'\n');
            });
        }
        catch
        {
            // The mailing list's failure is the one reported; the report is let finish first.
            ((IAsyncResult)report).AsyncWaitHandle.WaitOne();
            throw;
        }

        report.GetAwaiter().GetResult();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// What this sink's files are made of besides the scan's items and individuals, hashed: the laws, the options, the
    /// review, masking, the report's options and the roots the report names.
    /// </summary>
    private string OutputKey(ScanResult result)
    {
        var text = new StringBuilder("notification 1\n")
            .Append("laws ").Append(_decider.Laws.Hash).Append('\n')
            .Append("options ").Append(_decider.Options).Append('\n')
            .Append("report ").Append(_report).Append('\n')
            .Append("reveal ").Append(_masker.Reveal).Append('\n')
            .Append("review ").Append(_review.Fingerprint()).Append('\n');
        foreach (var root in result.Summary.Roots)
        {
            text.Append("root ").Append(root).Append('\n');
        }

        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private void WriteText(string name, Action<TextWriter> write) =>
        OwnerOnlyFile.Write(Path.Combine(_directory, name), stream =>
        {
            using var writer = new StreamWriter(stream, Utf8NoBom, 1 << 16, leaveOpen: true);
            write(writer);
        });
}

/// <summary>The totals of a notification decision that the command prints.</summary>
/// <param name="Notifiable">People to notify.</param>
/// <param name="Jurisdictions">Jurisdictions with someone to notify.</param>
/// <param name="RegulatorNotices">Regulator notices due.</param>
internal sealed record NotificationTotals(int Notifiable, int Jurisdictions, int RegulatorNotices)
{
    public static NotificationTotals Of(NotificationOutcome outcome) =>
        new(outcome.Notifiable.Count, outcome.ByState.Values.Count(s => s.Notifiable > 0), outcome.RegulatorsToNotify.Count);

    /// <summary>The totals <c>notification-summary.json</c> holds (as <see cref="NotificationWriters.WriteSummary"/> writes them).</summary>
    public static NotificationTotals Read(string path)
    {
        using var summary = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = summary.RootElement;
        return new(
            root.GetProperty("notifiable").GetInt32(),
            root.GetProperty("byState").EnumerateObject().Count(s => s.Value.GetProperty("notifiable").GetInt32() > 0),
            root.GetProperty("regulatorsToNotify").GetArrayLength());
    }
}
