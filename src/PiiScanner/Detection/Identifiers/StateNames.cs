using PiiScanner.Detection.Matching;

namespace PiiScanner.Detection.Identifiers;

/// <summary>
/// Recognises US states in text: full names (case-insensitive) and two-letter codes (upper-case only).
/// Immutable and thread-safe.
/// </summary>
internal sealed class StateNames
{
    private readonly AhoCorasick _automaton;
    private readonly string[] _codeOfPattern;
    private readonly bool[] _isCode;
    private readonly Dictionary<string, string> _byNameOrCode;

    public StateNames(IEnumerable<(string Code, string Name)> states)
    {
        var patterns = new List<string>();
        var codes = new List<string>();
        var isCode = new List<bool>();
        _byNameOrCode = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, name) in states)
        {
            patterns.Add(name);
            codes.Add(code);
            isCode.Add(false);
            patterns.Add(code);
            codes.Add(code);
            isCode.Add(true);
            _byNameOrCode[name] = code;
            _byNameOrCode[code] = code;
        }

        _byNameOrCode["Washington DC"] = "DC";
        _byNameOrCode["Washington D.C."] = "DC";
        _byNameOrCode["D.C."] = "DC";
        _automaton = new AhoCorasick(patterns);
        _codeOfPattern = [.. codes];
        _isCode = [.. isCode];
    }

    /// <summary>The state code for a value such as <c>IL</c>, <c>il</c>, <c>Illinois</c>, or null.</summary>
    public string? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return _byNameOrCode.TryGetValue(value.Trim().TrimEnd('.'), out var code) ? code : null;
    }

    /// <summary>
    /// State mentions in the text. Codes count only when written upper-case; <c>ID</c> never counts as a code
    /// (in licence context it is "identification", not Idaho).
    /// </summary>
    public List<(int Start, int End, string Code)> Find(string text)
    {
        var result = new List<(int, int, string)>();
        foreach (var m in _automaton.FindAll(text))
        {
            var code = _codeOfPattern[m.Word];
            if (_isCode[m.Word])
            {
                if (code == "ID" || m.Length != 2 || !char.IsUpper(text[m.Start]) || !char.IsUpper(text[m.Start + 1]))
                {
                    continue;
                }
            }

            result.Add((m.Start, m.Start + m.Length, code));
        }

        return result;
    }
}
