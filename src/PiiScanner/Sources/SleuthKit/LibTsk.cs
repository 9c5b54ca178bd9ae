using System.Runtime.InteropServices;

namespace PiiScanner.Sources.SleuthKit;

/// <summary>
/// The Sleuth Kit's library (Debian's <c>libtsk19</c>, which the <c>sleuthkit</c> package pulls in) called in-process:
/// open an image and a file system once, then read files by metadata address without starting a process per file.
/// Loaded once per process; <see cref="Instance"/> is null (and <see cref="LoadFailure"/> says why) when the shared
/// object is absent, lacks a function, or is a version whose structure layouts were not checked, so callers fall back to
/// the command-line tools.
/// <para>
/// Only a few structure fields are read, at offsets taken from Debian's <c>libtsk-dev</c> 4.11.1 headers (compiled
/// <c>offsetof</c>; unchanged in the 4.12 and 4.13 headers): <c>TSK_FS_INFO.tag</c> 0, <c>.offset</c> 16,
/// <c>.last_block</c> 72, <c>.block_size</c> 88; <c>TSK_FS_FILE.tag</c> 0; <c>TSK_FS_ATTR.fs_file</c> 8,
/// <c>.flags</c> 16, <c>.type</c> 40, <c>.size</c> 48, <c>.nrd.run</c> 56, <c>.nrd.skiplen</c> 72,
/// <c>.nrd.allocsize</c> 80; <c>TSK_FS_ATTR_RUN.next</c> 0, <c>.offset</c> 8, <c>.addr</c> 16, <c>.len</c> 24,
/// <c>.flags</c> 40. Every handle is checked on use (the structure tags, the offset asked for, an attribute pointing
/// back at its file), so a layout that differs fails loudly instead of reading the wrong bytes.
/// </para>
/// Images are opened by libtsk's own readers (raw, split, EWF, VMDK, VHD), which open the files read-only.
/// The function pointers are thread-safe to call; libtsk takes its own locks around the image cache.
/// </summary>
internal sealed unsafe class LibTsk
{
    public const uint FsInfoTag = 0x10101010;
    public const uint FsFileTag = 0x11212212;
    public const int FsInfoOffsetOffset = 16;
    public const int FsInfoLastBlockOffset = 72;
    public const int FsInfoBlockSizeOffset = 88;
    public const int AttrFsFileOffset = 8;
    public const int AttrFlagsOffset = 16;
    public const int AttrTypeOffset = 40;
    public const int AttrSizeOffset = 48;
    public const int AttrRunOffset = 56;
    public const int AttrSkipLengthOffset = 72;
    public const int AttrAllocatedSizeOffset = 80;
    public const int RunNextOffset = 0;
    public const int RunFileBlockOffset = 8;
    public const int RunAddressOffset = 16;
    public const int RunLengthOffset = 24;
    public const int RunFlagsOffset = 40;

    public const uint AttrNonResident = 0x02;
    public const uint AttrResident = 0x04;
    public const uint AttrEncrypted = 0x10;
    public const uint AttrCompressed = 0x20;

    /// <summary><c>TSK_FS_ATTR_RUN_FLAG_FILLER | _SPARSE | _ENCRYPTED</c>: runs without plain bytes on disk.</summary>
    public const uint RunNoPlainBytes = 0x01 | 0x02 | 0x04;

    private static readonly string[] Names = ["libtsk.so.19", "libtsk.so.23", "libtsk.so"];
    private static readonly Lazy<(LibTsk? Library, string? Failure)> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private LibTsk(string name, string version) => (LibraryName, Version) = (name, version);

    /// <summary>The loaded library, or null when it cannot be used (see <see cref="LoadFailure"/>).</summary>
    public static LibTsk? Instance => Loaded.Value.Library;

    /// <summary>Why <see cref="Instance"/> is null, for people (<c>libtsk.so.19 not found: install …</c>).</summary>
    public static string? LoadFailure => Loaded.Value.Failure;

    public string LibraryName { get; }

    public string Version { get; }

    public delegate* unmanaged<int, byte**, uint, uint, nint> ImgOpenUtf8 { get; private set; }

    public delegate* unmanaged<nint, void> ImgClose { get; private set; }

    public delegate* unmanaged<nint, long, byte*, nuint, nint> ImgRead { get; private set; }

    public delegate* unmanaged<nint, long, uint, nint> FsOpenImg { get; private set; }

    public delegate* unmanaged<nint, void> FsClose { get; private set; }

    public delegate* unmanaged<byte*, uint> FsTypeToId { get; private set; }

    public delegate* unmanaged<nint, nint, ulong, nint> FileOpenMeta { get; private set; }

    public delegate* unmanaged<nint, void> FileClose { get; private set; }

    public delegate* unmanaged<nint, nint> FileAttrGet { get; private set; }

    public delegate* unmanaged<nint, uint, ushort, byte, nint> FileAttrGetType { get; private set; }

    public delegate* unmanaged<nint, long, byte*, nuint, uint, nint> AttrRead { get; private set; }


    private delegate* unmanaged<byte*> ErrorGet { get; set; }

    private delegate* unmanaged<void> ErrorReset { get; set; }

    /// <summary>Clears this thread's libtsk error (before a call whose failure is then described).</summary>
    public void ResetError() => ErrorReset();

    /// <summary>This thread's last libtsk error, one line, or a fallback text.</summary>
    public string LastError(string fallback)
    {
        var text = ErrorGet() is var p && p != null ? Marshal.PtrToStringUTF8((nint)p) : null;
        text = text?.Replace('\n', ' ').Trim();
        return string.IsNullOrEmpty(text) ? fallback : text;
    }

    private static (LibTsk?, string?) Load()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, "libtsk is only loaded on Linux");
        }

        nint handle = 0;
        string? name = null;
        foreach (var candidate in Names)
        {
            if (NativeLibrary.TryLoad(candidate, out handle))
            {
                name = candidate;
                break;
            }
        }

        if (name is null)
        {
            return (null, "libtsk.so.19 not found (install the Debian package `sleuthkit`, which brings `libtsk19`)");
        }

        try
        {
            var versionString = (delegate* unmanaged<byte*>)Export(handle, "tsk_version_get_str");
            var version = Marshal.PtrToStringUTF8((nint)versionString()) ?? string.Empty;
            if (!IsCheckedVersion(version))
            {
                return (null, $"{name} is version {version}, whose structure layouts this build has not checked (4.11–4.13 are)");
            }

            var library = new LibTsk(name, version)
            {
                ImgOpenUtf8 = (delegate* unmanaged<int, byte**, uint, uint, nint>)Export(handle, "tsk_img_open_utf8"),
                ImgClose = (delegate* unmanaged<nint, void>)Export(handle, "tsk_img_close"),
                ImgRead = (delegate* unmanaged<nint, long, byte*, nuint, nint>)Export(handle, "tsk_img_read"),
                FsOpenImg = (delegate* unmanaged<nint, long, uint, nint>)Export(handle, "tsk_fs_open_img"),
                FsClose = (delegate* unmanaged<nint, void>)Export(handle, "tsk_fs_close"),
                FsTypeToId = (delegate* unmanaged<byte*, uint>)Export(handle, "tsk_fs_type_toid_utf8"),
                FileOpenMeta = (delegate* unmanaged<nint, nint, ulong, nint>)Export(handle, "tsk_fs_file_open_meta"),
                FileClose = (delegate* unmanaged<nint, void>)Export(handle, "tsk_fs_file_close"),
                FileAttrGet = (delegate* unmanaged<nint, nint>)Export(handle, "tsk_fs_file_attr_get"),
                FileAttrGetType = (delegate* unmanaged<nint, uint, ushort, byte, nint>)Export(handle, "tsk_fs_file_attr_get_type"),
                AttrRead = (delegate* unmanaged<nint, long, byte*, nuint, uint, nint>)Export(handle, "tsk_fs_attr_read"),
                ErrorGet = (delegate* unmanaged<byte*>)Export(handle, "tsk_error_get"),
                ErrorReset = (delegate* unmanaged<void>)Export(handle, "tsk_error_reset"),
            };
            return (library, null);
        }
        catch (EntryPointNotFoundException ex)
        {
            return (null, $"{name} lacks {ex.Message}");
        }
    }

    /// <summary>4.11, 4.12 and 4.13: the versions whose headers were compared for the fields this class reads.</summary>
    internal static bool IsCheckedVersion(string version)
        => version.StartsWith("4.11.", StringComparison.Ordinal) || version.StartsWith("4.12.", StringComparison.Ordinal)
            || version.StartsWith("4.13.", StringComparison.Ordinal);

    private static nint Export(nint handle, string function)
        => NativeLibrary.TryGetExport(handle, function, out var address) ? address : throw new EntryPointNotFoundException(function);
}
