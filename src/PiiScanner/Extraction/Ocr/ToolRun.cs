using System.Diagnostics;
using System.Text;

namespace PiiScanner.Extraction.Ocr;

/// <summary>What a command-line tool gave back.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StdOut">Its standard output (at most the cap asked for).</param>
/// <param name="StdErr">The last few KiB of its standard error, for turning into a reason.</param>
/// <param name="OutputCut">True when standard output went over the cap (the tool was killed).</param>
internal sealed record ToolResult(int ExitCode, byte[] StdOut, string StdErr, bool OutputCut);

/// <summary>
/// Runs a command-line tool without a shell: feeds it bytes on standard input, collects standard output up to a cap,
/// keeps the tail of standard error, and kills it (and its children) when the token is cancelled.
/// </summary>
internal static class ToolRun
{
    private const int StderrTail = 4096;

    /// <summary>Runs <paramref name="executable"/>; throws <see cref="OperationCanceledException"/> when cancelled (after killing it).</summary>
    public static async Task<ToolResult> RunAsync(
        string executable,
        IEnumerable<string> arguments,
        ReadOnlyMemory<byte> stdin,
        long maxStdout,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException(Path.GetFileName(executable) + " did not start");
        var cut = false;
        try
        {
            var feed = FeedAsync(process, stdin, cancellationToken);
            var output = new MemoryStream();
            var read = Task.Run(
                async () =>
                {
                    var buffer = new byte[81920];
                    int n;
                    while ((n = await process.StandardOutput.BaseStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        if (output.Length + n > maxStdout)
                        {
                            cut = true;
                            Kill(process);
                            break;
                        }

                        output.Write(buffer, 0, n);
                    }
                },
                cancellationToken);
            var errors = ReadTailAsync(process.StandardError.BaseStream, cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await read.ConfigureAwait(false);
            var stderr = await errors.ConfigureAwait(false);
            await feed.ConfigureAwait(false);
            return new ToolResult(process.ExitCode, output.ToArray(), stderr, cut);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
    }

    private static async Task FeedAsync(Process process, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken)
    {
        try
        {
            if (!stdin.IsEmpty)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin, cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool stopped reading (it failed, or needed no more): its exit code says what happened.
        }
    }

    private static async Task<string> ReadTailAsync(Stream stream, CancellationToken cancellationToken)
    {
        var tail = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            tail.Write(buffer, 0, n);
            if (tail.Length > 4 * StderrTail)
            {
                var keep = tail.ToArray()[^StderrTail..];
                tail.SetLength(0);
                tail.Write(keep);
            }
        }

        var bytes = tail.ToArray();
        return Encoding.UTF8.GetString(bytes.Length > StderrTail ? bytes[^StderrTail..] : bytes);
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }
}
