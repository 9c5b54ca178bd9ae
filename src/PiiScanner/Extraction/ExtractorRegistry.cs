namespace PiiScanner.Extraction;

/// <summary>
/// The ordered list of extractors. The first whose <see cref="IExtractor.CanExtract"/> accepts the content wins,
/// so specific formats come before generic ones (zip-based Office formats before zip, text last).
/// Immutable and thread-safe.
/// </summary>
public sealed class ExtractorRegistry
{
    private readonly IExtractor[] _extractors;

    /// <summary>Creates a registry of extractors in priority order.</summary>
    public ExtractorRegistry(IEnumerable<IExtractor> extractors) => _extractors = [.. extractors];

    /// <summary>The built-in extractors, most specific first.</summary>
    public static ExtractorRegistry CreateDefault() => new(
    [
        // one line per extractor, most specific first
        new Raw.RawExtractor(), // never sniffed (CanExtract is false): chosen by the "raw" hint of disk-image pages
    ]);

    /// <summary>The extractors in priority order.</summary>
    public IReadOnlyList<IExtractor> Extractors => _extractors;

    /// <summary>Picks the extractor for the content, or null when none accepts it.</summary>
    public IExtractor? Select(ReadOnlySpan<byte> head, string path)
    {
        foreach (var extractor in _extractors)
        {
            if (extractor.CanExtract(head, path))
            {
                return extractor;
            }
        }

        return null;
    }

    /// <summary>Finds an extractor by name (for <see cref="Sources.ScanItem.ExtractorHint"/>).</summary>
    public IExtractor? Find(string name)
        => Array.Find(_extractors, e => string.Equals(e.Name, name, StringComparison.Ordinal));
}
