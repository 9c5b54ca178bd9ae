namespace PiiScanner.Sources;

/// <summary>
/// A source that records facts about its root for <c>summary.json</c> (image hashes before and after the scan,
/// tool versions, partitions). The scanner calls <see cref="GetFacts"/> once, after every item of the source is
/// done, and merges the result into <see cref="Index.ScanSummary.Facts"/>.
/// </summary>
public interface IScanSourceFacts
{
    /// <summary>
    /// Returns the facts, keyed by dotted names (<c>image.sha256.before</c>). May do work (hashing the image
    /// again) the first time; later calls return the same values. Never contains file contents.
    /// </summary>
    IReadOnlyDictionary<string, string> GetFacts();
}
