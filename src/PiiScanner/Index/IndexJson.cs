using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using PiiScanner.Detection;
using PiiScanner.Resolution;

namespace PiiScanner.Index;

/// <summary>The JSON shapes of the output contract (DESIGN.md), written with <see cref="Utf8JsonWriter"/>.</summary>
internal static class IndexJson
{
    /// <summary>Compact, relaxed escaping so accented names stay readable.</summary>
    public static JsonWriterOptions LineOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>Indented with <c>\n</c> line endings (summary.json).</summary>
    public static JsonWriterOptions DocumentOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = true,
        NewLine = "\n",
    };

    public static double Round(double confidence) => Math.Round(Math.Clamp(confidence, 0, 1), 2, MidpointRounding.AwayFromZero);

    /// <summary>One <c>individuals.jsonl</c> object.</summary>
    public static void WriteIndividual(Utf8JsonWriter w, Individual person, Masker masker)
    {
        w.WriteStartObject();
        w.WriteString("id", person.Id);
        if (person.Name is null)
        {
            w.WriteNull("name");
        }
        else
        {
            w.WriteString("name", person.Name);
        }

        WriteStrings(w, "nameVariants", person.NameVariants);
        WriteStrings(w, "elements", person.Elements);
        foreach (var element in person.Elements)
        {
            if (element == Elements.Name || !person.Values.TryGetValue(element, out var values))
            {
                continue;
            }

            w.WriteStartArray(element);
            foreach (var v in values)
            {
                switch (element)
                {
                    case Elements.DriversLicense:
                        w.WriteStartObject();
                        WriteOptional(w, "state", v.State);
                        w.WriteString("number", masker.Mask(element, v.Value));
                        w.WriteEndObject();
                        break;
                    case Elements.Medical:
                        w.WriteStartObject();
                        w.WriteString("term", masker.Mask(element, v.Value));
                        WriteOptional(w, "code", v.Code);
                        WriteOptional(w, "category", v.Category);
                        w.WriteEndObject();
                        break;
                    default:
                        w.WriteStringValue(masker.Mask(element, v.Value));
                        break;
                }
            }

            w.WriteEndArray();
        }

        w.WriteStartArray("sources");
        foreach (var s in person.Sources)
        {
            w.WriteStartObject();
            w.WriteString("path", s.Path);
            w.WriteString("locator", s.Locator);
            WriteStrings(w, "elements", s.Elements);
            if (s.Deleted)
            {
                w.WriteBoolean("deleted", true);
            }

            WriteOptional(w, "partition", s.Partition);
            WriteOptional(w, "inode", s.Inode);

            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteJoinedBy(w, person.JoinedBy);
        if (person.Household.Count > 0)
        {
            WriteStrings(w, "household", person.Household);
        }

        w.WriteNumber("confidence", Round(person.Confidence));
        w.WriteEndObject();
    }

    /// <summary><c>joinedBy</c>: <c>[{"key": "ssn", "records": 2}, …]</c>, sorted by key.</summary>
    public static void WriteJoinedBy(Utf8JsonWriter w, IReadOnlyList<JoinReason> joinedBy, string? name = "joinedBy")
    {
        if (name is null)
        {
            w.WriteStartArray();
        }
        else
        {
            w.WriteStartArray(name);
        }

        foreach (var j in joinedBy)
        {
            w.WriteStartObject();
            w.WriteString("key", j.Key);
            w.WriteNumber("records", j.Records);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>One <c>staff.jsonl</c> object: name as written (names are not masked), role, sources.</summary>
    public static void WriteStaff(Utf8JsonWriter w, StaffMember staff, Masker masker)
    {
        w.WriteStartObject();
        w.WriteString("name", masker.Mask(Elements.Name, staff.Name));
        w.WriteString("role", staff.Role);
        WriteStaffSources(w, staff, "sources");
        w.WriteEndObject();
    }

    /// <summary>The <c>sources</c> array of a staff member.</summary>
    public static void WriteStaffSources(Utf8JsonWriter w, StaffMember staff, string? name)
    {
        if (name is null)
        {
            w.WriteStartArray();
        }
        else
        {
            w.WriteStartArray(name);
        }

        foreach (var s in staff.Sources)
        {
            w.WriteStartObject();
            w.WriteString("path", s.Path);
            w.WriteString("locator", s.Locator);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>One <c>findings.jsonl</c> object.</summary>
    public static void WriteFinding(Utf8JsonWriter w, string path, Finding f, Masker masker)
    {
        w.WriteStartObject();
        w.WriteString("path", path);
        w.WriteString("locator", f.Locator);
        w.WriteString("type", f.Element);
        w.WriteString("value", masker.Mask(f.Element, f.Value));
        w.WriteNumber("confidence", Round(f.Confidence));

        // Qualifiers a reviewer needs to read the finding: the licence's state, the medical code, and one typed
        // qualifier as the category (a role such as "provider" for a name that is not a person to notify, a card
        // issuer, a medical sensitivity; see FindingQualifiers).
        WriteOptional(w, "state", f.State);
        WriteOptional(w, "code", f.Code);
        WriteOptional(w, "category", f.Qualifiers.Category);
        if (f.ByteOffset is { } offset)
        {
            // Raw pages (unallocated space, whole-image scans): where the value starts in the image.
            w.WriteNumber("imageOffset", offset);
        }

        WriteOptional(w, "owner", f.Owner);
        w.WriteStartObject("evidence");
        w.WriteString("rule", f.Evidence.RuleId);
        WriteOptional(w, "pattern", f.Evidence.Pattern);
        WriteOptional(w, "validator", f.Evidence.Validator);
        WriteOptional(w, "context", f.Evidence.ContextWord);
        WriteOptional(w, "header", f.Evidence.Header);
        if (f.Evidence.InferredHeader)
        {
            w.WriteBoolean("inferredHeader", true);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>One <c>files.jsonl</c> object: the file record's fields in camelCase, nulls omitted.</summary>
    public static void WriteFile(Utf8JsonWriter w, FileRecord file)
    {
        w.WriteStartObject();
        w.WriteString("path", file.Path);
        if (file.Size is { } size)
        {
            w.WriteNumber("size", size);
        }

        WriteOptional(w, "sha256", file.Sha256);
        w.WriteString("status", WireName.Of(file.Status));
        WriteOptional(w, "change", file.Change);
        WriteOptional(w, "reason", file.Reason);
        WriteOptional(w, "extractor", file.Extractor);
        WriteOptional(w, "detail", file.Detail);
        w.WriteNumber("findings", file.Findings);
        if (file.Counts is { } counts)
        {
            WriteCounts(w, "counts", counts);
        }

        if (file.Origin is { } origin)
        {
            w.WriteStartObject("origin");
            WriteOptional(w, "partition", origin.Partition);
            WriteOptional(w, "inode", origin.Inode);
            w.WriteBoolean("deleted", origin.Deleted);
            if (origin.ImageOffset is { } offset)
            {
                w.WriteNumber("imageOffset", offset);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary><c>summary.json</c>.</summary>
    public static void WriteSummary(Utf8JsonWriter w, ScanSummary s, OutputOptions options)
    {
        w.WriteStartObject();
        WriteStrings(w, "roots", s.Roots);
        WriteProvenance(w, s, options);
        w.WriteStartObject("files");
        w.WriteNumber("total", s.FilesByStatus.Values.Sum());
        WriteCounts(w, "byStatus", s.FilesByStatus.ToDictionary(kv => WireName.Of(kv.Key), kv => kv.Value));
        w.WriteEndObject();
        w.WriteStartObject("findings");
        w.WriteNumber("total", s.FindingsByElement.Values.Sum());
        WriteCounts(w, "byType", s.FindingsByElement, ElementOrder.Comparer);
        w.WriteEndObject();
        w.WriteStartObject("individuals");
        w.WriteNumber("total", s.Individuals);
        WriteCounts(w, "byElement", s.IndividualsByElement, ElementOrder.Comparer);
        w.WriteEndObject();
        w.WriteNumber("bytes", s.BytesRead);
        if (s.Changes is { } changes)
        {
            w.WriteStartObject("changes");
            w.WriteString("since", changes.Previous);
            w.WriteNumber("new", changes.New);
            w.WriteNumber("changed", changes.Changed);
            w.WriteNumber("unchanged", changes.Unchanged);
            w.WriteNumber("gone", changes.Gone);
            w.WriteEndObject();
        }

        w.WriteStartObject("timings");
        w.WriteNumber("elapsedSeconds", Math.Round(s.Elapsed.TotalSeconds, 3));
        w.WriteEndObject();
        w.WriteStartObject("accessTimes");
        w.WriteNumber("filesOpened", s.FilesOpened);
        w.WriteNumber("openedWithNoAtime", s.FilesOpenedWithNoAtime);
        w.WriteBoolean("preserved", s.FilesOpenedWithNoAtime == s.FilesOpened);
        w.WriteEndObject();
        w.WriteStartObject("regexTimeouts");
        foreach (var (rule, totals) in s.RegexTimeouts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(rule);
            w.WriteNumber("files", totals.Files);
            w.WriteString("examplePath", totals.ExamplePath);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("facts");
        foreach (var (key, value) in s.Facts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>What produced the index: version, command line, rules, limits, clock, masking.</summary>
    private static void WriteProvenance(Utf8JsonWriter w, ScanSummary s, OutputOptions options)
    {
        w.WriteStartObject("provenance");
        WriteOptional(w, "toolVersion", s.ToolVersion);
        if (options.Arguments is { } arguments)
        {
            WriteStrings(w, "arguments", arguments);
        }

        WriteOptional(w, "rulesHash", s.RulesHash);
        if (s.StartedAt is { } started)
        {
            w.WriteString("startedAt", started.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }

        if (s.EndedAt is { } ended)
        {
            w.WriteString("endedAt", ended.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }

        w.WriteBoolean("masked", !options.Reveal);
        w.WriteNumber("threads", s.Threads);
        if (s.Limits is { } limits)
        {
            w.WriteStartObject("limits");
            w.WriteNumber("maxDepth", limits.MaxDepth);
            w.WriteNumber("maxExpandedBytesPerItem", limits.MaxExpandedBytesPerItem);
            w.WriteNumber("maxExpandedBytesPerScan", limits.MaxExpandedBytesPerScan);
            w.WriteNumber("maxExpansionRatio", limits.MaxExpansionRatio);
            w.WriteNumber("maxEntriesPerContainer", limits.MaxEntriesPerContainer);
            w.WriteNumber("maxSecondsPerItem", limits.MaxTimePerItem.TotalSeconds);
            w.WriteNumber("maxInMemoryBytes", limits.MaxInMemoryBytes);
            w.WriteNumber("maxSegmentChars", limits.MaxSegmentChars);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    public static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    internal static void WriteCounts(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, long> counts, IComparer<string>? order = null)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in counts.OrderBy(kv => kv.Key, order ?? StringComparer.Ordinal))
        {
            w.WriteNumber(key, value);
        }

        w.WriteEndObject();
    }

    internal static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
