using System.Formats.Tar;

namespace PiiScanner.Extraction;

/// <summary>
/// Tar archives (<c>tar</c>: ustar, pax, GNU and old V7 headers), read forward-only with
/// <see cref="System.Formats.Tar.TarReader"/>, so a tar inside a gzip streams without buffering. Each regular
/// file is a child item <c>archive.tar!dir/member</c>; links, devices and other special entries are recorded
/// as <c>skipped</c> children. Truncated or damaged archives end as <c>partial</c>. Stateless and thread-safe.
/// </summary>
internal sealed class TarExtractor : IExtractor
{
    /// <inheritdoc/>
    public string Name => "tar";

    /// <inheritdoc/>
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => LooksLikeTar(head);

    /// <summary>True for a ustar magic at offset 257, or a V7 header whose checksum is right.</summary>
    internal static bool LooksLikeTar(ReadOnlySpan<byte> head)
    {
        if (head.Length < 512 || head[0] == 0)
        {
            return false;
        }

        if (head.Slice(257, 5).SequenceEqual("ustar"u8))
        {
            return true;
        }

        // Old V7 headers have no magic: check the header checksum (the checksum field counts as spaces).
        long sum = 0;
        for (var i = 0; i < 512; i++)
        {
            sum += i is >= 148 and < 156 ? (byte)' ' : head[i];
        }

        var field = head.Slice(148, 8);
        long stored = 0;
        var digits = 0;
        foreach (var b in field)
        {
            if (b is >= (byte)'0' and <= (byte)'7')
            {
                stored = (stored * 8) + (b - '0');
                digits++;
            }
            else if (b is 0 or (byte)' ' && digits > 0)
            {
                break;
            }
            else if (b != ' ')
            {
                return false;
            }
        }

        return digits > 0 && stored == sum;
    }

    /// <inheritdoc/>
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        var budget = ExtractionBudget.For(context);
        var names = new MemberNames();
        var count = 0;
        var files = 0;
        var reader = new TarReader(context.Content, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            while (true)
            {
                TarEntry? entry;
                try
                {
                    entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not ExtractionLimitException)
                {
                    MarkDamaged(context, files, ex);
                    return;
                }
                catch (ExtractionLimitException ex)
                {
                    // Our own input is a member stream that ran out of budget.
                    context.MarkPartial(ex.LimitName);
                    return;
                }

                if (entry is null)
                {
                    return;
                }

                if (entry.EntryType is TarEntryType.Directory)
                {
                    continue;
                }

                files++;
                if (!ContainerMembers.BeforeEntry(context, budget, ref count))
                {
                    return;
                }

                var name = names.Unique(ContainerMembers.CleanName(entry.Name, $"entry-{files}"));
                var child = ContainerMembers.Child(context, name, entry.Length, entry.ModificationTime);
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                {
                    var reason = entry.EntryType switch
                    {
                        TarEntryType.SymbolicLink or TarEntryType.HardLink => "link",
                        TarEntryType.SparseFile => "unsupported: sparse",
                        _ => "special-file",
                    };
                    await ContainerMembers.SkipAsync(context, child, reason, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!ContainerMembers.DepthAllows(context))
                {
                    await ContainerMembers.SkipTooDeepAsync(context, child, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // Tar members are slices of bytes already counted (or read from disk): metered, not counted.
                var meter = new MemberMeter(compressedRead: null);
                await using var member = new MemberStream(entry.DataStream ?? Stream.Null, budget, meter, ownsInner: false, completeAt: produced => produced >= entry.Length);
                var outcome = await ContainerMembers.ScanAsync(context, budget, child, member, cancellationToken).ConfigureAwait(false);
                if (outcome != MemberOutcome.Continue)
                {
                    // A forward-only tar cannot go past bad data.
                    return;
                }
            }
        }
    }

    private static void MarkDamaged(ExtractionContext context, int files, Exception ex)
    {
        var reason = ex is EndOfStreamException ? "truncated" : "corrupt";
        if (files == 0)
        {
            context.Skip(reason);
        }
        else
        {
            context.MarkPartial(reason);
        }
    }
}
