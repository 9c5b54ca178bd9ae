using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace PiiScanner.Sources.SleuthKit;

/// <summary>Container formats of disk images.</summary>
internal enum DiskImageKind
{
    /// <summary>Not recognised as a disk image.</summary>
    None,

    /// <summary>Raw (dd) image in one file: partition table or bare file system.</summary>
    Raw,

    /// <summary>Raw image split in numbered segments (<c>.001</c>, <c>.002</c>…).</summary>
    SplitRaw,

    /// <summary>Expert Witness Format (E01), read through libewf.</summary>
    Ewf,

    /// <summary>VMware VMDK.</summary>
    Vmdk,

    /// <summary>Microsoft VHD.</summary>
    Vhd,

    /// <summary>Advanced Forensic Format.</summary>
    Aff,

    /// <summary>A disk-image format The Sleuth Kit does not read.</summary>
    Unsupported,
}

/// <summary>What <see cref="DiskImageProbe.Probe"/> found.</summary>
/// <param name="Kind">The format.</param>
/// <param name="Segments">Files of the image in order (one unless split / multi-segment E01).</param>
/// <param name="UnsupportedReason">For <see cref="DiskImageKind.Unsupported"/>: what it is and how to convert it.</param>
/// <param name="Content">What the first bytes look like (<c>mbr</c>, <c>gpt</c>, <c>ext</c>, <c>ntfs</c>…), for raw kinds.</param>
internal sealed record DiskImageProbeResult(DiskImageKind Kind, IReadOnlyList<string> Segments, string? UnsupportedReason, string? Content)
{
    /// <summary>
    /// Why the image cannot be read whole although its format can: a segment of a split raw or E01 set, an extent of
    /// a VMDK, or the parent of a differencing VMDK/VHD is missing (<c>E01 segment 3 of 5 missing (case.E03)</c>).
    /// </summary>
    public string? MissingPart { get; init; }
}

/// <summary>
/// Recognises disk images by content (magic bytes), not by extension, and finds the other segments of split and E01
/// sets by name. Reads at most 68 KiB + 512 bytes of the image, and the section chain of an E01 set's last segment.
/// </summary>
internal static class DiskImageProbe
{
    // 68 KiB: btrfs and ReiserFS keep their superblock just past 64 KiB.
    private const int HeadSize = 68 * 1024;
    private const string ConvertHint = "convert it to a raw image first with `qemu-img convert -O raw {0} out.raw` (Debian package `qemu-utils`) and scan out.raw";

    public static DiskImageProbeResult Probe(string path)
    {
        var none = new DiskImageProbeResult(DiskImageKind.None, [path], null, null);
        byte[] head;
        byte[] tail;
        long length;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            length = file.Length;
            head = new byte[(int)Math.Min(HeadSize, length)];
            file.ReadExactly(head);
            tail = new byte[(int)Math.Min(512, length)];
            file.Seek(length - tail.Length, SeekOrigin.Begin);
            file.ReadExactly(tail);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return none;
        }

        var name = Path.GetFileName(path);
        DiskImageProbeResult Unsupported(string what, string? hint = null)
            => new(DiskImageKind.Unsupported, [path], $"{what} images are not read directly: " + (hint ?? string.Format(CultureInfo.InvariantCulture, ConvertHint, name)), null);

        ReadOnlySpan<byte> h = head;
        if (h.StartsWith((ReadOnlySpan<byte>)[0x51, 0x46, 0x49, 0xFB]))
        {
            return Unsupported("qcow2", $"convert with `qemu-img convert -O raw {name} out.raw` (Debian package `qemu-utils`) and scan out.raw");
        }

        if (h.Length >= 0x44 && BinaryPrimitives.ReadUInt32LittleEndian(h[0x40..]) == 0xBEDA107F)
        {
            return Unsupported("VirtualBox VDI");
        }

        if (h.StartsWith("vhdxfile"u8))
        {
            return Unsupported("VHDX");
        }

        if (h.StartsWith("EVF2\r\n"u8) || h.StartsWith("LEF2\r\n"u8))
        {
            return Unsupported("Ex01 (EWF2)", $"re-export the evidence as E01 or raw with the acquisition tool (this libewf reads only EWF1), then scan that");
        }

        if (h.StartsWith((ReadOnlySpan<byte>)[0x4C, 0x55, 0x4B, 0x53, 0xBA, 0xBE]))
        {
            return Unsupported("LUKS-encrypted", "unlock the volume with `cryptsetup open --readonly` and image the mapped device to a raw file, then scan that");
        }

        if (At(h, 3, "-FVE-FS-"u8))
        {
            return Unsupported("BitLocker-encrypted", "unlock the volume with `dislocker` (Debian package `dislocker`) and image the decrypted volume to a raw file, then scan that");
        }

        if (tail.AsSpan().StartsWith("koly"u8))
        {
            return Unsupported("Apple DMG", $"convert with `dmg2img {name} out.raw` (Debian package `dmg2img`) or `qemu-img convert -O raw {name} out.raw`, then scan out.raw");
        }

        if (h.StartsWith((ReadOnlySpan<byte>)[0x45, 0x56, 0x46, 0x09, 0x0D, 0x0A, 0xFF, 0x00]))
        {
            var ewf = EwfSegments(path, out var ewfMissing);
            return new(DiskImageKind.Ewf, ewf, null, "ewf") { MissingPart = ewfMissing };
        }

        if (h.StartsWith("KDMV"u8) || h.StartsWith("# Disk DescriptorFile"u8))
        {
            var vmdk = VirtualDisks.CheckVmdk(path, h);
            return vmdk.Unsupported is { } reason ? Unsupported("differencing VMDK", reason)
                : new(DiskImageKind.Vmdk, [path], null, "vmdk") { MissingPart = vmdk.Missing };
        }

        if (h.StartsWith("conectix"u8) || tail.AsSpan().StartsWith("conectix"u8))
        {
            var vhd = VirtualDisks.CheckVhd(path, tail.AsSpan().StartsWith("conectix"u8) ? tail : head);
            return vhd.Unsupported is { } reason ? Unsupported("differencing VHD", reason)
                : new(DiskImageKind.Vhd, [path], null, "vhd") { MissingPart = vhd.Missing };
        }

        if (h.StartsWith("AFF10\r\n"u8))
        {
            return new(DiskImageKind.Aff, [path], null, "aff");
        }

        var content = RawContent(h);
        if (content is null)
        {
            return none;
        }

        var segments = SplitSegments(path, out var missing);
        return new(segments.Count > 1 ? DiskImageKind.SplitRaw : DiskImageKind.Raw, segments, null, content) { MissingPart = missing };
    }

    /// <summary>
    /// Names what a raw image (or the data inside an E01, VMDK or VHD, read through libtsk) starts with, or null when
    /// it looks like no disk or file system. Looks at the first <see cref="HeadSize"/> bytes.
    /// </summary>
    internal static string? RawContent(ReadOnlySpan<byte> h)
    {
        if (At(h, 512, "EFI PART"u8) || At(h, 4096, "EFI PART"u8))
        {
            return "gpt";
        }

        if (At(h, 3, "NTFS    "u8))
        {
            return "ntfs";
        }

        if (At(h, 3, "EXFAT   "u8))
        {
            return "exfat";
        }

        var bootSignature = h.Length >= 512 && h[510] == 0x55 && h[511] == 0xAA;
        if (bootSignature && (At(h, 54, "FAT1"u8) || At(h, 82, "FAT32"u8)))
        {
            return "fat";
        }

        if (h.Length >= 1082 && h[1080] == 0x53 && h[1081] == 0xEF)
        {
            return "ext";
        }

        if (At(h, 1024, "H+"u8) || At(h, 1024, "HX"u8))
        {
            return "hfs";
        }

        if (At(h, 32769, "CD001"u8))
        {
            return "iso9660";
        }

        if (bootSignature && LooksLikeMbr(h))
        {
            return "mbr";
        }

        // File systems and volume formats The Sleuth Kit does not list (or lists only through a pool): still disk
        // images, so their bytes are read as raw pages and the volume is marked unlisted, not one plain file.
        return At(h, 32, "NXSB"u8) ? "apfs"
            : h.StartsWith("XFSB"u8) ? "xfs"
            : At(h, 0x10040, "_BHRfS_M"u8) ? "btrfs"
            : At(h, 0x10034, "ReIsEr"u8) ? "reiserfs"
            : At(h, 1024, (ReadOnlySpan<byte>)[0x10, 0x20, 0xF5, 0xF2]) ? "f2fs"
            : At(h, 512, "LABELONE"u8) ? "lvm2"
            : At(h, 4086, "SWAPSPACE2"u8) ? "swap"
            : null;
    }

    private static bool LooksLikeMbr(ReadOnlySpan<byte> h)
    {
        var used = 0;
        for (var i = 0; i < 4; i++)
        {
            var entry = h.Slice(446 + (16 * i), 16);
            if (entry[0] is not (0x00 or 0x80))
            {
                return false;
            }

            if (entry[4] != 0 && BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]) != 0)
            {
                used++;
            }
        }

        return used > 0;
    }

    private static bool At(ReadOnlySpan<byte> h, int offset, ReadOnlySpan<byte> magic)
        => h.Length >= offset + magic.Length && h.Slice(offset, magic.Length).SequenceEqual(magic);

    /// <summary>
    /// The segments of a split raw image, from its first: numbered (<c>disk.000</c> or <c>disk.001</c>, any width
    /// from two digits, so also <c>disk.raw.000</c> and split's <c>-d</c> names) or lettered as split(1) names
    /// them (<c>disk.aa</c>, <c>disk.ab</c>, … <c>disk.ba</c>…, any width), taken in order as long as they exist.
    /// Any other name → itself. A gap (<c>disk.003</c> missing while <c>disk.004</c> exists) sets
    /// <paramref name="missing"/> to a reason naming the missing segment.
    /// </summary>
    internal static List<string> SplitSegments(string path, out string? missing)
    {
        missing = null;
        var list = new List<string> { path };
        var extension = Path.GetExtension(path);
        if (extension.Length < 3)
        {
            return list;
        }

        var suffix = extension[1..];
        Func<int, string>? name = null;
        if (suffix.Length <= 6 && suffix.AsSpan().ContainsOnlyDigits() && int.Parse(suffix, CultureInfo.InvariantCulture) is var first and (0 or 1))
        {
            name = n => (first + n).ToString(CultureInfo.InvariantCulture).PadLeft(suffix.Length, '0');
        }
        else if (suffix.All(c => c == 'a'))
        {
            name = n => Letters(n, suffix.Length);
        }

        if (name is null)
        {
            return list;
        }

        var stem = path[..^extension.Length] + ".";
        for (var n = 1; ; n++)
        {
            var label = name(n);
            if (label.Length != suffix.Length)
            {
                return list; // past the last name of this width (disk.999, disk.zz)
            }

            var next = stem + label;
            if (File.Exists(next))
            {
                list.Add(next);
                continue;
            }

            if (name(n + 1) is { } after && after.Length == suffix.Length && File.Exists(stem + after))
            {
                missing = $"split image segment {n + 1} ({Path.GetFileName(next)}) missing while {Path.GetFileName(stem + after)} is present";
            }

            return list;
        }
    }

    /// <summary>split(1)'s lettered suffix number <paramref name="n"/> (0 = <c>aa</c>) of <paramref name="width"/> letters; longer when out of range.</summary>
    private static string Letters(int n, int width)
    {
        var letters = new char[width];
        for (var i = width - 1; i >= 0; i--)
        {
            letters[i] = (char)('a' + (n % 26));
            n /= 26;
        }

        return n > 0 ? new string('z', width + 1) : new string(letters);
    }

    /// <summary>
    /// <c>case.E01</c> → <c>case.E01, case.E02, …</c> (the files libewf opens itself; hashed in this order). libewf
    /// opens a set with a segment missing and fails only when a read reaches it, so the set is checked here:
    /// every number up to the highest present must exist, and the last one must end the set (its last section is
    /// <c>done</c>, not <c>next</c>). Otherwise <paramref name="missing"/> says which segment is missing.
    /// </summary>
    internal static List<string> EwfSegments(string path, out string? missing)
    {
        missing = null;
        var list = new List<string> { path };
        var extension = Path.GetExtension(path);
        if (extension.Length != 4 || !extension.AsSpan(2).SequenceEqual("01"))
        {
            return list;
        }

        var stem = path[..^2]; // "case.E" of "case.E01"
        string Segment(int n) => stem + n.ToString("00", CultureInfo.InvariantCulture);
        var highest = Enumerable.Range(2, 98).LastOrDefault(n => File.Exists(Segment(n)), 1);
        var absent = Enumerable.Range(2, highest - 1).Where(n => !File.Exists(Segment(n))).ToList();
        list.AddRange(Enumerable.Range(2, highest - 1).Where(n => File.Exists(Segment(n))).Select(Segment));
        var letter = extension[1];
        if (absent.Count > 0)
        {
            var total = EwfEndsSet(Segment(highest)) == true ? highest.ToString(CultureInfo.InvariantCulture) : $"at least {highest + 1}";
            missing = absent.Count == 1
                ? $"{letter}01 segment {absent[0]} of {total} missing ({Path.GetFileName(Segment(absent[0]))})"
                : $"{letter}01 segments {string.Join(", ", absent)} of {total} missing";
        }
        else if (EwfEndsSet(Segment(highest)) == false)
        {
            missing = $"{letter}01 segment {highest + 1} missing: {Path.GetFileName(Segment(highest))} is not the last segment of the set";
        }

        return list;
    }

    /// <summary>
    /// Whether an EWF1 segment file is the last of its set: walks its chain of section descriptors (type, then the
    /// offset of the next descriptor) to the one that points at itself, <c>done</c> in the last segment and
    /// <c>next</c> in the others. Null when the file cannot be read or the chain is damaged.
    /// </summary>
    internal static bool? EwfEndsSet(string segment)
    {
        const int FileHeaderSize = 13;
        const int DescriptorSize = 76;
        try
        {
            using var file = new FileStream(segment, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
            Span<byte> descriptor = stackalloc byte[DescriptorSize];
            long offset = FileHeaderSize;
            for (var sections = 0; sections < 1_000_000 && offset + DescriptorSize <= file.Length; sections++)
            {
                file.Position = offset;
                file.ReadExactly(descriptor);
                var type = descriptor[..16];
                var end = type.IndexOf((byte)0);
                type = end < 0 ? type : type[..end];
                var next = BinaryPrimitives.ReadInt64LittleEndian(descriptor[16..]);
                if (next == offset || type.SequenceEqual("done"u8) || type.SequenceEqual("next"u8))
                {
                    return type.SequenceEqual("done"u8) ? true : type.SequenceEqual("next"u8) ? false : null;
                }

                if (next <= offset)
                {
                    return null;
                }

                offset = next;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // unreadable: unknown
        }

        return null;
    }

    private static bool ContainsOnlyDigits(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    /// <summary>Escapes a file-system path for an item path: <c>%</c>, <c>!</c>, <c>#</c> and control characters become <c>%XX</c>.</summary>
    public static string EscapeName(string name)
    {
        if (!name.AsSpan().ContainsAny("%!#") && !name.Any(char.IsControl))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            if (c is '%' or '!' or '#' || char.IsControl(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
