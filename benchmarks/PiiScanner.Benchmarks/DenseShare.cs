using System.Globalization;
using System.Text;

namespace PiiScanner.Benchmarks;

/// <summary>
/// A dense agency share of many synthetic people, each in several files, for the scale benchmark: per batch of
/// <see cref="BatchSize"/> people an export CSV (name, SSN, DOB, address), a pipe-delimited claims file (a share of
/// the people, <c>LAST, FIRST M</c>, SSN digits), a JSON member list (name, DOB, address, no SSN: joins by name +
/// DOB), free-text case notes (UTF-8 blocks with a diagnosis), an application log (<c>ssn=… name=…</c>) and one
/// letter file per person for a few. Deterministic; streamed to disk batch by batch, so generating 1.3 M people
/// needs little memory. Entirely made up: names are drawn from word lists and syllables, SSNs are distinct numbers
/// in the valid ranges.
/// </summary>
internal static class DenseShare
{
    public const int BatchSize = 1000;

    private static readonly string[] Firsts = ["William", "Robert", "Elizabeth", "Margaret", "James", "Katherine", "Thomas", "Patricia", "Richard", "Jennifer", "Charles", "Susan", "Joseph", "Deborah", "Daniel", "Rebecca", "Matthew", "Christine", "Anthony", "Victoria", "Andrew", "Samantha", "Joshua", "Theresa", "Nicholas", "Abigail", "Benjamin", "Jacqueline", "Edward", "Alexandra", "Harold", "Dolores", "Vernon", "Mildred", "Curtis", "Yolanda", "Lionel", "Harriet", "Ignacio", "Colleen", "Darnell", "Siobhan", "Kwame", "Ngozi", "Hiroshi", "Beatriz", "Emeka", "Wanda"];
    private static readonly string[] Onsets = ["Ab", "Bl", "Cas", "Del", "East", "Fair", "Gal", "Haw", "Ing", "Jab", "Kow", "Lind", "Mont", "North", "Oy", "Pem", "Quin", "Ros", "Suth", "Thorn", "Und", "Vas", "Whit", "Yam", "Ziel", "Ash", "Bren", "Cart", "Don", "Ells", "Fitz", "Green", "Holl", "King", "Lock", "Merr"];
    private static readonly string[] Codas = ["ernathy", "ackwood", "tellano", "acroix", "wick", "banks", "loway", "thorne", "ersoll", "lonski", "alczyk", "qvist", "gomery", "cott", "elaran", "berton", "tero", "enthal", "erland", "bury", "erhill", "quez", "field", "amoto", "inski", "worth", "nan", "wright", "nelly", "worth", "gerald", "leaf", "oway", "sley", "hart", "weather"];
    private static readonly string[] Streets = ["Oak", "Maple", "Cedar", "Pine", "Elm", "Birch", "Willow", "Spruce", "Aspen", "Juniper", "Sycamore", "Magnolia", "Prairie View", "Last Chance", "Rimrock", "Lakeshore"];
    private static readonly string[] StreetTypes = ["St", "Ave", "Rd", "Dr", "Ln", "Ct", "Blvd", "Way"];
    private static readonly (string City, string State, string Zip)[] Places = [("Helena", "MT", "596"), ("Billings", "MT", "591"), ("Missoula", "MT", "598"), ("Bozeman", "MT", "597"), ("Great Falls", "MT", "594"), ("Springfield", "IL", "627"), ("Peoria", "IL", "616"), ("Boise", "ID", "837")];
    private static readonly string[] Conditions = ["Type 2 diabetes mellitus", "Essential hypertension", "Asthma", "Major depressive disorder", "Chronic kidney disease", "Hypothyroidism", "Epilepsy", "Migraine"];

    /// <summary>Writes the share under <paramref name="root"/>; returns the number of files and bytes written.</summary>
    public static (int Files, long Bytes) Write(string root, int people, int seed = 1889)
    {
        var files = 0;
        long bytes = 0;
        var utf8 = new UTF8Encoding(false);
        for (var start = 0; start < people; start += BatchSize)
        {
            var batch = start / BatchSize;
            var random = new Random(seed + batch);
            var folder = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"unit{batch / 100:000}"), string.Create(CultureInfo.InvariantCulture, $"batch{batch:00000}"));
            var csv = new StringBuilder("Last Name,First Name,MI,SSN,DOB,Street,City,State,Zip,Phone\n");
            var pipe = new StringBuilder("MemberName|Member SSN|BirthDate|ServiceDate|Amount\n");
            var json = new StringBuilder("{\"members\": [\n");
            var notes = new StringBuilder("Case notes, intake unit\n\n");
            var log = new StringBuilder();
            var letters = new List<(string Name, string Text)>();
            var firstJson = true;
            for (var number = start; number < Math.Min(people, start + BatchSize); number++)
            {
                var p = Person.Make(number, random);
                var visit = new DateOnly(2021, 1, 1).AddDays(random.Next(0, 900));
                csv.Append(CultureInfo.InvariantCulture, $"{p.Last},{p.First},{p.Middle},{p.Ssn},{p.Dob:MM/dd/yyyy},\"{p.Street}\",{p.City},{p.State},{p.Zip},(406) 555-{random.Next(1000, 10000)}\n");
                if (number % 5 < 3)
                {
                    pipe.Append(CultureInfo.InvariantCulture, $"{p.Last.ToUpperInvariant()}, {p.First.ToUpperInvariant()} {p.Middle}|{p.Ssn.Replace("-", string.Empty, StringComparison.Ordinal)}|{p.Dob:yyyy-MM-dd}|{visit:yyyy-MM-dd}|{random.Next(20, 900)}.00\n");
                }

                if (number % 5 >= 3)
                {
                    json.Append(firstJson ? string.Empty : ",\n");
                    firstJson = false;
                    json.Append(CultureInfo.InvariantCulture, $"  {{\"name\": {{\"first\": \"{p.First}\", \"last\": \"{p.Last}\"}}, \"dob\": \"{p.Dob:yyyy-MM-dd}\", \"address\": {{\"street\": \"{p.Street}\", \"city\": \"{p.City}\", \"state\": \"{p.State}\", \"zip\": \"{p.Zip}\"}}, \"lastVisit\": \"{visit:yyyy-MM-dd}\"}}");
                }

                if (number % 10 < 3)
                {
                    notes.Append(CultureInfo.InvariantCulture, $"Patient: {p.First} {p.Middle}. {p.Last}\nDate of Birth: {p.Dob:MMMM d, yyyy}\nSSN: {p.Ssn}\nDiagnosis: {Conditions[random.Next(Conditions.Length)]}\nVisit date: {visit:MM/dd/yyyy}.\n\n\n\n\n\n\n");
                }

                if (number % 10 >= 7)
                {
                    log.Append(CultureInfo.InvariantCulture, $"2024-03-{random.Next(1, 29):00}T10:{random.Next(0, 60):00}:00Z INFO lookup ssn={p.Ssn} name=\"{p.Last.ToUpperInvariant()}, {p.First.ToUpperInvariant()}\" dob={p.Dob:yyyy-MM-dd}\n");
                }

                if (number % 20 == 0)
                {
                    letters.Add((string.Create(CultureInfo.InvariantCulture, $"letter_{number:0000000}.txt"), $"{p.First} {p.Middle}. {p.Last}\n{p.Street}\n{p.City}, {p.State} {p.Zip}\n\nDear {p.First} {p.Last},\n\nRe: your application, DOB {p.Dob:MM/dd/yyyy}\n\nWe have received your application for benefits and will contact you within 30 days.\n\nSincerely,\nEligibility Unit\n"));
                }
            }

            json.Append("\n]}\n");
            Directory.CreateDirectory(Path.Combine(folder, "Letters"));
            bytes += WriteFile(Path.Combine(folder, "patients_export.csv"), csv, utf8);
            bytes += WriteFile(Path.Combine(folder, "claims.txt"), pipe, utf8);
            bytes += WriteFile(Path.Combine(folder, "members.json"), json, utf8);
            bytes += WriteFile(Path.Combine(folder, "case_notes.txt"), notes, utf8);
            bytes += WriteFile(Path.Combine(folder, "app.log"), log, utf8);
            files += 5;
            foreach (var (name, text) in letters)
            {
                bytes += WriteFile(Path.Combine(folder, "Letters", name), new StringBuilder(text), utf8);
                files++;
            }
        }

        return (files, bytes);
    }

    private static long WriteFile(string path, StringBuilder text, Encoding encoding)
    {
        var bytes = encoding.GetBytes(text.ToString());
        File.WriteAllBytes(path, bytes);
        return bytes.Length;
    }

    private sealed record Person(string First, string Middle, string Last, string Ssn, DateOnly Dob, string Street, string City, string State, string Zip)
    {
        // Distinct SSNs for distinct numbers: the number is spread over the valid range by a multiplier prime to it.
        private const long SsnSpace = 898L * 99 * 9999;

        public static Person Make(int number, Random random)
        {
            var n = (number * 2_654_435_761L) % SsnSpace;
            var area = (int)(n / (99 * 9999)) + 1;
            area = area >= 666 ? area + 1 : area;
            var group = (int)(n / 9999 % 99) + 1;
            var serial = (int)(n % 9999) + 1;
            var place = Places[random.Next(Places.Length)];
            return new Person(
                Firsts[random.Next(Firsts.Length)],
                ((char)('A' + random.Next(26))).ToString(),
                Onsets[random.Next(Onsets.Length)] + Codas[random.Next(Codas.Length)],
                string.Create(CultureInfo.InvariantCulture, $"{area:000}-{group:00}-{serial:0000}"),
                new DateOnly(1935, 1, 1).AddDays(random.Next(0, 365 * 70)),
                string.Create(CultureInfo.InvariantCulture, $"{random.Next(10, 9999)} {Streets[random.Next(Streets.Length)]} {StreetTypes[random.Next(StreetTypes.Length)]}"),
                place.City,
                place.State,
                place.Zip + random.Next(0, 100).ToString("00", CultureInfo.InvariantCulture));
        }
    }
}
