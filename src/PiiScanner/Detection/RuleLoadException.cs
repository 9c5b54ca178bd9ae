namespace PiiScanner.Detection;

/// <summary>
/// A rule file could not be loaded: bad YAML, a missing field, an invalid regex, an unknown validator, a rule id
/// defined twice in one folder, a malformed licence format or vocabulary row, or an example of a user rule that fails.
/// The message names the file and, when known, the rule id.
/// </summary>
public sealed class RuleLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuleLoadException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RuleLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public RuleLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a file and rule.</summary>
    public RuleLoadException(string filePath, string? ruleId, string problem, Exception? innerException = null)
        : base($"{filePath}: rule '{ruleId ?? "?"}': {problem}", innerException)
    {
        FilePath = filePath;
        RuleId = ruleId;
    }

    /// <summary>The rule file.</summary>
    public string? FilePath { get; }

    /// <summary>The rule id, when it could be read.</summary>
    public string? RuleId { get; }
}
