using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PiiScanner.Sources;

/// <summary>
/// The two POSIX calls the BCL does not offer: the type of a directory entry without following a link (a FIFO
/// must be recognised before <c>open</c>, which would block on it), and <c>open</c> with <c>O_NOATIME</c> so reading
/// evidence leaves its last-access time as it was. Linux only (<c>statx</c> has one layout on every architecture,
/// unlike <c>struct stat</c>); elsewhere the callers fall back to the BCL.
/// </summary>
internal static partial class NativeFile
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28;

    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800;
    private const int ONoAtime = 0x40000;
    private const int OCloExec = 0x80000;
    private const int EPerm = 1;

    /// <summary>The file type bits of <c>st_mode</c>.</summary>
    internal enum EntryType
    {
        Unknown,
        Regular,
        Directory,
        Symlink,
        Fifo,
        Socket,
        CharacterDevice,
        BlockDevice,
    }

    /// <summary>The type of the entry itself (a link is not followed), or null where it cannot be told.</summary>
    public static EntryType? TypeOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return null;
        }

        var mode = BitConverter.ToUInt16(buffer[StatxModeOffset..]);
        return (mode & 0xF000) switch
        {
            0x8000 => EntryType.Regular,
            0x4000 => EntryType.Directory,
            0xA000 => EntryType.Symlink,
            0x1000 => EntryType.Fifo,
            0xC000 => EntryType.Socket,
            0x2000 => EntryType.CharacterDevice,
            0x6000 => EntryType.BlockDevice,
            _ => EntryType.Unknown,
        };
    }

    /// <summary>
    /// Opens a file read-only with <c>O_NOATIME</c> (and <c>O_NONBLOCK</c>, so a FIFO swapped in after the walk cannot
    /// hang the scan). Returns null when that is not permitted — the kernel allows it only to the file's owner or a
    /// process with CAP_FOWNER — or not available, and the caller opens the file the ordinary way.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened for another reason (the message says which).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission to read is denied.</exception>
    public static SafeFileHandle? TryOpenNoAtime(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var fd = Open(path, ORdOnly | ONoAtime | ONonBlock | OCloExec);
        if (fd >= 0)
        {
            return new SafeFileHandle(fd, ownsHandle: true);
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == EPerm ? null : throw ToException(errno);
    }

    private static Exception ToException(int errno)
    {
        var message = Marshal.GetPInvokeErrorMessage(errno);
        return errno switch
        {
            13 => new UnauthorizedAccessException(message),
            2 or 20 => new FileNotFoundException(message),
            _ => new IOException(message, errno),
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
