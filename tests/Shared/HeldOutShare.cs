using System.Globalization;
using System.Text;
using static System.FormattableString;

namespace PiiScanner.Testing;

/// <summary>
/// A held-out accuracy corpus written independently of the detectors and of <see cref="RealisticShare"/>'s
/// templates: a county human-services share with its own wording, column names, date formats and layouts. Same
/// truth types and category folders as <see cref="RealisticTruth.Categories"/>, so <see cref="AccuracyReport"/>
/// scores it. Entirely synthetic; deterministic for a seed.
/// </summary>
public static class HeldOutShare
{
    /// <summary>Writes the share under <paramref name="root"/> and returns its truth.</summary>
    public static RealisticTruth Write(string root, int people = 300, int seed = 11) => new HeldOutGenerator(root, seed).Run(people);
}

internal sealed class HeldOutGenerator
{
    private static readonly string[] Women = ["Angela", "Dorothy", "Linda", "Barbara", "Karen", "Nancy", "Deborah", "Sandra", "Donna", "Carol", "Sharon", "Michelle", "Laura", "Kimberly", "Amy", "Teresa", "Gloria", "Shirley", "Brenda", "Rachel", "Heather", "Diane", "Julie", "Joyce", "Elizabeth", "Katherine", "Margaret", "Patricia", "Susan"];
    private static readonly string[] Men = ["Gary", "Larry", "Dennis", "Steven", "Kenneth", "Raymond", "Gerald", "Wayne", "Roger", "Frank", "Douglas", "Peter", "Henry", "Carl", "Arthur", "Lawrence", "Walter", "Eugene", "Keith", "Russell", "Victor", "Leonard", "William", "Robert", "James", "Thomas", "Michael", "David"];
    private static readonly string[] Middles = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "T", "W"];
    private static readonly string[] WomenMiddles = ["Lynn", "Marie", "Kay", "Jo", "Elaine", "Renee", "Dawn", "Faye"];
    private static readonly string[] MenMiddles = ["Wayne", "Allen", "Dean", "Scott", "Lee", "Roy", "Glenn", "Carl"];
    private static readonly string[] Surnames = ["Hansen", "Morales", "Peterson", "Kowalski", "Larson", "Jensen", "Schmidt", "Carlson", "Reyes", "Olsen", "Fischer", "Swanson", "Gutierrez", "Harper", "Dixon", "Wagner", "Porter", "Mendoza", "Stewart", "Burke", "Hoffman", "Nielsen", "Tran", "Becker", "Sorensen", "Flores", "Caldwell", "McCarthy", "Weaver", "Holland", "Ramirez", "Dunn", "Baxter", "Lindgren", "Vasquez", "Erickson", "Goodwin", "Pratt", "Kessler", "Moody", "Yazzie", "Begay", "Chavez", "Novak", "Sandoval", "Whitaker", "Lund", "Ortega"];
    private static readonly Dictionary<string, string> Nick = new(StringComparer.Ordinal)
    {
        ["William"] = "Bill", ["Robert"] = "Bob", ["James"] = "Jim", ["Thomas"] = "Tom", ["Michael"] = "Mike", ["David"] = "Dave",
        ["Elizabeth"] = "Liz", ["Katherine"] = "Kathy", ["Margaret"] = "Peggy", ["Patricia"] = "Pat", ["Susan"] = "Sue",
        ["Kenneth"] = "Ken", ["Steven"] = "Steve", ["Deborah"] = "Debbie", ["Kimberly"] = "Kim",
    };

    private static readonly string[] StaffNames = ["Renata Quill", "Orville Stenberg", "Priscilla Haugen", "Mitchell Varga", "Yvonne Delacorte", "Bernard Tolliver", "Constance Rudd", "Emmett Landry"];
    private static readonly string[] DoctorNames = ["Helena Sato", "Marcus Oyelaran", "Judith Brandvold", "Anil Chakraborty", "Loretta Finch"];
    private static readonly string[] VendorNames = ["Treasure State Janitorial", "High Plains Copier Leasing", "Gallatin Valley Fuel Co", "Summit Records Storage Inc"];
    private static readonly string[] StreetNames = ["Larkspur", "Bitterroot", "Lupine", "Tamarack", "Cottonwood", "Sagebrush", "Harvest", "Meadowlark", "Granite", "Shoshone", "Kestrel", "Homestead", "Ridgecrest", "Clearwater", "Hollyhock", "Wheatland", "Buckskin", "Overlook"];
    private static readonly string[] StreetKinds = ["Street", "Ave", "Dr", "Ln", "Rd", "Trl", "Pl", "Cir"];
    private static readonly (string City, string State, string Zip)[] Towns =
    [
        ("Boulder", "MT", "59632"), ("Whitehall", "MT", "59759"), ("Great Falls", "MT", "59401"), ("Bozeman", "MT", "59715"),
        ("Rockford", "IL", "61101"), ("Joliet", "IL", "60432"), ("Eau Claire", "WI", "54701"), ("Green Bay", "WI", "54301"),
        ("Ocala", "FL", "34470"), ("Lubbock", "TX", "79401"), ("Utica", "NY", "13501"), ("Dayton", "OH", "45402"),
        ("Spokane", "WA", "99201"), ("Flagstaff", "AZ", "86001"), ("Scranton", "PA", "18503"), ("Hagerstown", "MD", "21740"),
        ("Nashua", "NH", "03060"), ("Fresno", "CA", "93721"), ("Camden", "NJ", "08102"), ("Worcester", "MA", "01608"),
    ];

    private static readonly (string Dx, string Rx)[] Conditions =
    [
        ("COPD", "albuterol"), ("congestive heart failure", "furosemide"), ("bipolar disorder", "lithium"),
        ("type 1 diabetes", "insulin lispro"), ("rheumatoid arthritis", "methotrexate"), ("schizophrenia", "risperidone"),
        ("hepatitis C", "sofosbuvir"), ("alcohol use disorder", "naltrexone"), ("PTSD", "prazosin"), ("end-stage renal disease", "sevelamer"),
    ];

    private readonly string _root;
    private readonly Random _random;
    private readonly List<RealisticShareGenerator.Person> _people = [];
    private readonly List<TruthNonPerson> _nonPersons = [];
    private readonly HashSet<string> _numbers = new(StringComparer.Ordinal) { "123-45-6789", "078-05-1120", "219-09-9999" };
    private readonly HashSet<string> _addresses = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private int _id;

    public HeldOutGenerator(string root, int seed)
    {
        _root = root;
        _random = new Random(seed);
    }

    public RealisticTruth Run(int count)
    {
        var households = Math.Max(8, count * 15 / 100);
        var each = Math.Max(4, (count - households) / 13);
        Households(households);
        Outreach(each);
        Headerless(each);
        Mainframe(each);
        SqlDumps(each);
        Json(each);
        Spreadsheet(each);
        WordForms(each);
        Letters(each);
        CaseNotes(each);
        Mail(each);
        PdfForms(each);
        Finance(each);
        Archive(Math.Max(4, count - _people.Count));

        return RealisticShareGenerator.Finish(_root, _files, _people, _nonPersons);
    }

    // ------------------------------------------------------------------ households

    private void Households(int quota)
    {
        const string File1 = "Eligibility/Households/hh_composition_export.csv";
        var sb = new StringBuilder("CASE_NUM,MBR_SEQ,REL_CD,MBR_NAME,BIRTH_DT,SSN_NUM,RES_ADDR,RES_CITY,RES_ST,RES_ZIP,ELIG_WORKER\r\n");
        var start = _people.Count;
        var n = 0;
        while (_people.Count - start < quota)
        {
            n++;
            var home = NewHome();
            var last = Pick(Surnames);
            var worker = Staff(File1);
            var head = New("households", female: false, last, home, initial: true);
            var wife = New("households", female: true, last, home, initial: true);
            wife.Maiden = Pick(Surnames.Where(s => s != last).ToArray());
            var members = new List<(RealisticShareGenerator.Person P, string Rel)> { (head, "HOH"), (wife, "SPS") };
            switch (n % 4)
            {
                case 1:
                    var dob = head.Dob.AddYears(_random.Next(24, 34)).AddDays(_random.Next(0, 200));
                    var a = New("households", female: true, last, home, initial: true);
                    var b = New("households", female: false, last, home, initial: true);
                    a.Dob = b.Dob = dob;
                    members.Add((a, "CHD"));
                    members.Add((b, "CHD"));
                    break;
                case 2:
                    head.Suffix = "SR";
                    var jr = New("households", female: false, last, home, initial: true);
                    jr.First = head.First;
                    jr.Middle = head.Middle;
                    jr.Suffix = "JR";
                    jr.Dob = head.Dob.AddYears(_random.Next(20, 30)).AddDays(_random.Next(1, 300));
                    members.Add((jr, "CHD"));
                    break;
                case 3:
                    var baby = New("households", female: _random.Next(2) == 0, last, home, initial: true);
                    baby.Ssn = null;
                    baby.Dob = new DateOnly(2023, 1, 1).AddDays(_random.Next(0, 500));
                    members.Add((baby, "CHD"));
                    break;
                default:
                    break;
            }

            var seq = 0;
            foreach (var (p, rel) in members)
            {
                seq++;
                var name = Invariant($"{p.Last.ToUpperInvariant()}, {p.First.ToUpperInvariant()}{(p.Middle is null ? string.Empty : " " + p.Middle)}{(p.Suffix is null ? string.Empty : " " + p.Suffix)}");
                sb.Append(Invariant($"{400100 + n},{seq:00},{rel},\"{name}\",{p.Dob.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture)},{p.Ssn ?? "APPLIED"},{p.Street.ToUpperInvariant()},{p.City.ToUpperInvariant()},{p.State},{p.Zip},{worker}\r\n"));
                p.Expose(File1, p.Ssn is null ? ["name", "dob", "address"] : ["name", "dob", "ssn", "address"]);
            }
        }

        Put(File1, sb.ToString());
    }

    // ------------------------------------------------------------------ no SSN

    private void Outreach(int quota)
    {
        const string File1 = "Outreach/vaccine_clinic_rsvp_oct.csv";
        var sb = new StringBuilder("Timestamp,Your name,Birthday,Best phone number,Home address,Which clinic?\n");
        for (var i = 0; i < quota; i++)
        {
            var p = New("no-ssn", _random.Next(2) == 0, Pick(Surnames), NewHome(), initial: false);
            p.Ssn = null;
            p.Phone = Phone(i);
            var stamp = new DateTime(2024, 9, 3, 8, 0, 0, DateTimeKind.Unspecified).AddMinutes(_random.Next(0, 40000));
            sb.Append(Invariant($"{stamp.ToString("M/d/yyyy H:mm:ss", CultureInfo.InvariantCulture)},{p.First} {p.Last},{p.Dob.ToString("d-MMM-yyyy", CultureInfo.InvariantCulture)},{p.Phone},\"{p.Street}, {p.City} {p.State} {p.Zip}\",{Pick(["Fairgrounds (Sat)", "Senior Center", "Library - Tues PM"])}\n"));
            p.Expose(File1, "name", "dob", "phone", "address");
        }

        Put(File1, sb.ToString());
    }

    // ------------------------------------------------------------------ headerless CSV

    private void Headerless(int quota)
    {
        const string File1 = "Transfers/XFER_TO_STATE_0305.csv";
        var sb = new StringBuilder();
        for (var i = 0; i < quota; i++)
        {
            var p = New("headerless-delimited", _random.Next(2) == 0, Pick(Surnames), NewHome(), initial: true);
            sb.Append(Invariant($"\"{7000123 + (i * 17):0000000}\",\"{p.Last.ToUpperInvariant()}\",\"{p.First.ToUpperInvariant()}\",\"{p.Middle}\",\"{p.Ssn!.Replace("-", string.Empty, StringComparison.Ordinal)}\",\"{p.Dob.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}\",\"{p.Street.ToUpperInvariant()}\",\"{p.City.ToUpperInvariant()}\",\"{p.State}\",\"{p.Zip}\",\"{Pick(["A", "P", "C"])}\"\r\n"));
            p.Expose(File1, "name", "ssn", "dob", "address");
        }

        Put(File1, sb.ToString());
    }

    // ------------------------------------------------------------------ fixed width + copybook

    private void Mainframe(int quota)
    {
        const string Data = "Mainframe/CLMNT-MASTER.D240301.dat";
        const string Copybook = "Mainframe/CLMNT-MASTER.cpy";
        var cpy = new StringBuilder();
        cpy.Append("      *================================================================*\n");
        cpy.Append("      * CLAIMANT MASTER RECORD - COUNTY ASSISTANCE SYSTEM  (LRECL 120) *\n");
        cpy.Append("      *================================================================*\n");
        cpy.Append("       01  CLMNT-MASTER-REC.\n");
        cpy.Append("           05  CM-CLAIMANT-ID          PIC X(08).\n");
        cpy.Append("           05  CM-NAME.\n");
        cpy.Append("               10  CM-NAME-LAST        PIC X(20).\n");
        cpy.Append("               10  CM-NAME-FIRST       PIC X(15).\n");
        cpy.Append("               10  CM-NAME-MI          PIC X(01).\n");
        cpy.Append("           05  CM-SSN                  PIC 9(09).\n");
        cpy.Append("           05  CM-BIRTH-DATE           PIC 9(08).\n");
        cpy.Append("           05  CM-STREET               PIC X(30).\n");
        cpy.Append("           05  CM-CITY                 PIC X(18).\n");
        cpy.Append("           05  CM-STATE                PIC X(02).\n");
        cpy.Append("           05  CM-ZIP                  PIC 9(05).\n");
        cpy.Append("           05  CM-STATUS-CD            PIC X(01).\n");
        cpy.Append("           05  FILLER                  PIC X(03).\n");
        Put(Copybook, cpy.ToString());

        var sb = new StringBuilder();
        for (var i = 0; i < quota; i++)
        {
            var p = New("fixed-width", _random.Next(2) == 0, Pick(Surnames), NewHome(), initial: true);
            sb.Append(Pad(Invariant($"C{4100000 + (i * 31):0000000}"), 8))
              .Append(Pad(p.Last.ToUpperInvariant(), 20)).Append(Pad(p.First.ToUpperInvariant(), 15)).Append(Pad(p.Middle ?? string.Empty, 1))
              .Append(p.Ssn!.Replace("-", string.Empty, StringComparison.Ordinal)).Append(p.Dob.ToString("yyyyMMdd", CultureInfo.InvariantCulture))
              .Append(Pad(p.Street.ToUpperInvariant(), 30)).Append(Pad(p.City.ToUpperInvariant(), 18)).Append(p.State).Append(p.Zip)
              .Append(Pick(["A", "I", "S"])).Append("   ").Append("\r\n");
            p.Expose(Data, "name", "ssn", "dob", "address");
        }

        Put(Data, sb.ToString());
    }

    // ------------------------------------------------------------------ SQL dumps

    private void SqlDumps(int quota)
    {
        const string Pg = "Backups/db/casemgmt_2024-02-10.sql";
        const string My = "Backups/db/intake_portal_dump.sql";
        var pg = new StringBuilder("--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 14.11\n-- Dumped by pg_dump version 14.11\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n");
        pg.Append("CREATE TABLE public.participant (\n    participant_id integer NOT NULL,\n    family_name character varying(40),\n    given_names character varying(40),\n    date_of_birth date,\n    ssn character(9),\n    addr_line1 character varying(60),\n    addr_city character varying(30),\n    addr_state character(2),\n    addr_zip character varying(10),\n    created_at timestamp without time zone\n);\n\nALTER TABLE public.participant OWNER TO casemgr;\n\n");
        pg.Append("COPY public.participant (participant_id, family_name, given_names, date_of_birth, ssn, addr_line1, addr_city, addr_state, addr_zip, created_at) FROM stdin;\n");
        var my = new StringBuilder("-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: localhost    Database: intake_portal\n-- ------------------------------------------------------\n\n/*!40101 SET NAMES utf8mb4 */;\n\nDROP TABLE IF EXISTS `applicant`;\nCREATE TABLE `applicant` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `fname` varchar(40) DEFAULT NULL,\n  `lname` varchar(40) DEFAULT NULL,\n  `dob` date DEFAULT NULL,\n  `soc_sec_no` char(11) DEFAULT NULL,\n  `cell` varchar(20) DEFAULT NULL,\n  `street` varchar(80) DEFAULT NULL,\n  `city` varchar(40) DEFAULT NULL,\n  `st` char(2) DEFAULT NULL,\n  `zip` varchar(10) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\nLOCK TABLES `applicant` WRITE;\nINSERT INTO `applicant` VALUES ");
        var firstRow = true;
        for (var i = 0; i < quota; i++)
        {
            var p = New("sql-dump", _random.Next(2) == 0, Pick(Surnames), NewHome(), initial: false);
            if (i % 2 == 0)
            {
                pg.Append(Invariant($"{1001 + i}\t{p.Last}\t{p.First} {p.Middle}\t{p.Dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\t{p.Ssn!.Replace("-", string.Empty, StringComparison.Ordinal)}\t{p.Street}\t{p.City}\t{p.State}\t{p.Zip}\t2021-0{1 + (i % 9)}-1{i % 10} 10:2{i % 10}:00\n"));
                p.Expose(Pg, "name", "dob", "ssn", "address");
            }
            else
            {
                p.Phone = Invariant($"{_random.Next(201, 989)}-{_random.Next(200, 999)}-{_random.Next(0, 10000):0000}");
                my.Append(firstRow ? string.Empty : ",").Append(Invariant($"({i},'{p.First}','{p.Last}','{p.Dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}','{p.Ssn}','{p.Phone}','{p.Street}','{p.City}','{p.State}','{p.Zip}')"));
                firstRow = false;
                p.Expose(My, "name", "dob", "ssn", "phone", "address");
            }
        }

        pg.Append("\\.\n\n\n--\n-- PostgreSQL database dump complete\n--\n");
        my.Append(";\nUNLOCK TABLES;\n\n-- Dump completed on 2024-02-10  2:14:07\n");
        Put(Pg, pg.ToString());
        Put(My, my.ToString());
    }

    // ------------------------------------------------------------------ nested JSON

    private void Json(int quota)
    {
        const string File1 = "Api/exports/coverage_enrollments_2024.json";
        var items = new List<string>();
        var start = _people.Count;
        var k = 0;
        while (_people.Count - start < quota)
        {
            k++;
            var home = NewHome();
            var last = Pick(Surnames);
            var sub = New("nested-json", _random.Next(2) == 0, last, home, initial: false);
            sub.Phone = Phone(k);
            sub.Expose(File1, "name", "dob", "ssn", "phone", "address");
            var deps = new List<string>();
            for (var d = 0; d < k % 3; d++)
            {
                var dep = New("nested-json", _random.Next(2) == 0, last, home, initial: false);
                dep.Dob = sub.Dob.AddYears(_random.Next(22, 36)).AddDays(_random.Next(0, 300));
                if (d == 1)
                {
                    dep.Ssn = null;
                }

                dep.Expose(File1, dep.Ssn is null ? ["name", "dob"] : ["name", "dob", "ssn"]);
                deps.Add(Invariant($"        {{\n          \"memberSeq\": {d + 2},\n          \"relationshipCode\": \"CHILD\",\n          \"personName\": {{ \"first\": \"{dep.First}\", \"middle\": \"{dep.Middle}\", \"last\": \"{dep.Last}\" }},\n          \"dateOfBirth\": \"{dep.Dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\",\n          \"ssn\": {(dep.Ssn is null ? "null" : "\"" + dep.Ssn.Replace("-", string.Empty, StringComparison.Ordinal) + "\"")}\n        }}"));
            }

            items.Add(Invariant($"    {{\n      \"enrollmentId\": \"ENR-{880000 + (k * 13)}\",\n      \"plan\": {{ \"code\": \"{Pick(["HMK-PLUS", "MCD-STD", "CHIP"])}\", \"effective\": \"2024-01-01\" }},\n      \"subscriber\": {{\n        \"personName\": {{ \"first\": \"{sub.First}\", \"middle\": \"{sub.Middle}\", \"last\": \"{sub.Last}\" }},\n        \"dateOfBirth\": \"{sub.Dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\",\n        \"ssn\": \"{sub.Ssn}\",\n        \"contact\": {{\n          \"phone\": \"{sub.Phone}\",\n          \"address\": {{ \"street\": \"{sub.Street}\", \"city\": \"{sub.City}\", \"state\": \"{sub.State}\", \"zip\": \"{sub.Zip}\" }}\n        }}\n      }},\n      \"dependents\": [{(deps.Count == 0 ? string.Empty : "\n" + string.Join(",\n", deps) + "\n      ")}]\n    }}"));
        }

        Put(File1, "{\n  \"exportedAt\": \"2024-06-30T23:05:11Z\",\n  \"source\": \"enrollment-api v2\",\n  \"count\": " + items.Count.ToString(CultureInfo.InvariantCulture) + ",\n  \"enrollments\": [\n" + string.Join(",\n", items) + "\n  ]\n}\n");
    }

    // ------------------------------------------------------------------ spreadsheet with a title block

    private void Spreadsheet(int quota)
    {
        const string File1 = "Reports/Caseload_Detail_FY2024_Q3.xlsx";
        var rows = new List<object[]>
        {
            new object[] { "Jefferson County Human Services" },
            new object[] { "Active Caseload Detail - Period Ending 09/30/2024" },
            new object[] { "Run date:", "10/02/2024", null!, "CONFIDENTIAL" },
            Array.Empty<object>(),
            new object[] { "Assigned Worker", "Client Name", "Birth Date", "SSN", "Street", "City/State/Zip", "Home Phone", "Program" },
        };
        for (var i = 0; i < quota; i++)
        {
            var p = New("spreadsheets", _random.Next(2) == 0, Pick(Surnames), NewHome(), initial: false);
            p.Phone = Phone(i + 1);
            rows.Add([Staff(File1), p.Last + ", " + p.First, p.Dob, p.Ssn!, p.Street, Invariant($"{p.City}, {p.State} {p.Zip}"), p.Phone, Pick(["SNAP", "TANF", "LIEAP", "Medicaid"])]);
            p.Expose(File1, "name", "dob", "ssn", "address", "phone");
        }

        var totals = new List<object[]> { new object[] { "Program", "Active cases" }, new object[] { "SNAP", "412" }, new object[] { "TANF", "57" }, new object[] { "Medicaid", "1,208" } };
        _files[File1] = StableFiles.Xlsx(("Detail", rows), ("Totals", totals));
    }

    // ------------------------------------------------------------------ Word intake forms

    private void WordForms(int quota)
    {
        for (var i = 0; i < quota; i++)
        {
            var p = New("word-forms", _random.Next(2) == 0, Pick(Surnames), NewHome(), initial: false);
            p.Phone = Phone(i + 2);
            var path = Invariant($"Intake/Forms/Intake_{p.Last}_{p.First}_{i + 1:000}.docx");
            var worker = Staff(path);
            var elements = new List<string> { "name", "dob", "ssn", "address", "phone" };
            var table = new List<string[]>
            {
                new[] { "Applicant's legal name", p.First + " " + p.Middle + " " + p.Last },
                new[] { "Other names used", p.Female && i % 3 == 0 ? "n/a" : "none" },
                new[] { "Date of birth", p.Dob.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture) },
                new[] { "Social Security number", p.Ssn! },
                new[] { "Residence address", Invariant($"{p.Street}\n{p.City}, {p.State} {p.Zip}") },
                new[] { "Daytime telephone", p.Phone },
            };
            if (i % 4 != 3)
            {
                p.DlState = p.State;
                p.DlNumber = SyntheticIdentifiers.Licence(p.State, p.First, p.Middle ?? "A", p.Last, p.Female, p.Dob, _random);
                table.Add(["Driver license / state ID #", p.DlState + " " + SyntheticIdentifiers.WrittenLicence(p.DlState, p.DlNumber)]);
                elements.Add("driversLicense");
            }

            table.Add(["Household size", (1 + (i % 5)).ToString(CultureInfo.InvariantCulture)]);
            p.Expose(path, [.. elements]);
            _files[path] = StableFiles.Docx(
            [
                "JEFFERSON COUNTY HUMAN SERVICES",
                "Application for Assistance - Intake Worksheet (Form HS-114, rev. 3/2023)",
                "Section A. About the applicant",
                table.ToArray(),
                "I certify the information above is true and complete to the best of my knowledge.",
                "Worker completing intake: " + worker + ", Eligibility Technician",
            ]);
        }
    }

    // ------------------------------------------------------------------ letters

    private void Letters(int quota)
    {
        for (var i = 0; i < quota; i++)
        {
            var p = New("letters", _random.Next(2) == 0, Pick(Surnames), NewHome(), initial: true);
            var docx = i % 3 == 2;
            var path = Invariant($"Correspondence/2024/redet_notice_{52000 + (i * 7)}.{(docx ? "docx" : "txt")}");
            var worker = Staff(path);
            var withIds = i % 2 == 0;
            var lines = new List<string>
            {
                "JEFFERSON COUNTY HUMAN SERVICES",
                "Office of Economic Assistance",
                "PO Box 1180, Boulder MT 59632  |  (406) 555-0142",
                string.Empty,
                new DateOnly(2024, 10, 1).AddDays(i % 20).ToString("MMMM d, yyyy", CultureInfo.InvariantCulture),
                string.Empty,
                Invariant($"{p.First.ToUpperInvariant()} {p.Middle} {p.Last.ToUpperInvariant()}"),
                p.Street.ToUpperInvariant(),
                Invariant($"{p.City.ToUpperInvariant()} {p.State} {p.Zip}"),
                string.Empty,
                Invariant($"Case Number: 40-{118000 + (i * 3)}"),
                "RE: Annual Review of Your SNAP Benefits",
                string.Empty,
                Invariant($"Dear {(p.Female ? "Ms." : "Mr.")} {p.Last}:"),
                string.Empty,
                "It is time to review your household's eligibility. Please complete the enclosed form and return it by the date shown, along with proof of income for the last 30 days.",
            };
            var elements = new List<string> { "name", "address" };
            if (withIds)
            {
                lines.Add("Please check that the information we have on file is correct:");
                lines.Add("    Social Security Number: " + p.Ssn);
                lines.Add("    Date of Birth: " + p.Dob.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture));
                elements.AddRange(["ssn", "dob"]);
            }

            lines.AddRange([string.Empty, "If you have questions, call the number above between 8 and 5, Monday through Friday.", string.Empty, "Sincerely,", string.Empty, worker, "Eligibility Specialist"]);
            p.Expose(path, [.. elements]);
            if (docx)
            {
                _files[path] = StableFiles.Docx([.. lines.Cast<object>()]);
            }
            else
            {
                Put(path, string.Join("\r\n", lines) + "\r\n");
            }
        }
    }

    // ------------------------------------------------------------------ case notes

    private void CaseNotes(int quota)
    {
        var perFile = Math.Max(3, quota / 3);
        var done = 0;
        var f = 0;
        while (done < quota)
        {
            f++;
            var staff = StaffNames[f % StaffNames.Length];
            var initials = string.Concat(staff.Split(' ').Select(s => s[0]));
            var path = Invariant($"CaseNotes/{initials}_progress_notes_2024_{f}.txt");
            _nonPersons.Add(new("staff", staff, path));
            var sb = new StringBuilder(Invariant($"PROGRESS NOTES - caseload of {staff}\r\nPrinted from CaseTrak 06/28/2024\r\n\r\n"));
            for (var j = 0; j < perFile && done < quota; j++, done++)
            {
                var p = New("case-notes", _random.Next(2) == 0, Pick(Surnames), NewHome(), initial: false);
                var (dx, rx) = Conditions[_random.Next(Conditions.Length)];
                p.Medical.Add(dx);
                var doc = DoctorNames[_random.Next(DoctorNames.Length)];
                var npi = Npi();
                _nonPersons.Add(new("prescriber", doc, path));
                _nonPersons.Add(new("decoy", "NPI " + npi, path));
                var when = new DateOnly(2024, 2, 1).AddDays(_random.Next(0, 140)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                var pronoun = p.Female ? "she" : "he";
                var elements = new List<string> { "name", "dob", "medical" };
                sb.Append(Invariant($"{when}  Home visit w/ {p.First} {p.Last} (DOB {p.Dob.ToString("M/d/yyyy", CultureInfo.InvariantCulture)}). Client states {pronoun} was dx'd with {dx} and takes {rx} as prescribed by Dr. {doc} (NPI {npi}). "));
                if (j % 2 == 0)
                {
                    sb.Append(Invariant($"SSN {p.Ssn} verified against SOLQ. "));
                    elements.Add("ssn");
                }

                sb.Append(Pick(["Discussed transportation to appointments.", "Will mail LIEAP application.", "Pantry referral given.", "No safety concerns noted."]))
                  .Append(Invariant($" Next contact in 30 days. -{initials}\r\n\r\n"));
                p.Expose(path, [.. elements]);
            }

            sb.Append(Invariant($"-- end of notes. Entered by {staff}, Case Manager II --\r\n"));
            Put(path, sb.ToString());
        }
    }

    // ------------------------------------------------------------------ e-mail with HTML body

    private void Mail(int quota)
    {
        var done = 0;
        var m = 0;
        while (done < quota)
        {
            m++;
            var sender = StaffNames[(m + 3) % StaffNames.Length];
            var path = Invariant($"Mail/rquill_export/{m:000} FW referrals for intake.eml");
            _nonPersons.Add(new("staff", sender, path));
            var html = new StringBuilder("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body style=\"font-family:Calibri,sans-serif\">");
            html.Append("<p>Hi team,</p><p>Forwarding the referrals that came in from the hospital discharge planner. Please get these scheduled this week.</p>");
            html.Append("<table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse\"><tr><th>Client</th><th>DOB</th><th>SSN</th><th>Contact #</th></tr>");
            for (var j = 0; j < 3 && done < quota; j++, done++)
            {
                var p = New("email", _random.Next(2) == 0, Pick(Surnames), NewHome(), initial: false);
                p.Phone = Phone(done);
                html.Append(Invariant($"<tr><td>{p.First} {p.Last}</td><td>{p.Dob.ToString("MM/dd/yy", CultureInfo.InvariantCulture)}</td><td>{p.Ssn}</td><td>{p.Phone}</td></tr>"));
                p.Expose(path, "name", "dob", "ssn", "phone");
            }

            var first = sender.Split(' ')[0];
            html.Append(Invariant($"</table><p>Thanks,<br>{sender}<br>Intake Coordinator<br>Jefferson County Human Services</p></body></html>"));
            var date = new DateTimeOffset(2024, 3, 11, 8, 0, 0, TimeSpan.FromHours(-6)).AddMinutes(m * 97);
            var eml = new StringBuilder();
            eml.Append(Invariant($"From: \"{sender}\" <{first.ToLowerInvariant()}.{sender.Split(' ')[1].ToLowerInvariant()}@jeffco.example.gov>\r\n"));
            eml.Append("To: \"Intake Team\" <intake@jeffco.example.gov>\r\n");
            eml.Append("Subject: FW: referrals for intake\r\n");
            eml.Append(Invariant($"Date: {date.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)} -0600\r\n"));
            eml.Append(Invariant($"Message-ID: <{m:000}.referral@jeffco.example.gov>\r\n"));
            eml.Append("MIME-Version: 1.0\r\nContent-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
            eml.Append(QuotedPrintable(html.ToString()));
            Put(path, eml.ToString());
        }
    }

    // ------------------------------------------------------------------ PDF forms

    private void PdfForms(int quota)
    {
        for (var i = 0; i < quota; i++)
        {
            var p = New("pdf-forms", _random.Next(2) == 0, Pick(Surnames), NewHome(), initial: true);
            var (dx, _) = Conditions[_random.Next(Conditions.Length)];
            p.Medical.Add(dx);
            var doc = DoctorNames[_random.Next(DoctorNames.Length)];
            var npi = Npi();
            var path = Invariant($"Scans/NEMT_request_{20240310 + (i % 20)}_{i:000}.pdf");
            _nonPersons.Add(new("prescriber", doc, path));
            _nonPersons.Add(new("decoy", "NPI " + npi, path));
            var fields = new (string Label, string Value)[]
            {
                ("Patient Name:", Invariant($"{p.Last}, {p.First} {p.Middle}")),
                ("Date of Birth:", p.Dob.ToString("MM-dd-yyyy", CultureInfo.InvariantCulture)),
                ("SSN:", p.Ssn!),
                ("Home Address:", p.Street),
                ("City, State ZIP:", Invariant($"{p.City}, {p.State} {p.Zip}")),
                ("Diagnosis / reason for transport:", dx),
                ("Ordering provider:", "Dr. " + doc + ", MD"),
                ("Provider NPI:", npi),
            };
            var page = new List<(double X, double Y, string Text)>
            {
                (160, 760, "NON-EMERGENCY MEDICAL TRANSPORTATION REQUEST"),
                (210, 742, "Jefferson County Human Services"),
            };
            var y = 700.0;
            foreach (var (label, value) in fields)
            {
                page.Add((50, y, label));
                page.Add((230, y, value));
                y -= 24;
            }

            page.Add((50, y - 30, "Provider signature: ______________________   Date: " + new DateOnly(2024, 3, 1).AddDays(i % 25).ToString("M/d/yyyy", CultureInfo.InvariantCulture)));
            _files[path] = StableFiles.Pdf([page]);
            p.Expose(path, "name", "dob", "ssn", "address", "medical");
        }
    }

    // ------------------------------------------------------------------ decoys

    private void Finance(int quota)
    {
        const string Invoices = "Finance/ap_invoice_register_2024.csv";
        const string Claims = "Finance/client_mileage_reimbursements.csv";
        const string Orders = "Finance/supply_order_confirmations.txt";
        var inv = new StringBuilder("Invoice No,Vendor,Invoice Date,Amount,GL Code,Approved By\n");
        for (var i = 0; i < 12; i++)
        {
            var number = FakeSsnShape();
            var vendor = VendorNames[i % VendorNames.Length];
            var approver = StaffNames[i % StaffNames.Length];
            inv.Append(Invariant($"{number},{vendor},{new DateOnly(2024, 1, 5).AddDays(i * 9).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)},{_random.Next(80, 9000)}.{_random.Next(0, 100):00},5{_random.Next(100, 999)}-00,{approver}\n"));
            _nonPersons.Add(new("decoy", "invoice " + number, Invoices));
            _nonPersons.Add(new("vendor", vendor, Invoices));
            _nonPersons.Add(new("staff", approver, Invoices));
        }

        Put(Invoices, inv.ToString());

        var claims = new StringBuilder("Claim Number,Payee,Payee DOB,Payee SSN,Mailing Address,Miles,Amount\n");
        for (var i = 0; i < quota; i++)
        {
            var p = New("decoys", _random.Next(2) == 0, Pick(Surnames), NewHome(), initial: false);
            var claim = FakeSsnShape();
            _nonPersons.Add(new("decoy", "claim " + claim, Claims));
            var miles = _random.Next(10, 300);
            claims.Append(Invariant($"{claim},{p.First} {p.Last},{p.Dob.ToString("M/d/yyyy", CultureInfo.InvariantCulture)},{p.Ssn},\"{p.Street}, {p.City}, {p.State} {p.Zip}\",{miles},{miles * 0.655:F2}\n"));
            p.Expose(Claims, "name", "dob", "ssn", "address");
        }

        Put(Claims, claims.ToString());

        var orders = new StringBuilder();
        for (var i = 0; i < 8; i++)
        {
            var order = FakeSsnShape();
            var confirmation = FakeSsnShape();
            var staff = StaffNames[(i + 2) % StaffNames.Length];
            orders.Append(Invariant($"Order # {order} placed {new DateOnly(2024, 4, 2).AddDays(i * 6).ToString("MMM d", CultureInfo.InvariantCulture)} by {staff}\r\n  Vendor: {VendorNames[i % VendorNames.Length]}\r\n  Confirmation number: {confirmation}\r\n  Ship to: Jefferson County Courthouse, 201 Centennial Ave, Boulder MT 59632\r\n\r\n"));
            _nonPersons.Add(new("decoy", "order " + order, Orders));
            _nonPersons.Add(new("decoy", "confirmation " + confirmation, Orders));
            _nonPersons.Add(new("staff", staff, Orders));
        }

        Put(Orders, orders.ToString());
    }

    // ------------------------------------------------------------------ same person across files

    private void Archive(int quota)
    {
        const string Roster = "Archive/2016_member_list.csv";
        const string Changes = "Archive/name_change_requests_2019.txt";
        const string History = "Archive/benefit_history_2010-2018.xlsx";
        var roster = new StringBuilder("Member,Soc Sec,Birth\n");
        var changes = new StringBuilder("NAME CHANGE REQUESTS - RECEIVED 2019\r\n=====================================\r\n\r\n");
        var history = new List<object[]> { new object[] { "Benefit History 2010-2018" }, Array.Empty<object>(), new object[] { "Recipient", "Date of Birth", "Residence", "First Issued", "Last Issued" } };
        for (var i = 0; i < quota; i++)
        {
            var female = i % 2 == 0;
            var first = female ? Pick(Nick.Keys.Where(k => Women.Contains(k)).ToArray()) : Pick(Nick.Keys.Where(k => Men.Contains(k)).ToArray());
            var p = New("cross-file", female, Pick(Surnames), NewHome(), initial: false);
            p.First = first;
            history.Add([Invariant($"{p.First} {p.Middle} {p.Last}"), p.Dob, Invariant($"{p.Street}, {p.City}, {p.State} {p.Zip}"), new DateOnly(2010, 3, 1).AddDays(i * 11), new DateOnly(2018, 6, 1).AddDays(i * 3)]);
            p.Expose(History, "name", "dob", "address");
            if (female)
            {
                p.Maiden = Pick(Surnames.Where(s => s != p.Last).ToArray());
                roster.Append(Invariant($"\"{p.Maiden}, {Nick[p.First]}\",{p.Ssn},{p.Dob.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture)}\n"));
                changes.Append(Invariant($"Request #{1900 + i}\r\nFormer name: {p.First} {p.Maiden}\r\nNew name:    {p.First} {p.Middle} {p.Last}\r\nReason: marriage (certificate on file)\r\nSSN: {p.Ssn}\r\nProcessed by {StaffNames[i % StaffNames.Length]}\r\n\r\n"));
                p.Expose(Roster, "name", "ssn", "dob");
                p.Expose(Changes, "name", "ssn");
            }
            else
            {
                roster.Append(Invariant($"\"{p.Last}, {Nick[p.First]}\",{p.Ssn},{p.Dob.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture)}\n"));
                p.Expose(Roster, "name", "ssn", "dob");
            }
        }

        foreach (var s in StaffNames)
        {
            _nonPersons.Add(new("staff", s, Changes));
        }

        Put(Roster, roster.ToString());
        Put(Changes, changes.ToString());
        _files[History] = StableFiles.Xlsx(("History", history));
    }

    // ------------------------------------------------------------------ helpers

    private RealisticShareGenerator.Person New(string category, bool female, string last, (string Street, string City, string State, string Zip) home, bool initial)
    {
        var p = new RealisticShareGenerator.Person
        {
            Id = Invariant($"H{++_id:0000}"),
            Female = female,
            First = Pick(female ? Women : Men),
            Middle = initial ? Pick(Middles) : Pick(female ? WomenMiddles : MenMiddles),
            Last = last,
            Dob = new DateOnly(1938, 1, 1).AddDays(_random.Next(0, 365 * 62)),
            Ssn = NewSsn(),
            Street = home.Street,
            City = home.City,
            State = home.State,
            Zip = home.Zip,
        };
        p.Categories.Add(category);
        _people.Add(p);
        return p;
    }

    private string NewSsn()
    {
        while (true)
        {
            var area = _random.Next(1, 900);
            if (area == 666)
            {
                continue;
            }

            var s = Invariant($"{area:000}-{_random.Next(1, 100):00}-{_random.Next(1, 10000):0000}");
            if (_numbers.Add(s))
            {
                return s;
            }
        }
    }

    private string FakeSsnShape() => NewSsn();

    private (string Street, string City, string State, string Zip) NewHome()
    {
        while (true)
        {
            var street = Invariant($"{_random.Next(12, 9900)} {Pick(StreetNames)} {Pick(StreetKinds)}");
            var (city, state, zip) = Pick(Towns);
            if (_addresses.Add(street + zip))
            {
                return (street, city, state, zip);
            }
        }
    }

    private string Phone(int style)
    {
        var a = _random.Next(201, 990);
        var b = _random.Next(200, 1000);
        var c = _random.Next(0, 10000);
        return (style % 3) switch
        {
            0 => Invariant($"({a}) {b}-{c:0000}"),
            1 => Invariant($"{a}.{b}.{c:0000}"),
            _ => Invariant($"{a}-{b}-{c:0000}"),
        };
    }

    private string Npi()
    {
        var digits = new int[9];
        digits[0] = 1;
        for (var i = 1; i < 9; i++)
        {
            digits[i] = _random.Next(0, 10);
        }

        // Luhn over 80840 + the nine digits; the check digit makes the total a multiple of 10.
        var sum = 24;
        for (var i = 0; i < 9; i++)
        {
            var d = digits[8 - i];
            if (i % 2 == 0)
            {
                d *= 2;
                d = d > 9 ? d - 9 : d;
            }

            sum += d;
        }

        var check = (10 - (sum % 10)) % 10;
        return string.Concat(digits.Select(d => d.ToString(CultureInfo.InvariantCulture))) + check.ToString(CultureInfo.InvariantCulture);
    }

    private string Staff(string path)
    {
        var s = Pick(StaffNames);
        if (!_nonPersons.Any(n => n.Kind == "staff" && n.Label == s && n.Path == path))
        {
            _nonPersons.Add(new("staff", s, path));
        }

        return s;
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private static string Pad(string s, int width) => s.Length >= width ? s[..width] : s.PadRight(width);

    private static string QuotedPrintable(string text)
    {
        var sb = new StringBuilder();
        var line = 0;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var piece = b is (byte)'=' or > 126 or < 32 ? Invariant($"={b:X2}") : ((char)b).ToString();
            if (line + piece.Length > 75)
            {
                sb.Append("=\r\n");
                line = 0;
            }

            sb.Append(piece);
            line += piece.Length;
        }

        return sb.Append("\r\n").ToString();
    }

    private void Put(string path, string text) => _files[path] = Encoding.UTF8.GetBytes(text);
}
