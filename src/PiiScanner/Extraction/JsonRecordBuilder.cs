using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PiiScanner.Extraction;

/// <summary>
/// Turns a stream of JSON tokens into record segments. The root object and every object that is an array
/// element is a record (locator: its JSON path, <c>$.patients[3]</c>); an object that is a property value is
/// flattened into its record with dotted key paths (<c>address.zip</c>); scalars in arrays take the array's key
/// path (<c>phones</c>). A record is emitted when it closes (so nested records come before their parent),
/// only when it holds scalar values, with a group number assigned in emission order. Very wide records are
/// emitted in several segments that share the group. Not thread-safe.
/// </summary>
internal sealed class JsonRecordBuilder
{
    private const int MaxFieldsPerSegment = 1000;

    private readonly Action<Segment> _emit;
    private readonly Encoding _lenientUtf8;
    private readonly int _maxChars;
    private readonly List<Frame> _frames = [];
    private string? _pendingName;
    private int _nextGroup;

    /// <summary>Creates a builder.</summary>
    /// <param name="emit">Receives each record segment.</param>
    /// <param name="lenientUtf8">Decodes string values whose bytes are not valid UTF-8.</param>
    /// <param name="maxChars">Characters of values after which a wide record is emitted in parts.</param>
    /// <param name="firstGroup">The first group number to assign.</param>
    public JsonRecordBuilder(Action<Segment> emit, Encoding lenientUtf8, int maxChars, int firstGroup = 1)
    {
        _emit = emit;
        _lenientUtf8 = lenientUtf8;
        _maxChars = maxChars;
        _nextGroup = firstGroup;
    }

    /// <summary>
    /// Replaces <c>$</c> at the start of locators (<c>line 7</c> for JSON Lines: <c>line 7</c>, <c>line 7 $.items[0]</c>),
    /// or null to keep JSON paths.
    /// </summary>
    public string? RootLocator { get; set; }

    /// <summary>The next group number that will be assigned.</summary>
    public int NextGroup => _nextGroup;

    /// <summary>Takes a group number for a segment emitted outside the builder (a line read as text).</summary>
    public int TakeGroup() => _nextGroup++;

    /// <summary>Number of records emitted (each record counted once).</summary>
    public long Records { get; private set; }

    /// <summary>Current nesting depth (0 between top-level values).</summary>
    public int Depth => _frames.Count;

    /// <summary>Handles the token the reader is positioned on.</summary>
    public void Handle(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                _pendingName = GetString(ref reader);
                break;
            case JsonTokenType.StartObject:
                StartContainer(isArray: false);
                break;
            case JsonTokenType.StartArray:
                StartContainer(isArray: true);
                break;
            case JsonTokenType.EndObject:
            case JsonTokenType.EndArray:
                EndContainer();
                break;
            case JsonTokenType.String:
                AddScalar(GetString(ref reader));
                break;
            case JsonTokenType.Number:
                AddScalar(Raw(ref reader));
                break;
            case JsonTokenType.True:
                AddScalar("true");
                break;
            case JsonTokenType.False:
                AddScalar("false");
                break;
            default:
                // null and comments carry nothing.
                _pendingName = null;
                break;
        }
    }

    /// <summary>Emits every open record (the input ended early or turned invalid) and forgets the nesting.</summary>
    public void FlushOpen()
    {
        for (var i = _frames.Count - 1; i >= 0; i--)
        {
            if (_frames[i].OwnsRecord)
            {
                Flush(_frames[i].Record!);
            }
        }

        _frames.Clear();
        _pendingName = null;
    }

    private string GetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 inside the string: read the raw bytes leniently (escapes stay as written).
            return Raw(ref reader);
        }
    }

    private string Raw(ref Utf8JsonReader reader)
        => reader.HasValueSequence
            ? _lenientUtf8.GetString(System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence))
            : _lenientUtf8.GetString(reader.ValueSpan);

    private void StartContainer(bool isArray)
    {
        var name = _pendingName;
        _pendingName = null;
        if (_frames.Count == 0)
        {
            // A top-level object is a record; a top-level array's scalars get a record made on demand.
            _frames.Add(isArray
                ? new Frame(true, "$", null, string.Empty, false)
                : new Frame(false, "$", new Record("$"), string.Empty, true));
            return;
        }

        var parent = _frames[^1];
        string path;
        if (parent.IsArray)
        {
            path = parent.Path + "[" + parent.Index.ToString(CultureInfo.InvariantCulture) + "]";
            parent.Index++;
        }
        else
        {
            path = parent.Path + Member(name ?? string.Empty);
        }

        if (!isArray && parent.IsArray)
        {
            _frames.Add(new Frame(false, path, new Record(path), string.Empty, true));
            return;
        }

        // Nested object or array: contributes to the enclosing record under its key path.
        var prefix = parent.IsArray ? parent.Prefix : Join(parent.Prefix, name ?? string.Empty);
        _frames.Add(new Frame(isArray, path, parent.Record, prefix, false));
    }

    private void EndContainer()
    {
        if (_frames.Count == 0)
        {
            return;
        }

        var frame = _frames[^1];
        _frames.RemoveAt(_frames.Count - 1);
        if (frame.OwnsRecord)
        {
            Flush(frame.Record!);
        }

        _pendingName = null;
    }

    private void AddScalar(string value)
    {
        var name = _pendingName;
        _pendingName = null;
        if (_frames.Count == 0)
        {
            // A bare top-level scalar (a JSON file holding just a string).
            var record = new Record("$");
            record.Add(new Field("value", value));
            Flush(record);
            return;
        }

        var frame = _frames[^1];
        if (frame.IsArray)
        {
            frame.Index++;
        }

        if (frame.Record is null)
        {
            frame.Record = new Record(frame.Path);
            frame.OwnsRecord = true;
        }

        var key = frame.IsArray ? frame.Prefix : Join(frame.Prefix, name ?? string.Empty);
        frame.Record.Add(new Field(key.Length == 0 ? "value" : key, value));
        if (frame.Record.Fields.Count >= MaxFieldsPerSegment || frame.Record.Chars >= _maxChars)
        {
            Flush(frame.Record);
        }
    }

    private void Flush(Record record)
    {
        if (record.Fields.Count > 0)
        {
            if (record.Group is null)
            {
                record.Group = _nextGroup++;
                Records++;
            }

            _emit(new Segment(Locate(record.Path), string.Empty)
            {
                Fields = record.Fields,
                Group = record.Group.Value,
                GroupKind = GroupKind.Record,
            });
            record.Reset();
        }
    }

    private string Locate(string path)
    {
        if (RootLocator is null)
        {
            return path;
        }

        return path.Length == 1 ? RootLocator : RootLocator + " " + path;
    }

    private static string Join(string prefix, string name)
        => prefix.Length == 0 ? name : name.Length == 0 ? prefix : prefix + "." + name;

    private static string Member(string name)
    {
        var simple = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_');
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                simple = false;
                break;
            }
        }

        return simple ? "." + name : "['" + name.Replace("'", "\\'", StringComparison.Ordinal) + "']";
    }

    private sealed class Frame(bool isArray, string path, Record? record, string prefix, bool ownsRecord)
    {
        public bool IsArray { get; } = isArray;

        public string Path { get; } = path;

        public Record? Record { get; set; } = record;

        public string Prefix { get; } = prefix;

        public bool OwnsRecord { get; set; } = ownsRecord;

        public int Index { get; set; }
    }

    private sealed class Record(string path)
    {
        public string Path { get; } = path;

        public List<Field> Fields { get; private set; } = [];

        public int Chars { get; private set; }

        public int? Group { get; set; }

        public void Add(Field field)
        {
            Fields.Add(field);
            Chars += field.Value.Length + field.Name.Length;
        }

        public void Reset()
        {
            // The emitted list now belongs to the segment.
            Fields = [];
            Chars = 0;
        }
    }
}
