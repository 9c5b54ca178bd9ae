namespace PiiScanner.Detection.Rules;

// YAML shapes of a rule file (see rules/README.md). YamlDotNet fills these; RuleSet validates and compiles them.
// Unknown keys are load errors, so a misspelt field never silently does nothing.
#pragma warning disable CA1812 // instantiated by YamlDotNet
#pragma warning disable CA2227 // YamlDotNet needs settable collections

internal sealed class RuleDocument
{
    public string? Id { get; set; }

    public string? Element { get; set; }

    public string? Description { get; set; }

    public string? Detector { get; set; }

    public bool IgnoreCase { get; set; } = true;

    public int MinDigits { get; set; }

    public List<string>? DigitShapes { get; set; }

    public List<PatternDocument>? Patterns { get; set; }

    public List<string>? Keywords { get; set; }

    public List<string>? KeywordsExactCase { get; set; }

    public string? Prefilter { get; set; }

    public ContextDocument? Context { get; set; }

    public List<string>? Headers { get; set; }

    public string? HeaderMatch { get; set; }

    public double HeaderBoost { get; set; } = 0.1;

    public bool RequireContext { get; set; }

    public bool WholeValue { get; set; }

    public double WholeValueScore { get; set; } = 0.85;

    public List<string>? Validators { get; set; }

    public List<string>? AllowList { get; set; }

    public List<string>? DenyList { get; set; }

    public List<string>? StopWords { get; set; }

    public Dictionary<string, List<string>>? Compose { get; set; }

    public List<string>? ComposeQualifiers { get; set; }

    public double ComposeScore { get; set; } = 0.9;

    public double MinScore { get; set; }

    public Dictionary<string, RoleDocument>? Roles { get; set; }

    public int LinesAbove { get; set; }

    public List<string>? HeaderSuffixes { get; set; }

    public List<string>? HeaderExclude { get; set; }

    public Dictionary<string, List<string>>? Words { get; set; }

    public ExamplesDocument? Examples { get; set; }
}

internal sealed class RoleDocument
{
    public List<string>? Before { get; set; }

    public List<string>? After { get; set; }
}

internal sealed class PatternDocument
{
    public string? Name { get; set; }

    public string? Regex { get; set; }

    public double Score { get; set; } = 0.5;

    public double? ScoreWithContext { get; set; }

    public bool RequireContext { get; set; }

    public string? Category { get; set; }

    public int MinTokens { get; set; } = 2;

    public List<string>? DigitShapes { get; set; }

    public List<string>? Triggers { get; set; }
}

internal sealed class ContextDocument
{
    public List<string>? Words { get; set; }

    public List<string>? Negative { get; set; }

    public int Window { get; set; } = 40;

    public string? Direction { get; set; }

    public double Boost { get; set; } = 0.1;

    public bool StopAtMatch { get; set; }
}

internal sealed class ExamplesDocument
{
    public List<object>? Match { get; set; }

    public List<object>? NotMatch { get; set; }
}
