namespace PiiScanner.Extraction;

/// <summary>
/// Turns the bytes of one item into <see cref="Segment"/>s (and, for containers, child items).
/// Implementations are stateless and thread-safe: one instance serves all workers.
/// </summary>
public interface IExtractor
{
    /// <summary>Short name recorded in <c>files.jsonl</c> as the extractor that ran (<c>text</c>, <c>csv</c>, <c>zip</c>…).</summary>
    string Name { get; }

    /// <summary>
    /// Decides from the content (magic bytes, structure of the first bytes) whether this extractor handles the item.
    /// The path's extension may break ties between formats that share a container (zip → docx/xlsx) but content decides.
    /// </summary>
    bool CanExtract(ReadOnlySpan<byte> head, string path);

    /// <summary>
    /// Extracts the item. Emits segments and child items through <paramref name="context"/>; reports partial
    /// extraction and limits through it. Throws only for unexpected failures (recorded as <c>failed</c>);
    /// expected bad input (corrupt, encrypted) is reported with <see cref="ExtractionContext.Skip"/> or
    /// <see cref="ExtractionContext.MarkPartial"/>.
    /// </summary>
    ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken);
}
