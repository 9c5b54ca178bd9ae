using System.Text;
using PiiScanner.Sources;

namespace PiiScanner.Extraction;

/// <summary>What a container does after one member was scanned.</summary>
internal enum MemberOutcome
{
    /// <summary>Go on with the next member.</summary>
    Continue,

    /// <summary>The member's data could not be decoded (corrupt or truncated); the container is partial.</summary>
    Failed,

    /// <summary>A budget-wide limit tripped: stop reading this container (the reason is already recorded).</summary>
    Stop,
}

/// <summary>
/// The steps every container extractor shares: member naming (<c>parent!member</c>), the depth and entry-count
/// limits, skipped-member records, and scanning a member through <see cref="ExtractionContext.ProcessChildAsync"/>
/// with the limit bookkeeping afterwards.
/// </summary>
internal static class ContainerMembers
{
    /// <summary>
    /// Records a member that cannot be read — encrypted (the container becomes partial) or nested deeper than the
    /// depth limit — as a skipped child, and says so; false when the member should be read.
    /// </summary>
    public static async ValueTask<bool> SkippedAsync(ExtractionContext context, ScanItem child, bool encrypted, CancellationToken cancellationToken)
    {
        if (encrypted)
        {
            context.AddCount("encrypted");
            context.MarkPartial("encrypted");
            await SkipAsync(context, child, "encrypted", cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (!DepthAllows(context))
        {
            await SkipTooDeepAsync(context, child, cancellationToken).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The content as a seekable stream, or null after recording the item as skipped when buffering it would
    /// exceed the in-memory limit (archives that need random access and arrive as a forward-only member).
    /// </summary>
    public static async ValueTask<Stream?> SeekableOrSkipAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await context.GetSeekableContentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ExtractionLimitException ex)
        {
            context.Skip(ex.LimitName);
            return null;
        }
    }

    /// <summary>The file name at the end of a logical path (<c>a/b.zip!c/d.tar.gz</c> → <c>d.tar.gz</c>).</summary>
    public static string LeafName(string path)
    {
        var cut = Math.Max(path.LastIndexOf('!'), path.LastIndexOf('/'));
        return path[(cut + 1)..];
    }

    /// <summary>
    /// Turns a stored member name into a logical path segment: <c>\</c> becomes <c>/</c>, control characters
    /// become <c>_</c>, and <c>!</c> (the container separator) is written <c>%21</c>. Names such as
    /// <c>../../etc/x</c> are kept as they are: they are only ever logical names, never file-system paths.
    /// </summary>
    public static string CleanName(string? raw, string fallback)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        var builder = new StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            builder.Append(c switch
            {
                '\\' => "/",
                '!' => "%21",
                _ when char.IsControl(c) => "_",
                _ => c.ToString(),
            });
        }

        var name = builder.ToString().TrimEnd('/');
        return name.Length == 0 ? fallback : name;
    }

    /// <summary>True when a member of the context's item may still be opened (its depth is within the limit).</summary>
    public static bool DepthAllows(ExtractionContext context) => context.Item.Depth + 1 <= context.Limits.MaxDepth;

    /// <summary>A child item of the context's item.</summary>
    public static ScanItem Child(ExtractionContext context, string name, long? length, DateTimeOffset? modified = null)
        => new(context.Item.Path + "!" + name, length, Open: null)
        {
            Depth = context.Item.Depth + 1,
            Modified = modified,
        };

    /// <summary>
    /// Counts one more entry and checks the container-wide limits before it is read. Returns false (after
    /// marking the container partial with the limit's name) when the container must stop.
    /// </summary>
    public static bool BeforeEntry(ExtractionContext context, ExtractionBudget budget, ref int entries)
    {
        entries++;
        if (entries > context.Limits.MaxEntriesPerContainer)
        {
            context.MarkPartial(LimitNames.Entries);
            return false;
        }

        try
        {
            budget.ThrowIfExhausted();
        }
        catch (ExtractionLimitException ex)
        {
            context.MarkPartial(ex.LimitName);
            return false;
        }

        context.AddCount("entries");
        return true;
    }

    /// <summary>Records a member that is not read (encrypted, too deep…) as a skipped child with the reason.</summary>
    public static ValueTask SkipAsync(ExtractionContext context, ScanItem child, string reason, CancellationToken cancellationToken)
        => context.ProcessChildAsync(child with { SkipReason = reason }, Stream.Null, cancellationToken);

    /// <summary>Records a member that is too deep and marks the container partial.</summary>
    public static ValueTask SkipTooDeepAsync(ExtractionContext context, ScanItem child, CancellationToken cancellationToken)
    {
        context.MarkPartial(LimitNames.Depth);
        return SkipAsync(context, child, LimitNames.Depth, cancellationToken);
    }

    /// <summary>
    /// Scans one member now and then applies what its <see cref="MemberMeter"/> saw: a limit that tripped marks
    /// the container partial with that limit's name; a budget-wide limit stops the container.
    /// </summary>
    public static async ValueTask<MemberOutcome> ScanAsync(
        ExtractionContext context, ExtractionBudget budget, ScanItem child, MemberStream content, CancellationToken cancellationToken)
    {
        budget.AttachTo(child);
        try
        {
            await context.ProcessChildAsync(child, content, cancellationToken).ConfigureAwait(false);
        }
        catch (ExtractionLimitException ex)
        {
            // The pipeline records the child itself; it may or may not rethrow the limit to us.
            content.Meter.Tripped ??= ex.LimitName;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            content.Meter.Failed = true;
        }

        return Settle(context, budget, content.Meter);
    }

    /// <summary>Applies a meter's findings to the container (see <see cref="ScanAsync"/>).</summary>
    public static MemberOutcome Settle(ExtractionContext context, ExtractionBudget budget, MemberMeter meter)
    {
        if (meter.Tripped is { } limit)
        {
            context.MarkPartial(limit);
        }

        if (budget.Tripped is { } exhausted)
        {
            context.MarkPartial(exhausted);
            return MemberOutcome.Stop;
        }

        if (meter.Failed && meter.Tripped is null)
        {
            context.MarkPartial(meter.FailureReason ?? "corrupt");
            return MemberOutcome.Failed;
        }

        return MemberOutcome.Continue;
    }
}

/// <summary>Gives each member of one container a unique logical name (<c>a.csv</c>, <c>a (2).csv</c>…).</summary>
internal sealed class MemberNames
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Returns <paramref name="name"/>, or a numbered variant when it was already used.</summary>
    public string Unique(string name)
    {
        if (_used.Add(name))
        {
            return name;
        }

        var slash = name.LastIndexOf('/');
        var dot = name.LastIndexOf('.');
        var cut = dot > slash + 1 ? dot : name.Length;
        for (var n = 2; ; n++)
        {
            var candidate = string.Concat(name.AsSpan(0, cut), $" ({n})", name.AsSpan(cut));
            if (_used.Add(candidate))
            {
                return candidate;
            }
        }
    }
}
