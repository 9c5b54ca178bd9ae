using System.Text.Json.Serialization;
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

    /// <summary>What happened to the item; written as <c>scanned</c>, <c>partial</c>, <c>skipped</c> or <c>failed</c>.</summary>
    public required FileStatus Status { get; init; }

    /// <summary>
    /// In an incremental scan (<c>--since</c>), how the item's top-level file compares with the previous scan
    /// (<see cref="FileChange"/>: <c>new</c>, <c>changed</c>, <c>unchanged</c>); null otherwise.
    /// </summary>
    public string? Change { get; init; }

    /// <summary>
    /// Why the item was skipped, failed or partly read, as written to <c>files.jsonl</c>: a keyword, usually a colon
    /// and a sentence for the reviewer (<c>corrupt: the data ends before…</c>; several joined by <c>; </c>); null
    /// when fully scanned. <see cref="ReasonKind"/> is the keyword as a type.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>
    /// The kind of <see cref="Reason"/> (of its first reason when there are several), or null when there is none.
    /// A reason whose keyword is not one of the kinds (a user extractor's own) is <see cref="Index.ReasonKind.Other"/>.
    /// </summary>
    [JsonIgnore]
    public ReasonKind? ReasonKind => Reason is null ? null : Reasons.KindOf(Reason);

    /// <summary>
    /// Ids of the rules whose regular expression ran out of time on the item (sorted), which may have missed values
    /// in it; null when none did. Not a field of <c>files.jsonl</c> (the reason names them); totalled per rule in
    /// <see cref="ScanSummary.RegexTimeouts"/>.
    /// </summary>
    public IReadOnlyList<string>? RegexTimeouts { get; init; }

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

/// <summary>What happened to an item (<see cref="FileRecord.Status"/>); the output contract writes the names shown.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FileStatus>))]
public enum FileStatus
{
    /// <summary><c>scanned</c>: read completely.</summary>
    [JsonStringEnumMemberName("scanned")]
    Scanned,

    /// <summary><c>partial</c>: read in part (a limit tripped, part of it was damaged).</summary>
    [JsonStringEnumMemberName("partial")]
    Partial,

    /// <summary><c>skipped</c>: not read, on purpose (binary, encrypted, link, device…).</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary><c>failed</c>: reading failed (I/O error, corrupt beyond reading).</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>The kind of a <see cref="FileRecord.Reason"/>: its leading keyword, as a type.</summary>
public enum ReasonKind
{
    /// <summary>A keyword that is none of these (a user extractor's own).</summary>
    Other,

    /// <summary><c>binary</c>: no text to read.</summary>
    Binary,

    /// <summary><c>encrypted</c>: password-protected or encrypted content.</summary>
    Encrypted,

    /// <summary><c>corrupt</c>, <c>malformed</c>, <c>json:</c>, <c>delimited:</c>, a damaged archive directory: the
    /// bytes are not laid out as their format requires.</summary>
    Corrupt,

    /// <summary><c>truncated</c>: the data ends before its format says it should.</summary>
    Truncated,

    /// <summary><c>unknown-format</c>: no extractor recognised the content.</summary>
    UnknownFormat,

    /// <summary><c>unsupported</c>: a feature of the format that cannot be read.</summary>
    Unsupported,

    /// <summary><c>limit:…</c>: a limit tripped (depth, expanded bytes, ratio, time, memory, OCR pages…).</summary>
    Limit,

    /// <summary><c>ocr-disabled</c>: the text is in images and OCR was turned off.</summary>
    OcrDisabled,

    /// <summary><c>ocr-unavailable</c>, <c>pst: install…</c>, <c>msg: install…</c>: a tool the format needs is missing.</summary>
    ToolMissing,

    /// <summary><c>fixed-width:bad-layout</c>: the layout (copybook) found for a fixed-width file could not be used.</summary>
    BadLayout,

    /// <summary><c>symlink</c>, <c>link</c>: a link, not followed.</summary>
    Link,

    /// <summary><c>special</c>, <c>special-file</c>: a device, socket, fifo or other entry that is not a regular file.</summary>
    SpecialFile,

    /// <summary><c>permission-denied</c>: opening or reading was refused.</summary>
    PermissionDenied,

    /// <summary><c>vanished</c>: the file was gone when it was opened.</summary>
    Vanished,

    /// <summary><c>io-error</c>: the operating system or a disk-image tool reported an error.</summary>
    IoError,

    /// <summary><c>error</c>, <c>sniff:</c>: the reader failed on it (a bug worth reporting).</summary>
    Error,

    /// <summary><c>changed-during-scan</c>: the file was modified while it was read.</summary>
    ChangedDuringScan,

    /// <summary><c>deleted</c>: a deleted entry whose content could not be recovered.</summary>
    Deleted,

    /// <summary><c>no file system…</c>, <c>file listing incomplete</c>, <c>unallocated space not listed</c>: part of a
    /// disk image could not be listed.</summary>
    ImageListing,

    /// <summary><c>regex-timeout</c>: a user rule's regular expression ran out of time on the item.</summary>
    RegexTimeout,
}

/// <summary>Reasons the scan itself gives (a keyword, a colon, then a sentence for the reviewer).</summary>
internal static class Reasons
{
    // Leading keywords and their kinds. A keyword ending in ':' or ' ' is matched as written; any other must be
    // followed by the end or a character that is not part of a word ("error" is not "errors").
    private static readonly (string Keyword, ReasonKind Kind)[] Kinds =
    [
        ("binary", ReasonKind.Binary),
        ("encrypted", ReasonKind.Encrypted),
        ("corrupt", ReasonKind.Corrupt),
        ("malformed", ReasonKind.Corrupt),
        ("json:", ReasonKind.Corrupt),
        ("delimited:", ReasonKind.Corrupt),
        ("overlapping-entries", ReasonKind.Corrupt),
        ("no-central-directory", ReasonKind.Corrupt),
        ("pst: install ", ReasonKind.ToolMissing),
        ("msg: install ", ReasonKind.ToolMissing),
        ("pst:", ReasonKind.Corrupt),
        ("truncated", ReasonKind.Truncated),
        ("fixed-width:bad-layout", ReasonKind.BadLayout),
        ("unknown-format", ReasonKind.UnknownFormat),
        ("unsupported", ReasonKind.Unsupported),
        ("limit:", ReasonKind.Limit),
        ("ocr-disabled", ReasonKind.OcrDisabled),
        ("ocr-unavailable", ReasonKind.ToolMissing),
        ("symlink", ReasonKind.Link),
        ("link", ReasonKind.Link),
        ("special", ReasonKind.SpecialFile),
        ("special-file", ReasonKind.SpecialFile),
        ("permission-denied", ReasonKind.PermissionDenied),
        ("vanished", ReasonKind.Vanished),
        ("io-error", ReasonKind.IoError),
        ("error", ReasonKind.Error),
        ("sniff:", ReasonKind.Error),
        ("changed-during-scan", ReasonKind.ChangedDuringScan),
        ("deleted", ReasonKind.Deleted),
        ("no file system ", ReasonKind.ImageListing),
        ("file listing incomplete", ReasonKind.ImageListing),
        ("unallocated space not listed", ReasonKind.ImageListing),
        (RegexTimeoutKeyword, ReasonKind.RegexTimeout),
    ];

    /// <summary>The keyword of a reason given when a user rule's regex ran out of time on the item.</summary>
    public const string RegexTimeoutKeyword = "regex-timeout";

    /// <summary>The reason for an item on which the rules <paramref name="ruleIds"/> ran out of time.</summary>
    public static string RegexTimeout(IReadOnlyCollection<string> ruleIds, TimeSpan timeout) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{RegexTimeoutKeyword}: {(ruleIds.Count == 1 ? "rule" : "rules")} {string.Join(", ", ruleIds)} ran out of time ({timeout.TotalMilliseconds:0} ms) on part of this file and {(ruleIds.Count == 1 ? "was" : "were")} not run on the rest of it, so values {(ruleIds.Count == 1 ? "it" : "they")} would find there may be missing");

    /// <summary>The kind of a reason text: its leading keyword looked up in the table above.</summary>
    public static ReasonKind KindOf(string reason)
    {
        foreach (var (keyword, kind) in Kinds)
        {
            if (reason.StartsWith(keyword, StringComparison.Ordinal)
                && (keyword[^1] is ':' or ' ' || reason.Length == keyword.Length || !IsWordChar(reason[keyword.Length])))
            {
                return kind;
            }
        }

        return ReasonKind.Other;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

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
