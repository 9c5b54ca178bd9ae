namespace PiiScanner.Sources;

/// <summary>
/// An external program the scan needs (The Sleuth Kit, libewf tools) is not installed, or cannot read this input.
/// The message names the program and the Debian package that provides it.
/// </summary>
internal sealed class MissingToolException : Exception
{
    /// <summary>Creates the exception for <paramref name="tool"/>, provided by Debian package <paramref name="package"/>.</summary>
    public MissingToolException(string tool, string package, string? detail = null)
        : base(BuildMessage(tool, package, detail))
    {
        Tool = tool;
        Package = package;
    }

    /// <summary>Creates the exception (analyzers want this shape).</summary>
    public MissingToolException()
        : this("tool", "sleuthkit") { }

    /// <summary>Creates the exception with a message.</summary>
    public MissingToolException(string message)
        : base(message)
    {
        Tool = "tool";
        Package = "sleuthkit";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MissingToolException(string message, Exception innerException)
        : base(message, innerException)
    {
        Tool = "tool";
        Package = "sleuthkit";
    }

    /// <summary>The missing program (<c>fls</c>, <c>ewfverify</c>…).</summary>
    public string Tool { get; }

    /// <summary>The Debian package that provides it (<c>sleuthkit</c>, <c>ewf-tools</c>).</summary>
    public string Package { get; }

    private static string BuildMessage(string tool, string package, string? detail)
        => $"`{tool}` was not found: install the Debian package `{package}` (apt-get install {package})"
           + (detail is null ? "." : $"; {detail}");
}
