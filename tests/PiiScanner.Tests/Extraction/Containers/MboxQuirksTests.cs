using System.Text;
using MimeKit;

namespace PiiScanner.Tests.Extraction.Containers;

/// <summary>Mailboxes exported without their first <c>From </c> line, or with <c>&gt;From </c> envelope lines, are still mail.</summary>
public sealed class MboxQuirksTests
{
    private const string Separator = "From intake@example.org Tue May  4 09:30:00 2021\n";

    /// <summary>One message as mbox stores it (LF line ends); its attachment holds a synthetic person.</summary>
    private static string Message(string subject, string ssn)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Intake Desk", "intake@example.org"));
        message.To.Add(new MailboxAddress("Case Worker", "worker@example.org"));
        message.Subject = subject;
        message.Date = new DateTimeOffset(2021, 5, 4, 9, 30, 0, TimeSpan.Zero);
        var builder = new BodyBuilder { TextBody = "Applicant list attached.\n" };
        builder.Attachments.Add("applicants.csv", Encoding.UTF8.GetBytes($"name,ssn,dob\nMara Quillfeather,{ssn},1962-08-14\n"), new ContentType("text", "csv"));
        message.Body = builder.ToMessageBody();
        using var buffer = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Unix;
        message.WriteTo(options, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static async Task<ContainerTestHost> AssertTwoMessagesAsync(string path, string mbox)
    {
        var host = new ContainerTestHost();
        var top = await host.ScanAsync(path, Encoding.UTF8.GetBytes(mbox));

        Assert.Equal("mbox", top.Extractor);
        Assert.Equal("scanned", top.Status);
        Assert.Contains(host[path + "!0001.eml"].Segments, s => s.Fields?.Any(f => f.Name == "Subject" && f.Value == "first") == true);
        Assert.Contains(host[path + "!0002.eml"].Segments, s => s.Fields?.Any(f => f.Name == "Subject" && f.Value == "second") == true);
        Assert.Contains("078-05-1120", host[path + "!0001.eml!applicants.csv"].AllText, StringComparison.Ordinal);
        Assert.Contains("219-09-9999", host[path + "!0002.eml!applicants.csv"].AllText, StringComparison.Ordinal);
        return host;
    }

    [Fact]
    public async Task MboxWithoutItsFirstFromLine_IsReadMessageByMessage()
    {
        // Cut from a larger export: the first message starts at its headers. No extension to go by.
        var mbox = Message("first", "078-05-1120") + Separator + Message("second", "219-09-9999");

        await AssertTwoMessagesAsync("Mail/Inbox", mbox);
    }

    [Fact]
    public async Task MboxWithEscapedEnvelopeLines_IsRecognised()
    {
        // Some exporters write the envelope twice, the second time escaped as ">From ".
        var envelope = Separator + ">From intake@example.org Tue May  4 09:30:00 2021\n";
        var mbox = envelope + Message("first", "078-05-1120") + envelope + Message("second", "219-09-9999");

        await AssertTwoMessagesAsync("Mail/escaped", mbox);
    }

    [Fact]
    public async Task MboxStartingWithAnEscapedFromLine_IsRecognised()
    {
        var mbox = ">" + Separator + Message("first", "078-05-1120") + Separator + Message("second", "219-09-9999");

        await AssertTwoMessagesAsync("Mail/quoted", mbox);
    }

    [Fact]
    public async Task SingleMessageInAnMboxFile_IsAMailboxOfOne()
    {
        var host = new ContainerTestHost();
        var top = await host.ScanAsync("Mail/one.mbox", Encoding.UTF8.GetBytes(Message("first", "078-05-1120")));

        Assert.Equal("mbox", top.Extractor);
        Assert.Equal("scanned", top.Status);
        Assert.Contains("078-05-1120", host["Mail/one.mbox!0001.eml!applicants.csv"].AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Records, r => r.Path == "Mail/one.mbox!0002.eml");
    }

    [Theory]
    [InlineData("From here on, the intake desk handles renewals.\n")]
    [InlineData("From intake@example.org Tue May  4 09:30:00 2021 wrote that renewals are due.\n")]
    public async Task MessageWhoseBodyStartsALineWithFrom_StaysOneMessage(string line)
    {
        var eml = Message("first", "078-05-1120").Replace("Applicant list attached.\n", "Applicant list attached.\n\n" + line, StringComparison.Ordinal);
        var host = new ContainerTestHost();

        var top = await host.ScanAsync("Mail/0001.eml", Encoding.UTF8.GetBytes(eml));

        Assert.Equal("eml", top.Extractor);
        Assert.Contains("078-05-1120", host["Mail/0001.eml!applicants.csv"].AllText, StringComparison.Ordinal);
    }
}
