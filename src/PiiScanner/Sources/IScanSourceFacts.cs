namespace PiiScanner.Sources;

/// <summary>
/// A source that has facts to record in <c>summary.json</c> (a disk image's hashes before and after the scan,
/// tool versions). The scanner calls <see cref="GetFacts"/> once, after every item is done.
/// </summary>
public interface IScanSourceFacts
{
    /// <summary>Facts as key/value strings (keys like <c>image.sha256.before</c>). Never personal data.</summary>
    IReadOnlyDictionary<string, string> GetFacts();
}
