using PiiScanner.Sources;

namespace PiiScanner.Index;

/// <summary>One line of <c>files.jsonl</c>: what happened to one file or container member. Immutable.</summary>
public sealed record FileRecord
{
    /// <summary>Logical path (see <see cref="ScanItem.Path"/>).</summary>
    public required string Path { get; init; }

    /// <summary>Size in bytes, when known.</summary>
    public long? Size { get; init; }

    /// <summary>SHA-256 of the bytes read, lower-case hex, when the whole item was read.</summary>
    public string? Sha256 { get; init; }

    /// <summary><c>scanned</c>, <c>partial</c>, <c>skipped</c> or <c>failed</c> (see <see cref="FileStatus"/>).</summary>
    public required string Status { get; init; }

    /// <summary>
    /// In an incremental scan (<c>--since</c>), how the item's top-level file compares with the previous scan
    /// (<see cref="FileChange"/>: <c>new</c>, <c>changed</c>, <c>unchanged</c>); null otherwise.
    /// </summary>
    public string? Change { get; init; }

    /// <summary>Why the item was skipped, failed or partly read; null when fully scanned.</summary>
    public string? Reason { get; init; }

    /// <summary>Name of the extractor that ran.</summary>
    public string? Extractor { get; init; }

    /// <summary>Encoding or format detail (<c>utf-16le</c>, <c>windows-1252</c>).</summary>
    public string? Detail { get; init; }

    /// <summary>Number of findings in the item.</summary>
    public int Findings { get; init; }

    /// <summary>Named counts (segments, pages, needsOcr, entries…).</summary>
    public IReadOnlyDictionary<string, long>? Counts { get; init; }

    /// <summary>Disk-image provenance, when the item came from an image.</summary>
    public ItemOrigin? Origin { get; init; }

    /// <summary>Last modification time of the item, when the source knows it (not written to <c>files.jsonl</c>;
    /// the notification step dates addresses by it).</summary>
    public DateTimeOffset? Modified { get; init; }
}

/// <summary>The file statuses of the output contract.</summary>
public static class FileStatus
{
    /// <summary>Read completely.</summary>
    public const string Scanned = "scanned";

    /// <summary>Read in part (a limit tripped, part of it was damaged).</summary>
    public const string Partial = "partial";

    /// <summary>Not read, on purpose (binary, encrypted, link, device…).</summary>
    public const string Skipped = "skipped";

    /// <summary>Reading failed (I/O error, corrupt beyond reading).</summary>
    public const string Failed = "failed";
}

/// <summary>Reasons the scan itself gives (a keyword, a colon, then a sentence for the reviewer).</summary>
internal static class Reasons
{
    /// <summary>The file's size or modification time changed between opening it and reading it to the end.</summary>
    public const string ChangedDuringScan = "changed-during-scan: the file was modified while it was being read";

    /// <summary>A container member whose bytes are not the ones the container stored.</summary>
    public static string Damaged(string? what) => what switch
    {
        "crc-mismatch" => "corrupt: the member's CRC-32 does not match the archive's, so nothing read from it is used",
        "size-mismatch" => "corrupt: the member's size does not match the archive's, so nothing read from it is used",
        "truncated" => "corrupt: the member ends before its stated size, so nothing read from it is used",
        _ => "corrupt: the member's data could not be decoded, so nothing read from it is used",
    };
}
