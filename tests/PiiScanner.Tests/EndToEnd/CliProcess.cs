using System.Diagnostics;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>
/// Runs <c>piiscan</c> as a separate process (<c>dotnet piiscan.dll</c> from the test's output folder), for tests
/// that kill it: a killed child must not take the test host with it.
/// </summary>
internal static class CliProcess
{
    /// <summary>Exit code of a process killed by SIGKILL (128 + 9).</summary>
    public const int Killed = 137;

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "piiscan.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start piiscan");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
