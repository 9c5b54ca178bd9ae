using System.Globalization;
using System.Text;

namespace PiiScanner.Testing;

/// <summary>A synthetic person with the values the share exposes. Entirely made up.</summary>
public sealed record SyntheticPerson(
    int Number,
    string First,
    string Middle,
    string Last,
    string Nickname,
    string Ssn,
    DateOnly Dob,
    string Street,
    string City,
    string State,
    string Zip)
{
    /// <summary>SSN as 9 digits.</summary>
    public string SsnDigits => Ssn.Replace("-", string.Empty, StringComparison.Ordinal);

    /// <summary>Address as detection normalises it.</summary>
    public string Address => $"{Street}, {City}, {State} {Zip}";
}

/// <summary>What a generated share holds: the people and the decoys that must not become people.</summary>
public sealed record SyntheticShareTruth(IReadOnlyList<SyntheticPerson> People, IReadOnlyList<string> DecoyValues, int Files, long Bytes);

/// <summary>
/// Generates a synthetic file share for end-to-end tests and the whole-scan benchmark: people spread over CSV,
/// pipe-delimited, JSON, UTF-16 notes and log files, some of them in several files under name variants
/// (nickname, <c>LAST, FIRST</c>), with decoys: invoice numbers shaped like SSNs in invalid ranges, phone
/// numbers, visit and service dates. Deterministic for a seed. No real person's data: names are random
/// combinations of common words and numbers are random within the valid ranges.
/// </summary>
public static class SyntheticShare
{
    private static readonly string[] Firsts = ["William", "Robert", "Elizabeth", "Margaret", "James", "Katherine", "Thomas", "Patricia", "Richard", "Jennifer", "Charles", "Susan", "Joseph", "Deborah", "Daniel", "Rebecca", "Matthew", "Christine", "Anthony", "Victoria", "Andrew", "Samantha", "Joshua", "Theresa", "Nicholas", "Abigail", "Benjamin", "Jacqueline", "Edward", "Alexandra"];
    private static readonly Dictionary<string, string> Nicknames = new(StringComparer.Ordinal)
    {
        ["William"] = "Bill", ["Robert"] = "Bob", ["Elizabeth"] = "Liz", ["Margaret"] = "Peggy", ["James"] = "Jim",
        ["Katherine"] = "Kate", ["Thomas"] = "Tom", ["Patricia"] = "Patty", ["Richard"] = "Dick", ["Jennifer"] = "Jenny",
        ["Charles"] = "Chuck", ["Susan"] = "Sue", ["Joseph"] = "Joe", ["Deborah"] = "Debbie", ["Daniel"] = "Dan",
        ["Rebecca"] = "Becky", ["Matthew"] = "Matt", ["Christine"] = "Chris", ["Anthony"] = "Tony", ["Victoria"] = "Vicky",
        ["Andrew"] = "Andy", ["Samantha"] = "Sam", ["Joshua"] = "Josh", ["Theresa"] = "Terry", ["Nicholas"] = "Nick",
        ["Abigail"] = "Abby", ["Benjamin"] = "Ben", ["Jacqueline"] = "Jackie", ["Edward"] = "Ed", ["Alexandra"] = "Alex",
    };

    private static readonly string[] Lasts = ["Abernathy", "Blackwood", "Castellano", "Delacroix", "Eastwick", "Fairbanks", "Galloway", "Hawthorne", "Ingersoll", "Jablonski", "Kowalczyk", "Lindqvist", "Montgomery", "Northcott", "Oyelaran", "Pemberton", "Quintero", "Rosenthal", "Sutherland", "Thornbury", "Underhill", "Vasquez", "Whitfield", "Yamamoto", "Zielinski", "Ashworth", "Brennan", "Cartwright", "Donnelly", "Ellsworth", "Fitzgerald", "Greenleaf", "Holloway", "Kingsley", "Lockhart", "Merriweather"];
    private static readonly string[] Middles = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "T", "W"];
    private static readonly string[] Streets = ["Oak", "Maple", "Cedar", "Pine", "Elm", "Birch", "Willow", "Spruce", "Aspen", "Juniper", "Sycamore", "Magnolia"];
    private static readonly string[] Suffixes = ["St", "Ave", "Rd", "Dr", "Ln", "Ct", "Blvd", "Way"];
    private static readonly (string City, string State, string ZipPrefix)[] Places = [("Helena", "MT", "596"), ("Springfield", "IL", "627"), ("Billings", "MT", "591"), ("Peoria", "IL", "616"), ("Missoula", "MT", "598"), ("Naperville", "IL", "605"), ("Bozeman", "MT", "597"), ("Rockford", "IL", "611")];

    /// <summary>Creates <paramref name="count"/> distinct synthetic people.</summary>
    public static IReadOnlyList<SyntheticPerson> People(int count, int seed)
    {
        var random = new Random(seed);
        var people = new List<SyntheticPerson>(count);
        var usedSsn = new HashSet<string>(StringComparer.Ordinal);
        var usedName = new HashSet<string>(StringComparer.Ordinal);
        while (people.Count < count)
        {
            var first = Firsts[random.Next(Firsts.Length)];
            var last = Lasts[random.Next(Lasts.Length)];
            var middle = Middles[random.Next(Middles.Length)];
            if (!usedName.Add($"{first} {middle} {last}") || !usedName.Add($"{first} {last}"))
            {
                // Keep full names unique, so that name + DOB joins are unambiguous in the truth.
                if (usedName.Count > Firsts.Length * Lasts.Length)
                {
                    last += "-" + Lasts[random.Next(Lasts.Length)];
                }
                else
                {
                    continue;
                }
            }

            string ssn;
            do
            {
                var area = random.Next(1, 900);
                if (area == 666)
                {
                    continue;
                }

                ssn = string.Create(CultureInfo.InvariantCulture, $"{area:000}-{random.Next(1, 100):00}-{random.Next(1, 10000):0000}");
                if (usedSsn.Add(ssn))
                {
                    break;
                }
            }
            while (true);

            var dob = new DateOnly(1935, 1, 1).AddDays(random.Next(0, 365 * 70));
            var place = Places[random.Next(Places.Length)];
            people.Add(new SyntheticPerson(
                people.Count + 1,
                first,
                middle,
                last,
                Nicknames[first],
                ssn,
                dob,
                $"{random.Next(10, 9999)} {Streets[random.Next(Streets.Length)]} {Suffixes[random.Next(Suffixes.Length)]}",
                place.City,
                place.State,
                place.ZipPrefix + random.Next(0, 100).ToString("00", CultureInfo.InvariantCulture)));
        }

        return people;
    }

    /// <summary>
    /// Writes the share under <paramref name="root"/>: each person appears in one to three files, in one of
    /// five formats, with decoys in every file. <paramref name="copies"/> repeats the whole set of files in more
    /// folders (same people) to make a bigger corpus for throughput runs.
    /// </summary>
    public static SyntheticShareTruth Write(string root, int peopleCount, int seed = 1961, int copies = 1)
    {
        var people = People(peopleCount, seed);
        var random = new Random(seed + 1);
        var decoys = new List<string>();
        var files = 0;
        long bytes = 0;
        for (var copy = 0; copy < copies; copy++)
        {
            var folder = copies == 1 ? root : Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"dept{copy:000}"));
            Directory.CreateDirectory(Path.Combine(folder, "Exports"));
            Directory.CreateDirectory(Path.Combine(folder, "Claims"));
            Directory.CreateDirectory(Path.Combine(folder, "Notes"));
            Directory.CreateDirectory(Path.Combine(folder, "Logs"));
            Directory.CreateDirectory(Path.Combine(folder, "Api"));

            var csv = new StringBuilder("Last Name,First Name,MI,SSN,DOB,Address,City,State,Zip,Phone,Visit Date\n");
            var pipe = new StringBuilder("MemberName|Member SSN|BirthDate|ServiceDate|InvoiceNo|Amount\n");
            var json = new StringBuilder("{\"patients\": [\n");
            var notes = new StringBuilder("Case notes — intake unit\n\n");
            var log = new StringBuilder();
            var firstJson = true;
            var jsonCount = 0;

            foreach (var p in people)
            {
                var decoyInvoice = string.Create(CultureInfo.InvariantCulture, $"{random.Next(900, 1000)}-{random.Next(10, 100)}-{random.Next(1000, 10000)}");
                var decoyPhone = string.Create(CultureInfo.InvariantCulture, $"(406) 555-{random.Next(1000, 10000)}");
                var visit = new DateOnly(2021, 1, 1).AddDays(random.Next(0, 900));
                decoys.Add(decoyInvoice.Replace("-", string.Empty, StringComparison.Ordinal));
                decoys.Add(visit.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

                // Every person is in exactly one primary file; a third also appear in a second or third file.
                switch (p.Number % 5)
                {
                    case 0:
                        csv.Append(CultureInfo.InvariantCulture, $"{p.Last},{p.First},{p.Middle},{p.Ssn},{p.Dob:MM/dd/yyyy},\"{p.Street}\",{p.City},{p.State},{p.Zip},{decoyPhone},{visit:MM/dd/yyyy}\n");
                        break;
                    case 1:
                        pipe.Append(CultureInfo.InvariantCulture, $"{p.Last.ToUpperInvariant()}, {p.First.ToUpperInvariant()} {p.Middle}|{p.SsnDigits}|{p.Dob:yyyy-MM-dd}|{visit:yyyy-MM-dd}|{decoyInvoice}|{random.Next(20, 900)}.00\n");
                        break;
                    case 2:
                        json.Append(firstJson ? string.Empty : ",\n");
                        firstJson = false;
                        jsonCount++;
                        json.Append(CultureInfo.InvariantCulture, $"  {{\"name\": {{\"first\": \"{p.First}\", \"last\": \"{p.Last}\"}}, \"dob\": \"{p.Dob:yyyy-MM-dd}\", \"ssn\": \"{p.Ssn}\", \"address\": {{\"street\": \"{p.Street}\", \"city\": \"{p.City}\", \"state\": \"{p.State}\", \"zip\": \"{p.Zip}\"}}, \"lastVisit\": \"{visit:yyyy-MM-dd}\", \"invoice\": \"{decoyInvoice}\"}}");
                        break;
                    case 3:
                        notes.Append(CultureInfo.InvariantCulture, $"Patient: {p.First} {p.Middle}. {p.Last}\nDate of Birth: {p.Dob:MMMM d, yyyy}\nSSN: {p.Ssn}\nVisit date: {visit:MM/dd/yyyy}. Call back at {decoyPhone}.\n\n");
                        break;
                    default:
                        log.Append(CultureInfo.InvariantCulture, $"2024-03-{random.Next(1, 29):00}T10:{random.Next(0, 60):00}:00Z INFO lookup ssn={p.Ssn} name=\"{p.Last.ToUpperInvariant()}, {p.First.ToUpperInvariant()}\" dob={p.Dob:yyyy-MM-dd} order={decoyInvoice} phone={decoyPhone}\n");
                        break;
                }

                // A second appearance under a variant of the name, tied by SSN or by name + DOB.
                if (p.Number % 3 == 0)
                {
                    log.Append(CultureInfo.InvariantCulture, $"2024-04-{random.Next(1, 29):00}T11:{random.Next(0, 60):00}:00Z WARN export member=\"{p.Nickname} {p.Last}\" dob={p.Dob:yyyy-MM-dd} invoice={decoyInvoice}\n");
                }

                if (p.Number % 7 == 0)
                {
                    notes.Append(CultureInfo.InvariantCulture, $"Client: {p.Last.ToUpperInvariant()}, {p.First.ToUpperInvariant()} {p.Middle}\nSocial Security Number: {p.Ssn}\nInvoice {decoyInvoice} mailed on {visit:MM/dd/yyyy}.\n\n");
                }
            }

            json.Append("\n]}\n");
            // Brochure text: medical words and a date, but no person.
            notes.Append("Diabetes screening day: free blood sugar checks on 04/15/2024 at the county clinic. Call (406) 555-0100.\n");

            bytes += WriteFile(Path.Combine(folder, "Exports", "patients_2019.csv"), csv.ToString(), new UTF8Encoding(false));
            bytes += WriteFile(Path.Combine(folder, "Claims", "claims_export.txt"), pipe.ToString(), new UTF8Encoding(false));
            bytes += WriteFile(Path.Combine(folder, "Api", "patients.json"), json.ToString(), new UTF8Encoding(false));
            bytes += WriteFile(Path.Combine(folder, "Notes", "intake_notes.txt"), notes.ToString(), new UnicodeEncoding(bigEndian: false, byteOrderMark: true));
            bytes += WriteFile(Path.Combine(folder, "Logs", "app.log"), log.ToString(), new UTF8Encoding(false));
            bytes += WriteFile(Path.Combine(folder, "Logs", "readme.txt"), "Log rotation: weekly. Contact the help desk at (406) 555-0199 for access.\n", new UTF8Encoding(false));
            files += 6;
        }

        return new SyntheticShareTruth(people, decoys, files, bytes);
    }

    private static long WriteFile(string path, string text, Encoding encoding)
    {
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(text)).ToArray();
        File.WriteAllBytes(path, bytes);
        return bytes.Length;
    }
}
