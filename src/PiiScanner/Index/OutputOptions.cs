namespace PiiScanner.Index;

/// <summary>Options of <see cref="OutputDirectorySink"/>. Immutable.</summary>
public sealed record OutputOptions
{
    /// <summary>Write full values instead of masked ones (<c>--reveal</c>, for the notification vendor).</summary>
    public bool Reveal { get; init; }

    /// <summary>Also write <c>index.db</c> (SQLite).</summary>
    public bool WriteSqlite { get; init; } = true;

    /// <summary>The command line that ran the scan, recorded in <c>summary.json</c>'s provenance (null: not recorded).</summary>
    public IReadOnlyList<string>? Arguments { get; init; }

    /// <summary>Called with a file's name (<c>findings.jsonl</c>) right after it is committed under its final name.</summary>
    public Action<string>? FileWritten { get; init; }
}
