using System.CommandLine;
using System.Globalization;
using PiiScanner.Extraction;
using PiiScanner.Index;

namespace PiiScanner.Cli;

/// <summary>
/// The <c>piiscan</c> command: parses options, shows progress (counts only — never personal data),
/// and calls the library.
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>Runs the command line with the given writers (tests use this).</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var root = BuildCommand(stdout, stderr);
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr };
        return await root.Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    private static RootCommand BuildCommand(TextWriter stdout, TextWriter stderr)
    {
        var rulesOption = new Option<string[]>("--rules")
        {
            Description = "Extra rules folder (YAML/TSV), loaded after the shipped rules; repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };

        var root = new RootCommand("piiscan — find exposed personal data and build the per-individual exposure index.");
        root.Add(ScanCommand.Create(rulesOption, stdout, stderr));
        root.Add(RulesCommand.Create(rulesOption, stdout, stderr));
        return root;
    }

    /// <summary>Builds a scanner from the common options.</summary>
    internal static ScannerBuilder Builder(string[]? ruleDirectories)
    {
        var builder = new ScannerBuilder();
        foreach (var directory in ruleDirectories ?? [])
        {
            builder.AddRules(directory);
        }

        return builder;
    }

    /// <summary>Says on stderr which rules a user folder replaced (a shipped rule id reused by mistake is silent otherwise).</summary>
    internal static void WarnOverrides(Scanner scanner, TextWriter stderr)
    {
        foreach (var o in scanner.Rules.Overrides)
        {
            stderr.WriteLine($"piiscan: warning: rule '{o.Id}' from {o.ByFile} replaces the rule of the same id in {o.ReplacedFile}");
        }
    }

    internal static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
