using System.Diagnostics;
using System.Globalization;

namespace PiiScanner.Cli;

/// <summary>
/// Crash points for the durability tests, off unless their environment variable is set: the process kills itself
/// (SIGKILL, as <c>kill -9</c> would) at an exact point, so a test can check what a crash there leaves behind.
/// <c>PIISCAN_TEST_KILL_AFTER_ITEMS=N</c>: right after the N-th item of this run is journaled (on the worker, before any sink hears of it).
/// <c>PIISCAN_TEST_KILL_AFTER_OUTPUT=NAME</c>: right after the output file NAME is committed.
/// <c>PIISCAN_TEST_ITEM_DELAY_MS=N</c>: each item read waits N ms once journaled, so a scan of a small share is still
/// running when a test signals it.
/// <c>PIISCAN_TEST_JOURNAL_COMMIT_EVERY=N</c>: the journal commits every N items read (<see cref="Index.JournalOptions.CommitEvery"/>),
/// so a test can count exactly what a kill left journaled.
/// </summary>
internal static class TestHooks
{
    public const string KillAfterItemsVariable = "PIISCAN_TEST_KILL_AFTER_ITEMS", KillAfterOutputVariable = "PIISCAN_TEST_KILL_AFTER_OUTPUT";
    public const string JournalCommitEveryVariable = "PIISCAN_TEST_JOURNAL_COMMIT_EVERY", ItemDelayVariable = "PIISCAN_TEST_ITEM_DELAY_MS";

    /// <summary>For <see cref="Scanner.ItemJournaled"/>: the kill and the delay the test asks for, or null.</summary>
    public static Action? AfterItem()
    {
        var kill = KillAfterItems();
        if (!int.TryParse(Environment.GetEnvironmentVariable(ItemDelayVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var delay) || delay <= 0)
        {
            return kill;
        }

        return () =>
        {
            kill?.Invoke();
            Thread.Sleep(delay);
        };
    }

    /// <summary>The journal's commit group the test asks for, or null.</summary>
    public static int? JournalCommitEvery() =>
        int.TryParse(Environment.GetEnvironmentVariable(JournalCommitEveryVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

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

    /// <summary>For <see cref="Scanner.ItemJournaled"/>: dies when the N-th item of this run has been journaled.</summary>
    public static Action? KillAfterItems()
    {
        var value = Environment.GetEnvironmentVariable(KillAfterItemsVariable);
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var after))
        {
            return null;
        }

        long seen = 0;
        return () =>
        {
            if (Interlocked.Increment(ref seen) == after)
            {
                Die();
            }
        };
    }

    private static void Die()
    {
        using var self = Process.GetCurrentProcess();
        self.Kill();
    }
}
