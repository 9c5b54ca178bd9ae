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
    private readonly HashSet<string> _names;

    /// <summary>Creates the siblings of the files in <paramref name="directory"/> from its listing.</summary>
    public DirectorySiblings(string directory, IEnumerable<FileSystemInfo> entries)
    {
        _directory = directory;
        var names = entries
            .Where(e => e is FileInfo && !e.Attributes.HasFlag(FileAttributes.ReparsePoint))
            .Select(e => e.Name)
            .Order(StringComparer.Ordinal)
            .ToArray();
        Names = names;
        _names = new HashSet<string>(names, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Names { get; }

    /// <inheritdoc />
    public Stream? OpenRead(string name)
    {
        if (!_names.Contains(name))
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
