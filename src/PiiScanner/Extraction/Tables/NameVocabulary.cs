using System.Collections.Frozen;

namespace PiiScanner.Extraction.Tables;

/// <summary>
/// Common given names and surnames (<c>rules/names/given-names.tsv</c>, <c>rules/names/surnames.tsv</c>), used to
/// recognise name columns in tables without a header row. Every rule folder that has a file adds its rows.
/// Immutable and thread-safe once loaded.
/// </summary>
internal sealed class NameVocabulary
{
    /// <summary>File of given names, relative to a rules folder.</summary>
    public const string GivenNamesFile = "names/given-names.tsv";

    /// <summary>File of surnames, relative to a rules folder.</summary>
    public const string SurnamesFile = "names/surnames.tsv";

    private readonly FrozenSet<string> _given;
    private readonly FrozenSet<string> _surnames;

    public NameVocabulary(IEnumerable<string> given, IEnumerable<string> surnames)
    {
        _given = given.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _surnames = surnames.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A vocabulary that knows no names (column inference then finds no name columns).</summary>
    public static NameVocabulary Empty { get; } = new([], []);

    /// <summary>Number of given names and surnames known.</summary>
    public int Count => _given.Count + _surnames.Count;

    /// <summary>Loads and merges both files from every folder that has them (missing files are fine).</summary>
    public static NameVocabulary Load(IEnumerable<RulesFolder> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        var given = new List<string>();
        var surnames = new List<string>();
        foreach (var folder in folders)
        {
            ReadInto(folder, GivenNamesFile, given);
            ReadInto(folder, SurnamesFile, surnames);
        }

        return new NameVocabulary(given, surnames);
    }

    /// <summary>Loads the vocabulary shipped inside the library.</summary>
    public static NameVocabulary LoadDefault() => Load([RulesFolder.Shipped]);

    public bool IsGiven(ReadOnlySpan<char> word) => _given.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);

    public bool IsSurname(ReadOnlySpan<char> word) => _surnames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);

    private static void ReadInto(RulesFolder folder, string file, List<string> into)
    {
        if (!folder.Contains(file))
        {
            return;
        }

        var headerSeen = false;
        foreach (var line in folder.ReadLines(file))
        {
            var text = line.Trim();
            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }

            if (!headerSeen)
            {
                // The first non-comment line names the column.
                headerSeen = true;
                continue;
            }

            var tab = text.IndexOf('\t', StringComparison.Ordinal);
            into.Add(tab < 0 ? text : text[..tab]);
        }
    }
}
