using PiiScanner.Sources;

namespace PiiScanner.Extraction;

/// <summary>
/// What an extractor works with for one item: its content, the limits, and the callbacks that take segments
/// and child items. Created by the pipeline for each item; not thread-safe (one extractor, one item).
/// </summary>
public sealed class ExtractionContext
{
    private readonly Action<Segment> _onSegment;
    private readonly Func<ScanItem, Stream, CancellationToken, ValueTask> _onChild;
    private Stream? _seekable;

    /// <summary>Creates a context. The pipeline does this; tests may too.</summary>
    /// <param name="item">The item being extracted.</param>
    /// <param name="content">Its content, positioned at the start; may not be seekable. Not owned.</param>
    /// <param name="head">The first bytes of the content (used for sniffing).</param>
    /// <param name="limits">Limits in force.</param>
    /// <param name="onSegment">Receives each segment, in document order.</param>
    /// <param name="onChild">Scans a child item (container member) synchronously with its open content.</param>
    public ExtractionContext(
        ScanItem item,
        Stream content,
        ReadOnlyMemory<byte> head,
        ExtractionLimits limits,
        Action<Segment> onSegment,
        Func<ScanItem, Stream, CancellationToken, ValueTask> onChild)
    {
        Item = item;
        Content = content;
        Head = head;
        Limits = limits;
        _onSegment = onSegment;
        _onChild = onChild;
    }

    /// <summary>The item being extracted.</summary>
    public ScanItem Item { get; }

    /// <summary>The content stream, read-only, positioned at the start. May not support seeking.</summary>
    public Stream Content { get; }

    /// <summary>The first bytes of the content.</summary>
    public ReadOnlyMemory<byte> Head { get; }

    /// <summary>The limits in force.</summary>
    public ExtractionLimits Limits { get; }

    /// <summary>Reason the item was skipped (set through <see cref="Skip"/>).</summary>
    public string? SkipReason { get; private set; }

    /// <summary>Reasons the extraction is partial (limits tripped, damaged parts).</summary>
    public List<string> PartialReasons { get; } = [];

    /// <summary>Named counts recorded in the file record (<c>pages</c>, <c>needsOcr</c>, <c>entries</c>…).</summary>
    public SortedDictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Text encoding or format detail recorded in the file record (e.g. <c>utf-16le</c>).</summary>
    public string? Detail { get; set; }

    /// <summary>
    /// Expansion budget of the top-level item this item came out of, shared by it and all its container members.
    /// The pipeline gives each child context its parent's budget, and may seed top-level contexts with one that
    /// carries the per-scan budget; when null, container extractors create one for this item.
    /// </summary>
    internal ExtractionBudget? Budget { get; set; }

    /// <summary>Number of segments emitted so far.</summary>
    public long SegmentCount { get; private set; }

    /// <summary>Hands a segment to detection. Segments must come in document order.</summary>
    public void Emit(Segment segment)
    {
        SegmentCount++;
        _onSegment(segment);
    }

    /// <summary>
    /// Where plain lines of free text go when the pipeline takes them as characters (<see cref="EmitLine"/>); null: they
    /// become segments like any other.
    /// </summary>
    internal LineHandler? OnLine { get; init; }

    /// <summary>
    /// Hands a line of free text to detection: a <see cref="GroupKind.Block"/> segment of <paramref name="group"/> with
    /// <paramref name="label"/>. A line without a label may be detected from its characters (<see cref="OnLine"/>)
    /// and never become a string.
    /// </summary>
    internal void EmitLine(ReadOnlySpan<char> text, Locator locator, int group, string? label)
    {
        if (label is not null || OnLine is null)
        {
            Emit(new Segment(locator, text.ToString()) { Label = label, Group = group, GroupKind = GroupKind.Block });
            return;
        }

        SegmentCount++;
        OnLine(text, locator, group);
    }

    /// <summary>
    /// Scans a container member now, with its content stream (which the caller keeps ownership of).
    /// The child gets its own file record; its depth must be the parent's plus one.
    /// </summary>
    public ValueTask ProcessChildAsync(ScanItem child, Stream content, CancellationToken cancellationToken)
        => _onChild(child, content, cancellationToken);

    /// <summary>Records that the item is skipped (encrypted, unsupported…). Segments already emitted are kept.</summary>
    public void Skip(string reason) => SkipReason = reason;

    /// <summary>Records that only part of the item could be read, and why.</summary>
    public void MarkPartial(string reason)
    {
        if (!PartialReasons.Contains(reason))
        {
            PartialReasons.Add(reason);
        }
    }

    /// <summary>Adds to a named count in the file record.</summary>
    public void AddCount(string name, long value = 1)
        => Counts[name] = Counts.TryGetValue(name, out var current) ? current + value : value;

    /// <summary>
    /// Returns a seekable view of the content: the content itself when it can seek, else a copy buffered in
    /// memory (up to <see cref="ExtractionLimits.MaxInMemoryBytes"/>; beyond that it throws
    /// <see cref="ExtractionLimitException"/> with <see cref="LimitNames.Memory"/>).
    /// </summary>
    public async ValueTask<Stream> GetSeekableContentAsync(CancellationToken cancellationToken)
    {
        if (Content.CanSeek)
        {
            return Content;
        }

        if (_seekable is not null)
        {
            return _seekable;
        }

        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await Content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > Limits.MaxInMemoryBytes)
            {
                throw new ExtractionLimitException(LimitNames.Memory);
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        _seekable = buffer;
        return buffer;
    }
}

/// <summary>Thrown by extraction code when a limit trips; the pipeline records it with the limit's name.</summary>
public sealed class ExtractionLimitException : Exception
{
    /// <summary>Creates the exception for the named limit (one of <see cref="LimitNames"/>).</summary>
    public ExtractionLimitException(string limitName)
        : base(limitName) => LimitName = limitName;

    /// <summary>Creates the exception (serialization and analyzers want this shape).</summary>
    public ExtractionLimitException()
        : this("limit") { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public ExtractionLimitException(string limitName, Exception innerException)
        : base(limitName, innerException) => LimitName = limitName;

    /// <summary>The limit's name as written to <c>files.jsonl</c>.</summary>
    public string LimitName { get; }
}

/// <summary>Takes a plain line of free text (see <see cref="ExtractionContext.EmitLine"/>).</summary>
internal delegate void LineHandler(ReadOnlySpan<char> text, Locator locator, int group);
