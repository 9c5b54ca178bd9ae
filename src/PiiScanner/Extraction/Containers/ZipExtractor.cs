using SharpCompress.Archives;
using SharpCompress.Archives.Zip;
using SharpCompress.Readers;
using SharpCompress.Readers.Zip;

namespace PiiScanner.Extraction;

/// <summary>
/// Zip archives (<c>zip</c>): every file entry is scanned as a child item <c>archive.zip!dir/member</c>, nested
/// archives recursively through the pipeline. Reads the central directory (random access; a non-seekable
/// member is buffered in memory within <see cref="ExtractionLimits.MaxInMemoryBytes"/>), falling back to the
/// local headers when the directory is missing or damaged (truncated archives). Encrypted entries are recorded
/// as <c>skipped</c> / <c>encrypted</c>; entries whose data overlaps another's (overlapping-entry bombs) as
/// <c>skipped</c> / <c>overlapping-entries</c>. Never writes to disk; member names are logical only.
/// Stateless and thread-safe.
/// </summary>
internal sealed class ZipExtractor : IExtractor
{
    /// <inheritdoc/>
    public string Name => "zip";

    /// <inheritdoc/>
    public bool CanExtract(ReadOnlySpan<byte> head, string path)
        => head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K'
           && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6) || (head[2] == 7 && head[3] == 8)
               || (head[2] == (byte)'0' && head[3] == (byte)'0'));

    /// <inheritdoc/>
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        var budget = ExtractionBudget.For(context);
        if (await ContainerMembers.SeekableOrSkipAsync(context, cancellationToken).ConfigureAwait(false) is not { } seekable)
        {
            return;
        }

        var names = new MemberNames();
        var overlaps = ZipLayout.FindOverlaps(seekable);
        seekable.Position = 0;
        var counting = new CountingStream(seekable);
        List<ZipArchiveEntry> entries;
        IArchive archive;
        try
        {
            archive = ZipArchive.OpenArchive(counting, new ReaderOptions { LeaveStreamOpen = true });
            entries = [.. archive.Entries.Cast<ZipArchiveEntry>()];
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ExtractionLimitException)
        {
            await ReadLocalHeadersAsync(context, budget, seekable, names, cancellationToken).ConfigureAwait(false);
            return;
        }

        using (archive)
        {
            // Entry indexes only line up with the directory when the library listed every record.
            var overlapping = overlaps is not null && overlaps.EntryCount == entries.Count ? overlaps.Overlapping : null;
            await ReadDirectoryAsync(context, budget, entries, counting, overlapping, names, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask ReadDirectoryAsync(
        ExtractionContext context,
        ExtractionBudget budget,
        List<ZipArchiveEntry> entries,
        CountingStream counting,
        HashSet<int>? overlaps,
        MemberNames names,
        CancellationToken cancellationToken)
    {
        var count = 0;
        for (var index = 0; index < entries.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = entries[index];
            if (entry.IsDirectory)
            {
                continue;
            }

            if (!ContainerMembers.BeforeEntry(context, budget, ref count))
            {
                return;
            }

            var name = names.Unique(ContainerMembers.CleanName(entry.Key, $"entry-{index + 1}"));
            var child = ContainerMembers.Child(context, name, entry.Size, ArchiveReaderLoop.ToOffset(entry.LastModifiedTime));
            if (overlaps is not null && overlaps.Contains(index))
            {
                context.AddCount("overlapping");
                context.MarkPartial("overlapping-entries");
                await ContainerMembers.SkipAsync(context, child, "overlapping-entries", cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (await ContainerMembers.SkippedAsync(context, child, entry.IsEncrypted, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var start = counting.BytesRead;
            Stream raw;
            try
            {
                raw = entry.OpenEntryStream();
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not ExtractionLimitException)
            {
                var reason = ContainerErrors.Reason(ex);
                context.MarkPartial(reason);
                await ContainerMembers.SkipAsync(context, child, reason, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // The central directory states every member's CRC-32 and size: a member whose bytes differ (a damaged
            // archive, or a decoder handing back stale buffer contents) is corrupt, whatever it seemed to contain.
            var meter = new MemberMeter(() => counting.BytesRead - start) { Checked = true };
            await using var member = new MemberStream(raw, budget, meter, ownsInner: true, expected: ((uint)entry.Crc, entry.Size));
            if (await ContainerMembers.ScanAsync(context, budget, child, member, cancellationToken).ConfigureAwait(false) == MemberOutcome.Stop)
            {
                return;
            }
        }
    }

    private static async ValueTask ReadLocalHeadersAsync(
        ExtractionContext context, ExtractionBudget budget, Stream seekable, MemberNames names, CancellationToken cancellationToken)
    {
        // No usable central directory (truncated, damaged): walk the local headers from the start.
        seekable.Position = 0;
        var counting = new CountingStream(seekable);
        var files = 0;
        try
        {
            using var reader = ZipReader.OpenReader(counting, new ReaderOptions { LeaveStreamOpen = true });
            files = await ArchiveReaderLoop.RunAsync(context, budget, reader, () => counting.BytesRead, names, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ExtractionLimitException)
        {
            context.MarkPartial(ContainerErrors.Reason(ex));
        }

        if (files == 0)
        {
            context.Skip(context.PartialReasons.Count > 0 ? context.PartialReasons[0] : "corrupt");
        }
        else
        {
            context.MarkPartial("no-central-directory");
        }
    }
}
