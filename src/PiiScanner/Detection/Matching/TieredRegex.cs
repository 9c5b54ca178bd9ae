using System.Text.RegularExpressions;

namespace PiiScanner.Detection.Matching;

/// <summary>
/// A rule's regex, tiered the way the runtime tiers methods. It starts interpreted: building and first running a
/// <see cref="RegexOptions.Compiled"/> regex costs tens of milliseconds of JIT each, and a scan loads about 130 of
/// them (rules, prefilters, licence formats) although most short scans run only a few. Once a regex has been given
/// enough text to pay for compiling, it is compiled once on the thread pool, run once there (so its first match
/// does not JIT inside the match timeout), and swapped in. Both engines find the same matches.
/// </summary>
internal sealed class TieredRegex
{
    /// <summary>
    /// Characters of input after which compiling pays: the interpreter is a few times slower per character, and
    /// compiling one rule pattern costs about as much as interpreting a quarter of a megabyte.
    /// </summary>
    private const long CompileAfterChars = 256 * 1024;

    private const string WarmUpText = "Name: Jane Q. Sample, DOB 01/02/1970, SSN 123-45-6701, 12 Oak St, Helena, MT 59601, D1234567 — 0123456789.";

    private readonly RegexOptions _options;
    private Regex _regex;
    private long _chars;
    private int _tier;

    /// <summary>Parses <paramref name="pattern"/> (an invalid one throws <see cref="ArgumentException"/> here, at load).</summary>
    public TieredRegex(string pattern, RegexOptions options, TimeSpan timeout)
    {
        _options = options & ~RegexOptions.Compiled;
        _regex = new Regex(pattern, _options, timeout);
    }

    /// <summary>The pattern as written.</summary>
    public override string ToString() => _regex.ToString();

    /// <summary>Whether the compiled engine has been swapped in (for tests).</summary>
    internal bool IsCompiled => Volatile.Read(ref _regex).Options.HasFlag(RegexOptions.Compiled);

    /// <summary>The engine to run on a text of <paramref name="length"/> characters; counts the text towards compiling.</summary>
    public Regex For(int length)
    {
        var regex = Volatile.Read(ref _regex);
        // A plain add: two threads racing lose a few counts, which only delays the compile a little.
        if (_tier == 0 && (_chars += length) >= CompileAfterChars && Interlocked.Exchange(ref _tier, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => self.Compile(), this, preferLocal: false);
        }

        return regex;
    }

    /// <summary>Compiles now, on this thread (tests; a caller that knows the pattern is hot).</summary>
    internal void Compile()
    {
        var interpreted = Volatile.Read(ref _regex);
        var compiled = new Regex(interpreted.ToString(), _options | RegexOptions.Compiled, interpreted.MatchTimeout);
        try
        {
            _ = compiled.Match(WarmUpText);
        }
        catch (RegexMatchTimeoutException)
        {
            // Only the warm-up was slow (the JIT on a loaded machine); scans count their own timeouts.
        }

        Volatile.Write(ref _regex, compiled);
    }
}
