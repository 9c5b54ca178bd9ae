using System.Text;
using BenchmarkDotNet.Attributes;
using PiiScanner.Detection;
using PiiScanner.Extraction;

namespace PiiScanner.Benchmarks;

/// <summary>
/// Detection throughput on three kinds of text: prose with no personal data (the common case on a share),
/// log lines full of digits (timestamps, ids) and a dense roster. Reported per MB of UTF-16 chars scanned.
/// </summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    private DetectionEngine _engine = null!;
    private Segment[] _prose = [];
    private Segment[] _logs = [];
    private Segment[] _roster = [];

    [GlobalSetup]
    public void Setup()
    {
        _engine = new ScannerBuilder().Build().Detection;
        var random = new Random(3);
        _prose = Enumerable.Range(0, 20_000).Select(i => new Segment($"line {i}", "The committee reviewed the quarterly budget and agreed to revisit the proposal at the next meeting of the board.")).ToArray();
        _logs = Enumerable.Range(0, 20_000).Select(i => new Segment($"line {i}", $"2024-03-{1 + (i % 28):00}T10:{i % 60:00}:00.{random.Next(1000):000}Z INFO request id={random.Next():x8}-{random.Next(65536):x4} took {random.Next(1000)} ms status=200 bytes={random.Next(100000)}")).ToArray();
        _roster = Enumerable.Range(0, 20_000).Select(i => new Segment($"line {i}", $"Patient: Jane {(char)('A' + (i % 26))}. Doe  DOB: 03/04/1961  SSN: {100 + (i % 500):000}-{10 + (i % 80):00}-{1000 + i % 8000:0000}")).ToArray();
    }

    [Benchmark]
    public int Prose() => Run(_prose);

    [Benchmark]
    public int Logs() => Run(_logs);

    [Benchmark]
    public int Roster() => Run(_roster);

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
    public static long Chars(Segment[] segments) => segments.Sum(s => (long)Encoding.UTF8.GetByteCount(s.Text));
}
