using PiiScanner.Sources;

namespace PiiScanner.Cluster;

/// <summary>
/// Cuts a scan's walk into work units: a directory root is split breadth-first into the subtrees of its
/// directories (each unit a directory without the subdirectories that are units of their own) until there are
/// enough units or the tree is that shallow; a disk image root is cut into its parts (each volume's files in ranges of paths, the raw
/// pages in byte ranges: <see cref="DiskImageSource.PlanPartsAsync"/>); a root that is a file is one unit. Only the
/// top of the tree is listed, so planning a large share is quick; the units together read exactly the items of one
/// whole walk.
/// </summary>
internal static class UnitPlanner
{
    /// <param name="roots">The scan's roots (full paths).</param>
    /// <param name="excludedPaths">Paths the scan never enters (never made a unit).</param>
    /// <param name="targetUnits">Stop splitting once there are this many units.</param>
    /// <param name="maxDepth">Split no deeper than this many levels below a root.</param>
    /// <param name="imageParts">The parts of the roots that are disk images, by root index (a root not given is one unit).</param>
    /// <param name="filesPerUnit">A directory with more entries of its own than this is cut into batches of this many, by name.</param>
    public static IReadOnlyList<WorkUnit> Plan(
        IReadOnlyList<string> roots, IEnumerable<string> excludedPaths, int targetUnits, int maxDepth, IReadOnlyDictionary<int, IReadOnlyList<DiskImagePart>>? imageParts = null, int filesPerUnit = int.MaxValue)
    {
        imageParts ??= new Dictionary<int, IReadOnlyList<DiskImagePart>>();
        var excluded = new HashSet<string>(excludedPaths.Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))), StringComparer.Ordinal);
        var nodes = new List<Node>();
        var fileRoots = new List<int>();
        for (var i = 0; i < roots.Count; i++)
        {
            if (Directory.Exists(roots[i]))
            {
                nodes.Add(new Node(i, Path.GetFullPath(roots[i]), string.Empty, 0));
            }
            else
            {
                fileRoots.Add(i);
            }
        }

        var fileUnits = fileRoots.Sum(r => imageParts.TryGetValue(r, out var parts) ? parts.Count : 1);
        var queue = new Queue<Node>(nodes);
        while (queue.Count > 0 && nodes.Count + fileUnits < targetUnits)
        {
            var node = queue.Dequeue();
            if (node.Depth >= maxDepth)
            {
                continue;
            }

            foreach (var child in Subdirectories(node, excluded))
            {
                node.Excluded.Add(child.Relative);
                nodes.Add(child);
                queue.Enqueue(child);
            }
        }

        var units = new List<WorkUnit>();
        foreach (var node in nodes.OrderBy(n => n.Root).ThenBy(n => n.Relative, StringComparer.Ordinal))
        {
            var unit = new WorkUnit { Id = 0, Root = node.Root, Kind = UnitKind.Directory, Directory = node.Relative, Excluded = [.. node.Excluded.Order(StringComparer.Ordinal)] };
            foreach (var (from, to) in Batches(node, excluded, filesPerUnit))
            {
                units.Add(unit with { Id = units.Count, NamesFrom = from, NamesTo = to });
            }
        }

        foreach (var root in fileRoots)
        {
            if (imageParts.TryGetValue(root, out var parts))
            {
                foreach (var part in parts)
                {
                    units.Add(WorkUnit.ForImagePart(units.Count, root, part));
                }
            }
            else
            {
                units.Add(new WorkUnit { Id = units.Count, Root = root, Kind = UnitKind.Root });
            }
        }

        return units;
    }

    /// <summary>
    /// The name ranges of a unit's directory: one (unbounded) when it holds at most <paramref name="filesPerUnit"/>
    /// entries of its own (its subdirectories that are units of their own left out), else batches of that many
    /// consecutive names in ordinal order, the first from the start and the last to the end (so an entry created
    /// after planning still belongs to one). Not cut when it cannot be listed or holds a name that is not UTF-8.
    /// </summary>
    private static IEnumerable<(string? From, string? To)> Batches(Node node, HashSet<string> excluded, int filesPerUnit)
    {
        var names = filesPerUnit == int.MaxValue ? null : node.Names ?? List(node, excluded)?.Select(e => e.Name).ToList();
        var own = names?.Where(n => !node.Excluded.Contains(node.Relative.Length == 0 ? n : node.Relative + "/" + n)).Order(StringComparer.Ordinal).ToList();
        if (own is null || own.Count <= filesPerUnit)
        {
            yield return (null, null);
            yield break;
        }

        for (var i = 0; i < own.Count; i += filesPerUnit)
        {
            yield return (i == 0 ? null : own[i], i + filesPerUnit < own.Count ? own[i + filesPerUnit] : null);
        }
    }

    /// <summary>
    /// The entries of a unit's directory but the excluded paths (its names kept in <see cref="Node.Names"/>); null
    /// when it cannot be listed or holds a name that is not UTF-8 (the walker lists those by raw bytes).
    /// </summary>
    private static List<FileSystemInfo>? List(Node node, HashSet<string> excluded)
    {
        var full = node.Relative.Length == 0 ? node.RootPath : Path.Combine(node.RootPath, node.Relative);
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = 0, ReturnSpecialDirectories = false };
        List<FileSystemInfo> entries;
        try
        {
            entries = [.. new DirectoryInfo(full).EnumerateFileSystemInfos("*", options).Where(e => !excluded.Contains(e.FullName))];
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return null;
        }

        if (entries.Any(e => e.Name.Contains('\uFFFD', StringComparison.Ordinal)))
        {
            return null;
        }

        node.Names = [.. entries.Select(e => e.Name)];
        return entries;
    }

    /// <summary>
    /// The plain subdirectories of a unit's directory; none when it cannot be listed or holds a name that is not
    /// UTF-8 (the walker lists those by raw bytes: the directory stays one unit and its walker handles them).
    /// </summary>
    private static List<Node> Subdirectories(Node node, HashSet<string> excluded)
    {
        if (List(node, excluded) is not { } entries)
        {
            return [];
        }

        return [.. entries
            .Where(e => e is DirectoryInfo && !e.Attributes.HasFlag(FileAttributes.ReparsePoint))
            .Select(e => new Node(node.Root, node.RootPath, node.Relative.Length == 0 ? e.Name : node.Relative + "/" + e.Name, node.Depth + 1))];
    }

    private sealed record Node(int Root, string RootPath, string Relative, int Depth)
    {
        public List<string> Excluded { get; } = [];

        /// <summary>The names in the directory, once it was listed.</summary>
        public List<string>? Names { get; set; }
    }
}
