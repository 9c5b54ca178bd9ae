using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace PiiScanner;

/// <summary>
/// A tree of rule files (YAML rules, TSV vocabularies) read by every loader the same way: the rules shipped inside
/// the library as resources, or a folder on disk. Paths are relative and <c>/</c>-separated (<c>us/ssn.yaml</c>).
/// Immutable and thread-safe.
/// </summary>
internal abstract class RulesFolder
{
    private const string ResourcePrefix = "rules/";

    /// <summary>The default rules, embedded in this assembly (the repository's <c>rules/</c> at build time).</summary>
    public static RulesFolder Shipped { get; } = new EmbeddedRulesFolder(typeof(RulesFolder).Assembly);

    /// <summary>Every file's relative path, in ordinal order.</summary>
    public abstract IReadOnlyList<string> Files { get; }

    /// <summary>A folder on disk.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static RulesFolder FromDirectory(string directory) => new DiskRulesFolder(directory);

    /// <summary>
    /// SHA-256 (hex) over every file of the folders in order, names and contents: two scans with the same hash ran
    /// with the same rules.
    /// </summary>
    public static string Hash(IEnumerable<RulesFolder> folders)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var folder in folders)
        {
            foreach (var file in folder.Files)
            {
                sha.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
                using var stream = folder.Open(file);
                var bytes = new byte[8192];
                int read;
                while ((read = stream.Read(bytes)) > 0)
                {
                    sha.AppendData(bytes.AsSpan(0, read));
                }

                sha.AppendData("\n"u8);
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Whether the folder has the file.</summary>
    public bool Contains(string relativePath) => Files.Contains(relativePath, StringComparer.Ordinal);

    /// <summary>The files under <paramref name="subfolder"/> (recursively) whose names end in one of <paramref name="extensions"/>.</summary>
    public IEnumerable<string> FilesUnder(string subfolder, params string[] extensions) =>
        Files.Where(f => (subfolder.Length == 0 || f.StartsWith(subfolder + "/", StringComparison.Ordinal))
            && extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Opens a file for reading.</summary>
    /// <exception cref="FileNotFoundException">The folder has no such file.</exception>
    public abstract Stream Open(string relativePath);

    /// <summary>How messages name a file: its full path on disk, or <c>rules/us/ssn.yaml (shipped)</c>.</summary>
    public abstract string Describe(string relativePath);

    /// <summary>A file's text (UTF-8).</summary>
    public string ReadAllText(string relativePath)
    {
        using var reader = new StreamReader(Open(relativePath), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>A file's lines (UTF-8), read lazily.</summary>
    public IEnumerable<string> ReadLines(string relativePath)
    {
        using var reader = new StreamReader(Open(relativePath), Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    private sealed class EmbeddedRulesFolder(Assembly assembly) : RulesFolder
    {
        private readonly Lazy<IReadOnlyList<string>> _files = new(() => assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..])
            .Order(StringComparer.Ordinal)
            .ToList());

        public override IReadOnlyList<string> Files => _files.Value;

        public override Stream Open(string relativePath) =>
            assembly.GetManifestResourceStream(ResourcePrefix + relativePath)
            ?? throw new FileNotFoundException($"The shipped rules have no file {relativePath}.", Describe(relativePath));

        public override string Describe(string relativePath) => ResourcePrefix + relativePath + " (shipped)";
    }

    private sealed class DiskRulesFolder : RulesFolder
    {
        private readonly string _root;

        public DiskRulesFolder(string directory)
        {
            _root = Path.GetFullPath(directory);
            if (!Directory.Exists(_root))
            {
                throw new DirectoryNotFoundException($"Rules folder not found: {directory}");
            }

            Files = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        public override IReadOnlyList<string> Files { get; }

        public override Stream Open(string relativePath) => File.OpenRead(Path.Combine(_root, relativePath));

        public override string Describe(string relativePath) => Path.Combine(_root, relativePath);
    }
}
