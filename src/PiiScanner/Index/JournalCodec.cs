using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Resolution;
using PiiScanner.Sources;

namespace PiiScanner.Index;

/// <summary>
/// One <see cref="ItemResult"/> as the bytes of a journal row and back, losslessly: the decoded result writes the
/// same outputs as the one encoded. The row is binary: a format byte, the file record, the findings, the records;
/// integers as LEB128 varints (signed ones zig-zagged), and every string once per row (a string table built as the
/// row is written: a repeat is its number in the table), so decoding allocates each distinct element name, rule id
/// or value of a row once. A record's findings are stored as positions in the item's findings (they are the same
/// findings), except findings that record assembly changed (a licence given its address's state), which are stored
/// with the record.
/// </summary>
/// <remarks>
/// The file record comes first so <see cref="DecodeFile"/> reads nothing else. A row of another format (the UTF-8
/// JSON of earlier builds) is refused with <see cref="InvalidDataException"/>; journals of those builds carry an
/// older schema and are refused when opened (<see cref="ScanJournal"/>).
/// </remarks>
internal static class JournalCodec
{
    private const byte Format = 2;

    public static byte[] Encode(ItemResult item)
    {
        // A record holds the item's finding objects themselves: looked up by reference (a value-equal copy, which
        // record assembly may make, by value), not by hashing every field of every finding.
        var positions = new Dictionary<Finding, int>(item.Findings.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < item.Findings.Count; i++)
        {
            positions.TryAdd(item.Findings[i], i);
        }

        Dictionary<Finding, int>? byValue = null;
        bool Position(Finding finding, out int at)
        {
            if (positions.TryGetValue(finding, out at))
            {
                return true;
            }

            if (byValue is null)
            {
                byValue = new Dictionary<Finding, int>(item.Findings.Count);
                for (var i = 0; i < item.Findings.Count; i++)
                {
                    byValue.TryAdd(item.Findings[i], i);
                }
            }

            return byValue.TryGetValue(finding, out at);
        }

        var w = new RowWriter(EstimatedSize(item));
        w.Byte(Format);
        WriteFile(w, item.File);
        w.Int(item.Findings.Count);
        foreach (var finding in item.Findings)
        {
            WriteFinding(w, finding);
        }

        w.Int(item.Records.Count);
        foreach (var record in item.Records)
        {
            w.String(record.Path == item.File.Path ? null : record.Path);
            w.String(record.Locator);
            w.Int(record.Findings.Count);
            var own = 0;
            foreach (var finding in record.Findings)
            {
                // A position, or −1 − n for the n-th finding of the record's own (written after the positions).
                w.Int(Position(finding, out var at) ? at : -1 - own++);
            }

            w.Int(own);
            foreach (var finding in record.Findings)
            {
                if (!Position(finding, out _))
                {
                    WriteFinding(w, finding);
                }
            }
        }

        return w.ToArray();
    }

    // About what a row takes (a finding's new strings and numbers, a record's positions), so its buffer and string
    // table are sized once instead of doubling through a large item.
    private static int EstimatedSize(ItemResult item)
    {
        var refs = 0;
        foreach (var record in item.Records)
        {
            refs += record.Findings.Count;
        }

        return (int)Math.Min(256 + (48L * item.Findings.Count) + (2L * refs), 1 << 24);
    }

    public static ItemResult Decode(ReadOnlySpan<byte> data)
    {
        var r = new RowReader(data);
        var file = ReadFile(ref r);
        var findings = new Finding[r.Count()];
        for (var i = 0; i < findings.Length; i++)
        {
            findings[i] = ReadFinding(ref r);
        }

        var records = new PersonRecord[r.Count()];
        for (var k = 0; k < records.Length; k++)
        {
            var path = r.String() ?? file.Path;
            var locator = r.String() ?? throw Bad();
            var refs = new int[r.Count()];
            for (var i = 0; i < refs.Length; i++)
            {
                refs[i] = r.Int();
            }

            var own = new Finding[r.Count()];
            for (var i = 0; i < own.Length; i++)
            {
                own[i] = ReadFinding(ref r);
            }

            var list = new Finding[refs.Length];
            for (var i = 0; i < list.Length; i++)
            {
                var at = refs[i];
                list[i] = at >= 0 && at < findings.Length ? findings[at]
                    : -1 - at is var o && o >= 0 && o < own.Length ? own[o]
                    : throw Bad();
            }

            records[k] = new PersonRecord(path, locator, list);
        }

        r.End();
        return new ItemResult(file, findings, records);
    }

    /// <summary>Only the file record of a journal row (it comes first): its findings and records are not decoded.</summary>
    public static FileRecord DecodeFile(ReadOnlySpan<byte> data)
    {
        var r = new RowReader(data);
        return ReadFile(ref r);
    }

    private static void WriteFile(RowWriter w, FileRecord file)
    {
        w.String(file.Path);
        w.NullableLong(file.Size);
        w.String(file.Sha256);
        w.Int((int)file.Status);
        w.String(file.Change);
        w.String(file.Reason);
        w.Int(file.RegexTimeouts is { } timeouts ? timeouts.Count + 1 : 0);
        foreach (var rule in file.RegexTimeouts ?? [])
        {
            w.String(rule);
        }

        w.String(file.Extractor);
        w.String(file.Detail);
        w.Int(file.Findings);
        w.Int(file.Counts is { } counts ? counts.Count + 1 : 0);
        foreach (var (key, value) in file.Counts ?? new Dictionary<string, long>())
        {
            w.String(key);
            w.Long(value);
        }

        w.Byte(file.Origin is null ? (byte)0 : (byte)1);
        if (file.Origin is { } origin)
        {
            w.String(origin.Partition);
            w.String(origin.Inode);
            w.Byte(origin.Deleted ? (byte)1 : (byte)0);
            w.NullableLong(origin.ImageOffset);
        }

        w.Byte(file.Modified is null ? (byte)0 : (byte)1);
        if (file.Modified is { } modified)
        {
            w.Long(modified.Ticks);
            w.Long(modified.Offset.Ticks);
        }
    }

    private static FileRecord ReadFile(ref RowReader r)
    {
        if (r.Byte() != Format)
        {
            throw new InvalidDataException("the journal row is of another format (an earlier piiscan build)");
        }

        var path = r.String() ?? throw Bad();
        var size = r.NullableLong();
        var sha256 = r.String();
        var status = (FileStatus)r.Int();
        var change = r.String();
        var reason = r.String();
        string[]? timeouts = null;
        if (r.Count() is > 0 and var t)
        {
            timeouts = new string[t - 1];
            for (var i = 0; i < timeouts.Length; i++)
            {
                timeouts[i] = r.String() ?? throw Bad();
            }
        }

        var extractor = r.String();
        var detail = r.String();
        var findings = r.Int();
        SortedDictionary<string, long>? counts = null;
        if (r.Count() is > 0 and var c)
        {
            counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            for (var i = 1; i < c; i++)
            {
                counts[r.String() ?? throw Bad()] = r.Long();
            }
        }

        ItemOrigin? origin = null;
        if (r.Byte() != 0)
        {
            origin = new ItemOrigin { Partition = r.String(), Inode = r.String(), Deleted = r.Byte() != 0, ImageOffset = r.NullableLong() };
        }

        DateTimeOffset? modified = null;
        if (r.Byte() != 0)
        {
            var ticks = r.Long();
            modified = new DateTimeOffset(ticks, TimeSpan.FromTicks(r.Long()));
        }

        return new FileRecord
        {
            Path = path,
            Size = size,
            Sha256 = sha256,
            Status = status,
            Change = change,
            Reason = reason,
            RegexTimeouts = timeouts,
            Extractor = extractor,
            Detail = detail,
            Findings = findings,
            Counts = counts,
            Origin = origin,
            Modified = modified,
        };
    }

    private static void WriteFinding(RowWriter w, Finding f)
    {
        w.String(f.Element);
        w.String(f.Value);
        w.String(f.Locator);
        w.String(f.SegmentLocator);
        w.Double(f.Confidence);
        w.String(f.Evidence.RuleId);
        w.String(f.Evidence.Pattern);
        w.String(f.Evidence.Validator);
        w.String(f.Evidence.ContextWord);
        w.String(f.Evidence.Header);
        w.Byte(f.Evidence.InferredHeader ? (byte)1 : (byte)0);
        w.Int(f.Start);
        w.Int(f.Length);
        w.Int(f.Group);
        w.Int((int)f.GroupKind);
        w.NullableLong(f.ParentGroup);
        w.Long(f.SegmentIndex);
        w.NullableLong(f.ByteOffset);
        w.String(f.Owner);
        w.String(f.State);
        w.String(f.Code);
        var q = f.Qualifiers;
        w.NullableLong(q.Role is { } role ? (int)role : null);
        w.NullableLong(q.NameForm is { } form ? (int)form : null);
        w.String(q.Sensitivity);
        w.String(q.Issuer);
        w.String(q.Kind);
    }

    private static Finding ReadFinding(ref RowReader r)
    {
        var element = r.String() ?? throw Bad();
        var value = r.String() ?? throw Bad();
        var locator = r.String() ?? throw Bad();
        var segmentLocator = r.String();
        var confidence = r.Double();
        var evidence = new Evidence
        {
            RuleId = r.String() ?? throw Bad(),
            Pattern = r.String(),
            Validator = r.String(),
            ContextWord = r.String(),
            Header = r.String(),
            InferredHeader = r.Byte() != 0,
        };
        var start = r.Int();
        var length = r.Int();
        var group = r.Int();
        var groupKind = (GroupKind)r.Int();
        var parentGroup = (int?)r.NullableLong();
        var segmentIndex = r.Long();
        var byteOffset = r.NullableLong();
        var owner = r.String();
        var state = r.String();
        var code = r.String();
        var role = (PersonRole?)(int?)r.NullableLong();
        var nameForm = (NameForm?)(int?)r.NullableLong();
        var sensitivity = r.String();
        var issuer = r.String();
        var kind = r.String();
        var qualifiers = role is null && nameForm is null && sensitivity is null && issuer is null && kind is null
            ? FindingQualifiers.None
            : new FindingQualifiers { Role = role, NameForm = nameForm, Sensitivity = sensitivity, Issuer = issuer, Kind = kind };
        return new Finding
        {
            Element = element,
            Value = value,
            Locator = locator,
            SegmentLocator = segmentLocator,
            Confidence = confidence,
            Evidence = evidence,
            Start = start,
            Length = length,
            Group = group,
            GroupKind = groupKind,
            ParentGroup = parentGroup,
            SegmentIndex = segmentIndex,
            ByteOffset = byteOffset,
            Owner = owner,
            State = state,
            Code = code,
            Qualifiers = qualifiers,
        };
    }

    private static InvalidDataException Bad() => new("damaged journal row");

    /// <summary>Writes a row: varints, doubles, and strings through the row's string table.</summary>
    private sealed class RowWriter(int capacity)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(capacity);
        private readonly Dictionary<string, int> _strings = new(capacity / 32, StringComparer.Ordinal);

        public void Byte(byte value)
        {
            _buffer.GetSpan(1)[0] = value;
            _buffer.Advance(1);
        }

        public void Int(int value) => Long(value);

        public void Long(long value) => Varint((ulong)((value << 1) ^ (value >> 63)));

        /// <summary>0 for null, 1 then the value.</summary>
        public void NullableLong(long? value)
        {
            Byte(value is null ? (byte)0 : (byte)1);
            if (value is { } v)
            {
                Long(v);
            }
        }

        public void Double(double value)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(_buffer.GetSpan(sizeof(double)), value);
            _buffer.Advance(sizeof(double));
        }

        /// <summary>0 for null; 1, the UTF-8 length and bytes for a string new to the row; 2 + n for the n-th string of the row.</summary>
        public void String(string? value)
        {
            if (value is null)
            {
                Varint(0);
                return;
            }

            if (_strings.TryGetValue(value, out var n))
            {
                Varint((ulong)n + 2);
                return;
            }

            _strings[value] = _strings.Count;
            Varint(1);
            var length = Encoding.UTF8.GetByteCount(value);
            Varint((ulong)length);
            Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
            _buffer.Advance(length);
        }

        public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

        private void Varint(ulong value)
        {
            var span = _buffer.GetSpan(10);
            var i = 0;
            while (value >= 0x80)
            {
                span[i++] = (byte)(value | 0x80);
                value >>= 7;
            }

            span[i++] = (byte)value;
            _buffer.Advance(i);
        }
    }

    /// <summary>Reads a row <see cref="RowWriter"/> wrote; anything out of bounds is a damaged row.</summary>
    private ref struct RowReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private readonly List<string> _strings = [];
        private int _at;

        public readonly void End()
        {
            if (_at != _data.Length)
            {
                throw Bad();
            }
        }

        public byte Byte() => _at < _data.Length ? _data[_at++] : throw Bad();

        public int Int() => checked((int)Long());

        /// <summary>A count: never negative, never more than the bytes left (every element takes at least one).</summary>
        public int Count()
        {
            var n = Int();
            return n >= 0 && n <= _data.Length - _at ? n : throw Bad();
        }

        public long Long()
        {
            var v = Varint();
            return (long)(v >> 1) ^ -(long)(v & 1);
        }

        public long? NullableLong() => Byte() == 0 ? null : Long();

        public double Double()
        {
            if (_data.Length - _at < sizeof(double))
            {
                throw Bad();
            }

            var value = BinaryPrimitives.ReadDoubleLittleEndian(_data[_at..]);
            _at += sizeof(double);
            return value;
        }

        public string? String()
        {
            var tag = Varint();
            if (tag == 0)
            {
                return null;
            }

            if (tag >= 2)
            {
                return tag - 2 < (ulong)_strings.Count ? _strings[(int)(tag - 2)] : throw Bad();
            }

            var length = Varint();
            if (length > (ulong)(_data.Length - _at))
            {
                throw Bad();
            }

            var value = Encoding.UTF8.GetString(_data.Slice(_at, (int)length));
            _at += (int)length;
            _strings.Add(value);
            return value;
        }

        private ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw Bad();
        }
    }
}
