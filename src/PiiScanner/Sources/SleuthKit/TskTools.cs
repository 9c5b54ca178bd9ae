using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace PiiScanner.Sources.SleuthKit;

/// <summary>
/// Runs The Sleuth Kit's programs as child processes (argument lists, never a shell). Thread-safe.
/// Standard error is kept only as a short diagnostic (first line-ish, bounded); standard output is either
/// returned as text (small listings), streamed as lines (<c>fls</c>, <c>blkls -l</c>) or as bytes (<c>icat</c>).
/// </summary>
internal sealed class TskTools
{
    private const int MaxStderrChars = 600;
    private readonly string? _toolDirectory;
    private readonly Dictionary<string, string> _resolved = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public TskTools(string? toolDirectory) => _toolDirectory = toolDirectory;

    /// <summary>Full path of <paramref name="tool"/>, or <see cref="MissingToolException"/> naming the package.</summary>
    public string Resolve(string tool, string package = "sleuthkit")
    {
        lock (_lock)
        {
            if (_resolved.TryGetValue(tool, out var known))
            {
                return known;
            }

            var found = Find(tool) ?? throw new MissingToolException(tool, package);
            _resolved[tool] = found;
            return found;
        }
    }

    /// <summary>True when the tool can be found (no exception).</summary>
    public bool Exists(string tool) => Find(tool) is not null;

    private string? Find(string tool)
    {
        IEnumerable<string> folders = _toolDirectory is not null
            ? [_toolDirectory]
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var folder in folders)
        {
            var candidate = Path.Combine(folder, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs a tool to completion and returns its exit code, text output and a short error text.</summary>
    public async Task<ToolOutput> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Start(tool, arguments, out var stderr);
        using var registration = cancellationToken.Register(() => TryKill(process));
        var stdout = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return new ToolOutput(process.ExitCode, stdout, stderr.Text);
    }

    /// <summary>
    /// Streams a tool's output lines. Throws <see cref="ToolFailedException"/> after the last line when the tool
    /// exits with an error; kills the tool when the caller stops early.
    /// </summary>
    public async IAsyncEnumerable<string> ReadLinesAsync(
        string tool, IReadOnlyList<string> arguments, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var process = Start(tool, arguments, out var stderr);
        using var registration = cancellationToken.Register(() => TryKill(process));
        var finished = false;
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                yield return line;
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            finished = true;
            if (process.ExitCode != 0)
            {
                throw new ToolFailedException(tool, process.ExitCode, stderr.Text);
            }
        }
        finally
        {
            if (!finished)
            {
                TryKill(process);
            }
        }
    }

    /// <summary>
    /// Starts a tool and returns its standard output as a read-only stream (at most <paramref name="limit"/> bytes
    /// when given). Disposing the stream early kills the tool. A non-zero exit is reported as an
    /// <see cref="IOException"/> at the end of the stream.
    /// </summary>
    public Stream OpenStream(string tool, IReadOnlyList<string> arguments, long? limit = null)
    {
        var process = Start(tool, arguments, out var stderr);
        return new ProcessOutputStream(process, tool, stderr, limit);
    }

    private Process Start(string tool, IReadOnlyList<string> arguments, out StderrBuffer stderr)
    {
        var info = new ProcessStartInfo(Resolve(tool))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["LC_ALL"] = "C";
        var process = new Process { StartInfo = info };
        var buffer = new StderrBuffer();
        process.ErrorDataReceived += (_, e) => buffer.Append(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new MissingToolException($"`{tool}` could not be started ({ex.Message}): install the Debian package `sleuthkit`.", ex);
        }

        process.BeginErrorReadLine();
        stderr = buffer;
        return process;
    }

    internal static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // already gone
        }
    }

    /// <summary>Keeps the start of a tool's standard error: diagnostics only, bounded, control characters dropped.</summary>
    internal sealed class StderrBuffer
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _lock = new();

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return _text.ToString().Trim();
                }
            }
        }

        public void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lock)
            {
                foreach (var c in line)
                {
                    if (_text.Length >= MaxStderrChars)
                    {
                        return;
                    }

                    _text.Append(char.IsControl(c) ? ' ' : c);
                }

                if (_text.Length < MaxStderrChars)
                {
                    _text.Append(' ');
                }
            }
        }
    }
}

/// <summary>What a finished tool printed.</summary>
internal sealed record ToolOutput(int ExitCode, string StdOut, string StdErr);

/// <summary>A Sleuth Kit tool exited with an error; <see cref="Reason"/> says what it said, for people.</summary>
internal sealed partial class ToolFailedException : IOException
{
    private const int MaxReasonChars = 200;

    public ToolFailedException(string tool, int exitCode, string stderr)
        : base($"{tool} exited with code {exitCode}" + (stderr.Length > 0 ? $": {stderr}" : string.Empty))
    {
        Tool = tool;
        ExitCode = exitCode;
        Reason = Humanize(tool, exitCode, stderr);
    }

    public ToolFailedException()
        : this("tool", -1, string.Empty) { }

    public ToolFailedException(string message)
        : base(message)
    {
        Tool = "tool";
        Reason = message;
    }

    public ToolFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Tool = "tool";
        Reason = message;
    }

    /// <summary>A library call failed (<paramref name="library"/>: <c>libtsk</c>); <paramref name="error"/> is what it said.</summary>
    public static ToolFailedException FromLibrary(string library, string error)
        => new($"{library}: {error}") { Tool = library, ExitCode = -1, Reason = Humanize(library, -1, error) };

    public string Tool { get; private init; }

    public int ExitCode { get; private init; }

    /// <summary>
    /// What went wrong in a few words, for <c>files.jsonl</c>: <c>icat: image data missing at offset 8741888 (a
    /// segment file of the image is absent or truncated)</c>, else the start of what the tool printed, else its exit code.
    /// </summary>
    public string Reason { get; private init; }

    [System.Text.RegularExpressions.GeneratedRegex("offset: ([0-9]+)", System.Text.RegularExpressions.RegexOptions.CultureInvariant, 1000)]
    private static partial System.Text.RegularExpressions.Regex OffsetPattern();

    private static string Humanize(string tool, int exitCode, string stderr)
    {
        if (stderr.Contains("missing chunk data", StringComparison.Ordinal))
        {
            var offset = OffsetPattern().Match(stderr);
            return $"{tool}: image data missing" + (offset.Success ? " at offset " + offset.Groups[1].Value : string.Empty)
                + " (a segment file of the image is absent or truncated)";
        }

        if (stderr.Length == 0)
        {
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{tool} exited with code {exitCode}");
        }

        var said = stderr.Length <= MaxReasonChars ? stderr : stderr[..MaxReasonChars].TrimEnd() + "…";
        return $"{tool}: {said}";
    }
}
