using System.Threading.Channels;

namespace PiiScanner.Sources;

/// <summary>
/// Walks a directory tree in parallel and writes every entry it meets: regular files as scannable items,
/// and links, FIFOs, sockets, devices and unreadable directories as skipped items with a reason.
/// Symbolic links are never followed (in or out of the tree); special files are never opened (opening a FIFO
/// blocks, reading a device can hang or destroy data). Files are opened read-only and shared for writing, so a
/// live share keeps working. Thread-safe; one instance per root.
/// </summary>
public sealed class DirectorySource : IScanSource
{
    private readonly string _root;
    private readonly HashSet<string> _excluded;
    private readonly int _parallelism;
    private readonly string _prefix;
    private string? _namesFrom;
    private string? _namesTo;

    /// <summary>Creates a walker for <paramref name="root"/>.</summary>
    /// <param name="root">The directory to walk.</param>
    /// <param name="pathPrefix">Prefix for the logical paths (empty when scanning one root).</param>
    /// <param name="excludedPaths">Absolute paths not to enter (the scan's own output folder).</param>
    /// <param name="parallelism">Directories listed at once (at least 1).</param>
    public DirectorySource(string root, string pathPrefix = "", IEnumerable<string>? excludedPaths = null, int parallelism = 4)
    {
        _root = Path.GetFullPath(root);
        _prefix = pathPrefix;
        _excluded = new HashSet<string>(
            (excludedPaths ?? []).Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))),
            StringComparer.Ordinal);
        _parallelism = Math.Max(1, parallelism);
    }

    /// <inheritdoc />
    public string Description => _root;

    /// <summary>The logical path of the walked directory (its items' paths start with it); empty for the root of a scan of one root.</summary>
    public string LogicalPath => _prefix;

    /// <summary>
    /// A walker of one directory of this tree whose items keep the logical paths they have in a walk of the whole
    /// tree, leaving out the given subdirectories (walked as units of their own): a scan cut into work units (on a
    /// cluster) reads, unit by unit, exactly the items of one whole walk.
    /// </summary>
    /// <param name="relativePath">The directory relative to the root, with <c>/</c> separators; empty for the root.</param>
    /// <param name="excludedRelativePaths">Directories, relative to the root, not to enter.</param>
    /// <param name="namesFrom">
    /// With <paramref name="namesTo"/>: a batch of a large flat directory. Only the entries of the directory itself
    /// whose names are in <c>[namesFrom, namesTo)</c> (ordinal; null is unbounded) are read (and walked, when they
    /// are subdirectories); the batches of one directory together read all of it, and only the first batch
    /// (<paramref name="namesFrom"/> null) reports the directory itself when it cannot be listed.
    /// </param>
    /// <param name="namesTo">The end of the batch (excluded); null: to the last name.</param>
    public DirectorySource Subtree(string relativePath, IEnumerable<string> excludedRelativePaths, string? namesFrom = null, string? namesTo = null)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        ArgumentNullException.ThrowIfNull(excludedRelativePaths);
        string Full(string relative) => relative.Length == 0 ? _root : Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar));
        return new DirectorySource(Full(relativePath), Prefixed(relativePath), [.. _excluded, .. excludedRelativePaths.Select(Full)], _parallelism)
        {
            _namesFrom = namesFrom,
            _namesTo = namesTo,
        };
    }

    /// <inheritdoc />
    public async Task EnumerateAsync(ItemWriter output, CancellationToken cancellationToken)
    {
        // Directories to list flow through an unbounded channel; `pending` counts directories queued or being
        // listed, and the channel completes when it drops to zero.
        var directories = Channel.CreateUnbounded<Folder>();
        var pending = 1;
        directories.Writer.TryWrite(new Folder(_root, null, string.Empty));

        async Task ListerAsync()
        {
            await foreach (var directory in directories.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    void Enqueue(Folder subdirectory)
                    {
                        Interlocked.Increment(ref pending);
                        directories.Writer.TryWrite(subdirectory);
                    }

                    if (directory.Raw is { } raw)
                    {
                        await ListRawAsync(raw, directory.Logical, onlyNonUtf8: false, output, Enqueue, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await ListAsync(directory.Path!, output, Enqueue, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    if (Interlocked.Decrement(ref pending) == 0)
                    {
                        directories.Writer.TryComplete();
                    }
                }
            }
        }

        var listers = Enumerable.Range(0, _parallelism).Select(_ => Task.Run(ListerAsync, cancellationToken)).ToArray();
        await Task.WhenAll(listers).ConfigureAwait(false);
    }

    private async Task ListAsync(string directory, ItemWriter output, Action<Folder> enqueue, CancellationToken cancellationToken)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = false,
            AttributesToSkip = 0,
            ReturnSpecialDirectories = false,
        };

        // Entries as the listing gives them (no FileSystemInfo: making one stats the entry). On Linux a file's one
        // statx below tells its type (a link is not followed), inode, size and time; a directory is asked here whether
        // it is a link. Elsewhere the listing's attributes, size and time are taken as they come.
        var linux = OperatingSystem.IsLinux();
        List<Entry> entries;
        try
        {
            entries = [.. new System.IO.Enumeration.FileSystemEnumerable<Entry>(
                directory,
                (ref System.IO.Enumeration.FileSystemEntry e) => linux
                    ? new Entry(e.ToFullPath(), e.FileName.ToString(), e.IsDirectory, e.IsDirectory && e.Attributes.HasFlag(FileAttributes.ReparsePoint), null, null)
                    : new Entry(e.ToFullPath(), e.FileName.ToString(), e.IsDirectory, e.Attributes.HasFlag(FileAttributes.ReparsePoint), e.Length, e.LastWriteTimeUtc),
                options)];
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            if (directory != _root || _namesFrom is null)
            {
                await output.WriteAsync(Skipped(directory, ex is UnauthorizedAccessException ? "permission-denied" : "io-error: directory unreadable"), cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var siblings = new DirectorySiblings(directory, [.. entries.Where(e => !e.IsDirectory && !e.IsLink).Select(e => e.Name)]);
        var batch = directory == _root && (_namesFrom ?? _namesTo) is not null;
        var nonUtf8 = false;
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var full = entry.FullPath;
            if (_excluded.Contains(full) || (batch && !InBatch(entry.Name)))
            {
                continue;
            }

            // A name that is not UTF-8 (Latin-1 on an old share) reaches us with U+FFFD in place of its bytes and
            // names nothing on disk: it is listed again by its raw bytes below.
            if (entry.Name.Contains('\uFFFD', StringComparison.Ordinal) && linux && NativeFile.TypeOf(full) is null)
            {
                nonUtf8 = true;
                continue;
            }

            if (entry.IsLink)
            {
                await output.WriteAsync(Skipped(full, "symlink: not followed"), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (entry.IsDirectory)
            {
                enqueue(new Folder(full, null, string.Empty));
                continue;
            }

            var (special, inode, length, modified) = EvidenceFile.Lstat(full);
            if (special is not null)
            {
                await output.WriteAsync(Skipped(full, special), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!linux)
            {
                (length, modified) = (entry.Length, entry.Modified);
            }

            await output.WriteAsync(new ScanItem(Relative(full), length, _ => EvidenceFile.Open(full)) { Modified = modified, FileId = inode, Siblings = siblings }, cancellationToken).ConfigureAwait(false);
        }

        if (nonUtf8)
        {
            await ListRawAsync(NativeFile.Terminated(directory)[..^1], Unprefixed(directory), onlyNonUtf8: true, output, enqueue, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Lists a directory by the raw bytes of its path (Linux): the entries whose names are not UTF-8 (or, below such
    /// a name, every entry), with the invalid bytes escaped in their logical paths (<see cref="NativeFile.EscapeName"/>).
    /// </summary>
    private async Task ListRawAsync(byte[] directory, string logical, bool onlyNonUtf8, ItemWriter output, Action<Folder> enqueue, CancellationToken cancellationToken)
    {
        List<byte[]> names;
        try
        {
            names = NativeFile.ListNames(NativeFile.Terminated(directory));
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            await output.WriteAsync(SkippedAt(logical, ex is UnauthorizedAccessException ? "permission-denied" : "io-error: directory unreadable"), cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (onlyNonUtf8 && System.Text.Unicode.Utf8.IsValid(name))
            {
                continue;
            }

            byte[] raw = [.. directory, (byte)'/', .. name];
            var path = logical.Length == 0 ? NativeFile.EscapeName(name) : logical + "/" + NativeFile.EscapeName(name);
            var terminated = NativeFile.Terminated(raw);
            var stat = NativeFile.Stat(terminated);
            if (stat is { Type: NativeFile.EntryType.Directory })
            {
                enqueue(new Folder(null, raw, path));
            }
            else if (stat is { Type: NativeFile.EntryType.Regular } file)
            {
                await output.WriteAsync(new ScanItem(Prefixed(path), file.Size, _ => EvidenceFile.Open(terminated)) { Modified = file.Modified }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(SkippedAt(path, stat is { } other ? EvidenceFile.SpecialReason(other.Type)! : "vanished: the entry was gone when it was examined"), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The name is in this walker's batch of its directory's entries (see <see cref="Subtree"/>).</summary>
    private bool InBatch(string name)
        => (_namesFrom is null || string.CompareOrdinal(name, _namesFrom) >= 0) && (_namesTo is null || string.CompareOrdinal(name, _namesTo) < 0);

    private ScanItem Skipped(string fullPath, string reason) => SkippedAt(Unprefixed(fullPath), reason);

    private ScanItem SkippedAt(string logical, string reason) => new(Prefixed(logical), null, null) { SkipReason = reason };

    private string Relative(string fullPath) => Prefixed(Unprefixed(fullPath));

    private string Unprefixed(string fullPath)
    {
        var relative = Path.GetRelativePath(_root, fullPath);
        return relative == "." ? string.Empty : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private string Prefixed(string relative) => _prefix.Length == 0 ? relative : relative.Length == 0 ? _prefix : _prefix + "/" + relative;

    /// <summary>An entry of a directory listing; <see cref="Length"/> and <see cref="Modified"/> only where the listing tells them (not Linux).</summary>
    private sealed record Entry(string FullPath, string Name, bool IsDirectory, bool IsLink, long? Length, DateTimeOffset? Modified);

    /// <summary>A directory to list: by its path, or (below a name that is not UTF-8) by its raw bytes and logical path.</summary>
    private sealed record Folder(string? Path, byte[]? Raw, string Logical);
}
