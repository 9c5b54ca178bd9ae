using Xunit.Abstractions;

namespace PiiScanner.Tests;

/// <summary>What a test does when a Debian tool or library it drives is not installed.</summary>
internal static class MissingTool
{
    /// <summary>
    /// Outside CI the test is skipped with <paramref name="message"/> in its output (the caller returns early); in CI
    /// (env <c>CI</c> set) .ci/run has installed every tool, so a missing one fails the test: a broken install
    /// cannot pass silently.
    /// </summary>
    public static void SkipOrFail(ITestOutputHelper output, string message)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(message);
        }

        output.WriteLine("SKIPPED: " + message);
    }
}
