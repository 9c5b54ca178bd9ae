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
    public async Task NestedObjectsFlattenAndPeopleAreRecords()
    {
        var run = await ScanAsync(Bytes(Nested));

        Assert.Equal("json", run.Extractor.Name);
        Assert.Equal(
            ["$.patients[0]", "$.patients[1]", "$['weird keys'][0]", "$"],
            run.Segments.Select(s => s.Locator));

        var jane = run.Segments[0];
        Assert.Equal(
            ["name", "ssn", "address.street", "address.zip", "address.geo.lat", "phones", "phones", "visits.date", "visits.code", "active"],
            jane.Fields!.Select(f => f.Name));
        Assert.Equal("59601", ExtractionRun.Value(jane, "address.zip"));
        Assert.Equal("46.59", ExtractionRun.Value(jane, "address.geo.lat"));
        Assert.Equal(["406-555-0101", "406-555-0102"], jane.Fields!.Where(f => f.Name == "phones").Select(f => f.Value));

        Assert.Equal("E11.9", ExtractionRun.Value(jane, "visits.code"));
        Assert.Equal("123456702", ExtractionRun.Value(run.Segments[1], "ssn"));
        Assert.Equal("Ann", ExtractionRun.Value(run.Segments[2], "first name"));
        Assert.Equal("clinic-2021", ExtractionRun.Value(run.Segments[3], "export"));

        Assert.All(run.Segments, s => Assert.Equal(GroupKind.Record, s.GroupKind));
        Assert.Equal([1, 2, 3, 4], run.Segments.Select(s => s.Group));
        Assert.All(run.Segments, s => Assert.Null(s.ParentGroup));
        Assert.Equal(4, run.Context.Counts["records"]);
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
        Assert.Equal(run.Segments[3].Group, run.Segments[2].ParentGroup);
        Assert.Equal(run.Segments.Count, run.Segments.Select(s => s.Group).Distinct().Count());
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

    private const string Subscribers = """
        {
          "plan": "PPO-7",
          "subscribers": [
            {
              "memberId": "M-100",
              "name": [ { "use": "official", "given": ["Ana", "Lucía"], "family": "Ruiz", "suffix": ["Jr"] } ],
              "ssn": "123-45-6701",
              "addresses": [ { "line": "12 Oak St", "city": "Helena", "state": "MT", "zip": "59601" } ],
              "claims": [ { "date": "2021-02-03", "diagnosis": "E11.9" } ],
              "dependents": [
                { "first": "Tomas", "last": "Ruiz", "middle": "J", "dob": "2010-05-06" },
                { "given_name": "Eva", "family_name": "Ruiz", "birthDate": "2012-07-08",
                  "claims": [ { "diagnosis": "J45.909" } ] }
              ],
              "spouse": { "firstName": "Marco", "lastName": "Ruiz", "dob": "1960-01-02" }
            }
          ]
        }
        """;

    [Fact]
    public async Task NestedPeopleAreRecordsOfTheirOwnLinkedToTheirParent()
    {
        var run = await ScanAsync(Bytes(Subscribers));

        Assert.Equal(
            ["$.subscribers[0].dependents[0]", "$.subscribers[0].dependents[1]", "$.subscribers[0].spouse", "$.subscribers[0]", "$"],
            run.Segments.Select(s => s.Locator));
        var (tomas, eva, marco, ana, root) = (run.Segments[0], run.Segments[1], run.Segments[2], run.Segments[3], run.Segments[4]);

        Assert.Equal(["first", "last", "middle", "dob"], tomas.Fields!.Select(f => f.Name));
        Assert.Equal(["given_name", "family_name", "birthDate", "claims.diagnosis"], eva.Fields!.Select(f => f.Name));
        Assert.Equal(["firstName", "lastName", "dob"], marco.Fields!.Select(f => f.Name));
        Assert.Equal(
            ["memberId", "name.use", "name.given", "name.family", "name.suffix", "ssn", "addresses.line", "addresses.city",
             "addresses.state", "addresses.zip", "claims.date", "claims.diagnosis"],
            ana.Fields!.Select(f => f.Name));
        Assert.Equal("Ana Lucía", ExtractionRun.Value(ana, "name.given"));
        Assert.Equal("E11.9", ExtractionRun.Value(ana, "claims.diagnosis"));
        Assert.Equal(["plan"], root.Fields!.Select(f => f.Name));

        Assert.All([tomas, eva, marco], s => Assert.Equal(ana.Group, s.ParentGroup));
        Assert.Null(ana.ParentGroup);
        Assert.Equal(5, run.Segments.Select(s => s.Group).Distinct().Count());
        Assert.All(run.Segments, s => Assert.Equal(GroupKind.Record, s.GroupKind));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public async Task NestedPeopleParseTheSameThroughAChunkedStream(int chunk)
        => Assert.Equal(Describe(await ScanAsync(Bytes(Subscribers))), Describe(await ScanAsync(Bytes(Subscribers), chunk: chunk)));

    [Fact]
    public async Task FhirBundlePatientsAreRecordsWithTheirNames()
    {
        const string bundle = """
            {"resourceType": "Bundle", "entry": [
              {"resource": {"resourceType": "Patient", "id": "p1",
                "name": [{"given": ["Ana", "Lucía"], "family": "Ruiz"}], "birthDate": "1961-03-04",
                "identifier": [{"system": "http://hl7.org/fhir/sid/us-ssn", "value": "123-45-6701"}]}},
              {"resource": {"resourceType": "Patient", "id": "p2",
                "name": [{"given": ["Tomas"], "family": "Ruiz"}], "birthDate": "2010-05-06"}}
            ]}
            """;

        var run = await ScanAsync(Bytes(bundle));

        // Each entry is about its one resource: the entry is the patient's record.
        Assert.Equal(["$.entry[0]", "$.entry[1]", "$"], run.Segments.Select(s => s.Locator));
        Assert.Equal("Ana Lucía", ExtractionRun.Value(run.Segments[0], "resource.name.given"));
        Assert.Equal("123-45-6701", ExtractionRun.Value(run.Segments[0], "resource.identifier.us-ssn"));
        Assert.Equal("Tomas", ExtractionRun.Value(run.Segments[1], "resource.name.given"));
        Assert.Null(ExtractionRun.Value(run.Segments[1], "resource.identifier.us-ssn"));
    }

    [Fact]
    public async Task TypedIdentifierValuesAreNamedByTheirSystemSoAnOrderNumberIsNoSsn()
    {
        const string patient = """
            {"resourceType": "Patient", "name": [{"given": ["Ana"], "family": "Ruiz"}],
             "identifier": [{"system": "http://hl7.org/fhir/sid/us-ssn", "value": "204-20-4056"},
                            {"system": "urn:agency:order", "value": "393-64-8306"},
                            {"type": "claim", "value": "512-44-0913"}]}
            """;

        var record = Assert.Single((await ScanAsync(Bytes(patient))).Segments);
        Assert.Equal("204-20-4056", ExtractionRun.Value(record, "identifier.us-ssn"));
        Assert.Equal("393-64-8306", ExtractionRun.Value(record, "identifier.order"));
        Assert.Equal("512-44-0913", ExtractionRun.Value(record, "identifier.claim"));

        var findings = new List<PiiScanner.Detection.Finding>();
        PiiScanner.Tests.Detection.DetectionFixture.Engine.Detect(record, 0, findings);
        Assert.Equal(["204204056"], findings.Where(f => f.Element == PiiScanner.Detection.Elements.Ssn).Select(f => f.Value));
    }

    [Fact]
    public async Task AWrapperAroundOnePersonIsThatPersonsRecord()
    {
        var run = await ScanAsync(Bytes("""{"patient": {"name": "Zoë Roe", "dob": "1961-03-04"}, "visit": {"diagnosis": "E11.9"}}"""));

        var record = Assert.Single(run.Segments);
        Assert.Equal(["patient.dob", "patient.name", "visit.diagnosis"], record.Fields!.Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RowsInsideAnObjectThatIsNotAPersonStayRecords()
    {
        var run = await ScanAsync(Bytes("""{"export": "x", "data": {"rows": [{"id": 1, "email": "a@example.com"}, {"id": 2, "email": "b@example.com"}]}}"""));

        Assert.Equal(["$.data.rows[0]", "$.data.rows[1]", "$"], run.Segments.Select(s => s.Locator));
    }

    private static List<string> Describe(ExtractionRun run)
        => [.. run.Segments.Select(s => s.Locator + ":" + s.Group + "<" + s.ParentGroup + ":" + string.Join('|', s.Fields!.Select(f => f.Name + "=" + f.Value)))];
}
