using System.Text.Json;
using System.Text.Json.Serialization;
using PiiScanner.Detection;
using PiiScanner.Resolution;

namespace PiiScanner.Index;

/// <summary>
/// One <see cref="ItemResult"/> as the bytes of a journal row (UTF-8 JSON) and back, losslessly: the decoded result
/// writes the same outputs as the one encoded. A record's findings are stored as positions in the item's findings
/// (they are the same findings), except findings that record assembly changed (a licence given its address's
/// state), which are stored with the record.
/// </summary>
internal static class JournalCodec
{
    public static byte[] Encode(ItemResult item)
    {
        var positions = new Dictionary<Finding, int>();
        for (var i = 0; i < item.Findings.Count; i++)
        {
            positions.TryAdd(item.Findings[i], i);
        }

        var records = new List<JournalRecord>(item.Records.Count);
        foreach (var record in item.Records)
        {
            var refs = new int[record.Findings.Count];
            List<Finding>? own = null;
            for (var i = 0; i < refs.Length; i++)
            {
                var finding = record.Findings[i];
                if (positions.TryGetValue(finding, out var at))
                {
                    refs[i] = at;
                }
                else
                {
                    own ??= [];
                    own.Add(finding);
                    refs[i] = -own.Count;
                }
            }

            records.Add(new JournalRecord
            {
                Path = record.Path == item.File.Path ? null : record.Path,
                Locator = record.Locator,
                Refs = refs,
                Own = own,
            });
        }

        var entry = new JournalEntry { File = item.File, Findings = item.Findings, Records = records };
        return JsonSerializer.SerializeToUtf8Bytes(entry, JournalJsonContext.Default.JournalEntry);
    }

    public static ItemResult Decode(ReadOnlySpan<byte> data)
    {
        var entry = JsonSerializer.Deserialize(data, JournalJsonContext.Default.JournalEntry)
            ?? throw new InvalidDataException("empty journal entry");
        var findings = entry.Findings;
        var records = new List<PersonRecord>(entry.Records.Count);
        foreach (var r in entry.Records)
        {
            var list = new Finding[r.Refs.Length];
            for (var i = 0; i < list.Length; i++)
            {
                var at = r.Refs[i];
                list[i] = at >= 0 ? findings[at] : r.Own![-at - 1];
            }

            records.Add(new PersonRecord(r.Path ?? entry.File.Path, r.Locator, list));
        }

        return new ItemResult(Sorted(entry.File), findings, records);
    }

    /// <summary>Only the file record of a journal row (it comes first): its findings and records are not decoded.</summary>
    public static FileRecord DecodeFile(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isFile = reader.ValueTextEquals(nameof(JournalEntry.File));
            reader.Read();
            if (isFile)
            {
                return Sorted(JsonSerializer.Deserialize(ref reader, JournalJsonContext.Default.FileRecord)
                    ?? throw new InvalidDataException("journal entry without a file"));
            }

            reader.Skip();
        }

        throw new InvalidDataException("journal entry without a file");
    }

    private static FileRecord Sorted(FileRecord file) =>
        file.Counts is { } counts
            ? file with { Counts = new SortedDictionary<string, long>(counts.ToDictionary(), StringComparer.Ordinal) }
            : file;
}

/// <summary>A journal row.</summary>
internal sealed record JournalEntry
{
    public required FileRecord File { get; init; }

    public IReadOnlyList<Finding> Findings { get; init; } = [];

    public IReadOnlyList<JournalRecord> Records { get; init; } = [];
}

/// <summary>A person record as positions in its item's findings (negative: −1 is the first of <see cref="Own"/>).</summary>
internal sealed record JournalRecord
{
    public string? Path { get; init; }

    public required string Locator { get; init; }

    public required int[] Refs { get; init; }

    public IReadOnlyList<Finding>? Own { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JournalEntry))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
