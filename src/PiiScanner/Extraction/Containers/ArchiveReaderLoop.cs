using SharpCompress.Readers;

namespace PiiScanner.Extraction;

/// <summary>
/// Walks a SharpCompress forward-only <see cref="IReader"/> (7z, zip without a usable central directory) and
/// scans each file entry as a child. Every entry's remaining bytes are drained through its
/// <see cref="MemberStream"/> after the child returns, so what the reader decompresses to skip is still counted.
/// </summary>
internal static class ArchiveReaderLoop
{
    /// <summary>Reads all entries; returns how many file entries were met. Decoding errors end the walk as partial.</summary>
    /// <param name="context">The container's context.</param>
    /// <param name="budget">The item's budget.</param>
    /// <param name="reader">The reader, positioned before the first entry.</param>
    /// <param name="compressedRead">Compressed bytes read so far from the container (cumulative).</param>
    /// <param name="names">Names already used in this container.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    public static async ValueTask<int> RunAsync(
        ExtractionContext context,
        ExtractionBudget budget,
        IReader reader,
        Func<long> compressedRead,
        MemberNames names,
        CancellationToken cancellationToken)
    {
        var files = 0;
        var entries = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool more;
            try
            {
                more = reader.MoveToNextEntry();
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not ExtractionLimitException)
            {
                context.MarkPartial(ex is EndOfStreamException ? "truncated" : "corrupt");
                return files;
            }

            if (!more)
            {
                return files;
            }

            var entry = reader.Entry;
            if (entry.IsDirectory)
            {
                continue;
            }

            files++;
            if (!ContainerMembers.BeforeEntry(context, budget, ref entries))
            {
                return files;
            }

            var name = names.Unique(ContainerMembers.CleanName(entry.Key, $"entry-{files}"));
            var child = ContainerMembers.Child(context, name, entry.Size, ToOffset(entry.LastModifiedTime));
            if (await ContainerMembers.SkippedAsync(context, child, entry.IsEncrypted, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            Stream raw;
            try
            {
                raw = reader.OpenEntryStream();
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not ExtractionLimitException)
            {
                var reason = ContainerErrors.Reason(ex);
                context.MarkPartial(reason);
                await ContainerMembers.SkipAsync(context, child, reason, cancellationToken).ConfigureAwait(false);
                return files;
            }

            var start = compressedRead();
            var meter = new MemberMeter(() => compressedRead() - start);
            await using var member = new MemberStream(raw, budget, meter, ownsInner: true);
            var outcome = await ContainerMembers.ScanAsync(context, budget, child, member, cancellationToken).ConfigureAwait(false);
            if (outcome == MemberOutcome.Continue && meter.Tripped is null)
            {
                // The reader must pass over the rest of the entry anyway; count it.
                try
                {
                    member.Drain();
                }
                catch (ExtractionLimitException)
                {
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    meter.Failed = true;
                }

                outcome = ContainerMembers.Settle(context, budget, meter);
            }

            if (outcome != MemberOutcome.Continue || meter.Tripped is not null)
            {
                // A forward-only reader cannot resync after bad data, and skipping a tripped member would
                // decompress the rest of it uncounted.
                return files;
            }
        }
    }

    /// <summary>Converts an archive time stamp (kind unknown: treated as UTC).</summary>
    public static DateTimeOffset? ToOffset(DateTime? time)
    {
        if (time is not { } t)
        {
            return null;
        }

        try
        {
            return new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc));
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}

/// <summary>Maps library exceptions on bad archive input to short, stable reasons for <c>files.jsonl</c>.</summary>
internal static class ContainerErrors
{
    /// <summary>The reason for <paramref name="ex"/>: <c>encrypted</c>, <c>unsupported</c>, <c>truncated</c> or <c>corrupt</c>.</summary>
    public static string Reason(Exception ex) => ex switch
    {
        SharpCompress.Common.CryptographicException => "encrypted",
        System.Security.Cryptography.CryptographicException => "encrypted",
        NotSupportedException or NotImplementedException => "unsupported",
        EndOfStreamException or SharpCompress.Common.IncompleteArchiveException => "truncated",
        _ when ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("encrypt", StringComparison.OrdinalIgnoreCase) => "encrypted",
        _ => "corrupt",
    };
}
