using Microsoft.Win32.SafeHandles;

namespace PiiScanner.Sources;

/// <summary>
/// A file of the evidence, opened read-only without blocking writers or deleters (a live share keeps working), with
/// <c>O_NOATIME</c> where the kernel permits it, and with its size and modification time as they were when it was
/// opened, so a file that changes while it is read can be told from one read whole.
/// </summary>
internal sealed class EvidenceFile : FileStream
{
    private readonly long _lengthAtOpen;
    private readonly DateTime _modifiedAtOpen;

    private EvidenceFile(SafeFileHandle handle, bool accessTimePreserved)
        : base(handle, FileAccess.Read, 64 * 1024)
    {
        AccessTimePreserved = accessTimePreserved;
        _lengthAtOpen = RandomAccess.GetLength(handle);
        _modifiedAtOpen = File.GetLastWriteTimeUtc(handle);
    }

    /// <summary>True when the file was opened with <c>O_NOATIME</c>: reading it left its last-access time alone.</summary>
    public bool AccessTimePreserved { get; }

    /// <summary>Opens <paramref name="path"/> for reading.</summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission to read is denied.</exception>
    public static EvidenceFile Open(string path)
    {
        if (NativeFile.TryOpenNoAtime(path) is { } handle)
        {
            return new EvidenceFile(handle, accessTimePreserved: true);
        }

        return new EvidenceFile(
            File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan),
            accessTimePreserved: false);
    }

    /// <summary>Opens a file named by its raw path bytes (NUL-terminated): a name that is not UTF-8.</summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission to read is denied.</exception>
    public static EvidenceFile Open(byte[] terminatedPath)
    {
        var (handle, noAtime) = NativeFile.OpenRead(terminatedPath);
        return new EvidenceFile(handle, noAtime);
    }

    /// <summary>Why an entry must not be opened (link, FIFO, socket, device), or null for a regular file.</summary>
    public static string? SpecialReason(string path) => SpecialReason(NativeFile.TypeOf(path));

    /// <summary>
    /// Why an entry must not be opened (null for a regular file), its inode, size and modification time (null where
    /// they cannot be told: not Linux, or the entry is gone), from one <c>statx</c>: with the size and modification
    /// time the inode tells an unchanged file in a rescan. A link is not followed.
    /// </summary>
    public static (string? SpecialReason, long? Inode, long? Size, DateTimeOffset? Modified) Lstat(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, null, null, null);
        }

        var stat = NativeFile.Stat(NativeFile.Terminated(path));
        return (SpecialReason(stat?.Type), stat?.Inode, stat?.Size, stat?.Modified);
    }

    /// <summary>Why an entry of this type must not be opened, or null for a regular file (or an unknown type).</summary>
    public static string? SpecialReason(NativeFile.EntryType? type) => type switch
    {
        null or NativeFile.EntryType.Regular => null,
        NativeFile.EntryType.Fifo => "special: fifo",
        NativeFile.EntryType.Socket => "special: socket",
        NativeFile.EntryType.CharacterDevice => "special: character device",
        NativeFile.EntryType.BlockDevice => "special: block device",
        NativeFile.EntryType.Symlink => "symlink: not followed",
        NativeFile.EntryType.Directory => "special: directory",
        _ => "special: unknown file type",
    };

    /// <summary>Whether the file's size or modification time differs now from when it was opened.</summary>
    public bool ChangedSinceOpen()
    {
        try
        {
            return RandomAccess.GetLength(SafeFileHandle) != _lengthAtOpen || File.GetLastWriteTimeUtc(SafeFileHandle) != _modifiedAtOpen;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
