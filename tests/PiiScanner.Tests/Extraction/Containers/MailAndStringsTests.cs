using System.Text;
using MimeKit;
using PiiScanner.Extraction;

namespace PiiScanner.Tests.Extraction.Containers;

public sealed class MailAndStringsTests
{
    private static byte[] Message(string subject, bool twoAttachments = true, bool html = true)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Intake Desk", "intake@example.org"));
        message.To.Add(new MailboxAddress("Case Worker", "worker@example.org"));
        message.Subject = subject;
        message.Date = new DateTimeOffset(2021, 5, 4, 9, 30, 0, TimeSpan.Zero);
        var builder = new BodyBuilder
        {
            TextBody = "Hello,\n\nPlease review Jane Testperson, SSN 078-05-1120.\nThanks\n",
        };
        if (html)
        {
            builder.HtmlBody = "<html><body><p>Hello,</p><p>Please review <b>Jane Testperson</b>, SSN 078-05-1120.</p></body></html>";
        }

        builder.Attachments.Add("applicants.csv", Encoding.UTF8.GetBytes(Fixtures.PeopleCsv), new ContentType("text", "csv"));
        if (twoAttachments)
        {
            builder.Attachments.Add("applicants.csv", Encoding.UTF8.GetBytes("name,dob\nJohn Sample,1970-01-01\n"), new ContentType("text", "csv"));
        }

        message.Body = builder.ToMessageBody();
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return buffer.ToArray();
    }

    [Fact]
    public async Task EmlYieldsHeadersBodyLinesAndAttachments()
    {
        var host = new ContainerTestHost();

        var top = await host.ScanAsync("Mail/0001.eml", Message("Applicants for review"));

        Assert.Equal("eml", top.Extractor);
        Assert.Equal("scanned", top.Status);
        var headers = Assert.Single(top.Segments, s => s.Locator == "headers");
        Assert.Equal(GroupKind.Record, headers.GroupKind);
        Assert.Contains(headers.Fields!, f => f.Name == "From" && f.Value.Contains("intake@example.org", StringComparison.Ordinal));
        Assert.Contains(headers.Fields!, f => f.Name == "Subject" && f.Value == "Applicants for review");
        Assert.Contains(headers.Fields!, f => f.Name == "To");
        Assert.Contains(headers.Fields!, f => f.Name == "Date");
        var ssnLine = Assert.Single(top.Segments, s => s.Text.Contains("078-05-1120", StringComparison.Ordinal));
        Assert.Equal("body line 3", ssnLine.Locator);
        Assert.Equal("body line 1", top.Segments.First(s => s.Locator.ToString().StartsWith("body", StringComparison.Ordinal)).Locator);
        Assert.Contains("078-05-1120", host["Mail/0001.eml!applicants.csv"].AllText, StringComparison.Ordinal);
        Assert.Contains("John Sample", host["Mail/0001.eml!applicants (2).csv"].AllText, StringComparison.Ordinal);
        Assert.Equal(1, host["Mail/0001.eml!applicants.csv"].Depth);
    }

    [Fact]
    public async Task HtmlOnlyBodyBecomesVisibleText()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("A", "a@example.org"));
        message.Subject = "html";
        message.Body = new TextPart("html") { Text = "<html><head><style>p{}</style><script>var x='hidden';</script></head><body><p>Name: Jane Testperson</p><div>DOB 03/04/1961</div></body></html>" };
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        var host = new ContainerTestHost();

        var top = await host.ScanAsync("h.eml", buffer.ToArray());

        var body = top.Segments.Where(s => s.Locator.ToString().StartsWith("body line", StringComparison.Ordinal)).Select(s => s.Text).ToList();
        Assert.Contains("Name: Jane Testperson", body);
        Assert.Contains("DOB 03/04/1961", body);
        Assert.DoesNotContain(body, t => t.Contains("hidden", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HtmlOnlyBodyTablesBecomeRowsWithHeadersAndLabelTablesOneRecord()
    {
        var top = await ScanHtmlAsync(
            "<html><body><p>Please process:</p><table border=\"1\"><tr><th>Name</th><th>Driver License</th><th>SSN</th></tr>"
            + "<tr><td>Ana Ruiz</td><td>IL R123-4567-8901</td><td>123-45-6701</td></tr>"
            + "<tr><td>Bo Lee</td><td>MT 0190919894120</td><td>123-45-6702</td></tr></table>"
            + "<table><tr><td><b>Name</b></td><td>Cy Diaz</td></tr><tr><td><strong>Date of Birth</strong></td><td>03/04/1961</td></tr></table>"
            + "</body></html>");

        var rows = top.Segments.Where(s => s.Locator.ToString().StartsWith("body table 1 row", StringComparison.Ordinal)).ToList();
        Assert.Equal(["body table 1 row 2", "body table 1 row 3"], rows.Select(r => r.Locator));
        Assert.All(rows, r => Assert.Equal(GroupKind.Record, r.GroupKind));
        Assert.Contains(rows[0].Fields!, f => f.Name == "Driver License" && f.Value == "IL R123-4567-8901");
        Assert.Contains(rows[1].Fields!, f => f.Name == "Name" && f.Value == "Bo Lee");
        Assert.NotEqual(rows[0].Group, rows[1].Group);
        var record = Assert.Single(top.Segments, s => s.Locator == "body table 2");
        Assert.Equal(GroupKind.Record, record.GroupKind);
        Assert.Equal([new Field("Name", "Cy Diaz", "body table 2 row 1"), new Field("Date of Birth", "03/04/1961", "body table 2 row 2")], record.Fields!);
        Assert.Contains(top.Segments, s => s.Locator == "body line 1" && s.Text == "Please process:");
    }

    [Fact]
    public async Task HtmlOnlyBodyKeepsBreaksAsLinesAndParagraphsAsBlocks()
    {
        var top = await ScanHtmlAsync(
            "<html><body><p>Applicant: <b>Ana B. Ruiz</b><br>DL IL R123-4567-8901<br>12 Oak St<br>Helena, MT 59601</p>"
            + "<p>Applicant: <strong>Bo Lee</strong><br>SSN 123-45-6702</p></body></html>");

        var body = top.Segments.Where(s => s.Locator.ToString().StartsWith("body line", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Applicant: Ana B. Ruiz", "DL IL R123-4567-8901", "12 Oak St", "Helena, MT 59601", "Applicant: Bo Lee", "SSN 123-45-6702"], body.Select(s => s.Text));
        Assert.Equal(Enumerable.Range(1, 6).Select(n => $"body line {n}"), body.Select(s => s.Locator.ToString()));
        Assert.Equal("Applicant", body[0].Label);
        Assert.Single(body.Take(4).Select(s => s.Group).Distinct());
        Assert.NotEqual(body[0].Group, body[4].Group);
        Assert.True(body[0].Group > 0);
    }

    private static async Task<HostRecord> ScanHtmlAsync(string html)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("A", "a@example.org"));
        message.Subject = "renewals";
        message.Body = new TextPart("html") { Text = html };
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return await new ContainerTestHost().ScanAsync("h.eml", buffer.ToArray());
    }

    [Fact]
    public async Task MboxMessagesBecomeNumberedChildren()
    {
        var mbox = new StringBuilder();
        foreach (var subject in new[] { "first", "second" })
        {
            mbox.Append("From intake@example.org Tue May  4 09:30:00 2021\n");
            mbox.Append(Encoding.UTF8.GetString(Message(subject, twoAttachments: false, html: false)).Replace("\r\n", "\n", StringComparison.Ordinal));
            mbox.Append('\n');
        }

        var host = new ContainerTestHost();
        var top = await host.ScanAsync("Mail/inbox.mbox", Encoding.UTF8.GetBytes(mbox.ToString()));

        Assert.Equal("mbox", top.Extractor);
        Assert.Equal("scanned", top.Status);
        var second = host["Mail/inbox.mbox!0002.eml"];
        Assert.Equal("eml", second.Extractor);
        Assert.Equal("eml", second.Hint);
        Assert.Contains(second.Segments, s => s.Fields?.Any(f => f.Value == "second") == true);
        Assert.Contains("078-05-1120", host["Mail/inbox.mbox!0001.eml!applicants.csv"].AllText, StringComparison.Ordinal);
        Assert.Equal(2, host["Mail/inbox.mbox!0002.eml!applicants.csv"].Depth);
    }

    [Fact]
    public async Task ZipAttachmentInsideMailIsOpened()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("A", "a@example.org"));
        message.Subject = "backup";
        var builder = new BodyBuilder { TextBody = "see attached" };
        builder.Attachments.Add("export.zip", Fixtures.Zip(("people.csv", Encoding.UTF8.GetBytes(Fixtures.PeopleCsv))));
        message.Body = builder.ToMessageBody();
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        var host = new ContainerTestHost();

        await host.ScanAsync("m.eml", buffer.ToArray());

        Assert.Contains("078-05-1120", host["m.eml!export.zip!people.csv"].AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PstWithoutPffexportIsSkippedWithThePackageName()
    {
        byte[] pst = [(byte)'!', (byte)'B', (byte)'D', (byte)'N', .. new byte[600]];
        var extractor = new PstExtractor(pffexport: null);
        Assert.True(extractor.CanExtract(pst, "mailbox.pst"));
        var context = new ExtractionContext(
            new PiiScanner.Sources.ScanItem("mailbox.pst", pst.Length, null), new MemoryStream(pst), pst, new ExtractionLimits(), _ => { }, (_, _, _) => ValueTask.CompletedTask);

        await extractor.ExtractAsync(context, CancellationToken.None);

        Assert.Equal(PstExtractor.MissingReason, context.SkipReason);
        Assert.Contains("pff-tools", context.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisteredPstExtractorNeverThrowsOnABadFile()
    {
        byte[] pst = [(byte)'!', (byte)'B', (byte)'D', (byte)'N', .. new byte[600]];
        var host = new ContainerTestHost();
        var top = await host.ScanAsync("mailbox.pst", pst);
        Assert.Equal("pst", top.Extractor);
        Assert.Equal("skipped", top.Status);
        Assert.StartsWith("pst:", top.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PffexportFoldersAboveTheUsersOwnAreDroppedFromNames()
    {
        Assert.Equal("Inbox/Message00007", PstExtractor.LogicalName("/t/out.export", "/t/out.export/Root - Mailbox/IPM_SUBTREE/Inbox/Message00007"));
        Assert.Equal("Inbox/Message00007", PstExtractor.LogicalName("/t/out.export", "/t/out.export/Top of Personal Folders/Inbox/Message00007"));
        Assert.Equal("Clinometer Usage.pdf", PstExtractor.AttachmentName("1_Clinometer Usage.pdf"));
    }

    [Fact]
    public async Task StringsSweepFindsAsciiAndUtf16Runs()
    {
        var bytes = new List<byte>();
        bytes.AddRange([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 1, 2]);
        var asciiAt = bytes.Count;
        bytes.AddRange(Encoding.ASCII.GetBytes("Jane Testperson 078-05-1120"));
        bytes.AddRange(new byte[10]);
        bytes.Add(7);
        var wideAt = bytes.Count;
        bytes.AddRange(Encoding.Unicode.GetBytes("DOB 03/04/1961"));
        bytes.AddRange(new byte[200]);
        var farAt = bytes.Count;
        bytes.AddRange(Encoding.ASCII.GetBytes("far away"));
        bytes.AddRange([1, 2, 3, (byte)'a', (byte)'b', 4]);
        var host = new ContainerTestHost();

        var top = await host.ScanAsync("Legacy/intake.doc", [.. bytes]);

        Assert.Equal("strings", top.Extractor);
        Assert.Equal("strings", top.Detail);
        Assert.Equal(3, top.Segments.Count);
        Assert.Equal(($"offset {asciiAt}", "Jane Testperson 078-05-1120", (long?)asciiAt), (top.Segments[0].Locator, top.Segments[0].Text, top.Segments[0].ByteOffset));
        Assert.Equal(($"offset {wideAt}", "DOB 03/04/1961"), (top.Segments[1].Locator, top.Segments[1].Text));
        Assert.Equal(top.Segments[0].Group, top.Segments[1].Group);
        Assert.Equal(farAt, top.Segments[2].ByteOffset);
        Assert.True(top.Segments[2].Group > top.Segments[1].Group);
    }

    [Fact]
    public async Task StringsSweepFindsOddAlignedUtf16AndCutsLongRuns()
    {
        byte[] bytes = [0, 1, 2, .. Encoding.Unicode.GetBytes(new string('x', 100)), 0, 0, 9];
        var segments = new List<Segment>();
        var context = new ExtractionContext(
            new PiiScanner.Sources.ScanItem("blob.bin", bytes.Length, null), new MemoryStream(bytes), bytes,
            new ExtractionLimits { MaxSegmentChars = 40 }, segments.Add, (_, _, _) => ValueTask.CompletedTask);

        // Straight to the sweep: through the registry this content reads as BOM-less UTF-16 text.
        await new StringsExtractor().ExtractAsync(context, CancellationToken.None);

        Assert.Equal([40, 40, 20], segments.Select(s => s.Text.Length));
        Assert.Equal([3L, 83L, 163L], segments.Select(s => s.ByteOffset!.Value));
    }

    [Fact]
    public void StringsLeavesTextAndMediaAlone()
    {
        var strings = new StringsExtractor();
        Assert.False(strings.CanExtract("plain text, nothing binary\n"u8, "a.txt"));
        Assert.False(strings.CanExtract((byte[])[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "a.jpg"));
        Assert.True(strings.CanExtract((byte[])[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], "a.doc"));
    }

    [Theory]
    [InlineData("From: a@example.org\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nbody\r\n", true)]
    [InlineData("Received: from x by y\n\tid 1\nMessage-ID: <1@x>\n\nbody\n", true)]
    [InlineData("name,ssn\nJane,078-05-1120\n", false)]
    [InlineData("Subject: notes\nDate: today\n\nnot a mail, no sender\n", false)]
    public void EmlSniffing(string head, bool expected)
        => Assert.Equal(expected, new EmlExtractor().CanExtract(Encoding.ASCII.GetBytes(head), "x"));
}
