using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Index;
using PiiScanner.Resolution;
using PiiScanner.Sources;

namespace PiiScanner;

/// <summary>
/// Runs one top-level item through extraction → detection → record assembly, recursing into container members
/// depth-first while their streams are open. One instance serves all workers; per-item state lives on the stack.
/// </summary>
internal sealed class ItemPipeline(ScannerOptions options, ScanCounters counters)
{
    private const int HeadSize = 8192;

    /// <summary>Most distinct image offsets of one item whose owning file is looked up (each lookup runs The Sleuth Kit).</summary>
    internal const int MaxOwnerLookupsPerItem = 32;

    // Decompressed bytes of the whole scan, shared by every item's budget.
    private readonly ScanBudget _scanBudget = new(options.Limits);

    /// <summary>Processes a top-level item; returns its result and its members' results, and the bytes read for them.</summary>
    public async Task<(List<ItemResult> Results, long BytesRead)> ProcessAsync(ScanItem item, CancellationToken cancellationToken)
    {
        var results = new List<ItemResult>(1);
        using var timeout = new CancellationTokenSource(options.Limits.MaxTimePerItem, options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var budget = new ExtractionBudget(options.Limits, _scanBudget, item.Length, options.Time);
        var scope = new ItemScope(results, linked.Token, cancellationToken, budget);

        if (item.SkipReason is not null || item.Open is null)
        {
            Add(scope, Skipped(item, item.SkipReason ?? "unreadable"));
            return (results, 0);
        }

        Stream raw;
        try
        {
            raw = item.Open(linked.Token);
            if (raw is EvidenceFile evidence)
            {
                Interlocked.Increment(ref counters.FilesOpened);
                Interlocked.Add(ref counters.FilesOpenedWithNoAtime, evidence.AccessTimePreserved ? 1 : 0);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Add(scope, Failed(item, OpenFailure(ex)));
            return (results, 0);
        }

        try
        {
            await using (raw.ConfigureAwait(false))
            {
                await ProcessOpenAsync(item, raw, ownsStream: true, scope).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Last line of defence: whatever escaped (a bug in an extractor's cleanup, a stream that throws on
            // dispose) is recorded against this item and the worker goes on.
            if (!results.Exists(r => r.File.Path == item.Path))
            {
                Add(scope, Failed(item, Describe(ex)));
            }
        }

        return (results, scope.BytesRead);
    }

    private async ValueTask ProcessChildAsync(ScanItem child, Stream content, ItemScope scope)
    {
        if (child.SkipReason is not null)
        {
            Add(scope, Skipped(child, child.SkipReason));
            return;
        }

        if (child.Depth > options.Limits.MaxDepth)
        {
            Add(scope, Skipped(child, LimitNames.Depth));
            return;
        }

        await ProcessOpenAsync(child, content, ownsStream: false, scope).ConfigureAwait(false);
    }

    private async ValueTask ProcessOpenAsync(ScanItem item, Stream raw, bool ownsStream, ItemScope scope)
    {
        var token = scope.Token;
        var hashing = new HashingReadStream(raw, leaveOpen: !ownsStream);
        await using var hashingScope = hashing.ConfigureAwait(false);

        byte[] head;
        Stream content;
        try
        {
            head = await ReadHeadAsync(hashing, token).ConfigureAwait(false);
            if (hashing.CanSeek)
            {
                hashing.Seek(0, SeekOrigin.Begin);
                content = hashing;
            }
            else
            {
                content = new PrefixedStream(head, hashing);
            }
        }
        catch (ExtractionLimitException ex)
        {
            // A container member whose first bytes already exceed a budget.
            Add(scope, Skipped(item, ex.LimitName));
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !scope.Outer.IsCancellationRequested)
        {
            Add(scope, raw is MemberStream { Meter: { Checked: true, Failed: true } meter }
                ? Unread(item, FileStatus.Partial, Reasons.Damaged(meter.FailureReason))
                : Failed(item, OpenFailure(ex)));
            return;
        }

        IExtractor? extractor;
        try
        {
            extractor = item.ExtractorHint is { } hint
                ? options.Extractors.Find(hint)
                : options.Extractors.Select(head, item.Path);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A sniffer that chokes on odd bytes must cost this item only.
            Add(scope, Failed(item, "sniff: " + Describe(ex)));
            return;
        }
        if (extractor is null)
        {
            Add(scope, Skipped(item, "unknown-format"));
            return;
        }

        var findings = new List<Finding>();
        var detection = options.Detection.BeginItem();
        var context = new ExtractionContext(
            item,
            content,
            head,
            options.Limits,
            segment =>
            {
                var chars = (long)segment.Text.Length;
                if (segment.Fields is { } fields)
                {
                    foreach (var field in fields)
                    {
                        chars += field.Value.Length;
                    }
                }

                scope.Budget.AddEmittedText(chars);
                var before = findings.Count;
                detection.Detect(segment, findings);
                if (segment.ByteOffset is long offset)
                {
                    // Raw byte runs: ASCII runs have one byte per char, UTF-16LE runs two.
                    var width = segment.Locator.BytesPerChar;
                    for (var i = before; i < findings.Count; i++)
                    {
                        findings[i] = findings[i] with { ByteOffset = offset + (width * (long)findings[i].Start) };
                    }
                }
            },
            (child, stream, _) => ProcessChildAsync(child, stream, scope))
        {
            Budget = scope.Budget,
            OnLine = (text, locator, group) =>
            {
                scope.Budget.AddEmittedText(text.Length);
                detection.DetectLine(text, locator, group, findings);
            },
        };

        var status = FileStatus.Scanned;
        string? reason = null;
        var hashable = true;
        try
        {
            await extractor.ExtractAsync(context, token).ConfigureAwait(false);
        }
        catch (ExtractionLimitException ex)
        {
            (status, reason) = context.SegmentCount > 0 ? (FileStatus.Partial, ex.LimitName) : (FileStatus.Skipped, ex.LimitName);
            hashable = ex.LimitName != LimitNames.Time;
        }
        catch (OperationCanceledException) when (!scope.Outer.IsCancellationRequested)
        {
            (status, reason) = (FileStatus.Partial, LimitNames.Time);
            hashable = false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never the exception's message: parsers quote the content they choke on.
            (status, reason) = (FileStatus.Failed, Describe(ex));
        }

        if (status == FileStatus.Scanned)
        {
            if (context.SkipReason is not null)
            {
                (status, reason) = (FileStatus.Skipped, context.SkipReason);
            }
            else if (context.PartialReasons.Count > 0)
            {
                (status, reason) = (FileStatus.Partial, string.Join("; ", context.PartialReasons));
            }
        }

        IReadOnlyList<string>? regexTimeouts = null;
        if (detection.TimedOutRules.Count > 0)
        {
            // A rule that ran out of time may have missed values: the item is not completely scanned.
            regexTimeouts = [.. detection.TimedOutRules];
            var note = Reasons.RegexTimeout(regexTimeouts, RuleSet.RegexTimeout);
            (status, reason) = status switch
            {
                FileStatus.Scanned => (FileStatus.Partial, note),
                FileStatus.Partial => (FileStatus.Partial, reason + "; " + note),
                _ => (status, reason),
            };
        }

        string? sha256 = null;
        if (hashable && options.HashItems)
        {
            try
            {
                sha256 = await hashing.CompleteAsync(token).ConfigureAwait(false);
            }
            catch (ExtractionLimitException ex)
            {
                // Reading the rest of a member for its hash ran into a budget: the member is only partly read.
                if (status == FileStatus.Scanned)
                {
                    (status, reason) = (FileStatus.Partial, ex.LimitName);
                }
            }
            catch (Exception ex) when (ex is IOException or NotSupportedException or ObjectDisposedException or InvalidDataException
                                       || (ex is OperationCanceledException && !scope.Outer.IsCancellationRequested))
            {
                // The rest of the stream cannot be read (truncated member, time limit): no hash rather than a wrong one.
            }
        }

        var damaged = !ownsStream && raw is MemberStream { Meter.Checked: true } member && IsDamaged(member);
        if (damaged)
        {
            // Bytes the archive never stored (a CRC-32 or size mismatch, data that would not decode): whatever was
            // found in them, and in members nested inside them, is not evidence, and may differ from run to run.
            findings.Clear();
            scope.Results.RemoveAll(r => r.File.Path.StartsWith(item.Path + "!", StringComparison.Ordinal));
            (status, reason, sha256) = (FileStatus.Partial, Reasons.Damaged(((MemberStream)raw).Meter.FailureReason), null);
        }

        if (ownsStream && raw is EvidenceFile file && file.ChangedSinceOpen())
        {
            // Size or modification time moved while the file was read: what was read is not one version of it.
            (status, reason, sha256) = (FileStatus.Partial, Reasons.ChangedDuringScan, null);
        }

        if (item.LocateOffset is { } locate && findings.Count > 0 && !token.IsCancellationRequested)
        {
            await LocateOwnersAsync(locate, findings, token, scope.Outer).ConfigureAwait(false);
        }

        Interlocked.Add(ref counters.BytesRead, hashing.BytesHashed);
        scope.BytesRead += hashing.BytesHashed;
        Interlocked.Add(ref counters.Findings, findings.Count);

        var counts = new SortedDictionary<string, long>(context.Counts, StringComparer.Ordinal)
        {
            ["segments"] = context.SegmentCount,
        };
        var record = new FileRecord
        {
            Path = item.Path,
            Size = item.Length ?? (sha256 is not null ? hashing.BytesHashed : null),
            Sha256 = sha256,
            Status = status,
            Reason = reason,
            RegexTimeouts = damaged ? null : regexTimeouts,
            Extractor = damaged ? null : extractor.Name,
            Detail = damaged ? null : context.Detail,
            Findings = findings.Count,
            Counts = damaged ? null : counts,
            Origin = item.Origin,
            Modified = item.Modified,
        };
        var records = options.AssembleRecords(item.Path, findings);
        Add(scope, new ItemResult(record, findings, records));
    }

    /// <summary>Reads a checked member to its end when the extractor stopped early (its CRC-32 is known only there).</summary>
    private static bool IsDamaged(MemberStream member)
    {
        if (!member.AtEnd && !member.Meter.Failed && member.Meter.Tripped is null)
        {
            try
            {
                member.Drain();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A mismatch or a limit: the meter says which.
            }
        }

        return member.Meter.Failed;
    }

    /// <summary>
    /// Names the file owning each raw finding's bytes (the first <see cref="MaxOwnerLookupsPerItem"/> distinct
    /// offsets in order, so the output does not depend on timing). A failed lookup leaves the owner unset.
    /// </summary>
    private static async Task LocateOwnersAsync(Func<long, CancellationToken, Task<string?>> locate, List<Finding> findings, CancellationToken token, CancellationToken outer)
    {
        var owners = new Dictionary<long, string?>();
        foreach (var offset in findings.Where(f => f.ByteOffset.HasValue).Select(f => f.ByteOffset!.Value).Distinct().Order().Take(MaxOwnerLookupsPerItem))
        {
            try
            {
                owners[offset] = await locate(offset, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException || (ex is OperationCanceledException && !outer.IsCancellationRequested))
            {
                // Lookups are a courtesy: a tool failure or the item's time limit leaves the remaining owners unset.
                break;
            }
        }

        for (var i = 0; i < findings.Count; i++)
        {
            if (findings[i].ByteOffset is { } offset && owners.TryGetValue(offset, out var owner) && owner is not null)
            {
                findings[i] = findings[i] with { Owner = owner };
            }
        }
    }

    private static async Task<byte[]> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[HeadSize];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled == buffer.Length ? buffer : buffer[..filled];
    }

    private void Add(ItemScope scope, ItemResult result)
    {
        Interlocked.Increment(ref counters.ItemsDone);
        scope.Results.Add(result);
    }

    private static ItemResult Skipped(ScanItem item, string reason) => Unread(item, FileStatus.Skipped, reason);

    // A deleted entry whose content cannot be read back (its clusters reused, an orphan MFT record) is what deletion
    // leaves, not a read that went wrong: skipped, so it does not make a clean scan of an image look incomplete.
    private static ItemResult Failed(ScanItem item, string reason) => item.Origin is { Deleted: true }
        ? Unread(item, FileStatus.Skipped, "deleted: the content of this deleted entry could not be recovered (" + reason + ")")
        : Unread(item, FileStatus.Failed, reason);

    private static ItemResult Unread(ScanItem item, FileStatus status, string reason) => new(
        new FileRecord { Path = item.Path, Size = item.Length, Status = status, Reason = reason, Origin = item.Origin },
        [],
        []);

    private static string OpenFailure(Exception ex) => ex switch
    {
        UnauthorizedAccessException => "permission-denied: the file could not be opened for reading",
        FileNotFoundException or DirectoryNotFoundException => "vanished: the file was gone when it was opened",
        Sources.SleuthKit.ToolFailedException tool => "io-error: " + tool.Reason,
        _ => Describe(ex),
    };

    /// <summary>
    /// A reason for files.jsonl: a keyword, then a sentence for the reviewer. Never the exception's message (parsers
    /// quote the content they choke on).
    /// </summary>
    internal static string Describe(Exception ex) => ex switch
    {
        EndOfStreamException => "corrupt: the data ends before its format says it should (truncated)",
        InvalidDataException or FormatException => "corrupt: the data is not laid out as its format requires",
        UnauthorizedAccessException => "permission-denied: reading the file was refused",
        Sources.SleuthKit.ToolFailedException tool => "io-error: " + tool.Reason,
        IOException => "io-error: the operating system reported an error while the file was read",
        OutOfMemoryException or InsufficientExecutionStackException => "limit:memory",
        NotSupportedException => "unsupported: the file uses a feature of its format that cannot be read",
        _ => "error: the reader of this format failed on it (a bug worth reporting, with the file's format but not its content)",
    };

    /// <summary>Per-top-level-item state shared by the item and its members (read by one worker, depth-first).</summary>
    private sealed record ItemScope(List<ItemResult> Results, CancellationToken Token, CancellationToken Outer, ExtractionBudget Budget)
    {
        /// <summary>Bytes read from the item and its members.</summary>
        public long BytesRead { get; set; }
    }
}
