namespace PiiScanner.Sources;

/// <summary>Turns a root path given by the user into the source that reads it.</summary>
internal static class SourceResolver
{
    /// <summary>
    /// The logical name of each root when several are scanned: its folder or file name, or, for roots that share a
    /// name (<c>a/share</c>, <c>b/share</c>), as many trailing path components as tell them apart. A root given
    /// twice is numbered (<c>share#2</c>). Without this, two roots' items would share logical paths and collide.
    /// </summary>
    public static IReadOnlyList<string> LogicalNames(IReadOnlyList<string> roots)
    {
        var full = roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).ToList();
        var parts = full.Distinct(StringComparer.Ordinal)
            .Select(r => r.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        var depth = parts.Select(_ => 1).ToArray();
        string Name(int i) => string.Join('/', parts[i].TakeLast(depth[i]));
        while (true)
        {
            var clashing = Enumerable.Range(0, parts.Count)
                .GroupBy(Name, StringComparer.Ordinal)
                .Where(g => g.Count() > 1)
                .SelectMany(g => g)
                .Where(i => depth[i] < parts[i].Length)
                .ToList();
            if (clashing.Count == 0)
            {
                break;
            }

            foreach (var i in clashing)
            {
                depth[i]++;
            }
        }

        var names = Enumerable.Range(0, parts.Count).ToDictionary(i => string.Join(Path.DirectorySeparatorChar, parts[i]), Name, StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return full.Select(root =>
        {
            var name = names[string.Join(Path.DirectorySeparatorChar, root.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))];
            var n = seen[name] = seen.GetValueOrDefault(name) + 1;
            return n == 1 ? name : $"{name}#{n}";
        }).ToList();
    }

    /// <summary>The source for one root; <paramref name="logicalName"/> prefixes its items' paths (null: one root, no prefix).</summary>
    public static IScanSource Resolve(string root, string? logicalName, ScannerOptions options)
    {
        var full = Path.GetFullPath(root);
        var name = logicalName ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
        if (Directory.Exists(full))
        {
            return new DirectorySource(full, logicalName ?? string.Empty, options.ExcludedPaths, Math.Max(2, options.Threads));
        }

        if (File.Exists(full))
        {
            if (DiskImageSource.IsDiskImage(full, out var unsupported))
            {
                if (unsupported is not null)
                {
                    throw new ScanSourceException(unsupported);
                }

                try
                {
                    return new DiskImageSource(full, new DiskImageOptions { LogicalName = logicalName });
                }
                catch (Exception ex) when (ex is MissingToolException or NotSupportedException or InvalidDataException)
                {
                    throw new ScanSourceException(ex.Message, ex);
                }
            }

            return new SingleFileSource(full, name);
        }

        throw new ScanSourceException($"Scan root not found: {root}");
    }
}
