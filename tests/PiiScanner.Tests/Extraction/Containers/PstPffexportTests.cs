using System.Diagnostics;
using System.Security.Cryptography;
using PiiScanner.Extraction;
using Xunit.Abstractions;

namespace PiiScanner.Tests.Extraction.Containers;

/// <summary>
/// <see cref="PstExtractor"/> against the real <c>pffexport</c> (Debian <c>pff-tools</c>) and a real Outlook store.
/// No Debian tool writes PST files and the repository ships none, so the store is the test mailbox of the
/// MIT-licensed npm package <c>pst-extractor</c> 1.12.0 (<c>package/example/testdata/pstextractortest@outlook.com.ost</c>,
/// 16 MiB: an Outlook 2013+ offline store, <c>!BDN</c> like a PST, made by that package's author for its tests), fetched
/// at test time with <c>npm pack</c> into <c>$TMPDIR/piiscan-fixtures</c> (or named by <c>PIISCAN_PST_FIXTURE</c>) and
/// checked by its SHA-256. Without npm or network the tests are skipped outside CI and fail in CI.
/// Do not use the package's <c>enron.pst</c>: it holds real people's mail.
/// </summary>
public sealed class PstPffexportTests(ITestOutputHelper output)
{
    private const string FixtureSha256 = "daacd8d441428634e103b7c1e37fe1e5909256cc917551667049b5e84dfcf5f0";
    private const string FixtureMember = "package/example/testdata/pstextractortest@outlook.com.ost";
    private static readonly SemaphoreSlim FetchLock = new(1, 1);

    /// <summary>The exact items pffexport gives for the store, the same on every run (readpst's varied).</summary>
    private static readonly Dictionary<string, long> ExpectedCounts = new(StringComparer.Ordinal)
    {
        ["items"] = 183,
        ["messages"] = 14,
        ["attachments"] = 25,
    };

    private bool Skip(string message)
    {
        MissingTool.SkipOrFail(output, message);
        return true;
    }

    private async Task<byte[]?> FixtureAsync()
    {
        if (PstExtractor.FindOnPath("pffexport") is null)
        {
            Skip("pffexport not installed (apt-get install pff-tools; .ci/run installs it)");
            return null;
        }

        var path = Environment.GetEnvironmentVariable("PIISCAN_PST_FIXTURE") is { Length: > 0 } named && File.Exists(named)
            ? named
            : Path.Combine(Path.GetTempPath(), "piiscan-fixtures", "pst-extractor-1.12.0", FixtureMember);
        await FetchLock.WaitAsync();
        try
        {
            if (!File.Exists(path) && !Fetch(Path.Combine(Path.GetTempPath(), "piiscan-fixtures", "pst-extractor-1.12.0")))
            {
                return null;
            }
        }
        finally
        {
            FetchLock.Release();
        }

        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal(FixtureSha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        return bytes;
    }

    private bool Fetch(string folder)
    {
        var npm = PstExtractor.FindOnPath("npm");
        if (npm is null)
        {
            return !Skip("npm not installed: cannot fetch the pst-extractor test store");
        }

        Directory.CreateDirectory(folder);
        if (Run(npm, folder, "pack", "pst-extractor@1.12.0", "--silent") is not 0)
        {
            return !Skip("npm pack pst-extractor@1.12.0 failed (no network?)");
        }

        if (Run("tar", folder, "xzf", "pst-extractor-1.12.0.tgz", FixtureMember) is not 0)
        {
            return !Skip("could not unpack the pst-extractor package");
        }

        File.Delete(Path.Combine(folder, "pst-extractor-1.12.0.tgz"));
        return true;
    }

    private static int Run(string tool, string folder, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            return -1;
        }

        return process.ExitCode;
    }

    private async Task<ContainerTestHost?> ScanAsync()
    {
        if (await FixtureAsync() is not { } bytes)
        {
            return null;
        }

        var host = new ContainerTestHost();
        var top = await host.ScanAsync("mailbox.pst", bytes);
        Assert.True(host.LastError is null, host.LastError);
        Assert.Equal("pst", top.Extractor);
        Assert.True(top.Status == "scanned", $"{top.Status}: {top.Reason}");
        return host;
    }

    [Fact]
    public async Task Every_item_of_a_real_store_is_a_child_with_exact_counts_on_every_run()
    {
        for (var run = 0; run < 2; run++)
        {
            if (await ScanAsync() is not { } host)
            {
                return;
            }

            var top = host["mailbox.pst"];
            foreach (var (name, expected) in ExpectedCounts)
            {
                Assert.True(top.Counts.TryGetValue(name, out var actual) && actual == expected, $"{name}: {actual} (expected {expected}); counts {string.Join(", ", top.Counts)}");
            }

            var children = host.Records.Where(r => r.Depth == 1).ToList();
            Assert.Equal(183, children.Count);
            Assert.All(children, c => Assert.Equal("eml", c.Extractor));
            Assert.All(children, c => Assert.Equal("scanned", c.Status));
            Assert.Equal(10, children.Count(r => r.Path.StartsWith("mailbox.pst!Inbox/", StringComparison.Ordinal)));
            Assert.Equal(2, children.Count(r => r.Path.StartsWith("mailbox.pst!Sent Items/", StringComparison.Ordinal)));
            Assert.Equal(1, children.Count(r => r.Path.StartsWith("mailbox.pst!Deleted Items/", StringComparison.Ordinal)));
            Assert.DoesNotContain(host.Records, r => r.Path.Contains("input.pst", StringComparison.Ordinal) || r.Path.Contains("out.export", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Headers_bodies_and_attachments_of_stored_messages_are_read()
    {
        if (await ScanAsync() is not { } host)
        {
            return;
        }

        var message = host["mailbox.pst!Inbox/Message00004.eml"];
        Assert.Contains("text file attachment", message.AllText, StringComparison.Ordinal);
        Assert.Contains(message.Segments, s => s.Locator == "headers" && s.Fields!.Any(f => f.Name == "From" && f.Value.Contains("epfromer@gmail.com", StringComparison.Ordinal)));

        var text = host["mailbox.pst!Inbox/Message00004.eml!text.txt"];
        Assert.Equal(2, text.Depth);
        Assert.Contains("this is a text doc", text.AllText, StringComparison.OrdinalIgnoreCase);

        var attached = host.Records
            .Where(r => r.Path.StartsWith("mailbox.pst!Inbox/Message00007.eml!", StringComparison.Ordinal) && r.Depth == 2)
            .Select(r => r.Path["mailbox.pst!Inbox/Message00007.eml!".Length..])
            .ToList();
        Assert.Contains("text.txt", attached);
        Assert.Contains("Clinometer Usage.pdf", attached);
        Assert.Contains(attached, a => a.EndsWith(".jpg", StringComparison.Ordinal));
        Assert.Equal("pdf", host["mailbox.pst!Inbox/Message00007.eml!Clinometer Usage.pdf"].Extractor);

        // An appointment's own details (Appointment.txt) are read too.
        var appointment = host.Records.First(r => r.Path.StartsWith("mailbox.pst!Calendar/Appointment", StringComparison.Ordinal) && r.Path.EndsWith("!Appointment.txt", StringComparison.Ordinal));
        Assert.Contains("Start time", appointment.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recovered_items_contacts_and_attachments_are_children_and_deleted_ones_are_flagged()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // A stand-in pffexport that writes what the real one writes for such a store (its folder layout and files).
        using var temp = new PiiScanner.Tests.EndToEnd.TempFolder();
        var tool = temp.Combine("pffexport");
        await File.WriteAllTextAsync(tool, """
            #!/bin/sh
            while [ "$1" != "-t" ]; do shift; done
            t="$2"
            m="$t.export/Top of Personal Folders/Inbox/Message00001"
            mkdir -p "$m/Attachments" "$t.export/Top of Personal Folders/Contacts/Contact00001" "$t.recovered/Message00001"
            printf 'Message:\nSubject:\t\t\t\tIntake list\nSender name:\t\t\tNurse Ratched\nSender email address:\t\tnurse@clinic.example\n' > "$m/OutlookHeaders.txt"
            printf 'Display name:\t\tFront Desk\nEmail address:\t\tdesk@clinic.example\nRecipient type:\t\tTo\n' > "$m/Recipients.txt"
            printf 'Please call the patient back.\n' > "$m/Message.txt"
            printf 'name,ssn,dob\nJane Example,123-45-6701,1961-03-04\n' > "$m/Attachments/1_people.csv"
            printf 'Contact:\nGiven name:\t\t\tJohn\nSurname:\t\t\tExample\nMobile phone:\t\t\t555-867-5309\n' > "$t.export/Top of Personal Folders/Contacts/Contact00001/Contact.txt"
            printf 'Deleted note: patient SSN 078-05-1121.\n' > "$t.recovered/Message00001/Message.txt"
            """);
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        byte[] pst = [(byte)'!', (byte)'B', (byte)'D', (byte)'N', .. new byte[600]];
        var children = new List<(PiiScanner.Sources.ScanItem Item, string Text)>();
        var context = new ExtractionContext(
            new PiiScanner.Sources.ScanItem("box.pst", pst.Length, null),
            new MemoryStream(pst),
            pst,
            new ExtractionLimits(),
            _ => { },
            async (child, stream, token) =>
            {
                using var reader = new StreamReader(stream);
                children.Add((child, await reader.ReadToEndAsync(token)));
            });

        await new PstExtractor(tool).ExtractAsync(context, CancellationToken.None);

        Assert.Null(context.SkipReason);
        Assert.Empty(context.PartialReasons);
        Assert.Equal(["box.pst!(recovered)/Message00001.eml", "box.pst!Contacts/Contact00001.eml", "box.pst!Inbox/Message00001.eml"], children.Select(c => c.Item.Path));
        Assert.All(children, c => Assert.Equal("eml", c.Item.ExtractorHint));
        Assert.True(children[0].Item.Origin?.Deleted);
        Assert.False(children[2].Item.Origin?.Deleted ?? false);
        Assert.Equal(3, context.Counts["items"]);
        Assert.Equal(1, context.Counts["recoveredItems"]);
        Assert.Equal(1, context.Counts["contacts"]);
        Assert.Equal(1, context.Counts["attachments"]);

        // The rebuilt message, read back as the mail extractor reads it: headers, body, the attachment as a child.
        var host = new ContainerTestHost();
        await host.ScanAsync("m.eml", System.Text.Encoding.UTF8.GetBytes(children[2].Text));
        var headers = Assert.Single(host["m.eml"].Segments, s => s.Locator == "headers");
        Assert.Contains(headers.Fields!, f => f.Name == "From" && f.Value.Contains("Nurse Ratched", StringComparison.Ordinal));
        Assert.Contains(headers.Fields!, f => f.Name == "To" && f.Value.Contains("desk@clinic.example", StringComparison.Ordinal));
        Assert.Contains("Please call the patient back.", host["m.eml"].AllText, StringComparison.Ordinal);
        Assert.Contains("123-45-6701", host["m.eml!people.csv"].AllText, StringComparison.Ordinal);

        host = new ContainerTestHost();
        await host.ScanAsync("c.eml", System.Text.Encoding.UTF8.GetBytes(children[1].Text));
        Assert.Contains("555-867-5309", host["c.eml!Contact.txt"].AllText, StringComparison.Ordinal);
        Assert.Contains("078-05-1121", children[0].Text, StringComparison.Ordinal);
    }
}
