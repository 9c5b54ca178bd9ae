using System.Text;
using PiiScanner.Extraction;
using static PiiScanner.Tests.Extraction.ExtractionHarness;

namespace PiiScanner.Tests.Extraction;

public class JsonExtractorTests
{
    private const string Nested = """
        {
          "export": "clinic-2021",
          "patients": [
            {
              "name": "Jane Roe",
              "ssn": "123-45-6701",
              "address": { "street": "12 Oak St", "zip": "59601", "geo": { "lat": 46.59 } },
              "phones": ["406-555-0101", "406-555-0102"],
              "visits": [ { "date": "2021-02-03", "code": "E11.9" } ],
              "active": true,
              "middle": null
            },
            { "name": "John Poe", "ssn": 123456702 }
          ],
          "weird keys": [ { "first name": "Ann" } ]
        }
        """;

    [Fact]
    public async Task NestedObjectsFlattenAndArrayElementsAreRecords()
    {
        var run = await ScanAsync(Bytes(Nested));

        Assert.Equal("json", run.Extractor.Name);
        Assert.Equal(
            ["$.patients[0].visits[0]", "$.patients[0]", "$.patients[1]", "$['weird keys'][0]", "$"],
            run.Segments.Select(s => s.Locator));

        var jane = run.Segments[1];
        Assert.Equal(
            ["name", "ssn", "address.street", "address.zip", "address.geo.lat", "phones", "phones", "active"],
            jane.Fields!.Select(f => f.Name));
        Assert.Equal("59601", ExtractionRun.Value(jane, "address.zip"));
        Assert.Equal("46.59", ExtractionRun.Value(jane, "address.geo.lat"));
        Assert.Equal(["406-555-0101", "406-555-0102"], jane.Fields!.Where(f => f.Name == "phones").Select(f => f.Value));

        Assert.Equal("E11.9", ExtractionRun.Value(run.Segments[0], "code"));
        Assert.Equal("123456702", ExtractionRun.Value(run.Segments[2], "ssn"));
        Assert.Equal("Ann", ExtractionRun.Value(run.Segments[3], "first name"));
        Assert.Equal("clinic-2021", ExtractionRun.Value(run.Segments[4], "export"));

        Assert.All(run.Segments, s => Assert.Equal(GroupKind.Record, s.GroupKind));
        Assert.Equal([1, 2, 3, 4, 5], run.Segments.Select(s => s.Group));
        Assert.Equal(5, run.Context.Counts["records"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task NestedJsonParsesTheSameThroughAChunkedStream(int chunk)
    {
        var whole = await ScanAsync(Bytes(Nested));
        var trickled = await ScanAsync(Bytes(Nested), chunk: chunk);

        Assert.Equal(Describe(whole), Describe(trickled));
    }

    [Fact]
    public async Task LargeArrayStreamsAcrossBufferRefills()
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < 3000; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append("{\"id\":").Append(i).Append(",\"ssn\":\"123-45-").Append((6000 + i) % 10000).Append("\"}\n");
        }

        var run = await ScanAsync(Bytes(sb.Append(']').ToString()), chunk: 4000);

        Assert.Equal(3000, run.Segments.Count);
        Assert.Equal("$[2999]", run.Segments[^1].Locator);
        Assert.Equal("2999", ExtractionRun.Value(run.Segments[^1], "id"));
        Assert.Empty(run.Context.PartialReasons);
    }

    [Fact]
    public async Task JsonLinesUseLineLocatorsAndKeepBadLinesAsText()
    {
        var text =
            "{\"name\":\"Jane Roe\",\"ssn\":\"123-45-6701\",\"address\":{\"zip\":\"59601\"}}\n" +
            "{\"name\":\"John Poe\",\"ssn\":\"123-45-6702\" this is broken\n" +
            "\n" +
            "{\"name\":\"Ann Loe\",\"kids\":[{\"name\":\"Bo Loe\"}]}\n";

        var run = await ScanAsync(Bytes(text), path: "share/people.jsonl");

        Assert.Equal("json", run.Extractor.Name);
        Assert.Equal(["line 1", "line 2", "line 4 $.kids[0]", "line 4"], run.Segments.Select(s => s.Locator));
        Assert.Equal("59601", ExtractionRun.Value(run.Segments[0], "address.zip"));
        Assert.Null(run.Segments[1].Fields);
        Assert.StartsWith("{\"name\":\"John Poe\"", run.Segments[1].Text, StringComparison.Ordinal);
        Assert.Equal("Bo Loe", ExtractionRun.Value(run.Segments[2], "name"));
        Assert.Equal(1, run.Context.Counts["invalidJsonLines"]);
        Assert.Equal(run.Segments.Select(s => s.Group).Order(), run.Segments.Select(s => s.Group));
    }

    [Fact]
    public async Task InvalidJsonInTheHeadIsLeftToTheLinesExtractor()
    {
        var run = await ScanAsync(Bytes("{ this is not json\nSSN: 123-45-6701\n"));

        Assert.Equal("text", run.Extractor.Name);
        Assert.Equal("SSN", run.Segments[1].Label);
    }

    [Fact]
    public void BracketedLogLinesAreNotJson()
        => Assert.False(new JsonExtractor().CanExtract(Bytes("[2021-03-04 10:00:01] INFO login jroe\n[INFO] done\n"), "app.log"));

    [Fact]
    public async Task JsonThatBreaksAfterTheHeadKeepsItsRecordsAndReadsTheRestAsLines()
    {
        var text = "[\n{\"name\":\"Jane Roe\",\"ssn\":\"123-45-6701\"},\n{\"name\":\"John Poe\" oops\nSSN: 123-45-6702\n";

        var run = await ScanAsync(Bytes(text), headSize: 30);

        Assert.Equal("json", run.Extractor.Name);
        Assert.Equal("$[0]", run.Segments[0].Locator);
        Assert.Contains(run.Context.PartialReasons, r => r.StartsWith("json:invalid", StringComparison.Ordinal));
        var ssnLine = Assert.Single(run.Segments, s => s.Text == "SSN: 123-45-6702");
        Assert.Equal("line 4", ssnLine.Locator);
    }

    [Fact]
    public async Task Utf16JsonIsTranscoded()
    {
        var run = await ScanAsync(TextEncodingTests.Encode("{\"patient\":{\"name\":\"Zoë Roe\"}}", "utf-16le-bom"));

        Assert.Equal("json", run.Extractor.Name);
        Assert.Equal("utf-16le", run.Context.Detail);
        Assert.Equal("Zoë Roe", ExtractionRun.Value(Assert.Single(run.Segments), "patient.name"));
    }

    [Fact]
    public async Task Utf8BomJsonIsRead()
    {
        var run = await ScanAsync(TextEncodingTests.Encode("[{\"ssn\":\"123-45-6701\"}]", "utf-8-bom"));

        Assert.Equal("utf-8-bom", run.Context.Detail);
        Assert.Equal("$[0]", Assert.Single(run.Segments).Locator);
    }

    private static List<string> Describe(ExtractionRun run)
        => [.. run.Segments.Select(s => s.Locator + ":" + string.Join('|', s.Fields!.Select(f => f.Name + "=" + f.Value)))];
}
