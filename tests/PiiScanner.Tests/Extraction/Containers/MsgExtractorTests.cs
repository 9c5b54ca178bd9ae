using System.Diagnostics;
using System.Text;
using PiiScanner.Extraction;
using PiiScanner.Testing;
using PiiScanner.Tests.EndToEnd;
using Xunit.Abstractions;

namespace PiiScanner.Tests.Extraction.Containers;

/// <summary>
/// Outlook .msg files built in the test with Perl's OLE::Storage_Lite (Debian <c>libole-storage-lite-perl</c>, which
/// <c>libemail-outlook-message-perl</c> depends on): MAPI property streams for subject, sender, recipient and plain
/// body, and one attachment storage holding a CSV.
/// </summary>
public sealed class MsgExtractorTests(ITestOutputHelper output) : IDisposable
{
    private const string BodyPerson = "Ottilie Brandvold";
    private const string BodySsn = "612-40-7731";
    private const string AttachedPerson = "Mara Quillfeather";
    private const string AttachedSsn = "384-27-5519";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    // Writes a .msg: argv = out, subject, body, from name, from address, to name, to address, attachment name, attachment
    // file, and "undated" for one without any date (its compound file timestamps read as none).
    private const string BuildMsg = """
        use strict; use warnings; use OLE::Storage_Lite; use Encode;
        my ($out, $subject, $body, $from_name, $from_addr, $to_name, $to_addr, $att_name, $att_file, $undated) = @ARGV;
        sub u { OLE::Storage_Lite::Asc2Ucs($_[0]) }
        sub text { my ($id, $value) = @_; OLE::Storage_Lite::PPS::File->new(u("__substg1.0_${id}001F"), encode('UTF-16LE', decode('UTF-8', $value))) }
        open(my $fh, '<:raw', $att_file) or die; my $data = do { local $/; <$fh> }; close $fh;
        my @t = ($undated ? 0 : 1, 30, 9, 4, 4, 121); # saved 2021-05-04 09:30:01 (seconds 0 reads as no date)
        my $recip = OLE::Storage_Lite::PPS::Dir->new(u('__recip_version1.0_#00000000'), \@t, \@t,
            [ text('3001', $to_name), text('3002', 'SMTP'), text('3003', $to_addr), text('39FE', $to_addr) ]);
        my $attach = OLE::Storage_Lite::PPS::Dir->new(u('__attach_version1.0_#00000000'), \@t, \@t,
            [ text('3707', $att_name), text('3704', $att_name), text('370E', 'text/csv'),
              OLE::Storage_Lite::PPS::File->new(u('__substg1.0_37010102'), $data) ]);
        my $root = OLE::Storage_Lite::PPS::Root->new(\@t, \@t,
            [ text('0037', $subject), text('1000', $body), text('0C1A', $from_name), text('0C1E', 'SMTP'),
              text('0C1F', $from_addr), text('0E04', $to_name), $recip, $attach ]);
        $root->save($out) or die "cannot write $out";
        """;

    /// <summary>
    /// True when perl and both libraries are installed. Outside CI a missing one skips the test (with a message);
    /// in CI (env CI set) .ci/run installs them, so a missing one fails the test.
    /// </summary>
    private bool HaveTools()
    {
        var perl = PstExtractor.FindOnPath("perl");
        if (perl is not null && Run(perl, ["-MOLE::Storage_Lite", "-MEmail::Outlook::Message", "-e", "1"]).Code == 0)
        {
            return true;
        }

        const string message = "perl with OLE::Storage_Lite and Email::Outlook::Message is missing (apt-get install libemail-outlook-message-perl; .ci/run installs it)";
        MissingTool.SkipOrFail(output, message);
        return false;
    }

    private static (int Code, string Error) Run(string tool, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Result);
    }

    /// <summary>Builds the test message at <paramref name="path"/> and returns its bytes.</summary>
    private byte[] BuildMessage(string path, bool dated = true)
    {
        var script = _temp.Combine("build-msg.pl");
        File.WriteAllText(script, BuildMsg);
        var csv = _temp.Combine("applicants.csv");
        File.WriteAllText(csv, $"name,ssn,dob\n{AttachedPerson},{AttachedSsn},1962-08-14\n");
        var body = $"Hello,\n\nPlease review {BodyPerson}, SSN {BodySsn}, born 1977-03-19.\nThanks\n";
        var (code, error) = Run(PstExtractor.FindOnPath("perl")!, [script, path, "Applicants for review", body, "Intake Desk", "intake@example.org", "Case Worker", "worker@example.org", "applicants.csv", csv, dated ? string.Empty : "undated"]);
        Assert.True(code == 0, error);
        return File.ReadAllBytes(path);
    }

    [Fact]
    public async Task OutlookMessage_HeadersBodyAndAttachmentAreRead()
    {
        if (!HaveTools())
        {
            return;
        }

        var bytes = BuildMessage(_temp.Combine("note.msg"));
        var extractor = new MsgExtractor();
        Assert.True(extractor.CanExtract(bytes.AsSpan(0, Math.Min(bytes.Length, 8192)), "Mail/renamed.bin"));
        var host = new ContainerTestHost();

        var top = await host.ScanAsync("Mail/note.msg", bytes);

        Assert.Equal("msg", top.Extractor);
        Assert.Equal("scanned", top.Status);
        var headers = Assert.Single(top.Segments, s => s.Locator == "headers");
        Assert.Contains(headers.Fields!, f => f.Name == "Subject" && f.Value == "Applicants for review");
        Assert.Contains(headers.Fields!, f => f.Name == "From" && f.Value.Contains("intake@example.org", StringComparison.Ordinal));
        Assert.Contains(headers.Fields!, f => f.Name == "To" && f.Value.Contains("worker@example.org", StringComparison.Ordinal));
        var line = Assert.Single(top.Segments, s => s.Text.Contains(BodySsn, StringComparison.Ordinal));
        Assert.Equal("body line 3", line.Locator);
        var attachment = host["Mail/note.msg!applicants.csv"];
        Assert.Equal(1, attachment.Depth);
        Assert.Equal("scanned", attachment.Status);
        Assert.Contains(AttachedSsn, attachment.AllText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OutlookMessage_DateIsTheMessagesOwnOrNone(bool dated)
    {
        if (!HaveTools())
        {
            return;
        }

        var bytes = BuildMessage(_temp.Combine("note.msg"), dated);
        var host = new ContainerTestHost();

        var top = await host.ScanAsync("Mail/note.msg", bytes);

        // Without a date of its own, the converted message must not carry the time of the conversion.
        var headers = Assert.Single(top.Segments, s => s.Locator == "headers");
        var date = headers.Fields!.Where(f => f.Name == "Date").Select(f => f.Value).SingleOrDefault();
        if (dated)
        {
            Assert.NotNull(date);
            Assert.Contains("2021", date, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(date);
        }
    }

    [Fact]
    public async Task OutlookMessage_PeopleAreInTheIndexWithLocators()
    {
        if (!HaveTools())
        {
            return;
        }

        var share = _temp.Combine("share");
        Directory.CreateDirectory(share);
        BuildMessage(Path.Combine(share, "note.msg"));
        var outDir = _temp.Combine("out");

        var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir, "--reveal", "--quiet");

        Assert.True(code == 0, stderr);
        var individuals = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "individuals.jsonl"));
        foreach (var (name, ssn, path, locator) in new[] { (BodyPerson, BodySsn, "note.msg", "body line 3"), (AttachedPerson, AttachedSsn, "note.msg!applicants.csv", "row 2") })
        {
            var person = Assert.Single(individuals, i => SyntheticShareTests.Strings(i, "ssn").Contains(ssn));
            Assert.Equal(name, person.GetProperty("name").GetString());
            var sources = person.GetProperty("sources").EnumerateArray().Select(s => (s.GetProperty("path").GetString(), s.GetProperty("locator").GetString())).ToList();
            Assert.Contains((path, locator), sources);
        }

        var files = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl")).ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.Equal("msg", files["note.msg"].GetProperty("extractor").GetString());
        Assert.Equal("scanned", files["note.msg"].GetProperty("status").GetString());
        Assert.Equal("scanned", files["note.msg!applicants.csv"].GetProperty("status").GetString());
    }

    [Fact]
    public void WithoutTheLibrary_MessageIsSkippedNamingThePackage()
    {
        byte[] msg = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[1024]];
        var extractor = new MsgExtractor(perl: null);
        Assert.True(extractor.CanExtract(msg, "note.msg"));
        Assert.False(extractor.CanExtract(msg, "note.doc"));

        var (context, segments) = Formats.ExtractorHarness.Run(extractor, msg, "note.msg");

        Assert.Equal(MsgExtractor.MissingReason, context.SkipReason);
        Assert.Contains("libemail-outlook-message-perl", context.SkipReason, StringComparison.Ordinal);
        Assert.Empty(segments);
    }

    [Fact]
    public void DamagedMessage_IsSkippedAsCorruptWithoutQuotingIt()
    {
        if (!HaveTools())
        {
            return;
        }

        // Cut after the directory: the stream sectors are gone, the OLE reader warns and finds no property.
        var bytes = BuildMessage(_temp.Combine("whole.msg"));
        var damaged = bytes[..1536];

        var (context, _) = Formats.ExtractorHarness.Run(new MsgExtractor(), damaged, "note.msg");

        Assert.Equal("corrupt: not a readable Outlook message", context.SkipReason);
    }

    [Fact]
    public async Task RealWorldMessage_IsReadAsMail()
    {
        var path = Path.Combine(RepoPaths.Corpora, "email", "tika_testMSG.msg");
        if (!File.Exists(path))
        {
            output.WriteLine("SKIPPED: no real-world .msg at " + path);
            return;
        }

        if (!HaveTools())
        {
            return;
        }

        var host = new ContainerTestHost();
        var top = await host.ScanAsync("tika_testMSG.msg", await File.ReadAllBytesAsync(path));

        Assert.Equal("msg", top.Extractor);
        Assert.Equal("scanned", top.Status);
        Assert.Contains(Assert.Single(top.Segments, s => s.Locator == "headers").Fields!, f => f.Name == "Subject" && f.Value.Length > 0);
        Assert.Contains(top.Segments, s => s.Locator.ToString().StartsWith("body line", StringComparison.Ordinal) && s.Text.Length > 0);
    }
}
