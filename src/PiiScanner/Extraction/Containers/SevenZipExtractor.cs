using SharpCompress.Archives;
using SharpCompress.Archives.SevenZip;
using SharpCompress.Readers;

namespace PiiScanner.Extraction;

/// <summary>
/// 7z archives (<c>7z</c>): needs random access (a non-seekable member is buffered in memory within
/// <see cref="ExtractionLimits.MaxInMemoryBytes"/>). Entries are read in archive order through one
/// forward-only pass, so solid archives are decompressed once. Encrypted archives and entries are recorded as
/// <c>encrypted</c> (members still listed when their names are readable). The expansion ratio of a member is
/// measured against the compressed bytes consumed so far (solid blocks are shared). Stateless and thread-safe.
/// </summary>
internal sealed class SevenZipExtractor : IExtractor
{
    /// <inheritdoc/>
    public string Name => "7z";

    /// <inheritdoc/>
    public bool CanExtract(ReadOnlySpan<byte> head, string path)
        => head.StartsWith((ReadOnlySpan<byte>)[(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C]);

    /// <inheritdoc/>
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        var budget = ExtractionBudget.For(context);
        if (await ContainerMembers.SeekableOrSkipAsync(context, cancellationToken).ConfigureAwait(false) is not { } seekable)
        {
            return;
        }

        seekable.Position = 0;
        var counting = new CountingStream(seekable);
        IArchive archive;
        List<IArchiveEntry> entries;
        try
        {
            archive = SevenZipArchive.OpenArchive(counting, new ReaderOptions { LeaveStreamOpen = true });
            entries = [.. archive.Entries];
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ExtractionLimitException)
        {
            context.Skip(ContainerErrors.Reason(ex));
            return;
        }

        using (archive)
        {
            var names = new MemberNames();
            if (entries.Exists(e => e.IsEncrypted && !e.IsDirectory))
            {
                await ListEncryptedAsync(context, budget, entries, names, cancellationToken).ConfigureAwait(false);
                return;
            }

            try
            {
                using var reader = archive.ExtractAllEntries();
                await ArchiveReaderLoop.RunAsync(context, budget, reader, () => counting.BytesRead, names, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not ExtractionLimitException)
            {
                context.MarkPartial(ContainerErrors.Reason(ex));
            }
        }
    }

    private static async ValueTask ListEncryptedAsync(
        ExtractionContext context, ExtractionBudget budget, List<IArchiveEntry> entries, MemberNames names, CancellationToken cancellationToken)
    {
        // Without the password nothing can be decoded; list the names so every member is accounted for.
        var count = 0;
        var index = 0;
        foreach (var entry in entries)
        {
            index++;
            if (entry.IsDirectory)
            {
                continue;
            }

            if (!ContainerMembers.BeforeEntry(context, budget, ref count))
            {
                return;
            }

            var name = names.Unique(ContainerMembers.CleanName(entry.Key, $"entry-{index}"));
            var child = ContainerMembers.Child(context, name, entry.Size, ArchiveReaderLoop.ToOffset(entry.LastModifiedTime));
            context.AddCount("encrypted");
            await ContainerMembers.SkipAsync(context, child, "encrypted", cancellationToken).ConfigureAwait(false);
        }

        context.Skip("encrypted");
    }
}
