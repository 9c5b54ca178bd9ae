using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;
using static System.FormattableString;

namespace PiiScanner.Testing;

/// <summary>One file a truth person is exposed in and the elements of theirs it holds.</summary>
/// <param name="Path">Path relative to the share root, <c>/</c>-separated (a mailbox file, not its messages).</param>
/// <param name="Elements">Element names (<c>name</c>, <c>dob</c>, <c>ssn</c>…), sorted.</param>
public sealed record TruthExposure(string Path, IReadOnlyList<string> Elements);

/// <summary>A made-up person of the realistic share with every value the share exposes and where.</summary>
public sealed record TruthPerson(
    string Id,
    IReadOnlyList<string> Categories,
    string First,
    string? Middle,
    string Last,
    string? Suffix,
    string? Maiden,
    bool Female,
    DateOnly Dob,
    string? Ssn,
    string? DlState,
    string? DlNumber,
    string? Itin,
    string? Mbi,
    string? Phone,
    string Street,
    string City,
    string State,
    string Zip,
    IReadOnlyList<string> Medical,
    IReadOnlyList<TruthExposure> Files)
{
    /// <summary>"First Middle Last Suffix".</summary>
    public string FullName => string.Join(' ', new[] { First, Middle, Last, Suffix }.Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>Every element exposed anywhere, sorted.</summary>
    public IReadOnlyList<string> Elements => [.. Files.SelectMany(f => f.Elements).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

/// <summary>
/// Something that must never become an index row: <see cref="Kind"/> <c>staff</c>, <c>prescriber</c>, <c>vendor</c>
/// (a name in <see cref="Label"/>) or <c>decoy</c> (an SSN-shaped invoice/claim/order… number, NPI or DEA in
/// <see cref="Label"/>), and the file it is in.
/// </summary>
public sealed record TruthNonPerson(string Kind, string Label, string Path);

/// <summary>What <see cref="RealisticShare.Write"/> produced.</summary>
public sealed record RealisticTruth(IReadOnlyList<TruthPerson> People, IReadOnlyList<TruthNonPerson> NonPersons, IReadOnlyList<string> Files, long Bytes)
{
    /// <summary>The categories, in report order, each with the folder (path prefix) holding its own files.</summary>
    public static IReadOnlyList<(string Category, string Folder)> Categories { get; } =
    [
        ("households", "Eligibility/Households/"), ("no-ssn", "Outreach/"), ("headerless-delimited", "Transfers/"),
        ("fixed-width", "Mainframe/"), ("sql-dump", "Backups/db/"), ("nested-json", "Api/exports/"),
        ("spreadsheets", "Reports/"), ("word-forms", "Intake/Forms/"), ("letters", "Correspondence/"),
        ("case-notes", "CaseNotes/"), ("email", "Mail/"), ("pdf-forms", "Scans/"), ("decoys", "Finance/"),
        ("cross-file", "Archive/"),
    ];

    /// <summary>The category whose folder holds <paramref name="path"/> (container members by their outer file), or null.</summary>
    public static string? CategoryOfPath(string path)
    {
        var p = path.Replace('\\', '/');
        foreach (var (category, folder) in Categories)
        {
            if (p.StartsWith(folder, StringComparison.Ordinal))
            {
                return category;
            }
        }

        return null;
    }
}

/// <summary>
/// Generates a realistic agency file share with ground truth for the accuracy evaluator
/// (<see cref="AccuracyReport"/>): households (spouses, twins, Jr/Sr, namesakes), people with no SSN, headerless
/// CSV and pipe files, mainframe fixed-width extracts (COBOL copybook, layout file, none), MySQL and PostgreSQL
/// dumps, nested JSON (FHIR-like names, dependents), spreadsheets (header on row 4, linked sheets), Word intake
/// forms, letters, case notes, two phished mailboxes (mbox and .eml folder, HTML-only bodies), PDF forms, and
/// decoys everywhere (SSN-shaped invoice/claim/order numbers, staff, prescribers with NPI/DEA, vendors). Some
/// people recur across files under a nickname, maiden name, surname typo or with accents stripped. Deterministic:
/// the same seed gives byte-identical files (Office and PDF files are written by hand with fixed timestamps).
/// Entirely synthetic: names are random combinations of common names, numbers random within valid ranges.
/// </summary>
public static class RealisticShare
{
    /// <summary>Writes the share under <paramref name="root"/> and returns its truth.</summary>
    public static RealisticTruth Write(string root, int people = 400, int seed = 2025)
    {
        var generator = new RealisticShareGenerator(root, seed);
        return generator.Run(people);
    }
}

internal sealed class RealisticShareGenerator
{
    private static readonly string[] FemaleFirsts = ["Margaret", "Elizabeth", "Katherine", "Rebecca", "Patricia", "Jennifer", "Susan", "Lucía", "Inés", "Renée", "Zoë", "Adaeze", "Wanda", "Chloé", "Ana", "María", "Siobhan", "Ngozi", "Mildred", "Dolores", "Yolanda", "Harriet", "Beatriz", "Colleen"];
    private static readonly string[] MaleFirsts = ["William", "Robert", "Thomas", "Richard", "Joseph", "Daniel", "Anthony", "Charles", "James", "Ramón", "José", "André", "Tomás", "Darnell", "Hiroshi", "Kwame", "Edward", "Matthew", "Harold", "Vernon", "Ignacio", "Curtis", "Lionel", "Emeka"];
    private static readonly string[] FemaleMiddles = ["Ann", "Lucía", "Marie", "Rose", "Jean", "Louise", "Beatriz", "Grace"];
    private static readonly string[] MaleMiddles = ["Lee", "James", "Ray", "Alan", "Ramón", "Dale", "Eugene", "Paul"];
    private static readonly string[] Lasts = ["Okafor", "Ordóñez", "Cortés", "Ruiz", "Running Crane", "O'Brien", "Abernathy", "Blackwood", "Castellano", "Delacroix", "Fairbanks", "Galloway", "Hawthorne", "Kowalczyk", "Lindqvist", "Montgomery", "Nguyen", "Peña", "Quintero", "Rosenthal", "Sutherland", "Thornbury", "Whitfield", "Yamamoto", "Zielinski", "Müller", "Brennan", "Fitzgerald", "Holloway", "Lockhart", "Merriweather", "Iron Cloud", "Van Dyke", "Ibáñez", "Bergström", "Dubois", "Achebe", "Calloway", "Pemberton", "Ashworth", "Mbeki", "Szymański"];
    private static readonly Dictionary<string, string> Nicknames = new(StringComparer.Ordinal)
    {
        ["William"] = "Bill", ["Robert"] = "Bob", ["Thomas"] = "Tom", ["Richard"] = "Rick", ["Joseph"] = "Joe",
        ["Daniel"] = "Dan", ["Anthony"] = "Tony", ["Charles"] = "Chuck", ["James"] = "Jim", ["Edward"] = "Ted",
        ["Matthew"] = "Matt", ["Margaret"] = "Peggy", ["Elizabeth"] = "Liz", ["Katherine"] = "Kate", ["Rebecca"] = "Becky",
        ["Patricia"] = "Patty", ["Jennifer"] = "Jenny", ["Susan"] = "Sue",
    };

    private static readonly string[] Staff = ["Karen Whitlow", "Gregory Ambrose", "Denise Farrow", "Marcus Tillery", "Janet Kessling", "Howard Pruitt", "Lorraine Bixby", "Dwayne Oakes"];
    private static readonly string[] Prescribers = ["Evelyn Marsh", "Rajesh Varma", "Colleen Hardesty", "Samuel Ostrowski"];
    private static readonly string[] Vendors = ["Acme Office Supply", "Big Sky Medical Billing LLC", "Prairie Printing Co", "Northern Courier Services"];
    private static readonly string[] Streets = ["Oak", "Maple", "Cedar", "Pine", "Elm", "Birch", "Willow", "Spruce", "Aspen", "Juniper", "Sycamore", "Magnolia", "Prairie View", "Last Chance", "Rimrock", "Lakeshore"];
    private static readonly string[] StreetTypes = ["St", "Ave", "Rd", "Dr", "Ln", "Ct", "Blvd", "Way"];
    private static readonly (string City, string State, string Zip)[] Places =
    [
        ("Helena", "MT", "596"), ("Billings", "MT", "591"), ("Missoula", "MT", "598"), ("Springfield", "IL", "627"), ("Peoria", "IL", "616"),
        ("Chicago", "IL", "606"), ("Madison", "WI", "537"), ("Tampa", "FL", "336"), ("Austin", "TX", "787"), ("Albany", "NY", "122"),
        ("Columbus", "OH", "432"), ("Olympia", "WA", "985"), ("Phoenix", "AZ", "850"), ("Harrisburg", "PA", "171"), ("Baltimore", "MD", "212"),
        ("Concord", "NH", "033"), ("Sacramento", "CA", "958"), ("Trenton", "NJ", "086"), ("Boston", "MA", "021"),
    ];

    private static readonly string[] Conditions = ["Type 2 diabetes mellitus", "Essential hypertension", "Asthma", "Major depressive disorder", "Chronic kidney disease", "Hypothyroidism", "Epilepsy", "Migraine", "Generalized anxiety disorder", "Opioid use disorder"];
    private static readonly string[] Medications = ["metformin", "sertraline", "lisinopril", "insulin glargine", "buprenorphine"];
    private const string MbiLetters = "ACDEFGHJKMNPQRTUVWXY";

    private readonly string _root;
    private readonly Random _random;
    private readonly List<Person> _people = [];
    private int _nextId;
    private readonly List<TruthNonPerson> _nonPersons = [];
    private readonly HashSet<string> _usedNumbers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedAddresses = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public RealisticShareGenerator(string root, int seed)
    {
        _root = root;
        _random = new Random(seed);
    }

    public RealisticTruth Run(int count)
    {
        var households = Math.Max(8, count * 16 / 100);
        var each = Math.Max(4, (count - households) / 12);
        Households(households);
        NoSsn(each);
        Headerless(each);
        FixedWidth(each);
        SqlDumps(each);
        NestedJson(each);
        Spreadsheets(each);
        WordForms(each);
        Letters(each);
        CaseNotes(each);
        Email(each);
        PdfForms(each);
        Decoys(Math.Max(4, count - _people.Count - (each * 0)));
        CrossFile();

        return Finish(_root, _files, _people, _nonPersons);
    }

    /// <summary>Writes the files under <paramref name="root"/> and freezes the truth: the people found in at least one file.</summary>
    internal static RealisticTruth Finish(string root, SortedDictionary<string, byte[]> files, IEnumerable<Person> people, IReadOnlyList<TruthNonPerson> nonPersons)
    {
        long bytes = 0;
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, content);
            bytes += content.Length;
        }

        return new RealisticTruth([.. people.Where(p => p.Files.Count > 0).Select(p => p.Freeze())], nonPersons, [.. files.Keys], bytes);
    }

    // ---------------------------------------------------------------- categories

    private void Households(int quota)
    {
        const string Path1 = "Eligibility/Households/household_roster_2023.csv";
        const string Path2 = "Eligibility/Households/applicants_2022.csv";
        var roster = new StringBuilder("HouseholdID,Relationship,Last Name,First Name,Middle,Suffix,DOB,SSN,Street,City,State,Zip,Case Worker,Invoice No\n");
        var applicants = new StringBuilder("Applicant Name,Birth Date,SSN,Home Address,Order Number\n");
        var start = _people.Count;
        var hh = 0;
        while (_people.Count - start < quota)
        {
            hh++;
            var address = NewAddress();
            var last = Pick(Lasts);
            var worker = Pick(Staff);
            var members = new List<(Person P, string Relationship)>();
            var head = NewPerson("households", female: false, last: last, address: address, middleInitialOnly: true);
            var spouse = NewPerson("households", female: true, last: last, address: address, middleInitialOnly: true);
            spouse.Dob = head.Dob.AddDays(_random.Next(200, 3000));
            switch (hh % 5)
            {
                case 0:
                    members.Add((head, "Head"));
                    members.Add((spouse, "Spouse"));
                    break;
                case 1:
                    members.Add((head, "Head"));
                    members.Add((spouse, "Spouse"));
                    var twinDob = head.Dob.AddYears(_random.Next(25, 35));
                    var a = NewPerson("households", female: _random.Next(2) == 0, last: last, address: address, middleInitialOnly: true);
                    var b = NewPerson("households", female: _random.Next(2) == 0, last: last, address: address, middleInitialOnly: true);
                    while (b.First == a.First)
                    {
                        b.First = Pick(b.Female ? FemaleFirsts : MaleFirsts);
                    }

                    a.Dob = b.Dob = twinDob;
                    members.Add((a, "Child"));
                    members.Add((b, "Child"));
                    break;
                case 2:
                    head.Suffix = "Sr";
                    var junior = NewPerson("households", female: false, last: last, address: address, middleInitialOnly: true);
                    junior.First = head.First;
                    junior.Middle = head.Middle;
                    junior.Suffix = "Jr";
                    junior.Dob = head.Dob.AddYears(_random.Next(22, 32)).AddDays(_random.Next(1, 300));
                    members.Add((head, "Head"));
                    members.Add((spouse, "Spouse"));
                    members.Add((junior, "Son"));
                    break;
                case 3:
                    _people.Remove(head);
                    spouse.Dob = new DateOnly(1965, 1, 1).AddDays(_random.Next(0, 365 * 20));
                    members.Add((spouse, "Head"));
                    for (var c = 0; c < 2; c++)
                    {
                        var child = NewPerson("households", female: _random.Next(2) == 0, last: last, address: address, middleInitialOnly: true);
                        child.Dob = spouse.Dob.AddYears(20 + (c * 3)).AddDays(_random.Next(0, 300));
                        if (c == 1)
                        {
                            child.Ssn = null;
                        }

                        members.Add((child, "Child"));
                    }

                    break;
                default:
                    members.Add((head, "Head"));
                    members.Add((spouse, "Spouse"));
                    var kid = NewPerson("households", female: _random.Next(2) == 0, last: last, address: address, middleInitialOnly: true);
                    kid.Dob = head.Dob.AddYears(28).AddDays(_random.Next(0, 300));
                    members.Add((kid, "Child"));

                    // An unrelated namesake: same first and last name, another DOB and address, another file.
                    var namesake = NewPerson("households", female: false, last: last, address: NewAddress(), middleInitialOnly: true);
                    namesake.First = head.First;
                    namesake.Middle = Pick(MaleMiddles)[..1];
                    var order = DecoySsn("order", Path2);
                    applicants.Append(Invariant($"{Csv(namesake.First + " " + namesake.Middle + ". " + namesake.Last)},{namesake.Dob:MM/dd/yyyy},{namesake.Ssn},{Csv(namesake.AddressLine)},{order}\n"));
                    namesake.Expose(Path2, "name", "dob", "ssn", "address");
                    break;
            }

            foreach (var (p, relationship) in members)
            {
                var invoice = DecoySsn("invoice", Path1);
                roster.Append(Invariant($"HH{hh:0000},{relationship},{Csv(p.Last)},{Csv(p.First)},{p.Middle},{p.Suffix},{p.Dob:MM/dd/yyyy},{p.Ssn},{p.Street},{p.City},{p.State},{p.Zip},{worker},{invoice}\n"));
                p.Expose(Path1, p.Ssn is null ? ["name", "dob", "address"] : ["name", "dob", "ssn", "address"]);
            }

            NonPerson("staff", worker, Path1);
        }

        Text(Path1, roster.ToString());
        Text(Path2, applicants.ToString());
    }

    private void NoSsn(int quota)
    {
        const string Clinic = "Outreach/flu_clinic_signups.csv";
        const string Log = "Outreach/dl_verification_log.txt";
        var csv = new StringBuilder("Name,Date of Birth,Street Address,City,State,ZIP,Phone,Confirmation #\n");
        var log = new StringBuilder();
        for (var i = 0; i < quota; i++)
        {
            var p = NewPerson("no-ssn");
            p.Ssn = null;
            if (i % 2 == 0)
            {
                p.Phone = Phone();
                csv.Append(Invariant($"{Csv(p.First + " " + p.Last)},{Date(p.Dob, i)},{p.Street},{p.City},{p.State},{p.Zip},{p.Phone},{DecoySsn("confirmation", Clinic)}\n"));
                p.Expose(Clinic, "name", "dob", "address", "phone");
            }
            else
            {
                GiveLicence(p);
                log.Append(Invariant($"2024-05-{1 + (i % 28):00} 10:{i % 60:00}:12 VERIFY name=\"{Fold(p.First).ToUpperInvariant()} {Fold(p.Last).ToUpperInvariant()}\" dl_state={p.DlState} dl={SyntheticIdentifiers.WrittenLicence(p.DlState!, p.DlNumber!)} result=MATCH ticket={DecoySsn("ticket", Log)} operator={Pick(Staff)}\n"));
                p.Expose(Log, "name", "driversLicense");
            }
        }

        NonPerson("staff", Staff[0], Log);
        Text(Clinic, csv.ToString());
        Text(Log, log.ToString());
    }

    private void Headerless(int quota)
    {
        const string CsvPath = "Transfers/xfer_20240417.csv";
        const string PipePath = "Transfers/xfer_20240418.txt";
        const string Orders = "Transfers/orders_20240417.csv";
        var csv = new StringBuilder();
        var pipe = new StringBuilder();
        for (var i = 0; i < quota; i++)
        {
            var p = NewPerson("headerless-delimited");
            if (i % 2 == 0)
            {
                csv.Append(Invariant($"{p.Ssn},{Csv(p.Last)},{Csv(p.First)},{p.Dob:MM/dd/yyyy},{p.Street},{p.City},{p.State},{p.Zip}\n"));
                p.Expose(CsvPath, "ssn", "name", "dob", "address");
            }
            else
            {
                pipe.Append(Invariant($"{p.Last.ToUpperInvariant()}|{p.First.ToUpperInvariant()}|{p.MiddleInitial}|{p.Dob:yyyyMMdd}|{Digits(p.Ssn!)}|{p.Street.ToUpperInvariant()}|{p.City.ToUpperInvariant()}|{p.State}|{p.Zip}\n"));
                p.Expose(PipePath, "name", "dob", "ssn", "address");
            }
        }

        var orders = new StringBuilder("Order No,SKU,Item,Qty,Ordered By\n");
        for (var i = 0; i < 12; i++)
        {
            var staff = Pick(Staff);
            orders.Append(Invariant($"{DecoySsn("order", Orders)},{DecoySsn("sku", Orders)},Toner cartridge,{1 + (i % 4)},{staff}\n"));
            NonPerson("staff", staff, Orders);
        }

        Text(CsvPath, csv.ToString());
        Text(PipePath, pipe.ToString());
        Text(Orders, orders.ToString());
    }

    private void FixedWidth(int quota)
    {
        const string Mbr = "Mainframe/MBRX0417.DAT";
        const string Clm = "Mainframe/CLMX0417.DAT";
        const string Elig = "Mainframe/ELIG0417.DAT";
        Text("Mainframe/MBRX0417.cpy", string.Join('\n',
        [
            "      * MEMBER EXTRACT RECORD - 151 BYTES",
            "       01  MEMBER-REC.",
            "           05  MBR-SSN                PIC 9(9).",
            "           05  MBR-DOB                PIC 9(8).",
            "           05  MBR-NAME.",
            "               10  MBR-LAST           PIC X(20).",
            "               10  MBR-FIRST          PIC X(15).",
            "               10  MBR-MI             PIC X(1).",
            "           05  MBR-STREET             PIC X(30).",
            "           05  MBR-CITY               PIC X(18).",
            "           05  MBR-STATE              PIC X(2).",
            "           05  MBR-ZIP                PIC 9(9).",
            "           05  MBR-PHONE              PIC 9(10).",
            "           05  FILLER                 PIC X(4).",
            "           05  MBR-CLAIM-NO           PIC 9(9).",
            "           05  MBR-CLAIM-R REDEFINES MBR-CLAIM-NO.",
            "               10  MBR-CLAIM-PFX      PIC 9(3).",
            "               10  MBR-CLAIM-SEQ      PIC 9(6).",
            "           05  MBR-VISIT OCCURS 2 TIMES.",
            "               10  MBR-VISIT-DT       PIC 9(8).",
            string.Empty,
        ]));
        Text("Mainframe/CLMX0417.layout", string.Join('\n',
        [
            "# CLAIMS EXTRACT LAYOUT (FIELD-NAME START LENGTH, 1-BASED)",
            "CLM-ID 1 10",
            "LAST-NAME 11 20",
            "FIRST-NAME 31 15",
            "BIRTH-DATE 46 8",
            "SSN 54 9",
            "ADDR-LINE 63 30",
            "CITY 93 18",
            "STATE 111 2",
            "ZIP 113 5",
            "CLAIM-NO 118 9",
            "SERVICE-DATE 127 8",
            string.Empty,
        ]));
        var mbr = new StringBuilder(Invariant($"HDR MBRX0417 20240417\n"));
        var clm = new StringBuilder();
        var elig = new StringBuilder();
        int nm = 0, nc = 0, ne = 0;
        for (var i = 0; i < quota; i++)
        {
            var p = NewPerson("fixed-width");
            var last = Fold(p.Last).ToUpperInvariant();
            var first = Fold(p.First).ToUpperInvariant();
            var street = Fold(p.Street).ToUpperInvariant();
            var city = p.City.ToUpperInvariant();
            var visit = new DateOnly(2023, 1, 1).AddDays(_random.Next(0, 400));
            switch (i % 3)
            {
                case 0:
                    p.Phone = Phone();
                    var claim = Digits(DecoySsn("claim", Mbr));
                    mbr.Append(Invariant($"{Digits(p.Ssn!)}{p.Dob:yyyyMMdd}{Pad(last, 20)}{Pad(first, 15)}{p.MiddleInitial,1}{Pad(street, 30)}{Pad(city, 18)}{p.State}{p.Zip}{_random.Next(1000, 10000)}{Digits(p.Phone)}    {claim}{visit:yyyyMMdd}{visit.AddDays(30):yyyyMMdd}\n"));
                    p.Expose(Mbr, "ssn", "dob", "name", "address", "phone");
                    nm++;
                    break;
                case 1:
                    clm.Append(Invariant($"{Pad("C" + (100000 + i), 10)}{Pad(last, 20)}{Pad(first, 15)}{p.Dob:yyyyMMdd}{Digits(p.Ssn!)}{Pad(street, 30)}{Pad(city, 18)}{p.State}{p.Zip}{Digits(DecoySsn("claim", Clm))}{visit:yyyyMMdd}\n"));
                    p.Expose(Clm, "name", "dob", "ssn", "address");
                    nc++;
                    break;
                default:
                    p.Phone = Phone();
                    elig.Append(Invariant($"{Pad(last, 20)}{Pad(first, 15)}{Digits(p.Ssn!)}{p.Dob:yyyyMMdd}{Pad(street, 30)}{Pad(city, 18)}{p.State}{p.Zip}{_random.Next(1000, 10000)}{Digits(p.Phone)}E{visit:yyyyMMdd}\n"));
                    p.Expose(Elig, "name", "ssn", "dob", "address", "phone");
                    ne++;
                    break;
            }
        }

        mbr.Append(Invariant($"TRL {nm:000000000}\n"));
        Text(Mbr, mbr.ToString());
        Text(Clm, clm.ToString());
        Text(Elig, elig.ToString());
        _ = nc + ne;
    }

    private void SqlDumps(int quota)
    {
        const string My = "Backups/db/eligibility_2023.sql";
        const string Pg = "Backups/db/benefits_pg.sql";
        var my = new StringBuilder("-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: db01    Database: eligibility\n-- ------------------------------------------------------\n\n");
        my.Append("DROP TABLE IF EXISTS `applicants`;\nCREATE TABLE `applicants` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `first_name` varchar(40) DEFAULT NULL,\n  `middle_name` varchar(40) DEFAULT NULL,\n  `last_name` varchar(40) DEFAULT NULL,\n  `ssn` char(11) DEFAULT NULL,\n  `dob` date DEFAULT NULL,\n  `street` varchar(60) DEFAULT NULL,\n  `city` varchar(40) DEFAULT NULL,\n  `state` char(2) DEFAULT NULL,\n  `zip` varchar(10) DEFAULT NULL,\n  `order_no` varchar(12) DEFAULT NULL,\n  `notes` text,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\nLOCK TABLES `applicants` WRITE;\n");
        var pg = new StringBuilder("--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n\nCREATE TABLE public.benefit_members (\n    member_id integer NOT NULL,\n    last_name text,\n    first_name text,\n    ssn text,\n    birth_date date,\n    address_line1 text,\n    city text,\n    state character(2),\n    postal_code text,\n    confirmation_no text,\n    diagnosis text\n);\n\nCOPY public.benefit_members (member_id, last_name, first_name, ssn, birth_date, address_line1, city, state, postal_code, confirmation_no, diagnosis) FROM stdin;\n");
        var myRows = new List<string>();
        for (var i = 0; i < quota; i++)
        {
            var p = NewPerson("sql-dump");
            if (i == 0)
            {
                p.Last = "O'Brien";
            }

            if (i % 2 == 0)
            {
                var notes = "NULL";
                var elements = new List<string> { "name", "ssn", "dob", "address" };
                if (i % 4 == 0)
                {
                    var term = Pick(Conditions);
                    p.Medical.Add(term);
                    notes = Sq("Dx: " + term + "; reviewed by " + Staff[1]);
                    elements.Add("medical");
                }

                myRows.Add(Invariant($"({myRows.Count + 1},{Sq(p.First)},{(p.Middle is null ? "NULL" : Sq(p.Middle))},{Sq(p.Last)},{Sq(p.Ssn!)},'{p.Dob:yyyy-MM-dd}',{Sq(p.Street)},{Sq(p.City)},'{p.State}','{p.Zip}',{Sq(DecoySsn("order", My))},{notes})"));
                p.Expose(My, [.. elements]);
            }
            else
            {
                string diagnosis = @"\N";
                var elements = new List<string> { "name", "ssn", "dob", "address" };
                if (i % 3 == 0)
                {
                    diagnosis = Pick(Conditions);
                    p.Medical.Add(diagnosis);
                    elements.Add("medical");
                }

                pg.Append(Invariant($"{i + 1}\t{p.Last}\t{p.First}\t{(i % 5 == 1 ? @"\N" : p.Ssn)}\t{p.Dob:yyyy-MM-dd}\t{p.Street}\t{p.City}\t{p.State}\t{p.Zip}\t{DecoySsn("confirmation", Pg)}\t{diagnosis}\n"));
                if (i % 5 == 1)
                {
                    p.Ssn = null;
                    elements.Remove("ssn");
                }

                p.Expose(Pg, [.. elements]);
            }
        }

        foreach (var chunk in myRows.Chunk(8))
        {
            my.Append("INSERT INTO `applicants` (`id`,`first_name`,`middle_name`,`last_name`,`ssn`,`dob`,`street`,`city`,`state`,`zip`,`order_no`,`notes`) VALUES ")
                .AppendJoin(',', chunk).Append(";\n");
        }

        my.Append("UNLOCK TABLES;\n\nDROP TABLE IF EXISTS `prescribers`;\nCREATE TABLE `prescribers` (`id` int NOT NULL, `name` varchar(80), `npi` char(10), `dea` char(9));\nINSERT INTO `prescribers` (`id`,`name`,`npi`,`dea`) VALUES ");
        my.AppendJoin(',', Prescribers.Select((d, i) => Invariant($"({i + 1},{Sq("Dr. " + d + ", MD")},'{Npi(My)}','{Dea(d, My)}')"))).Append(";\n");
        foreach (var d in Prescribers)
        {
            NonPerson("prescriber", d, My);
        }

        pg.Append("\\.\n\n--\n-- PostgreSQL database dump complete\n--\n");
        Text(My, my.ToString());
        Text(Pg, pg.ToString());
    }

    private void NestedJson(int quota)
    {
        const string Fhir = "Api/exports/fhir_patients.json";
        const string Subs = "Api/exports/subscribers.json";
        var fhir = new StringBuilder("{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"searchset\",\n  \"entry\": [\n");
        var subs = new StringBuilder("{\n  \"exportedOn\": \"2024-04-17\",\n  \"subscribers\": [\n");
        var start = _people.Count;
        var firstFhir = true;
        var firstSub = true;
        var n = 0;
        while (_people.Count - start < quota)
        {
            n++;
            if (n % 2 == 1)
            {
                var p = NewPerson("nested-json");
                p.Middle = Pick(p.Female ? FemaleMiddles : MaleMiddles);
                var doctor = Pick(Prescribers);
                fhir.Append(firstFhir ? string.Empty : ",\n");
                firstFhir = false;
                fhir.Append(Invariant($"    {{\"resource\": {{\"resourceType\": \"Patient\", \"id\": \"pt-{n:0000}\", \"identifier\": [{{\"system\": \"http://hl7.org/fhir/sid/us-ssn\", \"value\": \"{p.Ssn}\"}}, {{\"system\": \"urn:agency:order\", \"value\": \"{DecoySsn("order", Fhir)}\"}}], \"name\": [{{\"use\": \"official\", \"family\": {J(p.Last)}, \"given\": [{J(p.First)}, {J(p.Middle)}]}}], \"gender\": \"{(p.Female ? "female" : "male")}\", \"birthDate\": \"{p.Dob:yyyy-MM-dd}\", \"address\": [{{\"line\": [{J(p.Street)}], \"city\": {J(p.City)}, \"state\": \"{p.State}\", \"postalCode\": \"{p.Zip}\"}}], \"generalPractitioner\": [{{\"display\": {J("Dr. " + doctor + ", MD")}, \"identifier\": {{\"system\": \"http://hl7.org/fhir/sid/us-npi\", \"value\": \"{Npi(Fhir)}\"}}}}]}}}}"));
                NonPerson("prescriber", doctor, Fhir);
                p.Expose(Fhir, "name", "ssn", "dob", "address");
            }
            else
            {
                var address = NewAddress();
                var p = NewPerson("nested-json", address: address);
                subs.Append(firstSub ? string.Empty : ",\n");
                firstSub = false;
                subs.Append(Invariant($"    {{\"subscriberId\": \"S-{1000 + n}\", \"first\": {J(p.First)}, \"last\": {J(p.Last)}, \"dob\": \"{p.Dob:yyyy-MM-dd}\", \"ssn\": \"{p.Ssn}\", \"confirmationNumber\": \"{DecoySsn("confirmation", Subs)}\", \"address\": {{\"street\": {J(p.Street)}, \"city\": {J(p.City)}, \"state\": \"{p.State}\", \"zip\": \"{p.Zip}\"}},\n"));
                p.Expose(Subs, "name", "dob", "ssn", "address");
                var deps = new List<string>();
                for (var d = 0; d < 1 + (n % 3); d++)
                {
                    var dep = NewPerson("nested-json", last: p.Last, address: address);
                    dep.Dob = p.Dob.AddYears(24 + d).AddDays(_random.Next(0, 300));
                    deps.Add(Invariant($"{{\"first\": {J(dep.First)}, \"last\": {J(dep.Last)}, \"dob\": \"{dep.Dob:yyyy-MM-dd}\", \"ssn\": \"{dep.Ssn}\", \"relationship\": \"child\"}}"));
                    dep.Expose(Subs, "name", "dob", "ssn");
                }

                var member = NewPerson("nested-json", address: address);
                member.Ssn = null;
                subs.Append("      \"dependents\": [").AppendJoin(", ", deps).Append("],\n");
                subs.Append(Invariant($"      \"householdMembers\": [{{\"first\": {J(member.First)}, \"last\": {J(member.Last)}, \"dob\": \"{member.Dob:yyyy-MM-dd}\", \"relationship\": \"other\"}}]}}"));
                member.Expose(Subs, "name", "dob");
            }
        }

        fhir.Append("\n  ]\n}\n");
        subs.Append("\n  ]\n}\n");
        Text(Fhir, fhir.ToString());
        Text(Subs, subs.ToString());
    }

    private void Spreadsheets(int quota)
    {
        const string Caseload = "Reports/caseload_report_Q3.xlsx";
        const string Linked = "Reports/linked_households.xlsx";
        var worker = Staff[2];
        var caseload = new List<object[]>
        {
            new object[] { "County Caseload Report - Q3 2023" },
            new object[] { "Report date:", new DateOnly(2023, 10, 1) },
            Array.Empty<object>(),
            new object[] { "Client Name", "DOB", "SSN", "Street", "City", "State", "Zip", "Worker", "Invoice #" },
        };
        var households = new List<object[]> { new object[] { "household_id", "street", "city", "state", "zip" } };
        var members = new List<object[]> { new object[] { "member_id", "household_id", "name", "dob", "ssn" } };
        var services = new List<object[]> { new object[] { "member_id", "service_date", "diagnosis", "provider" } };
        var start = _people.Count;
        var half = quota / 2;
        for (var i = 0; i < half; i++)
        {
            var p = NewPerson("spreadsheets");
            caseload.Add([p.Last + ", " + p.First, p.Dob, p.Ssn!, p.Street, p.City, p.State, p.Zip, worker, DecoySsn("invoice", Caseload)]);
            p.Expose(Caseload, "name", "dob", "ssn", "address");
        }

        NonPerson("staff", worker, Caseload);
        var h = 0;
        var m = 0;
        while (_people.Count - start < quota)
        {
            h++;
            var address = NewAddress();
            var hid = Invariant($"H-{h:000}");
            households.Add([hid, address.Street, address.City, address.State, address.Zip]);
            var last = Pick(Lasts);
            for (var k = 0; k < 1 + (h % 3); k++)
            {
                m++;
                var p = NewPerson("spreadsheets", last: last, address: address);
                var mid = Invariant($"M-{m:0000}");
                members.Add([mid, hid, p.First + " " + p.Last, p.Dob, p.Ssn!]);
                var elements = new List<string> { "name", "dob", "ssn", "address" };
                if (m % 2 == 0)
                {
                    var term = Pick(Conditions);
                    p.Medical.Add(term);
                    var doctor = Pick(Prescribers);
                    services.Add([mid, new DateOnly(2023, 3, 1).AddDays(m), term, "Dr. " + doctor]);
                    NonPerson("prescriber", doctor, Linked);
                    elements.Add("medical");
                }

                p.Expose(Linked, [.. elements]);
            }
        }

        Binary(Caseload, StableFiles.Xlsx(("Caseload", caseload)));
        Binary(Linked, StableFiles.Xlsx(("Households", households), ("Members", members), ("Services", services)));
    }

    private void WordForms(int quota)
    {
        var start = _people.Count;
        var form = 0;
        while (_people.Count - start < quota)
        {
            form++;
            var path = Invariant($"Intake/Forms/intake_{form:000}.docx");
            var address = NewAddress();
            var p = NewPerson("word-forms", address: address);
            var worker = Pick(Staff);
            var blocks = new List<object>
            {
                "County Department of Human Services",
                "Application Intake Form",
                new[]
                {
                    new[] { "Name", p.FullName },
                    new[] { "Date of Birth", Date(p.Dob, form) },
                    new[] { "SSN", p.Ssn! },
                    new[] { "Address", p.Street + "\n" + p.City + ", " + p.State + " " + p.Zip },
                    new[] { "Caseworker", worker },
                    new[] { "Confirmation #", DecoySsn("confirmation", path) },
                },
                "Household members",
            };
            p.Expose(path, "name", "dob", "ssn", "address");
            NonPerson("staff", worker, path);
            var table = new List<string[]> { new[] { "Name", "DOB", "Relationship" } };
            for (var k = 0; k < 1 + (form % 3); k++)
            {
                var member = NewPerson("word-forms", last: k == 0 ? p.Last : null, address: address);
                member.Ssn = null;
                table.Add([member.First + " " + member.Last, Date(member.Dob, form + k + 1), k == 0 ? "Spouse" : "Other"]);
                member.Expose(path, "name", "dob");
            }

            blocks.Add(table.ToArray());
            blocks.Add("Signature of applicant: ____________________   Date: 04/17/2024");
            Binary(path, StableFiles.Docx(blocks));
        }
    }

    private void Letters(int quota)
    {
        for (var i = 0; i < quota; i++)
        {
            var p = NewPerson("letters");
            var docx = i % 2 == 0;
            var path = Invariant($"Correspondence/{(docx ? "letter" : "notice")}_{i + 1:000}.{(docx ? "docx" : "txt")}");
            var title = p.Female ? "Ms." : "Mr.";
            var signer = Staff[i % Staff.Length];
            var claim = DecoySsn("claim", path);
            var lines = new List<string> { "Montana Department of Public Health and Human Services", "PO Box 4210, Helena, MT 59604", string.Empty, "March 4, 2025", string.Empty, title + " " + p.First + " " + p.Last };
            if (i % 3 == 0)
            {
                lines.Add(p.Street + ", " + p.City + ", " + p.State + " " + p.Zip);
            }
            else
            {
                lines.Add(p.Street);
                lines.Add(p.City + ", " + p.State + " " + p.Zip);
            }

            lines.Add(string.Empty);
            var elements = new List<string> { "name", "address" };
            if (i % 2 == 0)
            {
                lines.Add(Invariant($"Re: Your application, DOB {p.Dob:MM/dd/yyyy}"));
                elements.Add("dob");
            }
            else
            {
                lines.Add("Re: Claim number " + claim);
            }

            lines.AddRange([string.Empty, "Dear " + title + " " + p.Last + ",", string.Empty, "We are writing to let you know that your application for benefits has been received. Please call us if any of the information above is wrong.", string.Empty, "Sincerely,", string.Empty, signer, "Eligibility Specialist", "Reference No. " + claim]);
            p.Expose(path, [.. elements]);
            NonPerson("staff", signer, path);
            if (docx)
            {
                Binary(path, StableFiles.Docx([.. lines.Cast<object>()]));
            }
            else
            {
                Text(path, string.Join("\r\n", lines) + "\r\n");
            }
        }
    }

    private void CaseNotes(int quota)
    {
        const string A = "CaseNotes/notes_2025_03.txt";
        const string B = "CaseNotes/worker_b_notes.txt";
        var a = new StringBuilder("CASE NOTES - INTAKE UNIT - MARCH 2025\n\n");
        var b = new StringBuilder("Worker B case notes (printed on 03/05/2025)\n\n");
        for (var i = 0; i < quota; i++)
        {
            var p = NewPerson("case-notes");
            var path = i % 2 == 0 ? A : B;
            var sb = i % 2 == 0 ? a : b;
            var title = p.Female ? "Mrs." : "Mr.";
            var today = new DateOnly(2025, 3, 1).AddDays(i % 25);
            var worker = Pick(Staff);
            switch (i % 4)
            {
                case 0:
                    var term = Pick(Conditions);
                    p.Medical.Add(term);
                    sb.Append(Invariant($"{today:MM/dd/yyyy} Spoke with {title} {p.Last} (DOB {p.Dob:M/d/yy}) about the renewal. Client {p.First} {p.MiddleDotted}{p.Last} reports {term.ToLowerInvariant()} and lives at {p.Street}, {p.City}, {p.State} {p.Zip}. Today is {today:MM/dd/yyyy}. -- {worker}\n\n"));
                    p.Expose(path, "name", "dob", "medical", "address");
                    break;
                case 1:
                    sb.Append(Invariant($"Home visit on {today:M/d/yyyy}: client {p.First} {p.MiddleDotted}{p.Last}, born {p.Dob:MMMM d, yyyy}, at {p.Street}, {p.City}, {p.State} {p.Zip}. {(p.Female ? "Her" : "His")} son Daniel, 12, was present. As of {today:MM/dd/yyyy} the case stays open. -- {worker}\n\n"));
                    p.Expose(path, "name", "dob", "address");
                    break;
                case 2:
                    p.Suffix = p.Female ? null : "Sr";
                    sb.Append(Invariant($"{Fold(p.Last).ToUpperInvariant()}, {Fold(p.First).ToUpperInvariant()} {p.MiddleInitial}{(p.Suffix is null ? string.Empty : " SR")} SSN {p.Ssn} DOB {p.Dob:MM/dd/yyyy}. Referred to Dr. {Prescribers[i % Prescribers.Length]}, MD (NPI {Npi(path)}). Printed on {today:MM/dd/yyyy}.\n\n"));
                    NonPerson("prescriber", Prescribers[i % Prescribers.Length], path);
                    p.Expose(path, "name", "ssn", "dob");
                    break;
                default:
                    var drug = Pick(Medications);
                    p.Medical.Add(drug);
                    sb.Append(Invariant($"Phone call {today:MM/dd/yyyy}. {p.First} {p.Last} ({p.Dob:MM/dd/yyyy}) asked about the {drug} refill; ticket {DecoySsn("ticket", path)} opened. Mailing address {p.Street}, {p.City}, {p.State} {p.Zip}. -- {worker}\n\n"));
                    p.Expose(path, "name", "dob", "medical", "address");
                    break;
            }

            NonPerson("staff", worker, path);
        }

        Text(A, a.ToString());
        Text(B, b.ToString());
    }

    private void Email(int quota)
    {
        const string Mbox = "Mail/kwhitlow.mbox";
        var mbox = new StringBuilder();
        var date = new DateTimeOffset(2024, 2, 5, 8, 30, 0, TimeSpan.Zero);
        var eml = 0;
        var forwards = new List<Person>();
        for (var i = 0; i < quota; i += 3)
        {
            var group = new List<Person>();
            for (var k = 0; k < 3 && i + k < quota; k++)
            {
                var p = NewPerson("email");
                GiveLicence(p);
                group.Add(p);
            }

            date = date.AddHours(7);
            var html = new StringBuilder("<html><body><p>Hi team,</p><p>Please process the following licence renewals:</p>\n");
            if (i % 2 == 0)
            {
                html.Append("<table border=\"1\"><tr><th>Name</th><th>Driver License</th><th>SSN</th></tr>\n");
                foreach (var p in group)
                {
                    html.Append(Invariant($"<tr><td>{X(p.First + " " + p.Last)}</td><td>{p.DlState} {SyntheticIdentifiers.WrittenLicence(p.DlState!, p.DlNumber!)}</td><td>{p.Ssn}</td></tr>\n"));
                }

                html.Append("</table>\n");
            }
            else
            {
                foreach (var p in group)
                {
                    html.Append(Invariant($"<p>Applicant: <b>{X(p.FullName)}</b><br>DL {p.DlState} {SyntheticIdentifiers.WrittenLicence(p.DlState!, p.DlNumber!)}<br>SSN {p.Ssn}<br>DOB {p.Dob:MM/dd/yyyy}</p>\n"));
                }
            }

            html.Append(Invariant($"<p>Order ref {DecoySsn("reference", "Mail/")}</p><p>--<br>Karen Whitlow<br>Driver Services | (217) 555-0142</p></body></html>\n"));
            var mail = Mail("Karen Whitlow <kwhitlow@agency.example.gov>", "Driver Services <drivers@agency.example.gov>", "Renewals batch " + (i / 3 + 1).ToString(CultureInfo.InvariantCulture), date, html.ToString());
            string path;
            if ((i / 3) % 2 == 0)
            {
                path = Mbox;
                mbox.Append(Invariant($"From kwhitlow@agency.example.gov {date.UtcDateTime:ddd MMM d HH:mm:ss yyyy}\n")).Append(mail.Replace("\nFrom ", "\n>From ", StringComparison.Ordinal)).Append('\n');
            }
            else
            {
                eml++;
                path = Invariant($"Mail/intake-inbox/{eml:0000}.eml");
                Text(path, mail);
            }

            foreach (var p in group)
            {
                p.Expose(path, i % 2 == 0 ? ["name", "driversLicense", "ssn"] : ["name", "driversLicense", "ssn", "dob"]);
            }

            NonPerson("staff", "Karen Whitlow", path);
            forwards.Add(group[0]);
        }

        foreach (var p in forwards.Where((_, k) => k % 2 == 0))
        {
            eml++;
            date = date.AddHours(3);
            var path = Invariant($"Mail/intake-inbox/{eml:0000}.eml");
            var body = Invariant($"<html><body><p>Can you call {X(p.First + " " + p.Last)} back? They asked about the renewal again.</p><p>---------- Forwarded message ---------<br>From: Karen Whitlow &lt;kwhitlow@agency.example.gov&gt;<br>Subject: Renewals batch</p><p>--<br>Gregory Ambrose<br>Supervisor, Driver Services</p></body></html>\n");
            Text(path, Mail("Gregory Ambrose <gambrose@agency.example.gov>", "Karen Whitlow <kwhitlow@agency.example.gov>", "Fw: Renewals batch", date, body));
            p.Expose(path, "name");
            NonPerson("staff", "Gregory Ambrose", path);
        }

        Text(Mbox, mbox.ToString());
    }

    private void PdfForms(int quota)
    {
        var pages = new List<List<(double X, double Y, string Text)>>();
        var batch = 0;
        for (var i = 0; i < quota; i++)
        {
            var p = NewPerson("pdf-forms");
            var path = Invariant($"Scans/applications_batch_{(i / 8) + 1:00}.pdf");
            var withDl = i % 2 == 0;
            if (withDl)
            {
                GiveLicence(p);
            }

            var reviewer = Pick(Staff);
            var page = new List<(double, double, string)>
            {
                (50, 750, "APPLICATION FOR ASSISTANCE"),
                (50, 710, "Applicant Name"), (50, 694, p.FullName),
                (320, 710, "Mailing Address"), (320, 694, p.Street), (320, 680, p.City + ", " + p.State + " " + p.Zip),
                (50, 660, "Date of Birth"), (50, 644, Date(p.Dob, i)),
                (320, 640, "Reference No."), (320, 624, DecoySsn("reference", path)),
                (50, 610, "Social Security Number"), (50, 594, p.Ssn!),
                (50, 520, "Reviewed by: " + reviewer),
            };
            if (withDl)
            {
                page.Add((320, 590, "Driver's License"));
                page.Add((320, 574, p.DlState + " " + SyntheticIdentifiers.WrittenLicence(p.DlState!, p.DlNumber!)));
            }

            pages.Add(page);
            p.Expose(path, withDl ? ["name", "address", "dob", "ssn", "driversLicense"] : ["name", "address", "dob", "ssn"]);
            NonPerson("staff", reviewer, path);
            if (i % 8 == 7 || i == quota - 1)
            {
                batch++;
                Binary(path, StableFiles.Pdf(pages));
                pages = [];
            }
        }
    }

    private void Decoys(int quota)
    {
        const string Directory = "Finance/staff_directory.csv";
        const string Invoices = "Finance/vendor_invoices.csv";
        const string Rx = "Finance/prescribers.txt";
        const string Followups = "Finance/medicare_followups.txt";
        var dir = new StringBuilder("Employee,Title,Extension,Employee ID\n");
        foreach (var s in Staff)
        {
            dir.Append(Invariant($"{s},Eligibility Specialist,(406) 555-01{_random.Next(10, 100)},{DecoySsn("employee-id", Directory)}\n"));
            NonPerson("staff", s, Directory);
        }

        var inv = new StringBuilder("Vendor,Invoice No,Claim No,Amount,Approved By\n");
        foreach (var v in Vendors)
        {
            inv.Append(Invariant($"{v},{DecoySsn("invoice", Invoices)},{DecoySsn("claim", Invoices)},{_random.Next(100, 9000)}.00,{Staff[3]}\n"));
            NonPerson("vendor", v, Invoices);
        }

        var rx = new StringBuilder("Prescriber roster\n\n");
        foreach (var d in Prescribers)
        {
            rx.Append(Invariant($"Dr. {d}, MD  NPI {Npi(Rx)}  DEA {Dea(d, Rx)}  Phone (406) 555-01{_random.Next(10, 100)}\n"));
            NonPerson("prescriber", d, Rx);
        }

        var notes = new StringBuilder("Medicare and tax-clinic follow-ups\n\n");
        for (var i = 0; i < quota; i++)
        {
            var p = NewPerson("decoys");
            p.Ssn = null;
            if (i % 2 == 0)
            {
                p.Mbi = Mbi();
                notes.Append(Invariant($"Called {p.First} {p.Last} back on 03/04/2025 - {p.Mbi[..4]}-{p.Mbi[4..7]}-{p.Mbi[7..]} - born {p.Dob:MM/dd/yyyy}, still at {p.Street}, {p.City}, {p.State} {p.Zip}. Invoice {DecoySsn("invoice", Followups)} paid.\n"));
                p.Expose(Followups, "name", "mbi", "dob", "address");
            }
            else
            {
                p.Itin = Itin();
                notes.Append(Invariant($"Tax clinic: {p.First} {p.Last}, {p.Itin}, {p.Street}, {p.City}, {p.State} {p.Zip}. Confirmation {DecoySsn("confirmation", Followups)}.\n"));
                p.Expose(Followups, "name", "itin", "address");
            }
        }

        Text(Directory, dir.ToString());
        Text(Invoices, inv.ToString());
        Text(Rx, rx.ToString());
        Text(Followups, notes.ToString());
    }

    private void CrossFile()
    {
        const string Legacy = "Archive/legacy_clients_2015.csv";
        const string Followups = "CaseNotes/followups_2024.txt";
        var csv = new StringBuilder("Client,DOB,SSN,DL,Address,Ticket\n");
        var notes = new StringBuilder("Follow-up calls, 2024\n\n");
        var candidates = _people.Where(p => !p.Categories.Contains("households") && !p.Categories.Contains("decoys")).ToList();
        var k = 0;
        for (var i = 0; i < candidates.Count; i += 7)
        {
            var p = candidates[i];
            p.Categories.Add("cross-file");
            switch (k++ % 5)
            {
                case 0 when Nicknames.TryGetValue(p.First, out var nick):
                    csv.Append(Invariant($"{Csv(nick + " " + p.Last)},{p.Dob:MM/dd/yyyy},,,{Csv(p.AddressLine)},{DecoySsn("ticket", Legacy)}\n"));
                    p.Expose(Legacy, "name", "dob", "address");
                    break;
                case 1 when p.Female && p.Ssn is not null:
                    p.Maiden ??= PickOther(p.Last);
                    csv.Append(Invariant($"{Csv(p.First + " " + p.Maiden)},{p.Dob:MM/dd/yyyy},{p.Ssn},,,{DecoySsn("ticket", Legacy)}\n"));
                    p.Expose(Legacy, "name", "dob", "ssn");
                    break;
                case 2:
                    var typo = Typo(p.Last);
                    csv.Append(Invariant($"{Csv(p.First + " " + typo)},{p.Dob:yyyy-MM-dd},,,{Csv(p.AddressLine)},{DecoySsn("ticket", Legacy)}\n"));
                    p.Expose(Legacy, "name", "dob", "address");
                    break;
                case 3 when p.Ssn is not null:
                    var accents = Fold(p.First) != p.First || Fold(p.Last) != p.Last;
                    var shown = accents ? Fold(p.First) + " " + Fold(p.Last) : p.First + " " + (p.Middle ?? "Q") + " " + p.Last;
                    if (!accents && p.Middle is null)
                    {
                        shown = p.First + " " + p.Last;
                    }

                    notes.Append(Invariant($"Left a message for {shown}, SSN {p.Ssn}, about the annual review. Printed on 06/01/2024.\n\n"));
                    p.Expose(Followups, "name", "ssn");
                    break;
                default:
                    if (p.DlNumber is not null)
                    {
                        csv.Append(Invariant($"{Csv(Fold(p.Last).ToUpperInvariant() + ", " + Fold(p.First).ToUpperInvariant())},,,{p.DlState} {p.DlNumber},,{DecoySsn("ticket", Legacy)}\n"));
                        p.Expose(Legacy, "name", "driversLicense");
                    }
                    else
                    {
                        notes.Append(Invariant($"{Fold(p.Last).ToUpperInvariant()}, {Fold(p.First).ToUpperInvariant()} - DOB {p.Dob:MM/dd/yyyy} - called about a lost card; lives at {p.AddressLine}.\n\n"));
                        p.Expose(Followups, "name", "dob", "address");
                    }

                    break;
            }
        }

        Text(Legacy, csv.ToString());
        Text(Followups, notes.ToString());
    }

    // ---------------------------------------------------------------- people and values

    private Person NewPerson(string category, bool? female = null, string? last = null, Address? address = null, bool middleInitialOnly = false)
    {
        var f = female ?? _random.Next(2) == 0;
        var first = Pick(f ? FemaleFirsts : MaleFirsts);
        var middleRoll = _random.Next(10);
        var middle = middleRoll < 2 ? null : Pick(f ? FemaleMiddles : MaleMiddles);
        if (middle is not null && (middleInitialOnly || middleRoll < 7))
        {
            middle = Fold(middle)[..1];
        }

        var a = address ?? NewAddress();
        var p = new Person
        {
            Id = Invariant($"P{++_nextId:0000}"),
            Female = f,
            First = first,
            Middle = middle,
            Last = last ?? Pick(Lasts),
            Dob = new DateOnly(1940, 1, 1).AddDays(_random.Next(0, 365 * 65)),
            Ssn = NewSsn(),
            Street = a.Street,
            City = a.City,
            State = a.State,
            Zip = a.Zip,
        };
        p.Categories.Add(category);
        _people.Add(p);
        return p;
    }

    private void GiveLicence(Person p)
    {
        p.Middle ??= Pick(p.Female ? FemaleMiddles : MaleMiddles)[..1];
        p.DlState = p.State;
        string number;
        do
        {
            number = SyntheticIdentifiers.Licence(p.State, Fold(p.First).ToUpperInvariant(), Fold(p.Middle).ToUpperInvariant(), Fold(p.Last).Replace("'", string.Empty, StringComparison.Ordinal), p.Female, p.Dob, _random);
        }
        while (!_usedNumbers.Add("dl:" + number));

        p.DlNumber = number;
    }

    private Address NewAddress()
    {
        while (true)
        {
            var place = Pick(Places);
            var street = Invariant($"{_random.Next(10, 9999)} {Pick(Streets)} {Pick(StreetTypes)}");
            var zip = place.Zip + _random.Next(1, 100).ToString("00", CultureInfo.InvariantCulture);
            if (_usedAddresses.Add(street + "|" + zip))
            {
                return new Address(street, place.City, place.State, zip);
            }
        }
    }

    private string NewSsn()
    {
        while (true)
        {
            // Area 000, 666 and 900-999, group 00 and serial 0000 were never issued; two numbers are famous misuses.
            var area = _random.Next(1, 900);
            var ssn = Invariant($"{area:000}-{_random.Next(1, 100):00}-{_random.Next(1, 10000):0000}");
            if (area != 666 && ssn != "123-45-6789" && ssn != "078-05-1120" && _usedNumbers.Add(Digits(ssn)))
            {
                return ssn;
            }
        }
    }

    /// <summary>A labelled number that is a valid SSN shape but belongs to nobody.</summary>
    private string DecoySsn(string kind, string path)
    {
        var value = NewSsn();
        NonPerson("decoy", kind + " " + value, path);
        return value;
    }

    private string Itin()
    {
        while (true)
        {
            var itin = Invariant($"9{_random.Next(0, 100):00}-7{_random.Next(0, 9)}-{_random.Next(1, 10000):0000}");
            if (_usedNumbers.Add(Digits(itin)))
            {
                return itin;
            }
        }
    }

    private string Mbi()
    {
        while (true)
        {
            char L() => MbiLetters[_random.Next(MbiLetters.Length)];
            char D() => (char)('0' + _random.Next(10));
            char An() => _random.Next(2) == 0 ? L() : D();
            var mbi = new string([(char)('1' + _random.Next(9)), L(), An(), D(), L(), An(), D(), L(), L(), D(), D()]);
            if (_usedNumbers.Add(mbi))
            {
                return mbi;
            }
        }
    }

    private string Npi(string path)
    {
        while (true)
        {
            var body = "1" + _random.Next(0, 100_000_000).ToString("00000000", CultureInfo.InvariantCulture);
            var npi = body + Luhn("80840" + body);
            if (_usedNumbers.Add(npi))
            {
                NonPerson("decoy", "npi " + npi, path);
                return npi;
            }
        }
    }

    private string Dea(string prescriber, string path)
    {
        var d = Enumerable.Range(0, 6).Select(_ => _random.Next(10)).ToArray();
        var check = (d[0] + d[2] + d[4] + (2 * (d[1] + d[3] + d[5]))) % 10;
        var dea = "B" + char.ToUpperInvariant(prescriber.Split(' ')[^1][0]) + string.Concat(d) + check.ToString(CultureInfo.InvariantCulture);
        NonPerson("decoy", "dea " + dea, path);
        return dea;
    }

    private static char Luhn(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var digit = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    private string Phone() => Invariant($"({Pick(["406", "217", "608", "312"])}) 555-01{_random.Next(0, 100):00}");

    private string Typo(string last)
    {
        var chars = last.ToCharArray();
        var at = 1 + _random.Next(Math.Max(1, chars.Length - 2));
        chars[at] = chars[at] == 'e' ? 'a' : 'e';
        return new string(chars);
    }

    private string PickOther(string last)
    {
        while (true)
        {
            var other = Pick(Lasts);
            if (other != last)
            {
                return other;
            }
        }
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private void NonPerson(string kind, string label, string path)
    {
        var item = new TruthNonPerson(kind, label, path);
        if (kind != "staff" && kind != "prescriber" || !_nonPersons.Contains(item))
        {
            _nonPersons.Add(item);
        }
    }

    // ---------------------------------------------------------------- text helpers

    private void Text(string path, string text) => _files[path] = Encoding.UTF8.GetBytes(text);

    private void Binary(string path, byte[] content) => _files[path] = content;

    private static string Date(DateOnly d, int style) => (style % 4) switch
    {
        0 => d.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture),
        1 => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        2 => d.ToString("M/d/yyyy", CultureInfo.InvariantCulture),
        _ => d.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture),
    };

    private static string Pad(string s, int width) => s.Length >= width ? s[..width] : s.PadRight(width);

    private static string Digits(string s) => new([.. s.Where(char.IsAsciiDigit)]);

    private static string Csv(string s) => s.Contains(',', StringComparison.Ordinal) || s.Contains('"', StringComparison.Ordinal) ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private static string Sq(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static string J(string? s) => "\"" + (s ?? string.Empty).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string X(string s) => SecurityElement.Escape(s);

    /// <summary>Accents stripped (Ordóñez → Ordonez).</summary>
    internal static string Fold(string s)
    {
        var decomposed = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(c);
            }
        }

        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    private static string Mail(string from, string to, string subject, DateTimeOffset date, string html)
    {
        var id = Invariant($"{date.ToUnixTimeSeconds()}.{subject.Length}@mail.example.org");
        return Invariant($"From: {from}\nTo: {to}\nSubject: {subject}\nDate: {date.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)}\nMessage-ID: <{id}>\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{html}");
    }

    internal sealed record Address(string Street, string City, string State, string Zip);

    internal sealed class Person
    {
        public string Id { get; set; } = string.Empty;

        public List<string> Categories { get; } = [];

        public bool Female { get; set; }

        public string First { get; set; } = string.Empty;

        public string? Middle { get; set; }

        public string Last { get; set; } = string.Empty;

        public string? Suffix { get; set; }

        public string? Maiden { get; set; }

        public DateOnly Dob { get; set; }

        public string? Ssn { get; set; }

        public string? DlState { get; set; }

        public string? DlNumber { get; set; }

        public string? Itin { get; set; }

        public string? Mbi { get; set; }

        public string? Phone { get; set; }

        public string Street { get; set; } = string.Empty;

        public string City { get; set; } = string.Empty;

        public string State { get; set; } = string.Empty;

        public string Zip { get; set; } = string.Empty;

        public List<string> Medical { get; } = [];

        public SortedDictionary<string, SortedSet<string>> Files { get; } = new(StringComparer.Ordinal);

        public string MiddleInitial => Middle is null ? string.Empty : Fold(Middle)[..1];

        /// <summary>"R. " for a middle name, nothing without one (never a stray ". ").</summary>
        public string MiddleDotted => Middle is null ? string.Empty : MiddleInitial + ". ";

        public string FullName => string.Join(' ', new[] { First, Middle is { Length: 1 } ? Middle + "." : Middle, Last, Suffix }.Where(s => !string.IsNullOrEmpty(s)));

        public string AddressLine => Street + ", " + City + ", " + State + " " + Zip;

        /// <summary>Records that <paramref name="elements"/> of this person are written in the file at <paramref name="path"/>.</summary>
        public void Expose(string path, params string[] elements)
        {
            if (!Files.TryGetValue(path, out var set))
            {
                Files[path] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.UnionWith(elements);
        }

        public TruthPerson Freeze() => new(
            Id, [.. Categories], First, Middle, Last, Suffix, Maiden, Female, Dob,
            Files.Values.Any(f => f.Contains("ssn")) ? Ssn : null,
            DlState, DlNumber, Itin, Mbi, Phone, Street, City, State, Zip, [.. Medical.Distinct(StringComparer.Ordinal)],
            [.. Files.Select(f => new TruthExposure(f.Key, [.. f.Value]))]);
    }
}

/// <summary>
/// Docx, xlsx and PDF files written by hand (minimal parts, fixed zip timestamps, no random ids), so the same
/// description always gives the same bytes.
/// </summary>
internal static class StableFiles
{
    private static readonly DateTimeOffset Stamp = new(2024, 4, 17, 9, 0, 0, TimeSpan.Zero);
    private const string Rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>A document of blocks: a string is a paragraph, a <c>string[][]</c> a table (a <c>\n</c> in a cell starts a new paragraph).</summary>
    public static byte[] Docx(IReadOnlyList<object> blocks)
    {
        var body = new StringBuilder();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case string text:
                    body.Append(Paragraph(text));
                    break;
                case string[][] rows:
                    body.Append("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>");
                    foreach (var row in rows)
                    {
                        body.Append("<w:tr>");
                        foreach (var cell in row)
                        {
                            body.Append("<w:tc>");
                            foreach (var line in cell.Split('\n'))
                            {
                                body.Append(Paragraph(line));
                            }

                            body.Append("</w:tc>");
                        }

                        body.Append("</w:tr>");
                    }

                    body.Append("</w:tbl>").Append(Paragraph(string.Empty));
                    break;
                default:
                    throw new ArgumentException("a block is a string or a string[][]", nameof(blocks));
            }
        }

        return Zip(
            ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"),
            ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" + Rels + "/officeDocument\" Target=\"word/document.xml\"/></Relationships>"),
            ("word/document.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>" + body + "</w:body></w:document>"));

        static string Paragraph(string text) => text.Length == 0 ? "<w:p/>" : "<w:p><w:r><w:t xml:space=\"preserve\">" + SecurityElement.Escape(text) + "</w:t></w:r></w:p>";
    }

    /// <summary>A workbook of sheets; cells are strings, <see cref="DateOnly"/> (a date serial shown as m/d/yyyy) or null.</summary>
    public static byte[] Xlsx(params (string Name, List<object[]> Rows)[] sheets)
    {
        var strings = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var parts = new List<(string, string)>();
        for (var s = 0; s < sheets.Length; s++)
        {
            var data = new StringBuilder();
            for (var r = 0; r < sheets[s].Rows.Count; r++)
            {
                var row = sheets[s].Rows[r];
                data.Append(Invariant($"<row r=\"{r + 1}\">"));
                for (var c = 0; c < row.Length; c++)
                {
                    var reference = Invariant($"{(char)('A' + c)}{r + 1}");
                    switch (row[c])
                    {
                        case string text:
                            if (!index.TryGetValue(text, out var i))
                            {
                                index[text] = i = strings.Count;
                                strings.Add(text);
                            }

                            data.Append(Invariant($"<c r=\"{reference}\" t=\"s\"><v>{i}</v></c>"));
                            break;
                        case DateOnly date:
                            data.Append(Invariant($"<c r=\"{reference}\" s=\"1\"><v>{date.DayNumber - new DateOnly(1899, 12, 30).DayNumber}</v></c>"));
                            break;
                        default:
                            break;
                    }
                }

                data.Append("</row>");
            }

            parts.Add((Invariant($"xl/worksheets/sheet{s + 1}.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" + data + "</sheetData></worksheet>"));
        }

        var types = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>");
        var workbook = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"" + Rels + "\"><sheets>");
        var rels = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
        for (var s = 0; s < sheets.Length; s++)
        {
            types.Append(Invariant($"<Override PartName=\"/xl/worksheets/sheet{s + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"));
            workbook.Append(Invariant($"<sheet name=\"{SecurityElement.Escape(sheets[s].Name)}\" sheetId=\"{s + 1}\" r:id=\"rId{s + 1}\"/>"));
            rels.Append(Invariant($"<Relationship Id=\"rId{s + 1}\" Type=\"{Rels}/worksheet\" Target=\"worksheets/sheet{s + 1}.xml\"/>"));
        }

        types.Append("</Types>");
        workbook.Append("</sheets></workbook>");
        rels.Append(Invariant($"<Relationship Id=\"rId{sheets.Length + 1}\" Type=\"{Rels}/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId{sheets.Length + 2}\" Type=\"{Rels}/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"));
        var shared = new StringBuilder(Invariant($"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{strings.Count}\" uniqueCount=\"{strings.Count}\">"));
        foreach (var s in strings)
        {
            shared.Append("<si><t xml:space=\"preserve\">").Append(SecurityElement.Escape(s)).Append("</t></si>");
        }

        shared.Append("</sst>");
        var styles = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"m/d/yyyy\"/></numFmts><fonts count=\"1\"><font/></fonts><fills count=\"1\"><fill/></fills><borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf/></cellStyleXfs><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>";
        return Zip([
            ("[Content_Types].xml", types.ToString()),
            ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" + Rels + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
            ("xl/workbook.xml", workbook.ToString()),
            ("xl/_rels/workbook.xml.rels", rels.ToString()),
            ("xl/styles.xml", styles),
            ("xl/sharedStrings.xml", shared.ToString()),
            .. parts,
        ]);
    }

    /// <summary>A PDF with a Helvetica text layer: per page, text drawn at (x, y) points from the bottom left.</summary>
    public static byte[] Pdf(IReadOnlyList<List<(double X, double Y, string Text)>> pages)
    {
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            string.Empty,
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        };
        var kids = new List<string>();
        foreach (var page in pages)
        {
            var content = new StringBuilder();
            foreach (var (x, y, text) in page)
            {
                content.Append(Invariant($"BT /F1 11 Tf 1 0 0 1 {x:0.##} {y:0.##} Tm ({Escape(text)}) Tj ET\n"));
            }

            var stream = content.ToString();
            objects.Add(Invariant($"<< /Length {stream.Length} >>\nstream\n{stream}endstream"));
            var contentId = objects.Count;
            objects.Add(Invariant($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {contentId} 0 R >>"));
            kids.Add(Invariant($"{objects.Count} 0 R"));
        }

        objects[1] = Invariant($"<< /Type /Pages /Kids [{string.Join(' ', kids)}] /Count {kids.Count} >>");
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(Invariant($"{i + 1} 0 obj\n{objects[i]}\nendobj\n"));
        }

        var xref = pdf.Length;
        pdf.Append(Invariant($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n"));
        foreach (var offset in offsets)
        {
            pdf.Append(Invariant($"{offset:0000000000} 00000 n \n"));
        }

        pdf.Append(Invariant($"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"));
        return Encoding.ASCII.GetBytes(pdf.ToString());

        // WinAnsi: the Latin-1 letters used here have the same code; written as octal escapes to keep the file ASCII.
        static string Escape(string text)
        {
            var sb = new StringBuilder();
            foreach (var c in text)
            {
                if (c is '(' or ')' or '\\')
                {
                    sb.Append('\\').Append(c);
                }
                else if (c > 126)
                {
                    sb.Append('\\').Append(Convert.ToString((int)(c <= 255 ? c : '?'), 8));
                }
                else
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }
    }

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = Stamp;
                using var stream = entry.Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return buffer.ToArray();
    }
}
