using System.Diagnostics;
using System.Globalization;
using PiiScanner.Index;

namespace PiiScanner.Cli;

/// <summary>
/// Crash points for the durability tests, off unless their environment variable is set: the process kills itself
/// (SIGKILL, as <c>kill -9</c> would) at an exact point, so a test can check what a crash there leaves behind.
/// <c>PIISCAN_TEST_KILL_AFTER_ITEMS=N</c>: after the N-th item of this run is journaled.
/// <c>PIISCAN_TEST_KILL_AFTER_OUTPUT=NAME</c>: right after the output file NAME is committed.
/// </summary>
internal static class TestHooks
{
    public const string KillAfterItemsVariable = "PIISCAN_TEST_KILL_AFTER_ITEMS", KillAfterOutputVariable = "PIISCAN_TEST_KILL_AFTER_OUTPUT";

    public static Action<string>? KillAfterOutput()
    {
        var name = Environment.GetEnvironmentVariable(KillAfterOutputVariable);
        return string.IsNullOrEmpty(name) ? null : written =>
        {
            if (written == name)
            {
                Die();
            }
        };
    }

    public static IScanSink? KillAfterItems()
    {
        var value = Environment.GetEnvironmentVariable(KillAfterItemsVariable);
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? new KillSink(n) : null;
    }

    private static void Die()
    {
        using var self = Process.GetCurrentProcess();
        self.Kill();
    }

    private sealed class KillSink(long after) : IScanSink
    {
        private long _seen;

        public ValueTask OnItemAsync(ItemResult item, CancellationToken cancellationToken)
        {
            if (++_seen == after)
            {
                Die();
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask OnCompletedAsync(ScanResult result, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
