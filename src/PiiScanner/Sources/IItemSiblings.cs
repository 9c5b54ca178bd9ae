namespace PiiScanner.Sources;

/// <summary>
/// Read-only access to the files beside an item, for extractors that need a companion file to read the item
/// (a COBOL copybook or a layout file next to a fixed-width extract). The sibling is still scanned as its own
/// item; this only lets an extractor read it too. Implementations are thread-safe and never write.
/// </summary>
public interface IItemSiblings
{
    /// <summary>Names (no folder part) of the regular files beside the item, the item itself included.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>
    /// Opens the sibling named <paramref name="name"/> (one of <see cref="Names"/>, compared ordinally)
    /// read-only, or returns null when it is not there, is not a regular file or cannot be opened.
    /// The caller owns and disposes the stream.
    /// </summary>
    Stream? OpenRead(string name);
}

/// <summary>Siblings of the files of one directory on disk: regular files only, never links.</summary>
internal sealed class DirectorySiblings : IItemSiblings
{
    private readonly string _directory;

    // Told on first use (an extractor that asks): telling a regular file from a link or a FIFO takes a stat of each
    // entry, which a rescan that reads nothing must not pay.
    private readonly Lazy<(string[] Names, HashSet<string> Set)> _names;

    /// <summary>Creates the siblings of the files in <paramref name="directory"/> from the names of its listing's files.</summary>
    public DirectorySiblings(string directory, IReadOnlyList<string> fileNames)
    {
        _directory = directory;
        _names = new(() =>
        {
            var names = fileNames
                .Where(n => EvidenceFile.SpecialReason(Path.Combine(directory, n)) is null)
                .Order(StringComparer.Ordinal)
                .ToArray();
            return (names, new HashSet<string>(names, StringComparer.Ordinal));
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Names => _names.Value.Names;

    /// <inheritdoc />
    public Stream? OpenRead(string name)
    {
        if (!_names.Value.Set.Contains(name))
        {
            return null;
        }

        var path = Path.Combine(_directory, name);
        if (EvidenceFile.SpecialReason(path) is not null)
        {
            return null;
        }

        try
        {
            return EvidenceFile.Open(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
