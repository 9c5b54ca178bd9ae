using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PiiScanner.Sources.SleuthKit;

/// <summary>What <see cref="VirtualDisks"/> found wrong with a VMDK or VHD before The Sleuth Kit opens it.</summary>
/// <param name="Missing">A file the image needs is absent (an extent, the parent of a differencing image).</param>
/// <param name="Unsupported">For a differencing image whose parent is there: how to read it anyway (The Sleuth Kit opens no parent).</param>
internal readonly record struct VirtualDiskCheck(string? Missing, string? Unsupported);

/// <summary>
/// Checks that a VMDK or VHD is whole before it is scanned: libvmdk and libvhdi, as The Sleuth Kit calls them,
/// open neither a differencing image's parent nor a missing extent, and the failure would otherwise surface only as
/// unreadable pages. Reads the VMDK descriptor (a text file, or embedded in a sparse extent) and the VHD footer and
/// dynamic header; never throws for unreadable files.
/// </summary>
internal static partial class VirtualDisks
{
    private const int MaxDescriptorBytes = 1 << 20;
    private const string Merge = "merge it with its parent by `qemu-img convert -O raw {0} out.raw` (Debian package `qemu-utils`), then scan out.raw";

    // qemu-img reads a differencing VHD without its parent (the parent's blocks come out as zeros): not a way to merge.
    private const string MergeVhd = "merge it into its parent first (Hyper-V's `Merge-VHD`; qemu-img would leave the parent's blocks out), then scan the merged image";

    /// <summary>Checks a VMDK whose first bytes are <paramref name="head"/>.</summary>
    public static VirtualDiskCheck CheckVmdk(string path, ReadOnlySpan<byte> head)
    {
        var standalone = head.StartsWith("# Disk DescriptorFile"u8);
        var descriptor = standalone ? Encoding.ASCII.GetString(head) : EmbeddedDescriptor(path, head);
        if (descriptor is null)
        {
            return default;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var name = Path.GetFileName(path);
        if (Value(ParentCid(), descriptor) is { } parentCid && !parentCid.Equals("ffffffff", StringComparison.OrdinalIgnoreCase))
        {
            var hint = Value(ParentHint(), descriptor);
            return hint is not null && Locate(folder, hint) is not null
                ? new VirtualDiskCheck(null, string.Format(CultureInfo.InvariantCulture, Merge, name))
                : new VirtualDiskCheck($"differencing VMDK needs its parent {(hint is null ? "(the descriptor names none)" : FileName(hint))}, which is not beside it", null);
        }

        if (!standalone)
        {
            return default; // a monolithic sparse file is its own single extent
        }

        var extents = ExtentLine().Matches(descriptor).Select(m => m.Groups[1].Value).ToList();
        var missing = extents.Select((file, i) => (File: file, Number: i + 1)).Where(e => Locate(folder, e.File) is null).ToList();
        return missing.Count switch
        {
            0 => default,
            1 => new VirtualDiskCheck($"VMDK extent {missing[0].Number} of {extents.Count} missing ({FileName(missing[0].File)})", null),
            _ => new VirtualDiskCheck($"VMDK extents {string.Join(", ", missing.Select(m => m.Number))} of {extents.Count} missing", null),
        };
    }

    /// <summary>Checks a VHD whose footer (<c>conectix</c> cookie, 512 bytes) is <paramref name="footer"/>.</summary>
    public static VirtualDiskCheck CheckVhd(string path, ReadOnlySpan<byte> footer)
    {
        const uint Differencing = 4;
        if (footer.Length < 512 || BinaryPrimitives.ReadUInt32BigEndian(footer[0x3C..]) != Differencing)
        {
            return default;
        }

        var parent = VhdParentName(path, BinaryPrimitives.ReadInt64BigEndian(footer[0x10..]));
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return parent is not null && Locate(folder, parent) is not null
            ? new VirtualDiskCheck(null, MergeVhd)
            : new VirtualDiskCheck($"differencing VHD needs its parent {(parent is null ? "(its header names none)" : FileName(parent))}, which is not beside it", null);
    }

    /// <summary>The descriptor embedded in a sparse extent (its sector offset and count at bytes 28 and 36 of the header).</summary>
    private static string? EmbeddedDescriptor(string path, ReadOnlySpan<byte> head)
    {
        if (head.Length < 44)
        {
            return null;
        }

        var offset = BinaryPrimitives.ReadInt64LittleEndian(head[28..]) * 512;
        var size = BinaryPrimitives.ReadInt64LittleEndian(head[36..]) * 512;
        if (offset <= 0 || size <= 0 || size > MaxDescriptorBytes)
        {
            return null;
        }

        var bytes = ReadAt(path, offset, (int)size);
        return bytes is null ? null : Encoding.ASCII.GetString(bytes).TrimEnd('\0');
    }

    /// <summary>The parent's name in a differencing VHD's dynamic header (UTF-16BE at offset 0x40 of <c>cxsparse</c>).</summary>
    private static string? VhdParentName(string path, long dynamicHeader)
    {
        var header = dynamicHeader > 0 ? ReadAt(path, dynamicHeader, 1024) : null;
        if (header is null || !header.AsSpan().StartsWith("cxsparse"u8))
        {
            return null;
        }

        var name = Encoding.BigEndianUnicode.GetString(header, 0x40, 512).TrimEnd('\0');
        return name.Length > 0 ? name : null;
    }

    private static byte[]? ReadAt(string path, long offset, int count)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
            if (offset + count > file.Length)
            {
                return null;
            }

            var bytes = new byte[count];
            file.Position = offset;
            file.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A file the image names: as written (absolute, or relative to the image's folder), else by its name beside the image.</summary>
    private static string? Locate(string folder, string named)
    {
        var written = Path.IsPathRooted(named) ? named : Path.Combine(folder, named);
        var beside = Path.Combine(folder, FileName(named));
        return File.Exists(written) ? written : File.Exists(beside) ? beside : null;
    }

    // Parent names written on Windows use backslashes; on this side they are just the file name's separators.
    private static string FileName(string named) => Path.GetFileName(named.Replace('\\', '/'));

    private static string? Value(Regex line, string descriptor)
        => line.Match(descriptor) is { Success: true } match ? match.Groups[1].Value.Trim() : null;

    [GeneratedRegex("^parentCID=\"?([0-9A-Fa-f]+)", RegexOptions.Multiline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ParentCid();

    [GeneratedRegex("^parentFileNameHint=\"([^\"\r\n]*)\"", RegexOptions.Multiline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ParentHint();

    // "RW 4192256 SPARSE "disk-s001.vmdk"" (access, sectors, type, file[, offset]); ZERO extents name no file.
    [GeneratedRegex("^(?:RW|RDONLY|NOACCESS)\\s+[0-9]+\\s+(?:SPARSE|FLAT|VMFS|VMFSSPARSE|VMFSRDM|VMFSRAW|SESPARSE)\\s+\"([^\"]+)\"", RegexOptions.Multiline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ExtentLine();
}
