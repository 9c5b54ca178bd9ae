using PiiScanner.Extraction;
using PiiScanner.Extraction.Sql;
using static PiiScanner.Tests.Extraction.ExtractionHarness;

namespace PiiScanner.Tests.Extraction.Sql;

public class SqlDumpParserTests
{
    private static (List<(string Table, long Number, string[]? Columns, string Values)> Rows, List<string> Problems) Parse(
        string sql, bool postgres = false, int? chunk = null)
    {
        var rows = new List<(string, long, string[]?, string)>();
        var problems = new List<string>();
        var parser = new SqlDumpParser(64 * 1024, r => rows.Add((r.Table, r.Number, r.Columns?.ToArray(), J([.. r.Values]))), problems.Add)
        {
            Postgres = postgres,
        };
        if (chunk is not { } n)
        {
            parser.Parse(sql, final: true);
        }
        else
        {
            // Feed the text a few characters at a time, the way the extractor refills its buffer.
            var pending = string.Empty;
            for (var i = 0; i < sql.Length; i += n)
            {
                pending += sql.Substring(i, Math.Min(n, sql.Length - i));
                pending = pending[parser.Parse(pending, final: false)..];
            }

            parser.Parse(pending, final: true);
        }

        parser.Finish();
        return (rows, problems);
    }

    private static string J(params string?[] values) => string.Join('|', values.Select(v => v ?? "<null>"));

    private const string MySql =
        "-- MySQL dump 10.13\n" +
        "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n" +
        "DROP TABLE IF EXISTS `patients`;\n" +
        "CREATE TABLE `patients` (\n" +
        "  `id` int NOT NULL AUTO_INCREMENT,\n" +
        "  `first_name` varchar(50) DEFAULT 'x,y',\n" +
        "  `last_name` varchar(50),\n" +
        "  `ssn` char(11),\n" +
        "  `photo` blob,\n" +
        "  PRIMARY KEY (`id`),\n" +
        "  KEY `ix_name` (`last_name`,`first_name`),\n" +
        "  CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `x` (`id`)\n" +
        ") ENGINE=InnoDB;\n" +
        "LOCK TABLES `patients` WRITE;\n" +
        "INSERT INTO `patients` VALUES (1,'Mary','O\\'Neil','123-45-6701',_binary 'a)b\\'c'),(2,'It''s','Back\\\\slash\\nline',NULL,0x89504E47),\n" +
        "(3,'Semi;colon','Paren)(s',\"dq\",X'00FF');\n" +
        "UNLOCK TABLES;\n";

    [Fact]
    public void MySqlExtendedInsertGivesOneRowPerTupleWithEscapesDecoded()
    {
        var (rows, problems) = Parse(MySql);

        Assert.Empty(problems);
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.Number));
        Assert.All(rows, r => Assert.Equal("patients", r.Table));
        Assert.Equal(["id", "first_name", "last_name", "ssn", "photo"], rows[0].Columns!);
        Assert.Equal(J("1", "Mary", "O'Neil", "123-45-6701", null), rows[0].Values);
        Assert.Equal(J("2", "It's", "Back\\slash\nline", null, null), rows[1].Values);
        Assert.Equal(J("3", "Semi;colon", "Paren)(s", "dq", null), rows[2].Values);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void ChunkBoundariesChangeNothing(int chunk)
    {
        Assert.Equal(Parse(MySql).Rows.Select(r => r.Values), Parse(MySql, chunk: chunk).Rows.Select(r => r.Values));
        Assert.Equal(Parse(PgDump, postgres: true).Rows.Select(r => r.Values), Parse(PgDump, postgres: true, chunk: chunk).Rows.Select(r => r.Values));
    }

    [Fact]
    public void InsertWithColumnListAndMultiLineTuples()
    {
        var sql = "INSERT INTO db.clients (ssn, dob)\nVALUES\n  ('234-56-7802',\n   '1970-01-02'),\n  ('345-67-8903', '1980-12-31');\n";

        var (rows, problems) = Parse(sql);

        Assert.Empty(problems);
        Assert.Equal(2, rows.Count);
        Assert.Equal("db.clients", rows[0].Table);
        Assert.Equal(["ssn", "dob"], rows[0].Columns!);
        Assert.Equal(J("345-67-8903", "1980-12-31"), rows[1].Values);
    }

    [Fact]
    public void MalformedTupleIsSkippedAndNeverLeaksIntoTheNext()
    {
        var sql = "CREATE TABLE t (a text, b text);\n" +
            "INSERT INTO t VALUES ('one','two'),('lonely'),('three','four');\n" +
            "INSERT INTO t VALUES ('cut','off';\n" +
            "INSERT INTO t VALUES ('five','six');\n";

        var (rows, problems) = Parse(sql);

        Assert.Equal([J("one", "two"), J("three", "four"), J("five", "six")], rows.Select(r => r.Values));
        Assert.Equal([1L, 3L, 5L], rows.Select(r => r.Number));
        Assert.Contains("sql:malformed-tuple", problems);
    }

    [Fact]
    public void UnterminatedStringResynchronisesAtTheNextStatement()
    {
        var sql = "INSERT INTO t VALUES ('never closed\n" + new string('x', SqlDumpParser.MaxTupleChars + 10) + "\n" +
            "INSERT INTO t VALUES ('after');\n";

        var (rows, problems) = Parse(sql);

        Assert.Equal(J("after"), Assert.Single(rows).Values);
        Assert.Contains("sql:tuple-too-long", problems);
    }

    private const string PgDump =
        "--\n-- PostgreSQL database dump\n--\n" +
        "SET standard_conforming_strings = on;\n" +
        "SELECT pg_catalog.set_config('search_path', '', false);\n" +
        "CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN RAISE 'x;'; END; $body$ LANGUAGE plpgsql;\n" +
        "CREATE TABLE public.members (\n    id integer NOT NULL,\n    \"First Name\" text,\n    birth_date date\n);\n" +
        "COPY public.members (id, \"First Name\", birth_date) FROM stdin;\n" +
        "1\tMary\t1961-03-04\n" +
        "2\tTab\\there\\\\x\t\\N\n" +
        "\\.\n" +
        "INSERT INTO public.members VALUES (3, 'C:\\dir', '1970-01-02');\n";

    [Fact]
    public void PostgresCopyRowsAndLiteralBackslashes()
    {
        var (rows, problems) = Parse(PgDump, postgres: true);

        Assert.Empty(problems);
        Assert.Equal(["id", "First Name", "birth_date"], rows[0].Columns!);
        Assert.Equal(J("1", "Mary", "1961-03-04"), rows[0].Values);
        Assert.Equal(J("2", "Tab\there\\x", null), rows[1].Values);
        Assert.Equal(J("3", "C:\\dir", "1970-01-02"), rows[2].Values);
        Assert.Equal(["public.members", "public.members", "public.members"], rows.Select(r => r.Table));
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.Number));
    }

    [Fact]
    public async Task ExtractorEmitsRecordsWithTableRowLocators()
    {
        var run = await ScanAsync(Bytes(MySql), path: "share/backup.dat");

        Assert.Equal("sql", run.Extractor.Name);
        Assert.Equal(["patients row 1", "patients row 2", "patients row 3"], run.Segments.Select(s => s.Locator));
        Assert.All(run.Segments, s => Assert.Equal(GroupKind.Record, s.GroupKind));
        Assert.Equal(3, run.Segments.Select(s => s.Group).Distinct().Count());
        Assert.Equal("O'Neil", ExtractionRun.Value(run.Segments[0], "last_name"));
        Assert.Null(ExtractionRun.Value(run.Segments[0], "photo"));
        Assert.Empty(run.Context.PartialReasons);
    }

    [Theory]
    [InlineData("CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n", true)]
    [InlineData("SET NAMES utf8;\n-- comment\nINSERT INTO t VALUES (1);\n", true)]
    [InlineData("COPY t (a) FROM stdin;\n1\n\\.\n", true)]
    [InlineData("name,ssn\nJane,123\nJohn,456\nAnn,789\n", false)]
    [InlineData("SELECT * FROM patients;\n", false)]
    [InlineData("Please insert into the form your values.\n", false)]
    public void SniffsDumpsByContent(string text, bool isDump)
        => Assert.Equal(isDump, new SqlDumpExtractor().CanExtract(Bytes(text), "x.txt"));
}
