using PiiScanner.Extraction;
using static PiiScanner.Tests.Extraction.ExtractionHarness;

namespace PiiScanner.Tests.Extraction.Tables;

public class HeaderlessTableTests
{
    private const string People =
        "Mary,J,Smith,123-45-6701,03/04/1961,12 Oak St,Helena,MT,59601,406-555-0142,mary.smith@example.com,2023-05-01\n" +
        "Robert,K,Johnson,234-56-7802,1970-01-02,9 Elm Rd,Missoula,MT,59802,406-555-0143,rj@example.com,2023-05-02\n" +
        "Linda,A,Williams,345-67-8903,12/31/1985,400 Pine Ave Apt 2,Billings,MT,59101-1234,(406) 555-0144,lw@example.org,2023-05-02\n" +
        "James,B,Brown,456-78-9014,07/15/1948,77 Lakeview Dr,Bozeman,MT,59715,406-555-0145,jb@example.net,2023-05-03\n" +
        "Patricia,C,Davis,567-89-0125,1992-11-20,5 Cedar Ln,Butte,MT,59701,406-555-0146,pd@example.com,2023-05-04\n";

    [Fact]
    public async Task HeaderlessPeopleTableGetsColumnNamesFromItsValues()
    {
        var run = await ScanAsync(Bytes(People));

        Assert.Equal("delimited", run.Extractor.Name);
        Assert.Equal(["row 1", "row 2", "row 3", "row 4", "row 5"], run.Segments.Select(s => s.Locator));
        var first = run.Segments[0];
        Assert.True(first.InferredHeader);
        Assert.Equal(
            ["first name", "middle name", "last name", "ssn", "date of birth", "street", "city", "state", "zip", "phone", "email", "service date"],
            first.Fields!.Select(f => f.Name));
        Assert.Equal("Mary", ExtractionRun.Value(first, "first name"));
        Assert.Equal("59101-1234", ExtractionRun.Value(run.Segments[2], "zip"));
        Assert.All(run.Segments, s => Assert.True(s.InferredHeader));
    }

    [Fact]
    public async Task AllWordFirstRowOfNamesIsDataNotAHeader()
    {
        var text = "Mary,Smith,Helena,MT\nRobert,Johnson,Missoula,MT\nLinda,Williams,Billings,MT\nJames,Brown,Butte,MT\n";

        var run = await ScanAsync(Bytes(text));

        Assert.Equal(4, run.Segments.Count);
        Assert.Equal(["first name", "last name", "city", "state"], run.Segments[0].Fields!.Select(f => f.Name));
        Assert.Equal("Mary", ExtractionRun.Value(run.Segments[0], "first name"));
    }

    [Fact]
    public async Task RealHeaderRowIsStillAHeader()
    {
        var text = "First,Last,City,State\nMary,Smith,Helena,MT\nRobert,Johnson,Missoula,MT\nLinda,Williams,Billings,MT\n";

        var run = await ScanAsync(Bytes(text));

        Assert.Equal(3, run.Segments.Count);
        Assert.False(run.Segments[0].InferredHeader);
        Assert.Equal("Mary", ExtractionRun.Value(run.Segments[0], "First"));
    }

    [Fact]
    public async Task LastFirstOrderIsRecognised()
    {
        var text = "Smith|Mary|123-45-6701\nJohnson|Robert|234-56-7802\nWilliams|Linda|345-67-8903\n";

        var run = await ScanAsync(Bytes(text));

        Assert.Equal(["last name", "first name", "ssn"], run.Segments[0].Fields!.Select(f => f.Name));
    }

    [Fact]
    public async Task OrderTableNamesNoPersonalColumns()
    {
        var text =
            "100234001,2021-03-04,149.99,2021-03-09,Shipped\n" +
            "100234002,2021-03-04,20.00,2021-03-10,Shipped\n" +
            "100234003,2021-03-05,310.50,2021-03-11,Pending\n" +
            "100234004,2021-03-06,12.25,2021-03-12,Shipped\n";

        var run = await ScanAsync(Bytes(text));

        var names = run.Segments[0].Fields!.Select(f => f.Name).ToList();
        Assert.DoesNotContain("ssn", names);
        Assert.DoesNotContain("date of birth", names);
        Assert.Equal("column 1", names[0]);
    }

    [Fact]
    public async Task RowsBeyondTheSampleKeepTheInferredNames()
    {
        var rows = Enumerable.Range(0, 450).Select(i => $"Mary,Smith,{100 + (i % 800):D3}-45-{1000 + i:D4},03/04/{1940 + (i % 60)}");
        var run = await ScanAsync(Bytes(string.Join('\n', rows) + "\n"));

        Assert.Equal(450, run.Segments.Count);
        Assert.Equal(["first name", "last name", "ssn", "date of birth"], run.Segments[^1].Fields!.Select(f => f.Name));
        Assert.Equal("row 450", run.Segments[^1].Locator);
    }
}
