using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;

namespace PiiScanner.Cli;

/// <summary>
/// The <c>piiscan</c> command: parses options, shows progress (counts only — never personal data),
/// and calls the library.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // SIGINT and SIGTERM stop the scan cleanly (workers finish their item, nothing half-written is left as an
        // index); the exit code says which signal it was, as a shell expects (128 + signal number).
        using var stop = new CancellationTokenSource();
        var signal = 0;
        void Stop(PosixSignalContext context, int code)
        {
            context.Cancel = true;
            Interlocked.CompareExchange(ref signal, code, 0);
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, ExitCodes.Interrupted));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, ExitCodes.Terminated));
        var context = new CliContext(Console.Out, Console.Error, args) { Interactive = !Console.IsErrorRedirected };
        var code = await RunAsync(context, stop.Token).ConfigureAwait(false);
        return code == ExitCodes.Interrupted && signal != 0 ? signal : code;
    }

    /// <summary>Runs the command line with the given writers (tests use this).</summary>
    internal static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(new CliContext(stdout, stderr, args), cancellationToken);

    private static async Task<int> RunAsync(CliContext cli, CancellationToken cancellationToken)
    {
        var root = BuildCommand(cli);
        var parse = root.Parse(cli.Arguments);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await cli.Stderr.WriteLineAsync($"piiscan: {error.Message}").ConfigureAwait(false);
            }

            await cli.Stderr.WriteLineAsync("piiscan: run 'piiscan --help' for the commands and options").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Our own handlers: signals above, and every error as one line (the commands catch them).
        var configuration = new InvocationConfiguration
        {
            Output = cli.Stdout,
            Error = cli.Stderr,
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug, not bad input: one line, never a stack trace (it could quote a value).
            await cli.Stderr.WriteLineAsync($"piiscan: error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }
    }

    private static RootCommand BuildCommand(CliContext cli)
    {
        var rulesOption = new Option<string[]>("--rules")
        {
            Description = "Extra rules folder (YAML/TSV), loaded after the shipped rules; repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };

        var root = new RootCommand("piiscan — find exposed personal data and build the per-individual exposure index.");
        root.Add(ScanCommand.Create(rulesOption, cli));
        root.Add(RulesCommand.Create(rulesOption, cli.Stdout, cli.Stderr));
        root.Add(ClusterCommand.Create(cli));
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

/// <summary>Where a run of the command writes, what it was given, and whether a person watches stderr.</summary>
/// <param name="Stdout">Results (the summary, <c>--json</c>).</param>
/// <param name="Stderr">Progress, warnings and errors.</param>
/// <param name="Arguments">The command line (recorded in <c>summary.json</c>).</param>
internal sealed record CliContext(TextWriter Stdout, TextWriter Stderr, string[] Arguments)
{
    /// <summary>Stderr is a terminal: progress redraws one line; otherwise it prints a plain line now and then.</summary>
    public bool Interactive { get; init; }
}

/// <summary>The exit codes of <c>piiscan</c> (README, "Exit codes").</summary>
internal static class ExitCodes
{
    /// <summary>Done: every item was read.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected error (a bug): one line on stderr.</summary>
    public const int Error = 1;

    /// <summary>Bad command line, rules, root or output folder: nothing was scanned.</summary>
    public const int Usage = 2;

    /// <summary>The index was written, but some items failed or a folder could not be read (see files.jsonl).</summary>
    public const int Incomplete = 3;

    /// <summary>Stopped by SIGINT (Ctrl+C) before the index was written.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM before the index was written.</summary>
    public const int Terminated = 143;
}
