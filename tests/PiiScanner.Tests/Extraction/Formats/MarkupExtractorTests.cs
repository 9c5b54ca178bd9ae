using System.Text;
using PiiScanner.Extraction;
using PiiScanner.Extraction.Markup;

namespace PiiScanner.Tests.Extraction.Formats;

public sealed class MarkupExtractorTests
{
    private const string Page = """
        <!DOCTYPE html>
        <html><head><title>Client roster</title>
        <style>.ssn { color: red }</style>
        <script>var leaked = "123-45-6799";</script></head>
        <body>
          <h1>Roster</h1>
          <p>Prepared by intake.<br>Date of Birth: 03/04/1961</p>
          <table>
            <thead><tr><th>Name</th><th>SSN</th><th>DOB</th></tr></thead>
            <tbody>
              <tr><td>Jane Example</td><td>123-45-6701</td><td>1961-03-04</td></tr>
              <tr><td>John <b>Sample</b></td><td>123-45-6702</td><td>1972-08-07</td></tr>
            </tbody>
          </table>
          <table><tr><th>Member ID</th><td>XYZ123</td></tr><tr><th>Plan</th><td>Gold</td></tr></table>
          <div hidden>hidden text</div>
          <script>document.write("555-55-5555")</script>
        </body></html>
        """;

    [Fact]
    public void Html_table_rows_carry_headers_and_script_is_ignored()
    {
        var bytes = Encoding.UTF8.GetBytes(Page);
        var extractor = new HtmlExtractor();
        Assert.True(extractor.CanExtract(bytes, "page"));
        Assert.False(new XmlExtractor().CanExtract(bytes, "page.xml"));

        var (context, segments) = ExtractorHarness.Run(extractor, bytes, "roster.html");
        var all = ExtractorHarness.AllText(segments);

        Assert.Null(context.SkipReason);
        Assert.DoesNotContain("123-45-6799", all, StringComparison.Ordinal);
        Assert.DoesNotContain("555-55-5555", all, StringComparison.Ordinal);
        Assert.DoesNotContain("color", all, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden text", all, StringComparison.Ordinal);

        Assert.Equal("Client roster", segments[0].Text);
        var dob = Assert.Single(segments, s => s.Text == "Date of Birth: 03/04/1961");
        Assert.Equal("Date of Birth", dob.Label);
        Assert.StartsWith("line ", dob.Locator.ToString(), StringComparison.Ordinal);
        Assert.Contains(segments, s => s.Text == "Prepared by intake." && s.Group == dob.Group);

        var jane = Assert.Single(segments, s => s.Locator == "table 1 row 2");
        Assert.Equal(GroupKind.Record, jane.GroupKind);
        Assert.Equal([("Name", "Jane Example"), ("SSN", "123-45-6701"), ("DOB", "1961-03-04")], jane.Fields!.Select(f => (f.Name, f.Value)));
        var john = Assert.Single(segments, s => s.Locator == "table 1 row 3");
        Assert.Equal("John Sample", john.Fields![0].Value);

        var keyValue = Assert.Single(segments, s => s.Locator == "table 2");
        Assert.Equal([("Member ID", "XYZ123"), ("Plan", "Gold")], keyValue.Fields!.Select(f => (f.Name, f.Value)));
    }

    [Fact]
    public void Malformed_html_still_gives_its_text()
    {
        var bytes = Encoding.UTF8.GetBytes("<html><body><p>SSN: 123-45-6701<div><table><tr><td>Jane<td>Example");
        var (_, segments) = ExtractorHarness.Run(new HtmlExtractor(), bytes, "broken.html");
        var all = ExtractorHarness.AllText(segments);
        Assert.Contains("SSN: 123-45-6701", all, StringComparison.Ordinal);
        Assert.Contains("Jane", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Xml_records_carry_element_paths()
    {
        const string xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <patients>
              <patient id="p1"><name>Jane Example</name><ssn>123-45-6701</ssn><address><zip>59601</zip></address></patient>
              <patient id="p2"><name>John Sample</name><ssn>123-45-6702</ssn></patient>
              <note>Export of <b>clinic</b> data</note>
            </patients>
            """;
        var bytes = Encoding.UTF8.GetBytes(xml);
        Assert.True(new XmlExtractor().CanExtract(bytes, "x"));
        Assert.False(new HtmlExtractor().CanExtract(bytes, "x.html"));

        var (context, segments) = ExtractorHarness.Run(new XmlExtractor(), bytes, "export.xml");

        Assert.Empty(context.PartialReasons);
        var second = Assert.Single(segments, s => s.Locator == "/patients/patient[2]");
        Assert.Equal(GroupKind.Record, second.GroupKind);
        Assert.Equal(
            [("patient/@id", "p2"), ("patient/name", "John Sample"), ("patient/ssn", "123-45-6702")],
            second.Fields!.Select(f => (f.Name, f.Value)));
        Assert.Equal("/patients/patient[2]/ssn[1]", second.Fields![2].Locator);
        var first = Assert.Single(segments, s => s.Locator == "/patients/patient[1]");
        Assert.Contains(first.Fields!, f => f.Name == "patient/ssn" && f.Value == "123-45-6701");
        Assert.Contains(segments, s => s.Locator == "/patients/patient[1]/address[1]" && s.Fields!.Single().Name == "address/zip");
        Assert.Contains(segments, s => s.Label == "patients/note" && s.Text.Contains("Export of", StringComparison.Ordinal));
    }

    [Fact]
    public void Xml_external_entity_is_never_expanded()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "SECRET-FILE-CONTENT");
        try
        {
            var xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
                <r><name>Jane Example</name><ssn>&xxe;</ssn><x>&lol2;</x></r>
                """;
            var (context, segments) = ExtractorHarness.Run(new XmlExtractor(), Encoding.UTF8.GetBytes(xml), "evil.xml");
            var all = ExtractorHarness.AllText(segments);

            Assert.DoesNotContain("SECRET", all, StringComparison.Ordinal);
            Assert.DoesNotContain("lollol", all, StringComparison.Ordinal);
            Assert.Contains("Jane Example", all, StringComparison.Ordinal);
            Assert.Contains(context.PartialReasons, r => r.StartsWith("malformed:", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Malformed_xml_keeps_what_was_read()
    {
        var bytes = Encoding.UTF8.GetBytes("<people><person><ssn>123-45-6701</ssn></person><person><ssn>123-45-6702</ssn></pers");
        var (context, segments) = ExtractorHarness.Run(new XmlExtractor(), bytes, "cut.xml");
        Assert.Contains("123-45-6701", ExtractorHarness.AllText(segments), StringComparison.Ordinal);
        Assert.Contains(context.PartialReasons, r => r.StartsWith("malformed:", StringComparison.Ordinal));
    }
}
