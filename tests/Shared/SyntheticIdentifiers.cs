using System.Globalization;
using System.Text;
using PiiScanner.Detection;

namespace PiiScanner.Testing;

/// <summary>A medical fact of a synthetic patient: the vocabulary's canonical term and its ICD-10-CM code (null for a drug).</summary>
public sealed record SyntheticMedicalItem(string Term, string? Code);

/// <summary>
/// A synthetic person of the identifier corpus with every value the corpus exposes for them. Entirely made up:
/// names are combinations of common words, numbers random within their formats (reserved 555-01xx phone
/// numbers, example.* mail domains).
/// </summary>
public sealed record SyntheticIdentityPerson(
    int Number,
    string First,
    string Middle,
    string Last,
    bool Female,
    DateOnly Dob,
    string DlState,
    string DlNumber,
    string Email,
    string Phone,
    IReadOnlyList<SyntheticMedicalItem> Medical,
    IReadOnlyList<string> HealthInsurance,
    string? Mbi,
    string? CreditCard,
    string? BankAccount,
    string? Passport)
{
    /// <summary>"First M. Last".</summary>
    public string FullName => $"{First} {Middle}. {Last}";

    /// <summary>
    /// The values the exposure index should list for this person, per element, in the normalised form the
    /// scanner reports with <c>--reveal</c>: licence <c>ST:NUMBER</c>, medical <c>Term|Code</c>, phone E.164,
    /// bank <c>routing/account</c>, the rest upper-case (email lower-case) without separators.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Expected
    {
        get
        {
            var d = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
            {
                [Elements.DriversLicense] = [$"{DlState}:{DlNumber}"],
                [Elements.Email] = [Email],
                [Elements.Phone] = [Phone],
                [Elements.Medical] = [.. Medical.Select(m => $"{m.Term}|{m.Code}")],
                [Elements.HealthInsurance] = HealthInsurance,
                [Elements.Mbi] = Mbi is null ? [] : [Mbi],
                [Elements.CreditCard] = CreditCard is null ? [] : [CreditCard],
                [Elements.BankAccount] = BankAccount is null ? [] : [BankAccount],
                [Elements.Passport] = Passport is null ? [] : [Passport],
            };
            return d;
        }
    }
}

/// <summary>
/// A value that must not become an element of anybody: <see cref="Value"/> normalised like the scanner does
/// (upper-case letters and digits only), <see cref="Kind"/> what it really is (order, serial, software-licence,
/// invoice, phone-in-licence-place).
/// </summary>
public sealed record SyntheticDecoy(string Value, string Kind, string File);

/// <summary>What <see cref="SyntheticIdentifiers.Write"/> produced.</summary>
public sealed record SyntheticIdentifiersTruth(
    IReadOnlyList<SyntheticIdentityPerson> People,
    IReadOnlyList<SyntheticDecoy> Decoys,
    IReadOnlyList<string> PersonlessFiles,
    int Files,
    long Bytes);

/// <summary>
/// Generates the issue-4 accuracy corpus: people with driver's licences of fifteen states (FL, IL and WI numbers
/// carry the real Soundex/first-name/birth-date encoding, MD its Soundex prefix, NH and MT their birth-date
/// layouts) written in CSV rosters with a DL-state column, free-text case notes (<c>IL DL: …</c>,
/// <c>Florida driver's license …</c>, <c>DL# … issued by Texas</c>), intake forms, medical progress notes
/// (diagnoses, medications, ICD-10 codes, insurance member and group numbers, MBIs in the patient's paragraph)
/// and billing data (cards, bank accounts with routing numbers), plus decoys: order, serial, invoice and
/// software-licence numbers, phone numbers under a licence column or keyword, and a health brochure. Deterministic
/// for a seed; synthetic data only.
/// </summary>
public static class SyntheticIdentifiers
{
    private static readonly (string Name, bool Female)[] Firsts =
    [
        ("Albert", false), ("Frank", false), ("George", false), ("Henry", false), ("James", false), ("John", false),
        ("Joseph", false), ("Martin", false), ("Paul", false), ("Robert", false), ("Thomas", false), ("Walter", false),
        ("William", false), ("Oscar", false), ("Quentin", false), ("Dominic", false), ("Kevin", false), ("Ivan", false),
        ("Alice", true), ("Betty", true), ("Catherine", true), ("Clara", true), ("Dorothy", true), ("Elizabeth", true),
        ("Florence", true), ("Helen", true), ("Jean", true), ("Joan", true), ("Margaret", true), ("Mary", true),
        ("Mildred", true), ("Patricia", true), ("Ruth", true), ("Wanda", true), ("Nadia", true), ("Yvonne", true),
        ("Eileen", true), ("Vera", true), ("Leah", true), ("Ursula", true),
    ];

    private static readonly string[] Lasts =
    [
        "Ashcombe", "Birchall", "Calloway", "Dunmore", "Everly", "Fenwick", "Garrick", "Hollis", "Ivers", "Jessup",
        "Kilbride", "Larkin", "Marchetti", "Nesbitt", "Okafor", "Pryor", "Quimby", "Radcliffe", "Stroud", "Tremont",
        "Upton", "Vance", "Wexford", "Yardley", "Zeller", "Albrecht", "Bramwell", "Corrigan", "Dewhurst", "Ellery",
    ];

    // The published FL/IL/WI first-name table (an independent copy: the generator must not share the checker's table).
    private static readonly Dictionary<string, int> FirstCodes = new(StringComparer.Ordinal)
    {
        ["ALBERT"] = 20, ["ALICE"] = 20, ["BETTY"] = 80, ["CATHERINE"] = 120, ["CLARA"] = 140, ["DOROTHY"] = 180,
        ["ELIZABETH"] = 220, ["FLORENCE"] = 260, ["FRANK"] = 260, ["GEORGE"] = 300, ["HELEN"] = 380, ["HENRY"] = 380,
        ["JAMES"] = 440, ["JEAN"] = 460, ["JOHN"] = 460, ["JOAN"] = 480, ["JOSEPH"] = 480, ["MARGARET"] = 560,
        ["MARTIN"] = 560, ["MARY"] = 580, ["MILDRED"] = 600, ["PATRICIA"] = 680, ["PAUL"] = 680, ["ROBERT"] = 760,
        ["RUTH"] = 760, ["THOMAS"] = 820, ["WALTER"] = 900, ["WANDA"] = 900, ["WILLIAM"] = 920,
    };

    private static readonly int[] InitialCodes = [0, 60, 100, 160, 200, 240, 280, 320, 400, 420, 500, 520, 540, 620, 640, 660, 700, 720, 780, 800, 840, 860, 880, 940, 960, 980];
    private static readonly int[] MiddleCodes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 14, 15, 15, 16, 17, 18, 18, 18, 19, 19, 19, 19];
    private static readonly string[] MiddleInitials = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "T", "W"];

    private static readonly (string Code, string Name, string Area)[] States =
    [
        ("FL", "Florida", "305"), ("IL", "Illinois", "217"), ("WI", "Wisconsin", "608"), ("CA", "California", "415"),
        ("TX", "Texas", "512"), ("NY", "New York", "518"), ("PA", "Pennsylvania", "717"), ("AZ", "Arizona", "602"),
        ("OH", "Ohio", "614"), ("MA", "Massachusetts", "617"), ("NJ", "New Jersey", "609"), ("WA", "Washington", "360"),
        ("MD", "Maryland", "410"), ("NH", "New Hampshire", "603"), ("MT", "Montana", "406"),
    ];

    private static readonly (string Term, string Code, string Written)[] Conditions =
    [
        ("Type 2 diabetes mellitus", "E11.9", "type 2 diabetes"), ("Essential hypertension", "I10", "hypertension"),
        ("Asthma", "J45.909", "asthma"), ("Chronic kidney disease", "N18.9", "chronic kidney disease"),
        ("Hyperlipidemia", "E78.5", "high cholesterol"), ("Major depressive disorder", "F32.9", "major depression"),
        ("Generalized anxiety disorder", "F41.1", "generalized anxiety disorder"), ("HIV", "B20", "HIV infection"),
        ("Breast cancer", "C50.919", "breast cancer"), ("Opioid use disorder", "F11.20", "opioid use disorder"),
        ("Migraine", "G43.909", "migraine"), ("Hypothyroidism", "E03.9", "hypothyroidism"),
        ("Osteoarthritis", "M19.90", "osteoarthritis"), ("Epilepsy", "G40.909", "epilepsy"),
        ("Post-traumatic stress disorder", "F43.10", "PTSD"), ("Rheumatoid arthritis", "M06.9", "rheumatoid arthritis"),
    ];

    private static readonly (string Generic, string Written)[] Medications =
    [
        ("metformin", "metformin 500 mg"), ("lisinopril", "Zestril 10 mg"), ("atorvastatin", "atorvastatin 20 mg"),
        ("levothyroxine", "Synthroid 50 mcg"), ("albuterol", "albuterol inhaler"), ("sertraline", "Zoloft 50 mg"),
        ("bupropion", "bupropion XL 150 mg"), ("buprenorphine/naloxone", "Suboxone 8 mg"), ("amlodipine", "amlodipine 5 mg"),
        ("apixaban", "Eliquis 5 mg"), ("sumatriptan", "sumatriptan 50 mg"), ("tamoxifen", "tamoxifen 20 mg"),
        ("methotrexate", "methotrexate 15 mg weekly"), ("gabapentin", "gabapentin 300 mg"),
    ];

    private static readonly string[] Payers = ["Blue Cross", "Aetna", "Cigna", "UnitedHealthcare", "Humana", "Kaiser"];
    private const string MbiLetters = "ACDEFGHJKMNPQRTUVWXY";

    /// <summary>Creates <paramref name="count"/> people (unique first + last names) with their values.</summary>
    public static IReadOnlyList<SyntheticIdentityPerson> People(int count, int seed)
    {
        var random = new Random(seed);
        var people = new List<SyntheticIdentityPerson>(count);
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        var usedPhones = new HashSet<string>(StringComparer.Ordinal);
        var usedNumbers = new HashSet<string>(StringComparer.Ordinal);
        if (count > Firsts.Length * Lasts.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        while (people.Count < count)
        {
            var (first, female) = Firsts[random.Next(Firsts.Length)];
            var last = Lasts[random.Next(Lasts.Length)];
            if (!usedNames.Add(first + " " + last))
            {
                continue;
            }

            var n = people.Count + 1;
            var middle = MiddleInitials[random.Next(MiddleInitials.Length)];
            var dob = new DateOnly(1938, 1, 1).AddDays(random.Next(0, 365 * 64));
            var state = States[(n - 1) % States.Length];
            string dl;
            do
            {
                dl = Licence(state.Code, first, middle, last, female, dob, random);
            }
            while (!usedNumbers.Add(dl));

            string phone;
            do
            {
                // People get 555-0100…0149; decoys use 555-0150…0199, so no decoy is anybody's number.
                phone = $"+1{States[random.Next(States.Length)].Area}5550{random.Next(100, 150)}";
            }
            while (!usedPhones.Add(phone));

            var email = $"{first}.{last}{n}@{(n % 3 == 0 ? "example.org" : n % 3 == 1 ? "example.com" : "example.net")}".ToLowerInvariant();
            var patient = n % 2 == 0;
            var medical = new List<SyntheticMedicalItem>();
            var insurance = new List<string>();
            string? mbi = null;
            if (patient)
            {
                var c1 = Conditions[random.Next(Conditions.Length)];
                var c2 = Conditions[random.Next(Conditions.Length)];
                while (c2.Term == c1.Term)
                {
                    c2 = Conditions[random.Next(Conditions.Length)];
                }

                var m1 = Medications[random.Next(Medications.Length)];
                var m2 = Medications[random.Next(Medications.Length)];
                while (m2.Generic == m1.Generic)
                {
                    m2 = Medications[random.Next(Medications.Length)];
                }

                medical.AddRange([new(c1.Term, c1.Code), new(c2.Term, c2.Code), new(m1.Generic, null), new(m2.Generic, null)]);
                insurance.Add(Unique(usedNumbers, () => $"{Letters(random, 3)}{Digits(random, 9)}"));
                if (n % 4 == 0)
                {
                    insurance.Add(Unique(usedNumbers, () => "GRP" + Digits(random, 6)));
                }

                if (dob.Year < 1959)
                {
                    mbi = Unique(usedNumbers, () => Mbi(random));
                }
            }

            var card = n % 3 == 0 ? Unique(usedNumbers, () => Card(random, n)) : null;
            var bank = n % 3 == 1 ? Unique(usedNumbers, () => $"{Routing(random)}/{Digits(random, 8 + random.Next(0, 5), leadingNonZero: true)}") : null;
            var passport = n % 5 == 0 ? Unique(usedNumbers, () => n % 10 == 0 ? "C" + Digits(random, 8) : "5" + Digits(random, 8)) : null;

            people.Add(new SyntheticIdentityPerson(n, first, middle, last, female, dob, state.Code, dl, email, phone, medical, insurance, mbi, card, bank, passport));
        }

        return people;
    }

    /// <summary>Writes the corpus under <paramref name="root"/> and returns its truth.</summary>
    public static SyntheticIdentifiersTruth Write(string root, int peopleCount = 150, int seed = 2024)
    {
        var people = People(peopleCount, seed);
        var random = new Random(seed + 1);
        var decoys = new List<SyntheticDecoy>();
        var files = 0;
        long bytes = 0;

        void Save(string relative, string text)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var data = Encoding.UTF8.GetBytes(text);
            File.WriteAllBytes(path, data);
            files++;
            bytes += data.Length;
        }

        string Decoy(string kind, string file, string value)
        {
            decoys.Add(new SyntheticDecoy(Normalize(value), kind, file.Replace('\\', '/')));
            return value;
        }

        var roster = new StringBuilder("Last Name,First Name,MI,DOB,DL Number,DL State,Home State,Email,Phone,Passport No\n");
        var notes = new StringBuilder("Case notes — eligibility unit (synthetic)\n\n");
        var medicalNotes = new StringBuilder("Progress notes — outpatient clinic (synthetic)\n\n");
        var json = new StringBuilder("{\"applications\": [\n");
        var billing = new StringBuilder("Customer Name,DOB,Email,Card Number,Exp,Routing Number,Account Number,Invoice No\n");
        var payments = new StringBuilder("Payment desk log (synthetic)\n\n");
        var billingFile = Path.Combine("Billing", "payments.csv");
        var notesFile = Path.Combine("Notes", "case_notes.txt");

        foreach (var p in people)
        {
            var st = States.First(s => s.Code == p.DlState);
            var dl = WrittenLicence(p.DlState, p.DlNumber);
            var phone = WrittenPhone(p.Phone, p.Number);
            var dob = p.Dob.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture);
            switch (p.Number % 3)
            {
                case 0:
                    // Home state differs from the licence state for every other row: the DL State column must win.
                    var home = p.Number % 2 == 0 ? States[(Array.IndexOf(States, st) + 3) % States.Length].Code : st.Code;
                    roster.Append(CultureInfo.InvariantCulture, $"{p.Last},{p.First},{p.Middle},{dob},{dl},{st.Code},{home},{p.Email},{phone},{p.Passport}\n");
                    if (p.Number % 9 == 0)
                    {
                        // A second appearance in an API export: key paths name the licence and its state.
                        json.Append(json.Length > 20 ? ",\n" : string.Empty);
                        json.Append(CultureInfo.InvariantCulture, $"  {{\"applicant\": {{\"firstName\": \"{p.First}\", \"lastName\": \"{p.Last}\", \"dateOfBirth\": \"{p.Dob:yyyy-MM-dd}\", \"email\": \"{p.Email}\"}}, \"driversLicense\": {{\"number\": \"{p.DlNumber}\", \"state\": \"{st.Name}\"}}, \"orderId\": \"{Decoy("order", "Api", random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture))}\"}}");
                    }

                    break;
                case 1:
                    var dlText = (p.Number / 3 % 6) switch
                    {
                        0 => $"{st.Code} DL: {dl}",
                        1 => $"{st.Name} driver's license {dl}",
                        2 => $"Driver's License ({st.Code}) #{dl}",
                        3 => $"DL# {dl}, issued by {st.Name}",
                        4 => $"{st.Name} DL No. {dl}",
                        _ => $"driver license number {dl} ({st.Code})",
                    };
                    var order = Decoy("order", notesFile, random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture));
                    notes.Append(CultureInfo.InvariantCulture, $"Client: {p.FullName}, DOB {dob}.\nVerified identity with {dlText}. Reached by phone at {phone}; email {p.Email}.\nRe: order #{order} returned unopened.\n");
                    if (p.Passport is not null)
                    {
                        notes.Append(CultureInfo.InvariantCulture, $"Also presented US passport no. {p.Passport}.\n");
                    }

                    notes.Append('\n');
                    break;
                default:
                    var form = new StringBuilder();
                    form.Append(CultureInfo.InvariantCulture, $"APPLICATION FOR ASSISTANCE (synthetic)\n\nApplicant: {p.First} {p.Middle} {p.Last}\nDate of Birth: {dob}\n");
                    form.Append(p.Number % 2 == 0 ? $"Driver's License No.: {st.Code} {dl}\n" : $"Driver License ({st.Code}): {dl}\n");
                    form.Append(CultureInfo.InvariantCulture, $"Email: {p.Email}\nPhone: {phone}\n");
                    if (p.Passport is not null)
                    {
                        form.Append(CultureInfo.InvariantCulture, $"Passport Number: {p.Passport}\n");
                    }

                    form.Append(CultureInfo.InvariantCulture, $"Signature on file. Form serial SN {Decoy("serial", "Intake", random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture))}\n");
                    Save(Path.Combine("Intake", string.Create(CultureInfo.InvariantCulture, $"application_{p.Number:0000}.txt")), form.ToString());
                    break;
            }

            if (p.Medical.Count > 0)
            {
                var c = p.Medical.Where(m => m.Code is not null).ToList();
                var m = p.Medical.Where(m => m.Code is null).ToList();
                var cw = c.Select(x => Conditions.First(k => k.Term == x.Term).Written).ToList();
                var mw = m.Select(x => Medications.First(k => k.Generic == x.Term).Written).ToList();
                var mbi = p.Mbi is null ? null : $"{p.Mbi[..4]}-{p.Mbi[4..7]}-{p.Mbi[7..]}";
                medicalNotes.Append(CultureInfo.InvariantCulture, $"Patient: {p.FullName}    DOB: {dob}\n");
                if (p.Number % 4 == 2)
                {
                    // Form layout: one "Label: value" per line; the second diagnosis is only in the Dx line's code.
                    medicalNotes.Append(CultureInfo.InvariantCulture, $"Assessment: {cw[0]}\nDx: {c[0].Code}, {c[1].Code}\nMedications: {mw[0]}, {mw[1]}\n");
                    medicalNotes.Append(CultureInfo.InvariantCulture, $"Payer: {Payers[p.Number % Payers.Length]}\nMember ID: {p.HealthInsurance[0]}\n");
                    medicalNotes.Append(mbi is null ? "\n" : $"MBI: {mbi}\n\n");
                }
                else
                {
                    medicalNotes.Append(CultureInfo.InvariantCulture, $"Assessment: {cw[0]}, also {cw[1]}. Dx: {c[0].Code}, {c[1].Code}.\n");
                    medicalNotes.Append(CultureInfo.InvariantCulture, $"Plan: continue {mw[0]}; start {mw[1]}. Follow up in 3 months.\n");
                    medicalNotes.Append(CultureInfo.InvariantCulture, $"Coverage: {Payers[p.Number % Payers.Length]} member ID {p.HealthInsurance[0]}");
                    if (p.HealthInsurance.Count > 1)
                    {
                        medicalNotes.Append(CultureInfo.InvariantCulture, $", group no. {p.HealthInsurance[1]}");
                    }

                    medicalNotes.Append(mbi is null ? ".\n\n" : $". Medicare MBI: {mbi}.\n\n");
                }
            }

            if (p.CreditCard is not null)
            {
                var invoice = Decoy("invoice", billingFile, random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture));
                var exp = string.Create(CultureInfo.InvariantCulture, $"{random.Next(1, 13):00}/{random.Next(26, 31)}");
                billing.Append(CultureInfo.InvariantCulture, $"\"{p.Last}, {p.First}\",{dob},{p.Email},{GroupCard(p.CreditCard, ' ')},{exp},,,{invoice}\n");
            }

            if (p.BankAccount is not null)
            {
                var (routing, account) = (p.BankAccount[..9], p.BankAccount[10..]);
                var invoice = Decoy("invoice", Path.Combine("Billing", "payment_log.txt"), "INV" + random.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture));
                payments.Append(p.Number % 2 == 0
                    ? $"Customer: {p.FullName} (DOB {dob}) set up autopay for invoice {invoice}: checking account {account}, routing number {routing}.\n\n"
                    : $"Customer: {p.FullName} (DOB {dob}) paid {invoice} by ACH. Bank account no. {account}, ABA {routing}. Receipt sent to {p.Email}.\n\n");
            }
        }

        Save(Path.Combine("Exports", "dl_roster.csv"), roster.ToString());
        Save(notesFile, notes.ToString());
        Save(Path.Combine("Api", "applications.json"), json.Append("\n]}\n").ToString());
        Save(Path.Combine("Medical", "progress_notes.txt"), medicalNotes.ToString());
        Save(billingFile, billing.ToString());
        Save(Path.Combine("Billing", "payment_log.txt"), payments.ToString());

        // Decoys in files about nobody.
        var personless = new List<string>();
        void SavePersonless(string relative, string text)
        {
            Save(relative, text);
            personless.Add(relative.Replace('\\', '/'));
        }

        var brochure = Path.Combine("Outreach", "diabetes_brochure.txt");
        SavePersonless(brochure,
            "Living well with diabetes\n\n" +
            "Type 2 diabetes and high blood pressure often come together. Many patients take metformin or insulin glargine, " +
            "and a statin such as atorvastatin to protect the heart. Ask about screening for chronic kidney disease and " +
            "diabetic retinopathy once a year; the diagnosis code for type 2 diabetes without complications is E11.9 (Dx E11.9).\n\n" +
            "Depression and anxiety are common with any chronic illness: treatments such as sertraline or talk therapy help. " +
            "Free screening day at the county clinic; call (406) 555-0100 to book.\n");

        var licences = Path.Combine("IT", "software_licenses.txt");
        SavePersonless(licences,
            $"Software inventory (synthetic)\n\nAdobe Acrobat Pro license key {Decoy("software-licence", licences, "482915736")} — seat 14\n" +
            $"Windows 11 Pro product license #: {Decoy("software-licence", licences, "739104862")}\n" +
            $"Office 365 license no. {Decoy("software-licence", licences, "561028374")} renews 2025-01-31\n" +
            $"AutoCAD license number {Decoy("software-licence", licences, "D12345678")} (network)\n" +
            $"Dell Latitude 7440 SN {Decoy("serial", licences, "123456789")}, asset tag {Decoy("serial", licences, "A10045821")}\n" +
            $"HP LaserJet S/N {Decoy("serial", licences, "987654321")}\n");

        var orders = Path.Combine("Orders", "order_log.txt");
        var orderLog = new StringBuilder("Order log (synthetic)\n\n");
        for (var i = 0; i < 20; i++)
        {
            var st = States[i % States.Length];
            orderLog.Append(CultureInfo.InvariantCulture, $"Order #{Decoy("order", orders, random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture))} shipped to {st.Name} warehouse, invoice no. {Decoy("invoice", orders, random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture))}, tracking {Decoy("order", orders, "1Z" + Digits(random, 16))}\n");
        }

        SavePersonless(orders, orderLog.ToString());

        var branches = Path.Combine("Facilities", "dmv_branches.csv");
        var branchCsv = new StringBuilder("Branch,City,State,DL Line,Fax\n");
        for (var i = 0; i < 10; i++)
        {
            var st = States[i];
            branchCsv.Append(CultureInfo.InvariantCulture, $"Branch {i + 1},Capital City,{st.Code},{Decoy("phone-in-licence-place", branches, $"{st.Area}-555-{0150 + i:0000}")},({st.Area}) 555-{0170 + i:0000}\n");
        }

        SavePersonless(branches, branchCsv.ToString());

        var notice = Path.Combine("Facilities", "renewal_notice.txt");
        SavePersonless(notice,
            $"Renewals by phone — DL: {Decoy("phone-in-licence-place", notice, "217-555-0188")}, ID cards: {Decoy("phone-in-licence-place", notice, "217-555-0189")}.\n" +
            $"Driver's license renewal line 312.555.0166 (weekdays). Florida DL office (305) 555-0177.\n" +
            $"Invoice No. {Decoy("invoice", notice, "784512369")} — amount due $45.00.\n");

        return new SyntheticIdentifiersTruth(people, decoys, personless, files, bytes);
    }

    /// <summary>Upper-case letters, digits and <c>*</c> only (how licence and account values are compared).</summary>
    public static string Normalize(string value) =>
        new([.. value.ToUpperInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '*')]);

    /// <summary>American Soundex (independent implementation for the generator).</summary>
    public static string Soundex(string name)
    {
        var s = new string([.. name.ToUpperInvariant().Where(char.IsAsciiLetterUpper)]);
        static char Code(char c) => c switch
        {
            'B' or 'F' or 'P' or 'V' => '1',
            'C' or 'G' or 'J' or 'K' or 'Q' or 'S' or 'X' or 'Z' => '2',
            'D' or 'T' => '3',
            'L' => '4',
            'M' or 'N' => '5',
            'R' => '6',
            _ => '0',
        };

        var sb = new StringBuilder().Append(s[0]);
        var previous = Code(s[0]);
        for (var i = 1; i < s.Length && sb.Length < 4; i++)
        {
            var d = Code(s[i]);
            if (d != '0' && d != previous)
            {
                sb.Append(d);
            }

            if (s[i] is not ('H' or 'W'))
            {
                previous = d;
            }
        }

        return sb.ToString().PadRight(4, '0');
    }

    internal static string Licence(string state, string first, string middle, string last, bool female, DateOnly dob, Random random)
    {
        var yy = (dob.Year % 100).ToString("00", CultureInfo.InvariantCulture);
        var fff = (FirstCodes.TryGetValue(first.ToUpperInvariant(), out var fc) ? fc : InitialCodes[char.ToUpperInvariant(first[0]) - 'A'])
            + MiddleCodes[middle[0] - 'A'];
        var f3 = fff.ToString("000", CultureInfo.InvariantCulture);
        var day40 = ((dob.Month - 1) * 40) + dob.Day + (female ? 500 : 0);
        var day31 = ((dob.Month - 1) * 31) + dob.Day + (female ? 600 : 0);
        var sx = Soundex(last);
        return state switch
        {
            "FL" => $"{sx}{f3}{yy}{day40:000}{random.Next(0, 10)}",
            "IL" => $"{sx}{f3}{yy}{day31:000}",
            "WI" => $"{sx}{f3}{yy}{day40:000}{random.Next(0, 100):00}",
            "MD" => $"{sx}{Digits(random, 9)}",
            "CA" => $"{Letters(random, 1)}{Digits(random, 7)}",
            "TX" => Digits(random, 8, leadingNonZero: true),
            "NY" => Digits(random, 9, leadingNonZero: true),
            "PA" => Digits(random, 8, leadingNonZero: true),
            "AZ" => $"{Letters(random, 1)}{Digits(random, 8)}",
            "OH" => $"{Letters(random, 2)}{Digits(random, 6)}",
            "MA" => $"S{Digits(random, 8)}",
            "NJ" => $"{char.ToUpperInvariant(last[0])}{Digits(random, 9)}{dob.Month + (female ? 50 : 0):00}{yy}{random.Next(0, 10)}",
            "WA" => $"WDL{Letters(random, 2)}{Digits(random, 3)}{Letters(random, 2)}{Digits(random, 2)}",
            "NH" => $"{dob.Month:00}{char.ToUpperInvariant(last[0])}{char.ToUpperInvariant(last[^1])}{char.ToUpperInvariant(first[0])}{yy}{dob.Day:00}{random.Next(0, 10)}",
            "MT" => $"{dob.Month:00}{Digits(random, 3)}{dob.Year:0000}41{dob.Day:00}",
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
    }

    /// <summary>How a licence number is usually written in the state (FL/IL/WI with dashes, NY in threes).</summary>
    internal static string WrittenLicence(string state, string n) => state switch
    {
        "FL" => $"{n[..4]}-{n[4..7]}-{n[7..9]}-{n[9..12]}-{n[12..]}",
        "IL" => $"{n[..4]}-{n[4..8]}-{n[8..]}",
        "WI" => $"{n[..4]}-{n[4..8]}-{n[8..12]}-{n[12..]}",
        "NY" => $"{n[..3]} {n[3..6]} {n[6..]}",
        _ => n,
    };

    private static string WrittenPhone(string e164, int n)
    {
        var d = e164[2..];
        return (n / 3 % 3) switch
        {
            0 => $"({d[..3]}) {d[3..6]}-{d[6..]}",
            1 => $"{d[..3]}-{d[3..6]}-{d[6..]}",
            _ => $"{d[..3]}.{d[3..6]}.{d[6..]}",
        };
    }

    private static string GroupCard(string digits, char separator) =>
        digits.Length == 15
            ? $"{digits[..4]}{separator}{digits[4..10]}{separator}{digits[10..]}"
            : string.Join(separator, Enumerable.Range(0, (digits.Length + 3) / 4).Select(i => digits.Substring(i * 4, Math.Min(4, digits.Length - (i * 4)))));

    private static string Unique(HashSet<string> used, Func<string> make)
    {
        string v;
        do
        {
            v = make();
        }
        while (!used.Add(v));
        return v;
    }

    private static string Digits(Random random, int count, bool leadingNonZero = false)
    {
        var c = new char[count];
        for (var i = 0; i < count; i++)
        {
            c[i] = (char)('0' + random.Next(i == 0 && leadingNonZero ? 1 : 0, 10));
        }

        return new string(c);
    }

    private static string Letters(Random random, int count)
    {
        const string letters = "ABCDEFGHJKLMNPRTUVWXY";
        var c = new char[count];
        for (var i = 0; i < count; i++)
        {
            c[i] = letters[random.Next(letters.Length)];
        }

        return new string(c);
    }

    private static string Mbi(Random random)
    {
        char L() => MbiLetters[random.Next(MbiLetters.Length)];
        char D() => (char)('0' + random.Next(10));
        char A() => random.Next(2) == 0 ? L() : D();
        return new string([(char)('1' + random.Next(9)), L(), A(), D(), L(), A(), D(), L(), L(), D(), D()]);
    }

    private static string Card(Random random, int n)
    {
        var prefix = (n / 3 % 3) switch { 0 => "4", 1 => "5" + random.Next(1, 6).ToString(CultureInfo.InvariantCulture), _ => "37" };
        var length = prefix == "37" ? 15 : 16;
        var body = prefix + Digits(random, length - prefix.Length - 1);
        return body + LuhnDigit(body);
    }

    private static char LuhnDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var d = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    private static string Routing(Random random)
    {
        while (true)
        {
            var prefix = random.Next(1, 13).ToString("00", CultureInfo.InvariantCulture);
            var body = prefix + Digits(random, 6);
            for (var check = 0; check < 10; check++)
            {
                var d = body + (char)('0' + check);
                int D(int i) => d[i] - '0';
                if (((3 * (D(0) + D(3) + D(6))) + (7 * (D(1) + D(4) + D(7))) + D(2) + D(5) + D(8)) % 10 == 0)
                {
                    return d;
                }
            }
        }
    }
}
