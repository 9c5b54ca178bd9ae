using System.Collections;

namespace PiiScanner.Resolution;

/// <summary>
/// The individuals of a resolution, in order, kept in a <see cref="SpillFile"/> rather than in memory: each
/// enumeration decodes them afresh, one at a time, so writers that stream the index hold one person at a time.
/// The indexer reads one person at its offset. Safe for several readers at once once built.
/// </summary>
internal sealed class SpilledIndividuals : IReadOnlyList<Individual>, IDisposable
{
    private readonly SpillFile _file;
    private readonly List<long> _offsets = [];

    public SpilledIndividuals(string? directory) => _file = SpillFile.Create(directory);

    /// <summary>The encoded individuals, front to back, in pieces (to keep them, e.g. in the journal).</summary>
    public IEnumerable<byte[]> Chunks()
    {
        using var reader = _file.OpenRead();
        var left = _file.Length;
        while (left > 0)
        {
            var chunk = reader.ReadBytes((int)Math.Min(left, 1 << 20));
            left -= chunk.Length;
            yield return chunk;
        }
    }

    /// <summary>Where each individual starts in <see cref="Chunks"/>' bytes.</summary>
    public IReadOnlyList<long> Offsets => _offsets;

    /// <summary>Individuals kept as <see cref="Chunks"/> and <see cref="Offsets"/>, copied into a new store.</summary>
    public static SpilledIndividuals FromChunks(string? directory, IEnumerable<byte[]> chunks, IEnumerable<long> offsets)
    {
        var list = new SpilledIndividuals(directory);
        foreach (var chunk in chunks)
        {
            list._file.Writer.Write(chunk);
        }

        list._offsets.AddRange(offsets);
        return list;
    }

    public int Count => _offsets.Count;

    public Individual this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _offsets.Count);
            // One person is a few hundred bytes: a small read-ahead, as the notifiable list reads them one by one.
            using var reader = _file.OpenRead(_offsets[index], 4096);
            return IndividualCodec.Read(reader, new StringPool());
        }
    }

    /// <summary>
    /// The individuals at <paramref name="indexes"/>, in that order: a run of consecutive indexes is read from one
    /// reader front to back (a list picked by state is mostly such runs), a jump opens a reader where it lands.
    /// </summary>
    public IEnumerable<Individual> ReadAt(IEnumerable<int> indexes)
    {
        BinaryReader? reader = null;
        var pool = new StringPool();
        var next = -1;
        try
        {
            foreach (var index in indexes)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _offsets.Count);
                if (reader is null || index != next)
                {
                    reader?.Dispose();
                    reader = _file.OpenRead(_offsets[index], 1 << 16);
                }

                yield return IndividualCodec.Read(reader, pool);
                next = index + 1;
            }
        }
        finally
        {
            reader?.Dispose();
        }
    }

    /// <summary>Appends the next individual (while building; not thread-safe).</summary>
    public void Add(Individual person)
    {
        _offsets.Add(_file.Length);
        IndividualCodec.Write(_file.Writer, person);
    }

    public IEnumerator<Individual> GetEnumerator()
    {
        if (_offsets.Count == 0)
        {
            yield break;
        }

        using var reader = _file.OpenRead();
        var pool = new StringPool();
        for (var i = 0; i < _offsets.Count; i++)
        {
            yield return IndividualCodec.Read(reader, pool);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose() => _file.Dispose();
}

/// <summary>Element names, join keys and other short repeated strings, decoded once per reader.</summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    public string Share(string value)
    {
        if (_strings.Count > 4096)
        {
            return value;
        }

        if (!_strings.TryGetValue(value, out var shared))
        {
            _strings[value] = shared = value;
        }

        return shared;
    }
}

/// <summary>An <see cref="Individual"/> as bytes and back, losslessly (the decoded person writes the same outputs).</summary>
internal static class IndividualCodec
{
    public static void Write(BinaryWriter w, Individual p)
    {
        w.Write(p.Id);
        WriteNullable(w, p.Name);
        WriteStrings(w, p.NameVariants);
        WriteStrings(w, p.Elements);
        w.Write(p.Values.Count);
        foreach (var (element, values) in p.Values)
        {
            w.Write(element);
            w.Write(values.Count);
            foreach (var v in values)
            {
                w.Write(v.Value);
                WriteNullable(w, v.State);
                WriteNullable(w, v.Code);
                WriteNullable(w, v.Category);
            }
        }

        WriteSources(w, p.Sources);

        w.Write(p.Confidence);
        w.Write(p.JoinedBy.Count);
        foreach (var j in p.JoinedBy)
        {
            w.Write(j.Key);
            w.Write(j.Records);
        }

        WriteStrings(w, p.Household);
    }

    public static Individual Read(BinaryReader r, StringPool pool)
    {
        var id = r.ReadString();
        var name = ReadNullable(r);
        var variants = ReadStrings(r, null);
        var elements = ReadStrings(r, pool);
        var values = new (string, IReadOnlyList<ExposedValue>)[r.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
        {
            var element = pool.Share(r.ReadString());
            var list = new ExposedValue[r.ReadInt32()];
            for (var k = 0; k < list.Length; k++)
            {
                list[k] = new ExposedValue(r.ReadString(), ReadNullable(r, pool), ReadNullable(r, pool), ReadNullable(r, pool));
            }

            values[i] = (element, list);
        }

        var sources = ReadSources(r, pool);

        var confidence = r.ReadDouble();
        var joined = new JoinReason[r.ReadInt32()];
        for (var i = 0; i < joined.Length; i++)
        {
            joined[i] = new JoinReason(pool.Share(r.ReadString()), r.ReadInt32());
        }

        return new Individual
        {
            Id = id,
            Name = name,
            NameVariants = variants,
            Elements = elements,
            Values = new ElementValues(values),
            Sources = sources,
            Confidence = confidence,
            JoinedBy = joined,
            Household = ReadStrings(r, null),
        };
    }

    /// <summary>Staff as bytes (see <see cref="ReadStaff"/>).</summary>
    public static byte[] EncodeStaff(IReadOnlyList<StaffMember> staff)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(staff.Count);
            foreach (var s in staff)
            {
                w.Write(s.Name);
                w.Write(s.Role);
                WriteSources(w, s.Sources);
            }
        }

        return stream.ToArray();
    }

    public static List<StaffMember> ReadStaff(byte[] data)
    {
        using var r = new BinaryReader(new MemoryStream(data), System.Text.Encoding.UTF8);
        var pool = new StringPool();
        var staff = new List<StaffMember>(r.ReadInt32());
        for (var i = staff.Capacity; i > 0; i--)
        {
            staff.Add(new StaffMember(r.ReadString(), pool.Share(r.ReadString()), ReadSources(r, pool)));
        }

        return staff;
    }

    private static void WriteSources(BinaryWriter w, IReadOnlyList<SourceRef> sources)
    {
        w.Write(sources.Count);
        foreach (var s in sources)
        {
            w.Write(s.Path);
            w.Write(s.Locator);
            WriteStrings(w, s.Elements);
            w.Write(s.Deleted);
            WriteNullable(w, s.Partition);
            WriteNullable(w, s.Inode);
        }
    }

    private static SourceRef[] ReadSources(BinaryReader r, StringPool pool)
    {
        var sources = new SourceRef[r.ReadInt32()];
        string? lastPath = null;
        for (var i = 0; i < sources.Length; i++)
        {
            // A person's sources often share a path: one string for them.
            var path = r.ReadString();
            path = path == lastPath ? lastPath : lastPath = path;
            sources[i] = new SourceRef(path, r.ReadString(), ReadStrings(r, pool), r.ReadBoolean(), ReadNullable(r, pool), ReadNullable(r));
        }

        return sources;
    }

    internal static void WriteNullable(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null)
        {
            w.Write(value);
        }
    }

    internal static string? ReadNullable(BinaryReader r, StringPool? pool = null) =>
        r.ReadBoolean() ? (pool is null ? r.ReadString() : pool.Share(r.ReadString())) : null;

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write(values.Count);
        foreach (var v in values)
        {
            w.Write(v);
        }
    }

    private static string[] ReadStrings(BinaryReader r, StringPool? pool)
    {
        var n = r.ReadInt32();
        if (n == 0)
        {
            return [];
        }

        var values = new string[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = pool is null ? r.ReadString() : pool.Share(r.ReadString());
        }

        return values;
    }
}
