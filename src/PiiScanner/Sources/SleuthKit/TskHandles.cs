using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace PiiScanner.Sources.SleuthKit;

/// <summary>
/// A disk image opened by libtsk (<c>TSK_IMG_INFO</c>), read-only. Thread-safe: libtsk locks its read cache.
/// Closed when the last of this handle, its file systems and their open files is released.
/// </summary>
internal sealed unsafe class TskImage : SafeHandle
{
    private readonly LibTsk _tsk;

    private TskImage(LibTsk tsk, nint handle)
        : base(0, ownsHandle: true)
    {
        _tsk = tsk;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    public LibTsk Library => _tsk;

    /// <summary>Opens the image's files (all segments, in order) with libtsk's type detection.</summary>
    /// <exception cref="ToolFailedException">libtsk cannot open them; the reason is what it said.</exception>
    public static TskImage Open(LibTsk tsk, IReadOnlyList<string> segments)
    {
        var names = segments.Select(s => Encoding.UTF8.GetBytes(s + "\0")).ToArray();
        var pins = names.Select(n => GCHandle.Alloc(n, GCHandleType.Pinned)).ToArray();
        try
        {
            var pointers = stackalloc byte*[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                pointers[i] = (byte*)pins[i].AddrOfPinnedObject();
            }

            tsk.ResetError();
            var image = tsk.ImgOpenUtf8(names.Length, pointers, 0, 0);
            return image == 0
                ? throw ToolFailedException.FromLibrary("libtsk", tsk.LastError("tsk_img_open failed"))
                : new TskImage(tsk, image);
        }
        finally
        {
            foreach (var pin in pins)
            {
                pin.Free();
            }
        }
    }

    /// <summary>A read-only, seekable window of the image; holds the image open until disposed.</summary>
    public Stream OpenRange(long start, long length) => new WindowStream(new Lease(this), start, length);

    /// <summary>Reads image bytes at <paramref name="offset"/>; returns the count read (0 at the end).</summary>
    public int Read(long offset, Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        var added = false;
        DangerousAddRef(ref added);
        try
        {
            fixed (byte* p = buffer)
            {
                _tsk.ResetError();
                var n = _tsk.ImgRead(handle, offset, p, (nuint)buffer.Length);
                return n >= 0 ? (int)n : throw ToolFailedException.FromLibrary("libtsk", _tsk.LastError($"image read failed at offset {offset}"));
            }
        }
        finally
        {
            DangerousRelease();
        }
    }

    /// <summary>
    /// Opens the file system starting <paramref name="offset"/> bytes into the image, of the type The Sleuth Kit
    /// named (<c>fsstat -t</c>: <c>ext4</c>, <c>ntfs</c>, <c>fat16</c>…), or detected when null.
    /// </summary>
    /// <exception cref="ToolFailedException">libtsk cannot open it.</exception>
    public TskFileSystem OpenFileSystem(long offset, string? type)
    {
        uint typeId = 0;
        if (type is not null)
        {
            var name = Encoding.UTF8.GetBytes(type + "\0");
            fixed (byte* p = name)
            {
                typeId = _tsk.FsTypeToId(p);
            }

            typeId = typeId == 0xffffffff ? 0 : typeId;
        }

        var added = false;
        DangerousAddRef(ref added);
        _tsk.ResetError();
        var fs = _tsk.FsOpenImg(handle, offset, typeId);
        if (fs == 0)
        {
            var reason = _tsk.LastError("tsk_fs_open_img failed");
            DangerousRelease();
            throw ToolFailedException.FromLibrary("libtsk", reason);
        }

        // The layout check of the fields read below: the tag and the offset asked for.
        if ((uint)Marshal.ReadInt32(fs) != LibTsk.FsInfoTag || Marshal.ReadInt64(fs, LibTsk.FsInfoOffsetOffset) != offset)
        {
            _tsk.FsClose(fs);
            DangerousRelease();
            throw ToolFailedException.FromLibrary("libtsk", $"{_tsk.LibraryName} {_tsk.Version}: TSK_FS_INFO is not laid out as expected");
        }

        return new TskFileSystem(this, fs, offset, (uint)Marshal.ReadInt32(fs, LibTsk.FsInfoBlockSizeOffset), Marshal.ReadInt64(fs, LibTsk.FsInfoLastBlockOffset));
    }

    protected override bool ReleaseHandle()
    {
        _tsk.ImgClose(handle);
        return true;
    }

    /// <summary>One reference to the image, for one stream.</summary>
    private sealed class Lease : IPositionalReader
    {
        private readonly TskImage _image;
        private bool _released;

        public Lease(TskImage image)
        {
            var added = false;
            image.DangerousAddRef(ref added);
            _image = image;
        }

        public int Read(long position, Span<byte> buffer) => _image.Read(position, buffer);

        public void Dispose()
        {
            if (!_released)
            {
                _released = true;
                _image.DangerousRelease();
            }
        }
    }
}

/// <summary>
/// A file system inside a <see cref="TskImage"/> (<c>TSK_FS_INFO</c>). Files are opened by metadata address
/// (<c>fls</c>'s address column: <c>12</c>, <c>35-128-1</c>), each with its own <c>TSK_FS_FILE</c>. Thread-safe:
/// opening and closing files is serialised here (libtsk loads attributes into file-system-wide caches then), reading
/// them is not.
/// </summary>
internal sealed unsafe class TskFileSystem : SafeHandle
{
    private readonly TskImage _image;
    private readonly Lock _lock = new();

    internal TskFileSystem(TskImage image, nint handle, long offset, uint blockSize, long lastBlock)
        : base(0, ownsHandle: true)
    {
        _image = image;
        Offset = offset;
        BlockSize = blockSize;
        LastBlock = lastBlock;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Byte offset of the file system in the image.</summary>
    public long Offset { get; }

    /// <summary>Size of a data unit (block, cluster or sector as The Sleuth Kit counts them), in bytes.</summary>
    public uint BlockSize { get; }

    /// <summary>Address of the file system's last data unit.</summary>
    public long LastBlock { get; }

    public TskImage Image => _image;

    internal LibTsk Library => _image.Library;

    /// <summary>Opens the content of <paramref name="address"/> as a read-only, seekable stream.</summary>
    /// <exception cref="ToolFailedException">The address cannot be opened or has no such attribute (what libtsk said).</exception>
    public Stream OpenStream(string address)
    {
        var file = OpenFile(address);
        return new WindowStream(file, 0, file.Length);
    }

    /// <summary>Opens the file at <paramref name="address"/> and the attribute it names (the default one for a bare inode).</summary>
    public TskFile OpenFile(string address)
    {
        var (inode, type, id) = ParseAddress(address);
        var tsk = Library;
        var added = false;
        DangerousAddRef(ref added);
        nint file = 0;
        try
        {
            nint attr;
            lock (_lock)
            {
                tsk.ResetError();
                file = tsk.FileOpenMeta(handle, 0, inode);
                if (file == 0)
                {
                    throw ToolFailedException.FromLibrary("libtsk", tsk.LastError($"cannot open metadata address {address}"));
                }

                if ((uint)Marshal.ReadInt32(file) != LibTsk.FsFileTag)
                {
                    throw ToolFailedException.FromLibrary("libtsk", $"{tsk.LibraryName} {tsk.Version}: TSK_FS_FILE is not laid out as expected");
                }

                attr = type is { } t ? tsk.FileAttrGetType(file, t, id ?? 0, id is null ? (byte)0 : (byte)1) : tsk.FileAttrGet(file);
            }

            if (attr == 0)
            {
                throw ToolFailedException.FromLibrary("libtsk", tsk.LastError($"{address} has no content attribute"));
            }

            if (Marshal.ReadIntPtr(attr, LibTsk.AttrFsFileOffset) != file || (type is { } expected && (uint)Marshal.ReadInt32(attr, LibTsk.AttrTypeOffset) != expected))
            {
                throw ToolFailedException.FromLibrary("libtsk", $"{tsk.LibraryName} {tsk.Version}: TSK_FS_ATTR is not laid out as expected");
            }

            return new TskFile(this, file, attr, Marshal.ReadInt64(attr, LibTsk.AttrSizeOffset), (uint)Marshal.ReadInt32(attr, LibTsk.AttrFlagsOffset));
        }
        catch
        {
            if (file != 0)
            {
                CloseFile(file);
            }
            else
            {
                DangerousRelease();
            }

            throw;
        }
    }

    /// <summary>
    /// The file's slack: the bytes after its end up to the end of the data units allocated to it, as image ranges
    /// (offset, length), contiguous runs merged; read from the attribute's run list. Empty for resident, compressed or
    /// encrypted data, for sparse or filler runs, and for a file that ends on a unit boundary.
    /// </summary>
    public List<(long Offset, long Length)> Slack(TskFile file)
    {
        var ranges = new List<(long Offset, long Length)>();
        var attr = file.Attribute;
        if ((file.Flags & LibTsk.AttrNonResident) == 0 || (file.Flags & (LibTsk.AttrCompressed | LibTsk.AttrEncrypted)) != 0
            || Marshal.ReadInt32(attr, LibTsk.AttrSkipLengthOffset) != 0)
        {
            return ranges;
        }

        var size = file.Length;
        var allocated = Marshal.ReadInt64(attr, LibTsk.AttrAllocatedSizeOffset);
        long unit = BlockSize;
        for (var run = Marshal.ReadIntPtr(attr, LibTsk.AttrRunOffset); run != 0 && allocated > size; run = Marshal.ReadIntPtr(run, LibTsk.RunNextOffset))
        {
            var first = Marshal.ReadInt64(run, LibTsk.RunFileBlockOffset);
            var address = Marshal.ReadInt64(run, LibTsk.RunAddressOffset);
            var count = Marshal.ReadInt64(run, LibTsk.RunLengthOffset);
            var runStart = first * unit;
            var start = Math.Max(size, runStart);
            var end = Math.Min(allocated, (first + count) * unit);
            if (end <= start || ((uint)Marshal.ReadInt32(run, LibTsk.RunFlagsOffset) & LibTsk.RunNoPlainBytes) != 0
                || address < 0 || address + count - 1 > LastBlock)
            {
                continue;
            }

            var at = Offset + (address * unit) + (start - runStart);
            if (ranges.Count > 0 && ranges[^1] is var last && last.Offset + last.Length == at)
            {
                ranges[^1] = (last.Offset, last.Length + (end - start));
            }
            else
            {
                ranges.Add((at, end - start));
            }
        }

        return ranges;
    }

    internal void CloseFile(nint file)
    {
        lock (_lock)
        {
            Library.FileClose(file);
        }

        DangerousRelease();
    }

    /// <summary>
    /// <c>inode[-type[-id]]</c> as <c>fls</c> prints it (<c>35-128-1</c>: MFT entry 35, attribute type 128 = $DATA, id 1).
    /// </summary>
    internal static (ulong Inode, uint? Type, ushort? Id) ParseAddress(string address)
    {
        var parts = address.Split('-');
        if (parts.Length > 3 || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
        {
            throw new FormatException($"not a metadata address: {address}");
        }

        uint? type = parts.Length > 1 && uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t
            : parts.Length > 1 ? throw new FormatException($"not a metadata address: {address}") : null;
        ushort? id = parts.Length > 2 && ushort.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i
            : parts.Length > 2 ? throw new FormatException($"not a metadata address: {address}") : null;
        return (inode, type, id);
    }

    protected override bool ReleaseHandle()
    {
        Library.FsClose(handle);
        _image.DangerousRelease();
        return true;
    }
}

/// <summary>An open file and one of its attributes (<c>TSK_FS_FILE</c>, <c>TSK_FS_ATTR</c>). Not thread-safe.</summary>
internal sealed unsafe class TskFile : SafeHandle, IPositionalReader
{
    private readonly TskFileSystem _fs;

    internal TskFile(TskFileSystem fs, nint file, nint attribute, long length, uint flags)
        : base(0, ownsHandle: true)
    {
        _fs = fs;
        Attribute = attribute;
        Length = length;
        Flags = flags;
        SetHandle(file);
    }

    public override bool IsInvalid => handle == 0;

    public nint Attribute { get; }

    /// <summary>The attribute's size in bytes.</summary>
    public long Length { get; }

    /// <summary><c>TSK_FS_ATTR_FLAG_ENUM</c>: resident, non-resident, compressed…</summary>
    public uint Flags { get; }

    /// <inheritdoc />
    public int Read(long position, Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, Length - position);
        if (n <= 0)
        {
            return 0;
        }

        var tsk = _fs.Library;
        var added = false;
        DangerousAddRef(ref added);
        try
        {
            fixed (byte* p = buffer)
            {
                tsk.ResetError();
                var read = tsk.AttrRead(Attribute, position, p, (nuint)n, 0);
                return read >= 0 ? (int)read : throw ToolFailedException.FromLibrary("libtsk", tsk.LastError($"read failed at file offset {position}"));
            }
        }
        finally
        {
            DangerousRelease();
        }
    }

    protected override bool ReleaseHandle()
    {
        _fs.CloseFile(handle);
        return true;
    }
}
