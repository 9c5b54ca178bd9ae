using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PiiScanner.Notification;

/// <summary>
/// An analyst's overrides of the index (<c>review.yaml</c>, <c>--review FILE</c>), applied by
/// <see cref="NotificationDecider"/> on the next run in this order: files out of scope, splits, merges, exclusions.
/// Ids are the ids of <c>individuals.jsonl</c> (a split-off person's id is printed in the summary's review log).
/// Immutable.
/// </summary>
/// <param name="OutOfScope">Files (exact path) or folders / containers (path prefix before <c>/</c> or <c>!</c>) whose records are ignored.</param>
/// <param name="Splits">Sources to take out of an individual into a new one.</param>
/// <param name="Merges">Individuals that are one person.</param>
/// <param name="Excludes">Individuals not to notify (staff, test records), with the reason.</param>
public sealed record Review(
    IReadOnlyList<ReviewOutOfScope> OutOfScope,
    IReadOnlyList<ReviewSplit> Splits,
    IReadOnlyList<ReviewMerge> Merges,
    IReadOnlyList<ReviewExclude> Excludes)
{
    /// <summary>No overrides.</summary>
    public static Review Empty { get; } = new([], [], [], []);

    /// <summary>True when the review changes nothing.</summary>
    internal bool IsEmpty => OutOfScope.Count == 0 && Splits.Count == 0 && Merges.Count == 0 && Excludes.Count == 0;

    /// <summary>Every override as one text (ids, paths and reasons; no values): two reviews with the same apply alike.</summary>
    internal string Fingerprint()
    {
        static string Reason(string? reason) => reason is null ? "\u001f-" : "\u001f=" + reason;
        return string.Join(
            "\n",
            OutOfScope.Select(o => "outOfScope\u001f" + o.Path + Reason(o.Reason))
                .Concat(Splits.Select(s => "split\u001f" + s.Id + "\u001f" + string.Join("\u001e", s.Sources.Select(x => x.Path + "\u001d" + x.Locator)) + Reason(s.Reason)))
                .Concat(Merges.Select(m => "merge\u001f" + string.Join("\u001e", m.Ids) + Reason(m.Reason)))
                .Concat(Excludes.Select(e => "exclude\u001f" + e.Id + Reason(e.Reason))));
    }

    /// <summary>Reads a review file.</summary>
    /// <exception cref="ReviewFileException">The file is not valid YAML or misses a field; the message names the file, never a value.</exception>
    public static Review Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ReviewDocument? doc;
        try
        {
            doc = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
                .Deserialize<ReviewDocument>(File.ReadAllText(path));
        }
        catch (YamlException ex)
        {
            throw new ReviewFileException($"{path}: invalid review YAML at line {ex.Start.Line}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new ReviewFileException($"{path}: cannot read the review file: {ex.Message}", ex);
        }

        if (doc is null)
        {
            return Empty;
        }

        string Need(string? value, string field) =>
            string.IsNullOrWhiteSpace(value) ? throw new ReviewFileException($"{path}: '{field}' is required") : value;

        return new Review(
            [.. (doc.OutOfScope ?? []).Select(o => new ReviewOutOfScope(Need(o.Path, "outOfScope[].path"), o.Reason))],
            [.. (doc.Split ?? []).Select(s => new ReviewSplit(
                Need(s.Id, "split[].id"),
                (s.Sources ?? []).Count == 0
                    ? throw new ReviewFileException($"{path}: 'split[].sources' is required")
                    : [.. s.Sources!.Select(x => (Need(x.Path, "split[].sources[].path"), Need(x.Locator, "split[].sources[].locator")))],
                s.Reason))],
            [.. (doc.Merge ?? []).Select(m => (m.Ids ?? []).Count < 2
                ? throw new ReviewFileException($"{path}: 'merge[].ids' needs two ids or more")
                : new ReviewMerge(m.Ids!, m.Reason))],
            [.. (doc.Exclude ?? []).Select(e => new ReviewExclude(Need(e.Id, "exclude[].id"), e.Reason))]);
    }

#pragma warning disable CA1812 // instantiated by YamlDotNet
#pragma warning disable CA2227 // YamlDotNet needs settable collections
    private sealed class ReviewDocument
    {
        public List<PathDocument>? OutOfScope { get; set; }

        public List<SplitDocument>? Split { get; set; }

        public List<MergeDocument>? Merge { get; set; }

        public List<ExcludeDocument>? Exclude { get; set; }
    }

    private sealed class PathDocument
    {
        public string? Path { get; set; }

        public string? Locator { get; set; }

        public string? Reason { get; set; }
    }

    private sealed class SplitDocument
    {
        public string? Id { get; set; }

        public List<PathDocument>? Sources { get; set; }

        public string? Reason { get; set; }
    }

    private sealed class MergeDocument
    {
        public List<string>? Ids { get; set; }

        public string? Reason { get; set; }
    }

    private sealed class ExcludeDocument
    {
        public string? Id { get; set; }

        public string? Reason { get; set; }
    }
#pragma warning restore CA2227
#pragma warning restore CA1812
}

/// <summary>A file, folder or container whose records are ignored.</summary>
public sealed record ReviewOutOfScope(string Path, string? Reason);

/// <summary>Sources (path, locator) of an individual that belong to someone else: they become a new individual.</summary>
public sealed record ReviewSplit(string Id, IReadOnlyList<(string Path, string Locator)> Sources, string? Reason);

/// <summary>Individuals that are one person.</summary>
public sealed record ReviewMerge(IReadOnlyList<string> Ids, string? Reason);

/// <summary>An individual not to notify.</summary>
public sealed record ReviewExclude(string Id, string? Reason);

/// <summary>What one override did, for the output's review log. Holds ids and paths, no values.</summary>
/// <param name="Action"><c>outOfScope</c>, <c>split</c>, <c>merge</c> or <c>exclude</c>.</param>
/// <param name="Target">The path or id(s) it named.</param>
/// <param name="Reason">The analyst's reason.</param>
/// <param name="Applied">False when it matched nothing (an id or path not in this scan).</param>
/// <param name="Detail">What changed (<c>2 individuals lost sources, 1 removed</c>, the new id of a split).</param>
public sealed record ReviewAction(string Action, string Target, string? Reason, bool Applied, string Detail);

/// <summary>A review file cannot be read. The message names the file, never a value from it.</summary>
public sealed class ReviewFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReviewFileException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ReviewFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ReviewFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
