namespace PiiScanner.Sources;

/// <summary>A single file given as a scan root; its logical path is its file name (or the given prefix).</summary>
public sealed class SingleFileSource : IScanSource
{
    private readonly string _path;
    private readonly string _logicalPath;

    /// <summary>Creates a source for one file.</summary>
    public SingleFileSource(string path, string? logicalPath = null)
    {
        _path = Path.GetFullPath(path);
        _logicalPath = logicalPath ?? Path.GetFileName(_path);
    }

    /// <inheritdoc />
    public string Description => _path;

    /// <summary>The file's logical path (its item's path).</summary>
    public string LogicalPath => _logicalPath;

    /// <inheritdoc />
    public async Task EnumerateAsync(ItemWriter output, CancellationToken cancellationToken)
    {
        var (special, inode, _, _) = EvidenceFile.Lstat(_path);
        ScanItem item;
        if (special is null)
        {
            var info = new FileInfo(_path);
            item = new ScanItem(_logicalPath, info.Length, _ => EvidenceFile.Open(_path)) { Modified = info.LastWriteTimeUtc, FileId = inode };
        }
        else
        {
            item = new ScanItem(_logicalPath, null, null) { SkipReason = special };
        }

        await output.WriteAsync(item, cancellationToken).ConfigureAwait(false);
    }
}
