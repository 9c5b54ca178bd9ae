using System.Globalization;
using System.Text.RegularExpressions;

namespace PiiScanner.Sources.SleuthKit;

/// <summary>One line of <c>fls -r -p -l -z UTC</c>.</summary>
/// <param name="NameType">Type from the directory entry (<c>r</c>, <c>d</c>, <c>l</c>, <c>v</c>, <c>-</c>…).</param>
/// <param name="MetaType">Type from the metadata (inode / MFT entry).</param>
/// <param name="Deleted">The name is unallocated (<c>*</c>).</param>
/// <param name="Address">Metadata address as TSK prints it (<c>13</c>, <c>64-128-2</c>).</param>
/// <param name="Reallocated">The name is deleted but its metadata was reallocated to another file.</param>
/// <param name="Path">Path as fls prints it (<c>/</c> separators, relative to the file-system root).</param>
/// <param name="Size">Size in bytes from <c>-l</c>, when printed.</param>
/// <param name="Modified">Content modification time from <c>-l</c>, when set.</param>
internal sealed record FlsEntry(
    char NameType, char MetaType, bool Deleted, string Address, bool Reallocated, string Path, long? Size, DateTimeOffset? Modified)
{
    /// <summary>The type that decides how the entry is handled: metadata type when known, else the name's.</summary>
    public char Type => MetaType != '-' ? MetaType : NameType;

    /// <summary>The inode part of <see cref="Address"/> (<c>64</c> of <c>64-128-2</c>).</summary>
    public long Inode => long.Parse(Address.AsSpan(0, Address.IndexOf('-') is var i and >= 0 ? i : Address.Length), CultureInfo.InvariantCulture);
}

/// <summary>One entry of the <c>mmls</c> table.</summary>
/// <param name="Index">The entry's number as mmls prints it (<c>002</c>).</param>
/// <param name="Slot">The slot (<c>000:000</c>, <c>Meta</c>, <c>-------</c>).</param>
/// <param name="Start">First sector.</param>
/// <param name="Length">Length in sectors.</param>
/// <param name="Description">Type description (<c>Linux (0x83)</c>, <c>Unallocated</c>).</param>
internal sealed record MmlsEntry(string Index, string Slot, long Start, long Length, string Description)
{
    public bool IsMeta => Slot.Equals("Meta", StringComparison.OrdinalIgnoreCase);

    public bool IsUnallocated => Slot.StartsWith('-');

    public bool IsExtendedContainer => Description.Contains("Extended (0x", StringComparison.OrdinalIgnoreCase);

    public bool IsPartition => !IsMeta && !IsUnallocated && !IsExtendedContainer;
}

/// <summary>The volume-system listing of <c>mmls</c>.</summary>
internal sealed record MmlsTable(string VolumeSystem, int SectorSize, IReadOnlyList<MmlsEntry> Entries);

/// <summary>What <c>ewfverify</c> said about an E01 set.</summary>
/// <param name="Success">It ended with <c>ewfverify: SUCCESS</c>.</param>
/// <param name="StoredMd5">The MD5 stored at acquisition, when printed.</param>
/// <param name="CalculatedMd5">The MD5 it computed over the data, when printed.</param>
/// <param name="Problem">For a failure, what failed, in words (<c>sectors 8512-8575 fail their checksum (case.E05); …</c>).</param>
internal sealed record EwfVerifyReport(bool Success, string? StoredMd5, string? CalculatedMd5, string Problem);

/// <summary>Parsers for the text output of The Sleuth Kit's (and libewf's) tools (4.x formats).</summary>
internal static partial class TskParsers
{
    [GeneratedRegex(@"^(?<nt>[-a-zA-Z])/(?<mt>[-a-zA-Z])\s+(?<del>\*\s+)?(?<addr>\d+(?:-\d+){0,2})(?<realloc>\(realloc\))?:\t(?<rest>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex FlsLine();

    [GeneratedRegex(@"^(?<idx>\d+):\s+(?<slot>\S+)\s+(?<start>\d+)\s+(?<end>\d+)\s+(?<len>\d+)\s+(?<desc>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex MmlsLine();

    [GeneratedRegex(@"Units are in (?<size>\d+)-byte sectors", RegexOptions.CultureInvariant)]
    private static partial Regex MmlsUnits();

    [GeneratedRegex(@"^MD5 hash (?<which>stored in file|calculated over data):\s*(?<md5>[0-9a-fA-F]{32})\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex EwfMd5Line();

    [GeneratedRegex(@"at sector\(s\): (?<first>\d+) - (?<last>\d+) \(number: \d+\)(?: in segment file\(s\): (?<files>[^\r\n]*))?", RegexOptions.CultureInvariant)]
    private static partial Regex EwfBadSectors();

    /// <summary>Parses <c>ewfverify -q</c> output (standard output and error together).</summary>
    public static EwfVerifyReport ParseEwfverify(string output)
    {
        string? stored = null, calculated = null;
        foreach (Match match in EwfMd5Line().Matches(output))
        {
            if (match.Groups["which"].Value.StartsWith("stored", StringComparison.Ordinal))
            {
                stored = match.Groups["md5"].Value.ToLowerInvariant();
            }
            else
            {
                calculated = match.Groups["md5"].Value.ToLowerInvariant();
            }
        }

        var problems = EwfBadSectors().Matches(output)
            .Select(m => $"sectors {m.Groups["first"].Value}-{m.Groups["last"].Value} fail their checksum"
                + (m.Groups["files"].Success ? " (" + string.Join(", ", m.Groups["files"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFileName)) + ")" : string.Empty))
            .ToList();
        if (stored is not null && calculated is not null && stored != calculated)
        {
            problems.Add("the MD5 over the data differs from the one stored at acquisition");
        }

        var success = output.Contains("ewfverify: SUCCESS", StringComparison.Ordinal);
        return new EwfVerifyReport(success, stored, calculated, problems.Count > 0 ? string.Join("; ", problems) : "ewfverify could not verify the image");
    }

    /// <summary>Parses one line of <c>fls -r -p [-l]</c>; null for lines that are not entries.</summary>
    /// <param name="line">The line.</param>
    /// <param name="longFormat">Whether <c>-l</c> was given (eight tab-separated fields after the name).</param>
    public static FlsEntry? ParseFls(string line, bool longFormat)
    {
        var match = FlsLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var rest = match.Groups["rest"].Value;
        string path = rest;
        long? size = null;
        DateTimeOffset? modified = null;
        if (longFormat)
        {
            // name \t mtime \t atime \t ctime \t crtime \t size \t uid \t gid — parse from the right so a name
            // with a tab in it stays whole.
            var fields = rest.Split('\t');
            if (fields.Length >= 8)
            {
                path = string.Join('\t', fields[..^7]);
                modified = ParseTime(fields[^7]);
                size = long.TryParse(fields[^3], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
            }
        }

        return new FlsEntry(
            match.Groups["nt"].Value[0],
            match.Groups["mt"].Value[0],
            match.Groups["del"].Success,
            match.Groups["addr"].Value,
            match.Groups["realloc"].Success,
            path,
            size,
            modified);
    }

    private static DateTimeOffset? ParseTime(string text)
    {
        // "2026-11-27 22:23:17 (UTC)"; "0000-00-00 00:00:00 (UTC)" when unset.
        var paren = text.IndexOf(" (", StringComparison.Ordinal);
        var stamp = paren >= 0 ? text[..paren] : text;
        return DateTime.TryParseExact(stamp, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? new DateTimeOffset(t, TimeSpan.Zero)
            : null;
    }

    /// <summary>Parses <c>mmls</c> output.</summary>
    public static MmlsTable ParseMmls(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        var volumeSystem = lines.FirstOrDefault(l => l.Length > 0) ?? "unknown";
        var sectorSize = 512;
        var entries = new List<MmlsEntry>();
        foreach (var line in lines)
        {
            var units = MmlsUnits().Match(line);
            if (units.Success)
            {
                sectorSize = int.Parse(units.Groups["size"].Value, CultureInfo.InvariantCulture);
                continue;
            }

            var match = MmlsLine().Match(line);
            if (match.Success)
            {
                entries.Add(new MmlsEntry(
                    match.Groups["idx"].Value,
                    match.Groups["slot"].Value,
                    long.Parse(match.Groups["start"].Value, CultureInfo.InvariantCulture),
                    long.Parse(match.Groups["len"].Value, CultureInfo.InvariantCulture),
                    match.Groups["desc"].Value.Trim()));
            }
        }

        return new MmlsTable(volumeSystem, sectorSize, entries);
    }

    /// <summary>
    /// Parses the address lines of <c>blkls -l</c> (<c>1331|f</c>) and merges consecutive free addresses into ranges.
    /// </summary>
    public static async IAsyncEnumerable<(long First, long Count)> ParseFreeRangesAsync(IAsyncEnumerable<string> lines)
    {
        long first = -1, count = 0;
        await foreach (var line in lines.ConfigureAwait(false))
        {
            var bar = line.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0 || !line.AsSpan(bar + 1).StartsWith("f", StringComparison.Ordinal)
                || !long.TryParse(line.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var address))
            {
                continue;
            }

            if (count > 0 && address == first + count)
            {
                count++;
                continue;
            }

            if (count > 0)
            {
                yield return (first, count);
            }

            first = address;
            count = 1;
        }

        if (count > 0)
        {
            yield return (first, count);
        }
    }
}
