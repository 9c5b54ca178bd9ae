using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PiiScanner.Extraction;

/// <summary>
/// Turns a stream of JSON tokens into record segments, one record per person. Every object is read on its own
/// and, when it closes, either becomes a record (locator: its JSON path, <c>$.subscribers[3].dependents[1]</c>) or
/// is folded into the object around it with dotted key paths (<c>address.zip</c>):
/// <list type="bullet">
/// <item>an object that describes a person (name parts such as <c>given</c>/<c>family</c>/<c>firstName</c>, or
/// person fields such as <c>ssn</c>/<c>dob</c>/<c>birthDate</c>, or an element of a <c>dependents</c>/<c>members</c>/
/// <c>children</c>… array) is its own record, with <see cref="Segment.ParentGroup"/> the group of the enclosing
/// person object;</item>
/// <item>a structured name (<c>name: [{"given": ["Ana", "Lucía"], "family": "Ruiz"}]</c>) is folded into its person,
/// arrays of given names joined with a space;</item>
/// <item>array elements that are not people (addresses, phones, claims) are folded into the enclosing person;
/// inside an object that is not a person they stay records of their own (a list of rows);</item>
/// <item>the root object, a top-level array element and anything else with scalar values is a record.</item>
/// </list>
/// Scalars in arrays take the array's key path (<c>phones</c>). A record is emitted when it is decided (so nested
/// records come before their parent); group numbers increase in emission order, except that a person holding
/// nested people takes its number when the first of them is emitted. Very wide records are emitted in several
/// segments that share the group. Not thread-safe.
/// </summary>
internal sealed class JsonRecordBuilder
{
    private const int MaxFieldsPerSegment = 1000;

    // Non-person array elements held back while it is not yet known whether the enclosing object is a person.
    private const int MaxPendingFields = 1000;

    private static readonly HashSet<string> NameParts = new(StringComparer.Ordinal)
    {
        "given", "family", "first", "last", "middle", "firstname", "lastname", "middlename", "givenname", "givennames",
        "familyname", "surname", "forename", "fname", "lname", "mname",
    };

    private static readonly HashSet<string> NameObjectKeys = new(StringComparer.Ordinal)
    {
        "prefix", "suffix", "use", "text", "period", "start", "end", "title", "full", "fullname", "display",
    };

    private static readonly HashSet<string> JoinedNameParts = new(StringComparer.Ordinal)
    {
        "given", "givennames", "middle", "middlename", "prefix", "suffix", "first", "firstname",
    };

    private static readonly HashSet<string> PersonKeys = new(StringComparer.Ordinal)
    {
        "ssn", "socialsecuritynumber", "socialsecurity", "socialsecurityno", "dob", "dateofbirth", "birthdate", "birthday",
    };

    private static readonly HashSet<string> NameKeys = new(StringComparer.Ordinal) { "name", "fullname", "displayname", "patientname", "membername" };

    private static readonly HashSet<string> PersonCollections = new(StringComparer.Ordinal)
    {
        "dependents", "dependent", "householdmembers", "household", "members", "children", "kids", "patients", "persons",
        "people", "subscribers", "beneficiaries", "spouses", "employees", "familymembers", "family", "insureds",
        "guarantors", "applicants", "residents", "students", "individuals", "contacts", "emergencycontacts",
    };

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

    [Flags]
    private enum Evidence
    {
        None = 0,

        // Name parts (given/family/first/last) directly or through a structured name.
        NameParts = 1,

        // A person field: ssn, dob, birthDate.
        PersonField = 2,

        // A plain "name" value: enough to own nested people, not enough to make an array element a person.
        Name = 4,
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
            var frame = _frames[i];
            EmitPending(frame, onStack: true);
            if (frame.Record is { } record && (!frame.IsArray || frame.OwnsRecord))
            {
                Flush(record);
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
                ? new Frame(true, "$", string.Empty, null, string.Empty, null)
                : new Frame(false, "$", string.Empty, null, string.Empty, new Record("$")));
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

        // Key path of the new container relative to the record of the enclosing object.
        var key = parent.IsArray ? parent.Prefix : name ?? string.Empty;
        var keyName = parent.IsArray ? parent.KeyName : Compact(name ?? string.Empty);
        if (isArray)
        {
            var frame = new Frame(true, path, key, keyName, key, null) { InArray = parent.IsArray };
            if (JoinedNameParts.Contains(keyName))
            {
                frame.Joined = [];
            }

            _frames.Add(frame);
            return;
        }

        _frames.Add(new Frame(false, path, key, keyName, string.Empty, new Record(path)) { InArray = parent.IsArray });
    }

    private void EndContainer()
    {
        if (_frames.Count == 0)
        {
            return;
        }

        var frame = _frames[^1];
        _frames.RemoveAt(_frames.Count - 1);
        _pendingName = null;
        if (frame.IsArray)
        {
            if (frame.Joined is { Count: > 0 } parts)
            {
                if (NameParts.Contains(frame.KeyName) && Enclosing(_frames.Count - 1) is { } owner)
                {
                    MarkEvidence(owner, Evidence.NameParts);
                }

                AddField(frame, frame.Prefix, string.Join(' ', parts));
            }

            if (frame.OwnsRecord)
            {
                Flush(frame.Record!);
            }

            return;
        }

        CloseObject(frame);
    }

    private void CloseObject(Frame frame)
    {
        var record = frame.Record!;
        var owner = Enclosing(_frames.Count - 1);
        var evidence = record.Evidence;
        if (owner is null || frame.Committed)
        {
            EmitPending(frame, onStack: false);
            EmitRecord(record, ParentOf(_frames.Count - 1));
            return;
        }

        if (IsNameObject(frame))
        {
            EmitPending(frame, onStack: false);
            Merge(owner, frame.Key, record, Evidence.NameParts);
            return;
        }

        var person = IsPerson(evidence);
        if (frame.InArray)
        {
            if (person || PersonCollections.Contains(frame.KeyName) || owner.Collection)
            {
                EmitPending(frame, onStack: false);
                EmitRecord(record, ParentOf(_frames.Count - 1));
            }
            else if (IsOwner(owner.Record!))
            {
                MergeAll(owner, frame);
            }
            else
            {
                EmitPending(frame, onStack: false);
                owner.Pending ??= [];
                owner.Pending.Add((frame.Key, record));
                owner.PendingFields += record.Fields.Count;
                if (owner.PendingFields > MaxPendingFields)
                {
                    // A list of many rows inside an object that is not a person: each row stays a record.
                    owner.Collection = true;
                    EmitPending(owner, onStack: true);
                }
            }

            return;
        }

        // A property value: a second person (a spouse with a name of their own) inside a person is a record of
        // its own; a person inside a wrapper that is not one is held until the wrapper closes; anything else is
        // folded in.
        if (HasOwnIdentity(evidence) && IsOwner(owner.Record!))
        {
            EmitPending(frame, onStack: false);
            EmitRecord(record, ParentOf(_frames.Count - 1));
        }
        else if (person && !IsOwner(owner.Record!))
        {
            EmitPending(frame, onStack: false);
            owner.PendingPeople ??= [];
            owner.PendingPeople.Add((frame.Key, record));
        }
        else
        {
            MergeAll(owner, frame);
        }
    }

    // Folds an object into the enclosing one; what it held back moves to the enclosing object.
    private void MergeAll(Frame owner, Frame frame)
    {
        if (frame.Pending is { } pending)
        {
            frame.Pending = null;
            frame.PendingFields = 0;
            foreach (var (key, child) in pending)
            {
                owner.Pending ??= [];
                owner.Pending.Add((Join(frame.Key, key), child));
                owner.PendingFields += child.Fields.Count;
            }
        }

        if (frame.PendingPeople is { } people)
        {
            frame.PendingPeople = null;
            foreach (var (key, child) in people)
            {
                owner.PendingPeople ??= [];
                owner.PendingPeople.Add((Join(frame.Key, key), child));
            }
        }

        Merge(owner, frame.Key, frame.Record!, frame.Record!.Evidence);
        if (IsOwner(owner.Record!))
        {
            ReleasePending(owner);
        }
        else if (owner.PendingFields > MaxPendingFields)
        {
            owner.Collection = true;
            EmitPending(owner, onStack: true);
        }
    }

    private void Merge(Frame owner, string key, Record child, Evidence evidence)
    {
        var target = owner.Record!;
        if (child.Group is { } group)
        {
            // Nested people already point at this object's group: it keeps the number, as a record of its own
            // unless the enclosing object can take the number over.
            if (target.Group is not null)
            {
                EmitRecord(child, ParentFor(owner));
                return;
            }

            target.Group = group;
        }

        target.AddRange(key, child);
        MarkEvidence(owner, evidence);
        CheckSize(owner);
    }

    private static void MarkEvidence(Frame frame, Evidence evidence)
    {
        var record = frame.Record!;
        var wasOwner = IsOwner(record);
        record.Evidence |= evidence;
        if (!wasOwner && IsOwner(record))
        {
            ReleasePending(frame);
        }
    }

    // Array elements held back by an object that has just turned out to be a person join it.
    private static void ReleasePending(Frame frame)
    {
        if (frame.Pending is { } pending)
        {
            frame.Pending = null;
            frame.PendingFields = 0;
            foreach (var (key, child) in pending)
            {
                frame.Record!.AddRange(key, child);
            }
        }
    }

    // Settles what a frame held back: array elements join it when it is a person, else are records of their own;
    // a lone held person is the subject of a wrapper that is not a person, several are records of their own.
    private void EmitPending(Frame frame, bool onStack)
    {
        var record = frame.Record;
        if (frame.Pending is { } pending)
        {
            frame.Pending = null;
            frame.PendingFields = 0;
            if (record is not null && IsOwner(record) && !frame.Collection)
            {
                foreach (var (key, child) in pending)
                {
                    record.AddRange(key, child);
                }
            }
            else
            {
                var parent = onStack ? ParentFor(frame) : ParentOf(_frames.Count - 1);
                foreach (var (_, child) in pending)
                {
                    EmitRecord(child, parent);
                }
            }
        }

        if (frame.PendingPeople is { } people)
        {
            frame.PendingPeople = null;
            if (people.Count == 1 && record is not null && (!IsOwner(record) || !HasOwnIdentity(people[0].Record.Evidence))
                && (people[0].Record.Group is null || record.Group is null))
            {
                // {"patient": {...}, "diagnosis": ...}: the wrapper is about its one person.
                var (key, child) = people[0];
                record.Group ??= child.Group;
                record.AddRange(key, child);
                record.Evidence |= child.Evidence;
            }
            else
            {
                int? parent = record is not null && IsOwner(record) ? Reserve(record)
                    : onStack ? ParentFor(frame) : ParentOf(_frames.Count - 1);
                foreach (var (_, child) in people)
                {
                    EmitRecord(child, parent);
                }
            }
        }
    }

    private void EmitRecord(Record record, int? parent)
    {
        record.ParentGroup ??= parent;
        Flush(record);
    }

    private int Reserve(Record record) => record.Group ??= _nextGroup++;

    // Parent group for records held by a frame on the stack: the frame itself when it is a person, else above it.
    private int? ParentFor(Frame frame)
    {
        var index = _frames.IndexOf(frame);
        return index < 0 ? ParentOf(_frames.Count - 1) : ParentOf(index);
    }

    // Group of the nearest enclosing object that is a person (reserving its number), or null.
    private int? ParentOf(int from)
    {
        for (var i = from; i >= 0; i--)
        {
            var frame = _frames[i];
            if (!frame.IsArray && frame.Record is { } record && IsOwner(record))
            {
                return Reserve(record);
            }
        }

        return null;
    }

    // The nearest enclosing object frame (arrays skipped), or null at the top.
    private Frame? Enclosing(int from)
    {
        for (var i = from; i >= 0; i--)
        {
            if (!_frames[i].IsArray)
            {
                return _frames[i];
            }
        }

        return null;
    }

    private static bool IsPerson(Evidence evidence) => (evidence & (Evidence.NameParts | Evidence.PersonField)) != 0;

    // A person with a name of its own (not just a date of birth inside someone's record).
    private static bool HasOwnIdentity(Evidence evidence)
        => (evidence & Evidence.NameParts) != 0 || (evidence & (Evidence.Name | Evidence.PersonField)) == (Evidence.Name | Evidence.PersonField);

    private static bool IsOwner(Record record) => record.Evidence != Evidence.None;

    private static bool IsNameObject(Frame frame)
    {
        if (!frame.KeyName.Contains("name", StringComparison.Ordinal) || frame.Record!.Fields.Count == 0)
        {
            return false;
        }

        var parts = false;
        foreach (var field in frame.Record.Fields)
        {
            var first = field.Name;
            var dot = first.IndexOf('.', StringComparison.Ordinal);
            var key = Compact(dot < 0 ? first : first[..dot]);
            if (NameParts.Contains(key))
            {
                parts = true;
            }
            else if (!NameObjectKeys.Contains(key))
            {
                return false;
            }
        }

        return parts;
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
            if (frame.Joined is { } joined)
            {
                joined.Add(value);
                return;
            }

            AddField(frame, frame.Prefix, value);
            return;
        }

        var key = name ?? string.Empty;
        var compact = Compact(key);
        var evidence = NameParts.Contains(compact) ? Evidence.NameParts
            : PersonKeys.Contains(compact) ? Evidence.PersonField
            : NameKeys.Contains(compact) ? Evidence.Name
            : Evidence.None;
        if (evidence != Evidence.None && value.Length > 0)
        {
            MarkEvidence(frame, evidence);
        }

        AddField(frame, key, value);
    }

    // Adds a value to the record a frame writes into: its own, or for an array that of the enclosing object.
    private void AddField(Frame frame, string key, string value)
    {
        var target = frame.IsArray ? Enclosing(_frames.Count - 1) : frame;
        if (target is null)
        {
            frame.Record ??= new Record(frame.Path);
            frame.OwnsRecord = true;
            target = frame;
        }

        target.Record!.Add(new Field(key.Length == 0 ? "value" : key, value));
        CheckSize(target);
    }

    private void CheckSize(Frame frame)
    {
        var record = frame.Record!;
        if (record.Fields.Count >= MaxFieldsPerSegment || record.Chars >= _maxChars)
        {
            // Too wide to hold: this object is a record of its own from now on.
            frame.Committed = true;
            EmitPending(frame, onStack: true);
            EmitRecord(record, frame.IsArray ? null : ParentOf(_frames.IndexOf(frame) - 1));
        }
    }

    private void Flush(Record record)
    {
        if (record.Fields.Count > 0)
        {
            record.Group ??= _nextGroup++;
            if (!record.Counted)
            {
                record.Counted = true;
                Records++;
            }

            _emit(new Segment(Locate(record.Path), string.Empty)
            {
                Fields = NameTypedValues(record.Fields),
                Group = record.Group.Value,
                GroupKind = GroupKind.Record,
                ParentGroup = record.ParentGroup,
            });
            record.Reset();
        }
    }

    // A typed value ({"system": "http://hl7.org/fhir/sid/us-ssn", "value": "…"}, {"type": "order", "value": "…"}) is
    // named by its type: "identifier.us-ssn", "identifier.order". A bare "value" says nothing, so an order number
    // among a patient's identifiers would read as the patient's SSN.
    private static List<Field> NameTypedValues(List<Field> fields)
    {
        List<Field>? renamed = null;
        for (var i = 1; i < fields.Count; i++)
        {
            var name = fields[i].Name;
            if (!name.EndsWith("value", StringComparison.Ordinal) || (name.Length > 5 && name[^6] != '.'))
            {
                continue;
            }

            var prefix = name[..^5];
            for (var j = i - 1; j >= 0 && j >= i - 3; j--)
            {
                var other = fields[j].Name;
                if (string.Equals(other, prefix + "system", StringComparison.Ordinal) || string.Equals(other, prefix + "type", StringComparison.Ordinal))
                {
                    var type = TypeName(fields[j].Value);
                    if (type.Length > 0)
                    {
                        renamed ??= [.. fields];
                        renamed[i] = fields[i] with { Name = prefix + type };
                    }

                    break;
                }
            }
        }

        return renamed ?? fields;
    }

    // The last word of a type URI or URN: "http://hl7.org/fhir/sid/us-ssn" → "us-ssn", "urn:agency:order" → "order".
    private static string TypeName(string system)
    {
        var value = system.Trim().TrimEnd('/', '#');
        var cut = value.LastIndexOfAny(['/', ':', '#']);
        var last = cut < 0 ? value : value[(cut + 1)..];
        return last.Length is > 0 and <= 40 ? last : string.Empty;
    }

    // Lower-case letters and digits only: "first_name", "firstName" and "First Name" all become "firstname".
    private static string Compact(string key)
    {
        var sb = new StringBuilder(key.Length);
        foreach (var c in key)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
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

    private sealed class Frame(bool isArray, string path, string key, string? keyName, string prefix, Record? record)
    {
        public bool IsArray { get; } = isArray;

        public string Path { get; } = path;

        /// <summary>Key path of this container relative to the enclosing object's record.</summary>
        public string Key { get; } = key;

        /// <summary>Compacted property name (the array's name for an array element), for classification.</summary>
        public string KeyName { get; } = keyName ?? string.Empty;

        /// <summary>For an array: the key path its scalars are stored under.</summary>
        public string Prefix { get; } = prefix;

        /// <summary>An object's own record; for a top-level array, the record made on demand for its scalars.</summary>
        public Record? Record { get; set; } = record;

        public bool OwnsRecord { get; set; }

        public bool InArray { get; init; }

        public int Index { get; set; }

        /// <summary>Emitted in parts already: stays a record of its own.</summary>
        public bool Committed { get; set; }

        /// <summary>Held too many non-person elements: they are rows, emitted as they close.</summary>
        public bool Collection { get; set; }

        public List<(string Key, Record Record)>? Pending { get; set; }

        public int PendingFields { get; set; }

        public List<(string Key, Record Record)>? PendingPeople { get; set; }

        /// <summary>Values of an array of name parts (<c>given</c>), joined with a space when it closes.</summary>
        public List<string>? Joined { get; set; }
    }

    private sealed class Record(string path)
    {
        public string Path { get; } = path;

        public List<Field> Fields { get; private set; } = [];

        public int Chars { get; private set; }

        public int? Group { get; set; }

        public int? ParentGroup { get; set; }

        public bool Counted { get; set; }

        public Evidence Evidence { get; set; }

        public void Add(Field field)
        {
            Fields.Add(field);
            Chars += field.Value.Length + field.Name.Length;
        }

        public void AddRange(string key, Record child)
        {
            foreach (var field in child.Fields)
            {
                Add(new Field(Join(key, field.Name), field.Value, field.Locator));
            }

            child.Reset();
        }

        public void Reset()
        {
            // The emitted list now belongs to the segment.
            Fields = [];
            Chars = 0;
        }
    }
}
