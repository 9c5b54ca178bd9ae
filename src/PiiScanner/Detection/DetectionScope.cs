using PiiScanner.Extraction;

namespace PiiScanner.Detection;

/// <summary>
/// Detection in one item (see <see cref="DetectionEngine.BeginItem"/>): numbers the item's segments in document order
/// and keeps its last few free-text lines for the rules that read a line with the lines above it. Not thread-safe:
/// one scope per item, used by the thread that reads the item.
/// </summary>
internal sealed class DetectionScope
{
    private readonly DetectionEngine _engine;
    private readonly RecentLines _recent = new();
    private readonly SortedSet<string> _timedOut = new(StringComparer.Ordinal);
    private long _next;

    internal DetectionScope(DetectionEngine engine) => _engine = engine;

    /// <summary>Segments detected so far (the index the next one gets).</summary>
    public long SegmentCount => _next;

    /// <summary>Detects in the next segment of the item and appends its findings to <paramref name="findings"/>.</summary>
    /// <param name="segment">The segment, in document order.</param>
    /// <param name="findings">The item's findings so far (findings may refer back to the lines above).</param>
    public void Detect(Segment segment, List<Finding> findings) => _engine.Detect(segment, _next++, findings, _recent, _timedOut);

    /// <summary>
    /// Detects in the next segment of the item when it is a plain line of free text (no label, no fields; the
    /// <see cref="GroupKind.Block"/> <paramref name="group"/>), as <see cref="Detect"/> would with that segment. A line in
    /// which the engine's one pass finds nothing any rule or detector could report becomes no string: it is only
    /// remembered (its characters copied) as a line above the next ones.
    /// </summary>
    public void DetectLine(ReadOnlySpan<char> text, Locator locator, int group, List<Finding> findings) =>
        _engine.DetectLine(text, locator, group, _next++, findings, _recent, _timedOut);

    /// <summary>Ids of the rules whose regex ran out of time on one of the item's segments so far, sorted.</summary>
    public IReadOnlyCollection<string> TimedOutRules => _timedOut;
}

/// <summary>
/// The last free-text lines of an item, nearest first, that directly precede a line in the same block. A plain line
/// that detection passed over is kept as its characters and becomes a segment only when a line below reads it.
/// </summary>
internal sealed class RecentLines
{
    private const int Capacity = 3;
    // A ring, the nearest line at _head: each slot keeps its character buffer for the lines that come through it.
    private readonly Entry[] _lines = new Entry[Capacity];
    private int _head;
    private int _count;
    private int _usable;

    /// <summary>The <paramref name="i"/>-th line above (0: the line directly above), after <see cref="Above(Segment, long)"/>.</summary>
    public (Segment Segment, long Index) this[int i]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, _usable);
            ref var line = ref _lines[(_head + i) % Capacity];
            return (line.Materialize(), line.Index);
        }
    }

    /// <summary>Lines usable above the segment: free text of the same block (or labelled lines of a form), with no segment between.</summary>
    public int Count => _usable;

    /// <summary>How many remembered lines directly precede <paramref name="segment"/> in its block (0 when it is no free-text line).</summary>
    public int Above(Segment segment, long index)
    {
        _usable = 0;
        return IsLine(segment) ? Above(segment.Group, segment.Label is not null, index) : 0;
    }

    /// <summary>How many remembered lines directly precede a free-text line of <paramref name="group"/> at <paramref name="index"/>.</summary>
    public int Above(int group, bool labelled, long index)
    {
        _usable = 0;
        for (var i = 0; i < _count; i++)
        {
            ref readonly var line = ref _lines[(_head + i) % Capacity];
            // A form's labelled lines may stand a blank line apart ("Home Address: …" / "City, State ZIP: …"): they still
            // read together; other lines only within their paragraph.
            if (line.Index != index - 1 - i || (line.Group != group && (!line.Labelled || !labelled)))
            {
                break;
            }

            _usable++;
        }

        return _usable;
    }

    /// <summary>Remembers the segment as the nearest line (or forgets every line when it is no free-text line).</summary>
    public void Push(Segment segment, long index)
    {
        if (!IsLine(segment))
        {
            _count = 0;
            return;
        }

        Shift().Set(segment, index);
    }

    /// <summary>Remembers a plain line (no label) that became no segment, by its characters.</summary>
    public void Push(ReadOnlySpan<char> text, Locator locator, int group, long index) => Shift().Set(text, locator, group, index);

    // Moves every line one further away (the farthest falls off) and returns the nearest slot.
    private ref Entry Shift()
    {
        _head = (_head + Capacity - 1) % Capacity;
        _count = Math.Min(_count + 1, Capacity);
        return ref _lines[_head];
    }

    private static bool IsLine(Segment s) =>
        s.Fields is null && s.GroupKind == GroupKind.Block && s.ByteOffset is null && !string.IsNullOrWhiteSpace(s.Text);

    // A remembered line: a segment, or a plain line's characters until a line below reads it.
    private struct Entry
    {
        public Segment? Segment;
        public long Index;
        public int Group;
        public bool Labelled;
        public Locator Locator;
        public char[]? Chars;
        public int Length;

        public void Set(Segment segment, long index)
        {
            (Segment, Index, Group, Labelled, Length) = (segment, index, segment.Group, segment.Label is not null, 0);
        }

        public void Set(ReadOnlySpan<char> text, Locator locator, int group, long index)
        {
            if (Chars is null || Chars.Length < text.Length)
            {
                Chars = new char[Math.Max(text.Length, 256)];
            }

            text.CopyTo(Chars);
            (Segment, Index, Group, Labelled, Locator, Length) = (null, index, group, false, locator, text.Length);
        }

        public Segment Materialize() => Segment ??= new Segment(Locator, new string(Chars!, 0, Length)) { Group = Group, GroupKind = GroupKind.Block };
    }
}
