using System.CommandLine;
using System.Globalization;
using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Index;

namespace PiiScanner.Cli;

/// <summary><c>piiscan scan PATH... --out DIR</c>.</summary>
internal static class ScanCommand
{
    public static Command Create(Option<string[]> rulesOption, TextWriter stdout, TextWriter stderr)
    {
        var defaults = new ExtractionLimits();
        var paths = new Argument<string[]>("paths") { Description = "Directories, files or disk images to scan.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Output folder for the index (created owner-only).", Required = true };
        var reveal = new Option<bool>("--reveal") { Description = "Write full values instead of masked ones (for the notification vendor)." };
        var threads = new Option<int>("--threads", "-j") { Description = "Worker threads (default: one per core). Output is identical for any value.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var noSqlite = new Option<bool>("--no-sqlite") { Description = "Do not write index.db." };
        var features = new Option<string?>("--features") { Description = "Also write bulk_extractor-style feature files (offset, feature, context) to this folder." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress output." };
        var maxDepth = new Option<int>("--max-depth") { Description = "Deepest container nesting followed.", DefaultValueFactory = _ => defaults.MaxDepth };
        var maxExpanded = new Option<long>("--max-expanded-bytes") { Description = "Most bytes decompressed from one top-level item.", DefaultValueFactory = _ => defaults.MaxExpandedBytesPerItem };
        var maxScanExpanded = new Option<long>("--max-scan-expanded-bytes") { Description = "Most bytes decompressed in the whole scan.", DefaultValueFactory = _ => defaults.MaxExpandedBytesPerScan };
        var maxRatio = new Option<double>("--max-ratio") { Description = "Largest accepted expansion ratio of a container member.", DefaultValueFactory = _ => defaults.MaxExpansionRatio };
        var maxEntries = new Option<int>("--max-entries") { Description = "Most entries read from one container.", DefaultValueFactory = _ => defaults.MaxEntriesPerContainer };
        var maxSeconds = new Option<double>("--max-seconds-per-file") { Description = "Time allowed for one file (with its members).", DefaultValueFactory = _ => defaults.MaxTimePerItem.TotalSeconds };
        var maxMemory = new Option<long>("--max-memory-bytes") { Description = "Largest item buffered in memory when a format needs random access.", DefaultValueFactory = _ => defaults.MaxInMemoryBytes };
        var resume = new Option<bool>("--resume") { Description = "Resume the unfinished scan in --out (the default when --out holds one of the same roots and options); fail if there is none." };
        var force = new Option<bool>("--force") { Description = "Start over: discard the scan in --out (finished or not) and write into it even if it is not empty." };
        var since = new Option<string?>("--since") { Description = "Output folder of a finished earlier scan of the same roots: files with unchanged size, modification time and inode are carried over unread." };
        var verifyHash = new Option<bool>("--verify-hash") { Description = "With --since: re-hash files that look unchanged and carry them over only if their SHA-256 matches." };

        var command = new Command("scan", "Scan paths and write the exposure index.")
        {
            paths, output, reveal, threads, noSqlite, features, quiet, rulesOption,
            maxDepth, maxExpanded, maxScanExpanded, maxRatio, maxEntries, maxSeconds, maxMemory,
            resume, force, since, verifyHash,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var outDir = Path.GetFullPath(parse.GetRequiredValue(output));
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

            Scanner scanner;
            try
            {
                var builder = Program.Builder(parse.GetValue(rulesOption))
                    .WithThreads(Math.Max(1, parse.GetValue(threads)))
                    .WithLimits(limits)
                    .ExcludePath(outDir);
                if (parse.GetValue(since) is { } previous)
                {
                    // The previous index holds the same sensitive values: never scan it in.
                    builder.ExcludePath(previous);
                }

                if (parse.GetValue(features) is { } featureFolder)
                {
                    // Feature files hold the same sensitive values: never scan them back in.
                    builder.ExcludePath(featureFolder);
                }

                scanner = builder.Build();
                Program.WarnOverrides(scanner, stderr);
            }
            catch (Exception ex) when (ex is RuleLoadException or DirectoryNotFoundException)
            {
                await stderr.WriteLineAsync($"piiscan: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            var outputOptions = new OutputOptions
            {
                Reveal = parse.GetValue(reveal),
                WriteSqlite = !parse.GetValue(noSqlite),
                FileWritten = TestHooks.KillAfterOutput(),
            };
            List<IScanSink> sinks = [new OutputDirectorySink(outDir, outputOptions)];
            if (TestHooks.KillAfterItems() is { } killSink)
            {
                sinks.Add(killSink);
            }

            if (parse.GetValue(features) is { } featureDir)
            {
                sinks.Add(new BulkExtractorFeatureSink(Path.GetFullPath(featureDir), parse.GetValue(reveal)));
            }

            if (parse.GetValue(verifyHash) && parse.GetValue(since) is null)
            {
                await stderr.WriteLineAsync("piiscan: --verify-hash needs --since").ConfigureAwait(false);
                return 2;
            }

            var roots = parse.GetValue(paths)!;
            ScanJournal journal;
            try
            {
                journal = scanner.OpenJournal(outDir, roots, new JournalOptions
                {
                    Resume = parse.GetValue(resume),
                    Restart = parse.GetValue(force),
                    Since = parse.GetValue(since),
                    VerifyHash = parse.GetValue(verifyHash),
                });
            }
            catch (ScanJournalException ex)
            {
                await stderr.WriteLineAsync($"piiscan: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            IProgress<ScanProgress>? progress = parse.GetValue(quiet) ? null : new ConsoleProgress(stderr);
            ScanResult result;
            using (journal)
            {
                if (journal.Resumed && !parse.GetValue(quiet))
                {
                    await stderr.WriteLineAsync($"piiscan: resuming the unfinished scan in {outDir}").ConfigureAwait(false);
                }

                try
                {
                    result = await scanner.ScanAsync(roots, sinks, journal, progress, cancellationToken).ConfigureAwait(false);
                }
                catch (ScanSourceException ex)
                {
                    if (!journal.Resumed)
                    {
                        journal.Discard();
                    }

                    await stderr.WriteLineAsync($"piiscan: {ex.Message}").ConfigureAwait(false);
                    return 2;
                }
            }

            await WriteSummaryAsync(stdout, result.Summary, outDir).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task WriteSummaryAsync(TextWriter stdout, ScanSummary summary, string outDir)
    {
        var files = string.Join(", ", summary.FilesByStatus.Where(kv => kv.Value > 0).Select(kv => $"{Program.Format(kv.Value)} {kv.Key}"));
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

    /// <summary>Progress on one stderr line: counts only, never a path or a value.</summary>
    private sealed class ConsoleProgress(TextWriter stderr) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value)
        {
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"\r{value.ItemsDone:N0} items done, {value.ItemsQueued:N0} found, {value.BytesRead / 1e6:F1} MB, {value.Findings:N0} findings");
            stderr.Write(value.Completed ? line + Environment.NewLine : line);
        }
    }
}
