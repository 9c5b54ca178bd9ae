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

    /// <summary>Ids of the rules whose regex ran out of time on one of the item's segments so far, sorted.</summary>
    public IReadOnlyCollection<string> TimedOutRules => _timedOut;
}

/// <summary>The last free-text lines of an item, nearest first, that directly precede a line in the same block.</summary>
internal sealed class RecentLines
{
    private const int Capacity = 3;
    private readonly (Segment Segment, long Index)[] _lines = new (Segment, long)[Capacity];
    private int _count;
    private int _usable;

    /// <summary>The <paramref name="i"/>-th line above (0: the line directly above), after <see cref="Above"/>.</summary>
    public (Segment Segment, long Index) this[int i] => i < _usable ? _lines[i] : throw new ArgumentOutOfRangeException(nameof(i));

    /// <summary>Lines usable above the segment: free text of the same block (or labelled lines of a form), with no segment between.</summary>
    public int Count => _usable;

    /// <summary>How many remembered lines directly precede <paramref name="segment"/> in its block (0 when it is no free-text line).</summary>
    public int Above(Segment segment, long index)
    {
        _usable = 0;
        if (!IsLine(segment))
        {
            return 0;
        }

        for (var i = 0; i < _count; i++)
        {
            var (line, lineIndex) = _lines[i];
            // A form's labelled lines may stand a blank line apart ("Home Address: …" / "City, State ZIP: …"): they still
            // read together; other lines only within their paragraph.
            if (lineIndex != index - 1 - i || (line.Group != segment.Group && (line.Label is null || segment.Label is null)))
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

        for (var i = Math.Min(_count, Capacity - 1); i > 0; i--)
        {
            _lines[i] = _lines[i - 1];
        }

        _lines[0] = (segment, index);
        _count = Math.Min(_count + 1, Capacity);
    }

    private static bool IsLine(Segment s) =>
        s.Fields is null && s.GroupKind == GroupKind.Block && s.ByteOffset is null && !string.IsNullOrWhiteSpace(s.Text);
}
