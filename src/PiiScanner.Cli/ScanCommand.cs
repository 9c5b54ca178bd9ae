using System.CommandLine;
using System.Globalization;
using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Index;
using PiiScanner.Notification;

namespace PiiScanner.Cli;

/// <summary><c>piiscan scan PATH... --out DIR</c>.</summary>
internal static class ScanCommand
{
    public static Command Create(Option<string[]> rulesOption, CliContext cli)
    {
        var stdout = cli.Stdout;
        var stderr = cli.Stderr;
        var defaults = new ExtractionLimits();
        var paths = new Argument<string[]>("paths") { Description = "Directories, files or disk images to scan (a name starting with '-' as ./-name).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Output folder for the index: created owner-only (0700); empty, or holding an unfinished scan of the same roots (resumed), unless --force.", Required = true };
        var force = new Option<bool>("--force") { Description = "Start over: discard the scan in --out (finished or not) and write into it even if it is not empty." };
        var json = new Option<bool>("--json") { Description = "Print summary.json to stdout instead of the text summary." };
        var reveal = new Option<bool>("--reveal") { Description = "Write full values instead of masked ones (for the notification vendor)." };
        var threads = new Option<int>("--threads", "-j") { Description = "Worker threads (default: one per core). Output is identical for any value.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var noSqlite = new Option<bool>("--no-sqlite") { Description = "Do not write index.db." };
        var features = new Option<string?>("--features") { Description = "Also write bulk_extractor-style feature files (offset, feature, context) to this folder." };
        var review = new Option<string?>("--review") { Description = "Analyst overrides (review.yaml: outOfScope, split, merge, exclude) applied to the notification step." };
        var hipaa = new Option<bool>("--hipaa") { Description = "The data holder is a HIPAA covered entity or business associate: apply the HIPAA overlay." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress output." };
        var maxDepth = new Option<int>("--max-depth") { Description = "Deepest container nesting followed.", DefaultValueFactory = _ => defaults.MaxDepth };
        var maxExpanded = new Option<long>("--max-expanded-bytes") { Description = "Most bytes decompressed from one top-level item.", DefaultValueFactory = _ => defaults.MaxExpandedBytesPerItem };
        var maxScanExpanded = new Option<long>("--max-scan-expanded-bytes") { Description = "Most bytes decompressed in the whole scan.", DefaultValueFactory = _ => defaults.MaxExpandedBytesPerScan };
        var maxRatio = new Option<double>("--max-ratio") { Description = "Largest accepted expansion ratio of a container member.", DefaultValueFactory = _ => defaults.MaxExpansionRatio };
        var maxEntries = new Option<int>("--max-entries") { Description = "Most entries read from one container.", DefaultValueFactory = _ => defaults.MaxEntriesPerContainer };
        var maxSeconds = new Option<double>("--max-seconds-per-file") { Description = "Time allowed for one file (with its members).", DefaultValueFactory = _ => defaults.MaxTimePerItem.TotalSeconds };
        var maxMemory = new Option<long>("--max-memory-bytes") { Description = "Largest item buffered in memory when a format needs random access.", DefaultValueFactory = _ => defaults.MaxInMemoryBytes };
        var ocrDefaults = new OcrOptions();
        var noOcr = new Option<bool>("--no-ocr") { Description = "Do not OCR scanned paper (image files are skipped, image-only PDF pages leave the PDF partial: ocr-disabled)." };
        var ocrPages = new Option<int>("--max-ocr-pages") { Description = "Most pages recognised by OCR in one document.", DefaultValueFactory = _ => ocrDefaults.MaxPagesPerDocument };
        var ocrSeconds = new Option<double>("--max-ocr-seconds") { Description = "Time allowed for the OCR of one document.", DefaultValueFactory = _ => ocrDefaults.MaxTimePerDocument.TotalSeconds };
        var ocrPixels = new Option<long>("--max-ocr-pixels") { Description = "Largest image (width x height, from its header) recognised by OCR.", DefaultValueFactory = _ => ocrDefaults.MaxImagePixels };
        var ocrLanguage = new Option<string>("--ocr-language") { Description = "Tesseract language(s), e.g. eng or eng+spa (each needs its tesseract-ocr-LANG package).", DefaultValueFactory = _ => ocrDefaults.Language };

        // Checked while parsing, before any work: an error here is exit code 2 with nothing scanned.
        paths.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-'))
            {
                result.AddError($"unknown option '{token.Value}'");
            }
        });
        AtLeast(threads, 1);
        AtLeast(maxDepth, 0);
        AtLeast(maxEntries, 1);
        AtLeast(maxExpanded, 1L);
        AtLeast(maxScanExpanded, 1L);
        AtLeast(maxMemory, 1L);
        AtLeast(maxRatio, 1.0);
        AtLeast(maxSeconds, 0.001);
        var resume = new Option<bool>("--resume") { Description = "Resume the unfinished scan in --out (the default when --out holds one of the same roots and options); fail if there is none." };
        var since = new Option<string?>("--since") { Description = "Output folder of a finished earlier scan of the same roots: files with unchanged size, modification time and inode are carried over unread." };
        var verifyHash = new Option<bool>("--verify-hash") { Description = "With --since: re-hash files that look unchanged and carry them over only if their SHA-256 matches." };
        var cluster = ClusterCommand.ScanOption();
        var clusterUnits = ClusterCommand.UnitsOption();
        AtLeast(clusterUnits, 1);
        var clusterAttempts = ClusterCommand.AttemptsOption();
        AtLeast(clusterAttempts, 1);

        var command = new Command("scan", "Scan paths and write the exposure index.")
        {
            paths, output, force, json, reveal, threads, noSqlite, features, review, hipaa, quiet, rulesOption,
            maxDepth, maxExpanded, maxScanExpanded, maxRatio, maxEntries, maxSeconds, maxMemory,
            noOcr, ocrPages, ocrSeconds, ocrPixels, ocrLanguage,
            resume, since, verifyHash, cluster, clusterUnits, clusterAttempts,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var roots = parse.GetRequiredValue(paths);
            if (roots.FirstOrDefault(r => !File.Exists(r) && !Directory.Exists(r)) is { } missing)
            {
                await stderr.WriteLineAsync($"piiscan: scan root not found: {missing}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var outDir = Path.GetFullPath(parse.GetRequiredValue(output));
            var featureDir = parse.GetValue(features) is { } f ? Path.GetFullPath(f) : null;
            try
            {
                // Whether a non-empty --out may be written (an unfinished scan resumes, --force starts over) is the
                // journal's to say, once the scanner is built.
                OutputDirectorySink.PrepareDirectory(outDir, replace: false, requireEmpty: false);
                if (featureDir is not null)
                {
                    OutputDirectorySink.PrepareDirectory(featureDir, parse.GetValue(force));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"piiscan: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var limits = new ExtractionLimits
            {
                MaxDepth = parse.GetValue(maxDepth),
                MaxExpandedBytesPerItem = parse.GetValue(maxExpanded),
                MaxExpandedBytesPerScan = parse.GetValue(maxScanExpanded),
                MaxExpansionRatio = parse.GetValue(maxRatio),
                MaxEntriesPerContainer = parse.GetValue(maxEntries),
                MaxTimePerItem = TimeSpan.FromSeconds(parse.GetValue(maxSeconds)),
                MaxInMemoryBytes = parse.GetValue(maxMemory),
            };

            var ocr = new OcrOptions
            {
                Enabled = !parse.GetValue(noOcr),
                MaxPagesPerDocument = Math.Max(1, parse.GetValue(ocrPages)),
                MaxTimePerDocument = TimeSpan.FromSeconds(parse.GetValue(ocrSeconds)),
                MaxImagePixels = parse.GetValue(ocrPixels),
                Language = parse.GetValue(ocrLanguage) ?? ocrDefaults.Language,
            };
            if (parse.GetValue(cluster) is { } clusterAddress)
            {
                try
                {
                    Cluster.ClusterAddress.Parse(clusterAddress);
                }
                catch (FormatException ex)
                {
                    await stderr.WriteLineAsync($"piiscan: {ex.Message}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
            }

            Scanner scanner;
            try
            {
                var builder = Program.Builder(parse.GetValue(rulesOption))
                    .WithThreads(parse.GetValue(threads))
                    .WithLimits(limits)
                    .WithOcr(ocr)
                    .ExcludePath(outDir);
                if (parse.GetValue(since) is { } previous)
                {
                    // The previous index holds the same sensitive values: never scan it in.
                    builder.ExcludePath(previous);
                }

                if (featureDir is not null)
                {
                    // Feature files hold the same sensitive values: never scan them back in.
                    builder.ExcludePath(featureDir);
                }

                scanner = builder.Build();
                if (parse.GetValue(rulesOption) is { Length: > 0 })
                {
                    // Only a user's rules replace any (the shipped ones load when first needed: not for this).
                    Program.WarnOverrides(scanner, stderr);
                }
            }
            catch (Exception ex) when (ex is RuleLoadException or DirectoryNotFoundException or InvalidDataException)
            {
                await stderr.WriteLineAsync($"piiscan: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var outputOptions = new OutputOptions
            {
                Reveal = parse.GetValue(reveal),
                WriteSqlite = !parse.GetValue(noSqlite),
                Arguments = cli.Arguments,
                FileWritten = TestHooks.KillAfterOutput(),
            };
            NotificationSink notification;
            try
            {
                var overrides = parse.GetValue(review) is { } reviewFile ? Review.Load(reviewFile) : null;
                var decider = new NotificationDecider(NotificationLaws.LoadDefault(), new NotificationOptions { CoveredEntity = parse.GetValue(hipaa) });
                notification = new NotificationSink(outDir, outputOptions, decider, overrides);
            }
            catch (Exception ex) when (ex is NotificationLawException or ReviewFileException or DirectoryNotFoundException or FileNotFoundException)
            {
                await stderr.WriteLineAsync($"piiscan: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            // The notification files first: summary.json, written last by the index sink, means everything is complete.
            List<IScanSink> sinks = [notification, new OutputDirectorySink(outDir, outputOptions)];
            scanner.ItemJournaled = TestHooks.AfterItem();

            if (featureDir is not null)
            {
                sinks.Add(new BulkExtractorFeatureSink(featureDir, parse.GetValue(reveal)));
            }

            if (parse.GetValue(verifyHash) && parse.GetValue(since) is null)
            {
                await stderr.WriteLineAsync("piiscan: --verify-hash needs --since").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            ScanJournal journal;
            try
            {
                journal = scanner.OpenJournal(outDir, roots, new JournalOptions
                {
                    Resume = parse.GetValue(resume),
                    Restart = parse.GetValue(force),
                    Since = parse.GetValue(since),
                    VerifyHash = parse.GetValue(verifyHash),
                    CommitEvery = TestHooks.JournalCommitEvery() ?? new JournalOptions().CommitEvery,
                });
            }
            catch (ScanJournalException ex)
            {
                await stderr.WriteLineAsync($"piiscan: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            IProgress<ScanProgress>? progress = parse.GetValue(quiet) ? null : new ConsoleProgress(stderr, cli.Interactive, TimeProvider.System);
            ScanResult result;
            using (journal)
            {
                if (journal.Resumed && !parse.GetValue(quiet))
                {
                    await stderr.WriteLineAsync($"piiscan: resuming the unfinished scan in {outDir}").ConfigureAwait(false);
                }

                try
                {
                    if (parse.GetValue(cluster) is { } address)
                    {
                        // Built from the same values as the scanner above: every silo builds its scanner from these.
                        var settings = Cluster.ScanSettings.From(parse.GetValue(rulesOption) ?? [], limits, ocr, featureDir is null ? [outDir] : [outDir, featureDir]);
                        var clusterOptions = new Cluster.ClusterScanOptions
                        {
                            TargetUnits = parse.GetValue(clusterUnits),
                            MaxAttempts = parse.GetValue(clusterAttempts),
                            Incremental = parse.GetValue(since) is not null,
                            Warn = warning => stderr.WriteLine("piiscan: warning: " + warning),
                        };
                        result = await ClusterCommand.ScanAsync(address, scanner, settings, roots, outDir, journal, sinks, progress, clusterOptions, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        result = await scanner.ScanAsync(roots, sinks, journal, progress, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (ClusterUnavailableException ex)
                {
                    if (!journal.Resumed)
                    {
                        journal.Discard();
                    }

                    await stderr.WriteLineAsync($"piiscan: {ex.Message}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
                catch (ScanSourceException ex)
                {
                    if (!journal.Resumed)
                    {
                        journal.Discard();
                    }

                    await stderr.WriteLineAsync($"piiscan: {ex.Message}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await stderr.WriteLineAsync("piiscan: stopped before the index was written").ConfigureAwait(false);
                    return ExitCodes.Interrupted;
                }
            }

            if (parse.GetValue(json))
            {
                await stdout.WriteAsync(await File.ReadAllTextAsync(Path.Combine(outDir, OutputDirectorySink.SummaryJson), CancellationToken.None).ConfigureAwait(false)).ConfigureAwait(false);
            }
            else
            {
                await WriteSummaryAsync(stdout, result.Summary, outDir).ConfigureAwait(false);
                if (notification.Totals is { } totals)
                {
                    await stdout.WriteLineAsync($"to notify: {Program.Format(totals.Notifiable)} in {Program.Format(totals.Jurisdictions)} jurisdictions; regulator notices: {Program.Format(totals.RegulatorNotices)}").ConfigureAwait(false);
                }
            }

            foreach (var (rule, totals) in result.Summary.RegexTimeouts)
            {
                await stderr.WriteLineAsync($"piiscan: rule {rule} ran out of time on {Program.Format(totals.Files)} {(totals.Files == 1 ? "item" : "items")} (partial; see regexTimeouts in summary.json)").ConfigureAwait(false);
            }

            var unread = result.Unread;
            if (unread == 0)
            {
                return ExitCodes.Ok;
            }

            await stderr.WriteLineAsync($"piiscan: {Program.Format(unread)} {(unread == 1 ? "item" : "items")} could not be read (failed, or a folder or file was unreadable): see files.jsonl").ConfigureAwait(false);
            return ExitCodes.Incomplete;
        });
        return command;
    }

    /// <summary>An item the scan meant to read and could not: failed, or refused by the file system.</summary>
    internal static bool IsUnread(FileRecord file) => SummaryBuilder.IsUnread(file);

    private static void AtLeast<T>(Option<T> option, T minimum)
        where T : IComparable<T>
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is { } value && value.CompareTo(minimum) < 0)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be at least {minimum}"));
            }
        });
    }

    private static async Task WriteSummaryAsync(TextWriter stdout, ScanSummary summary, string outDir)
    {
        var files = string.Join(", ", summary.FilesByStatus.Where(kv => kv.Value > 0).Select(kv => (Name: WireName.Of(kv.Key), kv.Value)).OrderBy(kv => kv.Name, StringComparer.Ordinal).Select(kv => $"{Program.Format(kv.Value)} {kv.Name}"));
        await stdout.WriteLineAsync($"files: {files}").ConfigureAwait(false);
        await stdout.WriteLineAsync($"individuals: {Program.Format(summary.Individuals)}").ConfigureAwait(false);
        foreach (var (element, count) in summary.IndividualsByElement)
        {
            await stdout.WriteLineAsync($"  {element,-16} {Program.Format(count),10}").ConfigureAwait(false);
        }

        var seconds = Math.Max(summary.Elapsed.TotalSeconds, 1e-9);
        await stdout.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"read {summary.BytesRead / 1e6:F1} MB in {summary.Elapsed.TotalSeconds:F2} s ({summary.BytesRead / 1e6 / seconds:F1} MB/s)")).ConfigureAwait(false);
        if (summary.Changes is { } changes)
        {
            await stdout.WriteLineAsync($"since the previous scan: {Program.Format(changes.New)} new, {Program.Format(changes.Changed)} changed, {Program.Format(changes.Unchanged)} unchanged, {Program.Format(changes.Gone)} gone").ConfigureAwait(false);
        }

        await stdout.WriteLineAsync($"index written to {outDir}").ConfigureAwait(false);
    }

    /// <summary>
    /// Progress on stderr, counts only (never a path or a value): the phase, files and bytes done of those found, the
    /// rate and, once every file has been found, an ETA. On a terminal one line is redrawn; otherwise (a log, CI) a
    /// plain line is printed when the phase changes and every <see cref="LogInterval"/>, with no carriage returns.
    /// </summary>
    internal sealed class ConsoleProgress(TextWriter stderr, bool interactive, TimeProvider time) : IProgress<ScanProgress>
    {
        private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);
        private readonly long _started = time.GetTimestamp();
        private ScanPhase? _lastPhase;
        private TimeSpan _lastLine = TimeSpan.MinValue;

        public void Report(ScanProgress value)
        {
            var elapsed = time.GetElapsedTime(_started);
            var line = Describe(value, elapsed);
            if (interactive)
            {
                stderr.Write("\r" + line + "\u001b[K" + (value.Completed ? Environment.NewLine : string.Empty));
                return;
            }

            if (value.Completed || value.Phase != _lastPhase || elapsed - _lastLine >= LogInterval)
            {
                stderr.WriteLine(line);
                (_lastPhase, _lastLine) = (value.Phase, elapsed);
            }
        }

        internal static string Describe(ScanProgress p, TimeSpan elapsed)
        {
            var rate = elapsed.TotalSeconds > 0 ? p.BytesDone / elapsed.TotalSeconds : 0;
            var counts = string.Create(
                CultureInfo.InvariantCulture,
                $"{p.TopLevelDone:N0} of {p.ItemsQueued:N0} files, {p.BytesDone / 1e6:F1} of {p.BytesQueued / 1e6:F1} MB, {rate / 1e6:F1} MB/s, {p.Findings:N0} findings");
            return p.Phase switch
            {
                ScanPhase.Walking => $"walking: {counts} (still finding files)",
                ScanPhase.Scanning when rate > 0 => $"scanning: {counts}, ETA {Eta(TimeSpan.FromSeconds(Math.Max(0, p.BytesQueued - p.BytesDone) / rate))}",
                ScanPhase.Scanning => $"scanning: {counts}",
                ScanPhase.Resolving => $"resolving: {counts}; joining records into individuals",
                ScanPhase.Writing => $"writing: {counts}; writing the index",
                _ => string.Create(CultureInfo.InvariantCulture, $"done: {counts}, {p.ItemsDone:N0} items with container members, in {elapsed.TotalSeconds:F1} s"),
            };
        }

        private static string Eta(TimeSpan t) => t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");
    }
}
