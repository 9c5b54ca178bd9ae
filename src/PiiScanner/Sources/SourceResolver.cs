namespace PiiScanner.Sources;

/// <summary>Turns a root path given by the user into the source that reads it.</summary>
internal static class SourceResolver
{
    public static IScanSource Resolve(string root, bool prefixWithRootName, ScannerOptions options)
    {
        var full = Path.GetFullPath(root);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
        if (Directory.Exists(full))
        {
            return new DirectorySource(full, prefixWithRootName ? name : string.Empty, options.ExcludedPaths, Math.Max(2, options.Threads));
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
                    return new DiskImageSource(full);
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
