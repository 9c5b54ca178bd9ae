using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PiiScanner.Benchmarks;

/// <summary>One finished child process: wall time from start to exit, CPU time (user + sys), exit code and stdout.</summary>
internal sealed record ChildRun(TimeSpan Wall, TimeSpan? Cpu, int ExitCode, string Output, string Error);

/// <summary>
/// Runs a command as a separate process and times it. CPU time comes from <c>getrusage(RUSAGE_CHILDREN)</c>
/// before and after (on Linux the runtime reaps the child, so the difference is its user + sys time, threads
/// and grandchildren included); elsewhere it is not measured. Runs must not overlap.
/// </summary>
internal static partial class ChildProcess
{
    public static ChildRun Run(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
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
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        watch.Stop();
        var after = ChildrenCpu();
        return new ChildRun(watch.Elapsed, after - before, process.ExitCode, output.Result, error.Result);
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

    private const int RusageChildren = -1;

    // struct rusage on 64-bit Linux: two timevals, then fourteen longs we do not read.
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRUsage(int who, out RUsage usage);
}
