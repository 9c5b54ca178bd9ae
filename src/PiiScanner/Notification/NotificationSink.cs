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

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _directory;
    private readonly NotificationDecider _decider;
    private readonly Review _review;
    private readonly Masker _masker;
    private readonly ReportOptions _report;

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

    /// <summary>The decision of the last completed scan, or null before one completes.</summary>
    public NotificationOutcome? Outcome { get; private set; }

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
            foreach (var name in (string[])[NotificationCsv, NotificationSummaryJson, ReportHtml])
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
        var outcome = _decider.Decide(result, _review);
        Outcome = outcome;

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

    private void WriteText(string name, Action<TextWriter> write) =>
        OwnerOnlyFile.Write(Path.Combine(_directory, name), stream =>
        {
            using var writer = new StreamWriter(stream, Utf8NoBom, 1 << 16, leaveOpen: true);
            write(writer);
        });
}
