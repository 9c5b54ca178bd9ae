using System.Text;
using PiiScanner.Sources;

namespace PiiScanner.Extraction.FixedWidth;

/// <summary>
/// Finds the layout of a fixed-width file beside it, through <see cref="ScanItem.Siblings"/>: a COBOL copybook
/// with the same base name (<c>clients.cpy</c>, <c>.cob</c>, <c>.copybook</c> for <c>clients.dat</c>); else a
/// layout file <c>clients.layout</c>, <c>layout.txt</c> or <c>layout.csv</c>; else the only copybook in the
/// folder, when no other file there has its base name (it is not another extract's) and the records fit it
/// (the caller says so). Names compare case-insensitively. A layout that cannot be
/// read is reported as a problem (the caller infers instead). Stateless and thread-safe.
/// </summary>
internal static class LayoutLocator
{
    // Copybooks and layout files are small; a bigger "layout" is not one.
    private const int MaxLayoutBytes = 1 << 20;

    private static readonly string[] CopybookExtensions = [".cpy", ".cob", ".copybook"];

    /// <summary>
    /// The layout found beside <paramref name="item"/> (null when none), and why one found could not be used.
    /// <paramref name="fits"/> says whether the item's records fit a copybook not named after it.
    /// </summary>
    public static (FixedLayout? Layout, string? Problem) Find(ScanItem item, Func<FixedLayout, bool> fits)
    {
        if (item.Siblings is not { } siblings)
        {
            return (null, null);
        }

        var fileName = item.Path[(item.Path.LastIndexOfAny(['/', '!']) + 1)..];
        var baseName = Path.GetFileNameWithoutExtension(fileName);
        var names = siblings.Names;

        string? Named(string candidate) => names.FirstOrDefault(n => n.Equals(candidate, StringComparison.OrdinalIgnoreCase));

        var copybook = CopybookExtensions.Select(e => Named(baseName + e) ?? Named(fileName + e)).FirstOrDefault(n => n is not null);
        if (copybook is not null)
        {
            return Read(siblings, copybook, CopybookParser.Parse);
        }

        var layout = Named(baseName + ".layout") ?? Named(fileName + ".layout") ?? Named("layout.txt") ?? Named("layout.csv");
        if (layout is not null)
        {
            return Read(siblings, layout, LayoutFileParser.Parse);
        }

        // A lone copybook describes the folder's extract only when no other file is named after it
        // (MBRX0417.cpy belongs to MBRX0417.DAT, not to ELIG0417.DAT beside it) and the records are as wide.
        var all = names.Where(n => CopybookExtensions.Any(e => n.EndsWith(e, StringComparison.OrdinalIgnoreCase))).ToList();
        if (all.Count != 1 || names.Any(n => !n.Equals(all[0], StringComparison.OrdinalIgnoreCase)
            && Path.GetFileNameWithoutExtension(n).Equals(Path.GetFileNameWithoutExtension(all[0]), StringComparison.OrdinalIgnoreCase)))
        {
            return (null, null);
        }

        var (found, problem) = Read(siblings, all[0], CopybookParser.Parse);
        return found is null || fits(found) ? (found, problem) : (null, null);
    }

    private static (FixedLayout?, string?) Read(IItemSiblings siblings, string name, Func<string, FixedLayout> parse)
    {
        using var stream = siblings.OpenRead(name);
        if (stream is null)
        {
            return (null, $"fixed-width:layout-unreadable: {name}");
        }

        var buffer = new byte[MaxLayoutBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        if (total > MaxLayoutBytes)
        {
            return (null, $"fixed-width:layout-too-large: {name}");
        }

        var bytes = buffer.AsSpan(0, total);
        var sniff = TextSniffer.Sniff(bytes);
        if (sniff.IsBinary)
        {
            return (null, $"fixed-width:layout-binary: {name}");
        }

        var text = (sniff.Encoding ?? Encoding.UTF8).GetString(bytes[sniff.PreambleLength..]);
        try
        {
            return (parse(text), null);
        }
        catch (LayoutException ex)
        {
            return (null, $"fixed-width:bad-layout: {name}: {ex.Message}");
        }
    }
}
