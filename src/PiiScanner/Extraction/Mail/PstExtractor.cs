using System.Diagnostics;

namespace PiiScanner.Extraction;

/// <summary>
/// Outlook personal folders (<c>pst</c>, sniffed by the <c>!BDN</c> magic) through Debian's <c>readpst</c>
/// (package <c>pst-utils</c>). When <c>readpst</c> is not on <c>PATH</c> the item is <c>skipped</c> with a reason
/// naming the package. Otherwise — the one place where PiiScanner writes to disk, because <c>readpst</c> only
/// reads files — the item is copied into a private temporary directory (mode 0700, from
/// <see cref="Directory.CreateTempSubdirectory"/>), <c>readpst</c> writes one <c>.eml</c> per message there
/// (deleted items included), each message is scanned as a child <c>box.pst!Folder/NNNN.eml</c>, and the
/// directory is deleted afterwards, also on failure or cancellation. <c>readpst</c> runs without a shell,
/// with its output discarded, and is killed when the item's time is up. Stateless and thread-safe.
/// </summary>
internal sealed class PstExtractor : IExtractor
{
    /// <summary>The reason recorded when <c>readpst</c> is missing.</summary>
    internal const string MissingReason = "pst: install Debian package pst-utils (readpst)";

    /// <summary>
    /// The name of the private copy handed to <c>readpst</c>. <c>readpst</c> puts everything under one folder named
    /// after the store's display name, or after the input file when the store has none (Outlook 2013+ <c>.ost</c>
    /// files): that folder is dropped from member names, so no temporary name leaks into the index.
    /// </summary>
    internal const string InputName = "input.pst";

    private readonly string? _readpst;

    /// <summary>Creates the extractor, finding <c>readpst</c> on <c>PATH</c>.</summary>
    public PstExtractor()
        : this(FindOnPath("readpst"))
    {
    }

    /// <summary>Creates the extractor with an explicit <c>readpst</c> path (null: not installed).</summary>
    internal PstExtractor(string? readpst) => _readpst = readpst;

    /// <inheritdoc/>
    public string Name => "pst";

    // How often a crashing readpst is run on one file before its partial output is taken.
    private const int MaxReadpstAttempts = 4;

    /// <inheritdoc/>
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => head.StartsWith("!BDN"u8);

    /// <inheritdoc/>
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        if (_readpst is null)
        {
            context.Skip(MissingReason);
            return;
        }

        var budget = ExtractionBudget.For(context);
        var temp = Directory.CreateTempSubdirectory("piiscan-pst-");
        try
        {
            var input = Path.Combine(temp.FullName, InputName);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var file = new FileStream(input, options);
            await using (file.ConfigureAwait(false))
            {
                await context.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            // libpst 0.6.76 crashes now and then on the same file (heap corruption, SIGSEGV: about one run in
            // seven on the test store), so a failed run is tried again in a fresh folder, up to four runs in all.
            DirectoryInfo output;
            int? exit;
            var attempt = 0;
            do
            {
                attempt++;
                output = temp.CreateSubdirectory("out" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
                exit = await RunReadpstAsync(_readpst, input, output.FullName, budget.Remaining, cancellationToken).ConfigureAwait(false);
                if (exit is 0 or null || attempt == MaxReadpstAttempts)
                {
                    break;
                }

                output.Delete(recursive: true);
            }
            while (true);

            context.AddCount("readpstRuns", attempt);
            File.Delete(input);
            var messages = output.EnumerateFiles("*", SearchOption.AllDirectories)
                .Select(f => (File: f, Name: LogicalName(output.FullName, f.FullName)))
                .OrderBy(m => m.Name, StringComparer.Ordinal)
                .ToList();
            if (exit is null)
            {
                context.MarkPartial(LimitNames.Time);
            }
            else if (exit != 0)
            {
                if (messages.Count == 0)
                {
                    context.Skip("pst: readpst could not read the file");
                    return;
                }

                context.MarkPartial("pst: readpst reported errors");
            }

            var names = new MemberNames();
            var count = 0;
            foreach (var (message, name) in messages)
            {
                if (!ContainerMembers.BeforeEntry(context, budget, ref count))
                {
                    return;
                }

                var hint = name.EndsWith(".eml", StringComparison.OrdinalIgnoreCase) ? "eml" : null;
                var child = ContainerMembers.Child(context, names.Unique(name), message.Length) with { ExtractorHint = hint };
                if (!ContainerMembers.DepthAllows(context))
                {
                    await ContainerMembers.SkipTooDeepAsync(context, child, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var stream = message.OpenRead();
                await using (stream.ConfigureAwait(false))
                {
                    await using var member = new MemberStream(stream, budget, new MemberMeter(compressedRead: null), ownsInner: false);
                    if (await ContainerMembers.ScanAsync(context, budget, child, member, cancellationToken).ConfigureAwait(false) == MemberOutcome.Stop)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            try
            {
                temp.Delete(recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Nothing more can be done; the directory is owner-only.
            }
        }
    }

    /// <summary>The full path of an executable on <c>PATH</c>, or null.</summary>
    internal static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>Folder/1.eml</c> → <c>Folder/0001.eml</c> (readpst numbers messages without padding);
    /// <c>input.pst/Inbox/1.eml</c> (a store without a display name) → <c>Inbox/0001.eml</c>.
    /// </summary>
    internal static string LogicalName(string root, string file)
    {
        var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
        if (relative.StartsWith(InputName + "/", StringComparison.Ordinal))
        {
            relative = relative[(InputName.Length + 1)..];
        }
        var slash = relative.LastIndexOf('/');
        var leaf = relative[(slash + 1)..];
        var dot = leaf.IndexOf('.', StringComparison.Ordinal);
        var stem = dot < 0 ? leaf : leaf[..dot];
        if (int.TryParse(stem, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            leaf = $"{number:D4}" + (dot < 0 ? string.Empty : leaf[dot..]);
        }

        return ContainerMembers.CleanName(relative[..(slash + 1)] + leaf, leaf);
    }

    private static async Task<int?> RunReadpstAsync(string readpst, string input, string output, TimeSpan remaining, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(readpst)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };

        // -e: one .eml per message (attachments inside), -D: deleted items too, -b: no RTF body copies, -q: quiet.
        foreach (var argument in (string[])["-q", "-e", "-D", "-b", "-o", output, input])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("readpst did not start");
        process.StandardInput.Close();

        // Drain (and discard: it may name messages) readpst's chatter so it never blocks on a full pipe.
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
        var stderr = process.StandardError.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }
}
