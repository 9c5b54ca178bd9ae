using Microsoft.Data.Sqlite;
using PiiScanner.Detection;
using PiiScanner.Index;
using PiiScanner.Resolution;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>
/// Tables that hold people without labels, scanned through the library: a delimited file without a header row and
/// MySQL / PostgreSQL dumps must give individuals with name, SSN, date of birth and address and locators into the
/// file; a headerless table of orders (nine-digit order numbers, amounts, dates) must give nobody.
/// </summary>
public sealed class UnlabelledTablesEndToEndTests
{
    private static async Task<ScanResult> ScanAsync(TempFolder temp, params IScanSink[] sinks)
        => await new ScannerBuilder().WithThreads(1).Build().ScanAsync([temp.Combine("share")], sinks);

    private static void Write(TempFolder temp, string name, string text)
    {
        Directory.CreateDirectory(temp.Combine("share"));
        File.WriteAllText(temp.Combine("share", name), text);
    }

    private static Individual Person(ScanResult result, string ssn)
        => Assert.Single(result.Individuals, i => i.Values.TryGetValue(Elements.Ssn, out var v) && v.Any(x => x.Value == ssn));

    [Fact]
    public async Task HeaderlessPeopleFileBecomesIndividuals()
    {
        using var temp = new TempFolder();
        Write(temp, "export.txt",
            "Mary|J|Smith|123-45-6701|03/04/1961|12 Oak St|Helena|MT|59601\n" +
            "Robert|K|Johnson|234567802|01/02/1970|9 Elm Rd|Missoula|MT|59802\n" +
            "Linda|A|Williams|345-67-8903|12/31/1985|400 Pine Ave|Billings|MT|59101\n" +
            "James|B|Brown|456789014|07/15/1948|77 Lakeview Dr|Bozeman|MT|59715\n");

        var result = await ScanAsync(temp, new OutputDirectorySink(temp.Combine("out"), new OutputOptions()));

        Assert.Equal(4, result.Individuals.Count);
        var mary = Person(result, "123456701");
        Assert.Equal("Mary J Smith", mary.Name);
        Assert.Equal(["1961-03-04"], mary.Values[Elements.Dob].Select(v => v.Value));
        Assert.Contains("12 Oak St", mary.Values[Elements.Address].Single().Value, StringComparison.Ordinal);
        Assert.Contains(mary.Sources, s => s.Path == "export.txt" && s.Locator == "row 1");
        var robert = Person(result, "234567802");
        Assert.Equal("Robert K Johnson", robert.Name);
        Assert.Contains(robert.Sources, s => s.Locator == "row 2");
        Assert.Contains(Elements.Address, robert.Elements);

        var findings = result.Items.Single().Findings;
        Assert.Contains(findings, f => f.Element == Elements.Ssn && f.Evidence.InferredHeader);

        // index.db carries the flag too.
        var db = new SqliteConnectionStringBuilder { DataSource = temp.Combine("out", "index.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var c = new SqliteConnection(db.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM findings WHERE type = 'ssn' AND inferred_header = 1";
        Assert.Equal(4L, (long)cmd.ExecuteScalar()!);
    }

    [Fact]
    public async Task HeaderlessOrdersFileCreatesNobody()
    {
        using var temp = new TempFolder();
        Write(temp, "orders.csv",
            "100234001,2021-03-04,149.99,2021-03-09,Acme Supply Co,Shipped\n" +
            "100234002,2021-03-04,20.00,2021-03-10,Northwind Traders,Shipped\n" +
            "100234003,2021-03-05,310.50,2021-03-11,Acme Supply Co,Pending\n" +
            "100234004,2021-03-06,12.25,2021-03-12,Globex Inc,Shipped\n" +
            "100234005,2021-03-06,99.00,2021-03-12,Initech,Returned\n");

        var result = await ScanAsync(temp);

        Assert.Empty(result.Individuals);
        Assert.DoesNotContain(result.Items.Single().Findings, f => f.Element is Elements.Ssn or Elements.Dob);
    }

    [Fact]
    public async Task PeopleInMySqlAndPostgresDumpsBecomeIndividuals()
    {
        using var temp = new TempFolder();
        Write(temp, "mysql-backup.sql",
            "-- MySQL dump 10.13  Distrib 8.0.36\n" +
            "/*!40101 SET NAMES utf8mb4 */;\n" +
            "DROP TABLE IF EXISTS `clients`;\n" +
            "CREATE TABLE `clients` (\n  `id` int NOT NULL,\n  `first_name` varchar(40),\n  `last_name` varchar(40),\n" +
            "  `ssn` char(11),\n  `dob` date,\n  `addr1` varchar(80),\n  `city` varchar(40),\n  `state` char(2),\n" +
            "  `zip_code` varchar(10),\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n" +
            "LOCK TABLES `clients` WRITE;\n" +
            "INSERT INTO `clients` VALUES (1,'Ottilie','O\\'Brannagh','524-71-9036','1958-06-21','12 Oak St','Helena','MT','59601')," +
            "(2,'Barnaby','Quist','613-28-4470','1983-09-14','9 Elm Rd','Missoula','MT','59802');\n" +
            "UNLOCK TABLES;\n");
        Write(temp, "pg.dump",
            "--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n" +
            "CREATE TABLE public.members (\n    member_id integer NOT NULL,\n    first_name text,\n    last_name text,\n" +
            "    birth_date date,\n    ssn text,\n    street_address text,\n    city text,\n    state text,\n    zip text\n);\n" +
            "COPY public.members (member_id, first_name, last_name, birth_date, ssn, street_address, city, state, zip) FROM stdin;\n" +
            "7\tWinifred\tHollenbeck\t1971-01-30\t348-62-1957\t400 Pine Ave\tBillings\tMT\t59101\n" +
            "8\tCasimir\tEllingham\t\\N\t419-07-3326\t77 Lakeview Dr\tBozeman\tMT\t59715\n" +
            "\\.\n");

        var result = await ScanAsync(temp);

        var ottilie = Person(result, "524719036");
        Assert.Equal("Ottilie O'Brannagh", ottilie.Name);
        Assert.Equal(["1958-06-21"], ottilie.Values[Elements.Dob].Select(v => v.Value));
        Assert.Contains("12 Oak St", ottilie.Values[Elements.Address].Single().Value, StringComparison.Ordinal);
        Assert.Contains(ottilie.Sources, s => s.Path == "mysql-backup.sql" && s.Locator == "clients row 1");
        Assert.Contains(Person(result, "613284470").Sources, s => s.Locator == "clients row 2");

        var winifred = Person(result, "348621957");
        Assert.Equal("Winifred Hollenbeck", winifred.Name);
        Assert.Equal(["1971-01-30"], winifred.Values[Elements.Dob].Select(v => v.Value));
        Assert.Contains(Elements.Address, winifred.Elements);
        Assert.Contains(winifred.Sources, s => s.Path == "pg.dump" && s.Locator == "public.members row 1");
        var casimir = Person(result, "419073326");
        Assert.Equal("Casimir Ellingham", casimir.Name);
        Assert.DoesNotContain(Elements.Dob, casimir.Elements);
        Assert.Contains(casimir.Sources, s => s.Locator == "public.members row 2");

        Assert.All(result.Items, i => Assert.Equal("sql", i.File.Extractor));
        Assert.All(result.Items, i => Assert.Equal(FileStatus.Scanned, i.File.Status));
        Assert.Equal(4, result.Individuals.Count);
    }
}
