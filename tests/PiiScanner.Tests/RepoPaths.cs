namespace PiiScanner.Tests;

/// <summary>Locates the repository's folders from the test binary.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PiiScanner.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("PiiScanner.sln not found above the test binary.");
    });

    /// <summary>The repository root.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The shipped rules folder.</summary>
    public static string Rules => Path.Combine(Root, "rules");

    /// <summary>The shared real-world corpora beside the checkout (may be absent).</summary>
    public static string Corpora => Path.Combine(Root, "..", "shared", "corpora", "realworld");
}
