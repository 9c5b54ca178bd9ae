using System.Text;
using BenchmarkDotNet.Attributes;
using PiiScanner.Detection;
using PiiScanner.Detection.Validators;
using PiiScanner.Extraction;

namespace PiiScanner.Benchmarks;

/// <summary>
/// Detection throughput on three kinds of text: prose with no personal data (the common case on a share),
/// log lines full of digits (timestamps, ids), a dense roster, and case notes with a licence, a diagnosis code, a
/// drug, a member ID and a phone number on every line. Reported per MB of UTF-16 chars scanned.
/// <see cref="CodeDetectors"/> runs each case with the shipped engine (YAML rules + code detectors: licences,
/// medical vocabularies and codes, cards, bank, email, phone, passport) and with the YAML rules only, so one run
/// shows what the code detectors cost.
/// </summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    private DetectionEngine _engine = null!;
    private Segment[] _prose = [];
    private Segment[] _logs = [];
    private Segment[] _roster = [];
    private Segment[] _notes = [];
    private Segment[] _rows = [];

    /// <summary>Whether the engine runs the code detectors after the YAML rules.</summary>
    [Params(true, false)]
    public bool CodeDetectors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engine = CodeDetectors
            ? new ScannerBuilder().Build().Detection
            : new DetectionEngine(RuleSet.LoadDefault(ValidatorRegistry.CreateDefault()), new DetectionOptions { CodeDetectors = [] });
        var random = new Random(3);
        _prose = Enumerable.Range(0, 20_000).Select(i => new Segment($"line {i}", "The committee reviewed the quarterly budget and agreed to revisit the proposal at the next meeting of the board.")).ToArray();
        _logs = Enumerable.Range(0, 20_000).Select(i => new Segment($"line {i}", $"2024-03-{1 + (i % 28):00}T10:{i % 60:00}:00.{random.Next(1000):000}Z INFO request id={random.Next():x8}-{random.Next(65536):x4} took {random.Next(1000)} ms status=200 bytes={random.Next(100000)}")).ToArray();
        _roster = Enumerable.Range(0, 20_000).Select(i => new Segment($"line {i}", $"Patient: Jane {(char)('A' + (i % 26))}. Doe  DOB: 03/04/1961  SSN: {100 + (i % 500):000}-{10 + (i % 80):00}-{1000 + i % 8000:0000}")).ToArray();
        // Text the code detectors act on: a licence, a diagnosis code, a drug, a member ID and a phone number per line.
        _notes = Enumerable.Range(0, 20_000).Select(i => new Segment($"line {i}", $"Client Jane {(char)('A' + (i % 26))}. Doe, IL DL: D120-4408-{1000 + (i % 9000):0000}. Dx: E11.9, on metformin 500 mg. Member ID XQB{100000000 + i}, cell (217) 555-01{i % 100:00}.")).ToArray();
        // A CSV export's rows (the dense PII case): the same eleven headers on every row, a value in each cell.
        string[] headers = ["Last Name", "First Name", "MI", "SSN", "DOB", "Address", "City", "State", "Zip", "Phone", "Visit Date"];
        _rows = Enumerable.Range(0, 5_000).Select(i => new Segment($"row {i + 2}", string.Empty)
        {
            Fields = [.. new[]
            {
                $"Doe{(char)('a' + (i % 26))}", "Jane", $"{(char)('A' + (i % 26))}", $"{100 + (i % 500):000}-{10 + (i % 80):00}-{1000 + i % 8000:0000}",
                $"{1 + (i % 12):00}/{1 + (i % 28):00}/19{40 + (i % 60):00}", $"{100 + i} Birch Ct", "Missoula", "MT", $"598{i % 100:00}",
                $"(406) 555-{1000 + (i % 9000):0000}", $"{1 + (i % 12):00}/{1 + (i % 28):00}/2022",
            }.Select((v, c) => new Field(headers[c], v))],
            Group = i,
            GroupKind = GroupKind.Record,
        }).ToArray();
        Console.WriteLine($"// segment UTF-8 bytes per run: prose {Chars(_prose)}, logs {Chars(_logs)}, roster {Chars(_roster)}, notes {Chars(_notes)}, rows {Chars(_rows)}");
    }

    [Benchmark]
    public int Prose() => Run(_prose);

    [Benchmark]
    public int Logs() => Run(_logs);

    [Benchmark]
    public int Roster() => Run(_roster);

    [Benchmark]
    public int Notes() => Run(_notes);

    [Benchmark]
    public int Rows() => Run(_rows);

    private int Run(Segment[] segments)
    {
        var findings = new List<Finding>();
        for (var i = 0; i < segments.Length; i++)
        {
            _engine.Detect(segments[i], i, findings);
        }

        return findings.Count;
    }

    /// <summary>Characters per run, to turn a mean time into MB/s.</summary>
    public static long Chars(Segment[] segments) =>
        segments.Sum(s => (long)Encoding.UTF8.GetByteCount(s.Text) + (s.Fields?.Sum(f => (long)Encoding.UTF8.GetByteCount(f.Value)) ?? 0));
}
