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
    private const uint StatxMtime = 0x40;
    private const uint StatxSizeMask = 0x200;
    private const uint StatxIno = 0x100;
    private const int StatxModeOffset = 28;
    private const int StatxSizeOffset = 40;
    private const int StatxInoOffset = 32;
    private const int StatxMtimeOffset = 112;

    // glibc's struct dirent on 64-bit Linux: d_ino, d_off (8 bytes each), d_reclen (2), d_type (1), then d_name.
    private const int DirentNameOffset = 19;

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
    public static EntryType? TypeOf(string path) => OperatingSystem.IsLinux() ? Stat(Terminated(path))?.Type : null;

    /// <summary>Type, size, modification time and inode of an entry named by its raw bytes (no link followed), or null.</summary>
    public static (EntryType Type, long Size, DateTimeOffset Modified, long Inode)? Stat(byte[] terminatedPath)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, ref terminatedPath[0], AtSymlinkNoFollow, StatxType | StatxSizeMask | StatxMtime | StatxIno, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return null;
        }

        var mode = BitConverter.ToUInt16(buffer[StatxModeOffset..]);
        var size = BitConverter.ToInt64(buffer[StatxSizeOffset..]);
        var modified = DateTimeOffset.FromUnixTimeSeconds(BitConverter.ToInt64(buffer[StatxMtimeOffset..]))
            .AddTicks(BitConverter.ToUInt32(buffer[(StatxMtimeOffset + 8)..]) / 100);
        return (TypeOf(mode), size, modified, BitConverter.ToInt64(buffer[StatxInoOffset..]));
    }

    /// <summary>
    /// The raw names in a directory named by its raw bytes (not <c>.</c> and <c>..</c>), for names that are not UTF-8
    /// and so cannot travel through <see cref="string"/> paths.
    /// </summary>
    /// <exception cref="IOException">The directory cannot be listed.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission to list it is denied.</exception>
    public static List<byte[]> ListNames(byte[] terminatedPath)
    {
        var dir = OpenDir(ref terminatedPath[0]);
        if (dir == IntPtr.Zero)
        {
            throw ToException(Marshal.GetLastPInvokeError());
        }

        try
        {
            var names = new List<byte[]>();
            while (ReadDir(dir) is var entry && entry != IntPtr.Zero)
            {
                var name = new List<byte>();
                for (var i = 0; i < 256 && Marshal.ReadByte(entry, DirentNameOffset + i) is var b && b != 0; i++)
                {
                    name.Add(b);
                }

                if (name is not ([(byte)'.'] or [(byte)'.', (byte)'.']))
                {
                    names.Add([.. name]);
                }
            }

            return names;
        }
        finally
        {
            _ = CloseDir(dir);
        }
    }

    /// <summary>Opens a file named by its raw bytes read-only, with <c>O_NOATIME</c> when permitted; says which.</summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission to read is denied.</exception>
    public static (SafeFileHandle Handle, bool NoAtime) OpenRead(byte[] terminatedPath)
    {
        var fd = Open(ref terminatedPath[0], ORdOnly | ONoAtime | ONonBlock | OCloExec);
        var noAtime = fd >= 0;
        if (fd < 0 && Marshal.GetLastPInvokeError() == EPerm)
        {
            fd = Open(ref terminatedPath[0], ORdOnly | ONonBlock | OCloExec);
        }

        return fd >= 0 ? (new SafeFileHandle(fd, ownsHandle: true), noAtime) : throw ToException(Marshal.GetLastPInvokeError());
    }

    /// <summary>The path's UTF-8 bytes with a terminating NUL, as the kernel takes them.</summary>
    public static byte[] Terminated(string path) => Terminated(System.Text.Encoding.UTF8.GetBytes(path));

    /// <summary>The bytes with a terminating NUL.</summary>
    public static byte[] Terminated(ReadOnlySpan<byte> path) => [.. path, 0];

    /// <summary>
    /// A raw file name as text for a logical path: UTF-8 where it is valid, each byte of an invalid sequence written
    /// <c>\xNN</c> (a Latin-1 <c>café.csv</c> from an old share is <c>caf\xE9.csv</c>).
    /// </summary>
    public static string EscapeName(ReadOnlySpan<byte> name)
    {
        var text = new System.Text.StringBuilder(name.Length);
        while (!name.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf8(name, out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
            }
            else
            {
                foreach (var b in name[..consumed])
                {
                    text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{b:X2}");
                }
            }

            name = name[consumed..];
        }

        return text.ToString();
    }

    private static EntryType TypeOf(ushort mode) => (mode & 0xF000) switch
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

        var bytes = Terminated(path);
        var fd = Open(ref bytes[0], ORdOnly | ONoAtime | ONonBlock | OCloExec);
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

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int dirFd, ref byte path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int Open(ref byte path, int flags);

    [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true)]
    private static partial IntPtr OpenDir(ref byte path);

    [LibraryImport("libc", EntryPoint = "readdir")]
    private static partial IntPtr ReadDir(IntPtr dir);

    [LibraryImport("libc", EntryPoint = "closedir")]
    private static partial int CloseDir(IntPtr dir);
}
