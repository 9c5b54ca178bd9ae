using System.Threading.Channels;
using Mono.Unix;

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

    /// <inheritdoc />
    public async Task EnumerateAsync(ItemWriter output, CancellationToken cancellationToken)
    {
        // Directories to list flow through an unbounded channel; `pending` counts directories queued or being
        // listed, and the channel completes when it drops to zero.
        var directories = Channel.CreateUnbounded<string>();
        var pending = 1;
        directories.Writer.TryWrite(_root);

        async Task ListerAsync()
        {
            await foreach (var directory in directories.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await ListAsync(directory, output, subdirectory =>
                    {
                        Interlocked.Increment(ref pending);
                        directories.Writer.TryWrite(subdirectory);
                    }, cancellationToken).ConfigureAwait(false);
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

    private async Task ListAsync(string directory, ItemWriter output, Action<string> enqueue, CancellationToken cancellationToken)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = false,
            AttributesToSkip = 0,
            ReturnSpecialDirectories = false,
        };

        List<FileSystemInfo> entries;
        try
        {
            entries = [.. new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options)];
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            await output.WriteAsync(Skipped(directory, ex is UnauthorizedAccessException ? "permission-denied" : "io-error: directory unreadable"), cancellationToken).ConfigureAwait(false);
            return;
        }

        var siblings = new DirectorySiblings(directory, entries);
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var full = entry.FullName;
            if (_excluded.Contains(full))
            {
                continue;
            }

            if (entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                await output.WriteAsync(Skipped(full, "symlink: not followed"), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (entry is DirectoryInfo)
            {
                enqueue(full);
                continue;
            }

            var (special, inode) = Lstat(full);
            if (special is not null)
            {
                await output.WriteAsync(Skipped(full, special), cancellationToken).ConfigureAwait(false);
                continue;
            }

            var file = (FileInfo)entry;
            long? length = null;
            DateTimeOffset? modified = null;
            try
            {
                length = file.Length;
                modified = file.LastWriteTimeUtc;
            }
            catch (IOException)
            {
                // The file vanished or is unreadable between listing and stat; Open reports it.
            }

            await output.WriteAsync(new ScanItem(Relative(full), length, _ => OpenReadOnly(full)) { Modified = modified, FileId = inode, Siblings = siblings }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens a file read-only without blocking writers or deleters (a live share keeps working).</summary>
    internal static FileStream OpenReadOnly(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.ReadWrite | FileShare.Delete,
        BufferSize = 64 * 1024,
        Options = FileOptions.SequentialScan,
    });

    /// <summary>Why a non-directory entry must not be opened, or null for a regular file.</summary>
    internal static string? SpecialFileReason(string path) => Lstat(path).SpecialReason;

    /// <summary>
    /// lstat of an entry: why it must not be opened (null for a regular file) and its inode (null when unknown, as
    /// on Windows), which with the size and modification time tells an unchanged file in a rescan.
    /// </summary>
    internal static (string? SpecialReason, long? Inode) Lstat(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return (null, null);
        }

        try
        {
            // lstat: the entry itself, not what a link points to.
            var info = UnixFileSystemInfo.GetFileSystemEntry(path);
            var reason = info.FileType switch
            {
                FileTypes.RegularFile => null,
                FileTypes.Fifo => "special: fifo",
                FileTypes.Socket => "special: socket",
                FileTypes.CharacterDevice => "special: character device",
                FileTypes.BlockDevice => "special: block device",
                FileTypes.SymbolicLink => "symlink: not followed",
                FileTypes.Directory => "special: directory",
                _ => "special: unknown file type",
            };
            return (reason, info.Inode);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or InvalidOperationException or ArgumentException)
        {
            return (null, null);
        }
    }

    private ScanItem Skipped(string fullPath, string reason) => new(Relative(fullPath), null, null) { SkipReason = reason };

    private string Relative(string fullPath)
    {
        var relative = Path.GetRelativePath(_root, fullPath);
        if (relative == ".")
        {
            relative = string.Empty;
        }

        relative = relative.Replace(Path.DirectorySeparatorChar, '/');
        return _prefix.Length == 0 ? relative : relative.Length == 0 ? _prefix : _prefix + "/" + relative;
    }
}
