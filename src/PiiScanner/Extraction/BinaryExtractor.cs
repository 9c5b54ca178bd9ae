namespace PiiScanner.Extraction;

/// <summary>
/// The last resort: accepts any content and records it as skipped with reason <c>binary</c>.
/// Registered last so that every real format gets its chance first. Stateless and thread-safe.
/// </summary>
internal sealed class BinaryExtractor : IExtractor
{
    /// <summary>The skip reason recorded for binary content.</summary>
    public const string SkipReason = "binary";

    /// <inheritdoc />
    public string Name => "binary";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => true;

    /// <inheritdoc />
    public ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Skip(SkipReason);
        return ValueTask.CompletedTask;
    }
}
