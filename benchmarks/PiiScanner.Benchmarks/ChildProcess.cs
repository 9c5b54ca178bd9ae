using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PiiScanner.Benchmarks;

/// <summary>
/// One finished child process: wall time from start to exit, CPU time (user + sys), exit code, stdout and stderr,
/// and the peak resident set of the largest child this process has waited for so far (<c>ru_maxrss</c>, KiB).
/// </summary>
internal sealed record ChildRun(TimeSpan Wall, TimeSpan? Cpu, int ExitCode, string Output, string Error, long? MaxRssKilobytes = null);

/// <summary>
/// Runs a command as a separate process and times it. CPU time comes from <c>getrusage(RUSAGE_CHILDREN)</c>
/// before and after (on Linux the runtime reaps the child, so the difference is its user + sys time, threads
/// and grandchildren included); elsewhere it is not measured. Runs must not overlap. <c>poll</c> is called about every
/// 100 ms while the child runs and <c>onError</c> with each piece of stderr as it arrives, both with the time since
/// the start.
/// </summary>
internal static partial class ChildProcess
{
    public static ChildRun Run(
        string file,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        Action<TimeSpan>? poll = null,
        Action<TimeSpan, string>? onError = null)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var before = ChildrenCpu();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + file);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = onError is null ? process.StandardError.ReadToEndAsync() : Task.Run(() => ReadPieces(process.StandardError, watch, onError));
        while (!process.WaitForExit(100))
        {
            poll?.Invoke(watch.Elapsed);
        }

        process.WaitForExit();
        watch.Stop();
        var after = ChildrenCpu();
        return new ChildRun(watch.Elapsed, after - before, process.ExitCode, output.Result, error.Result, ChildrenMaxRss());
    }

    private static string ReadPieces(StreamReader reader, Stopwatch watch, Action<TimeSpan, string> onPiece)
    {
        var all = new System.Text.StringBuilder();
        var buffer = new char[4096];
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            var piece = new string(buffer, 0, n);
            onPiece(watch.Elapsed, piece);
            all.Append(piece);
        }

        return all.ToString();
    }

    /// <summary>The command line as a shell would take it, for the report.</summary>
    public static string Quote(string file, IEnumerable<string> arguments)
        => string.Join(' ', new[] { file }.Concat(arguments).Select(a => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=,:+@".Contains(c, StringComparison.Ordinal)) ? a : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

    internal static TimeSpan? ChildrenCpu()
    {
        if (!OperatingSystem.IsLinux() || GetRUsage(RusageChildren, out var usage) != 0)
        {
            return null;
        }

        return TimeSpan.FromMicroseconds((usage.UserSeconds * 1e6) + usage.UserMicroseconds + (usage.SystemSeconds * 1e6) + usage.SystemMicroseconds);
    }

    private static long? ChildrenMaxRss() => OperatingSystem.IsLinux() && GetRUsage(RusageChildren, out var usage) == 0 ? usage.MaxRssKilobytes : null;

    private const int RusageChildren = -1;

    // struct rusage on 64-bit Linux: two timevals, then fourteen longs of which only the first (ru_maxrss) is read.
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRssKilobytes;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRUsage(int who, out RUsage usage);
}
