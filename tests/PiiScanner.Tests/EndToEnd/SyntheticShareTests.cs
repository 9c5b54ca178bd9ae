using System.Text.Json;
using PiiScanner.Testing;
using Xunit.Abstractions;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>
/// The foundation issue's acceptance run: a synthetic share of a few hundred people over CSV, pipe-delimited,
/// JSON, UTF-16 notes and logs, with decoys. Every person must be found exactly once, with their values and no
/// wrong ones, and no decoy may become a person.
/// </summary>
public sealed class SyntheticShareTests(ITestOutputHelper output)
{
    private const int PeopleCount = 300;

    [Fact]
    public async Task EveryPersonIsFoundOnceWithNoDecoyAndNoWrongValue()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        var truth = SyntheticShare.Write(share, PeopleCount);
        var outDir = temp.Combine("out");

        var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir, "--reveal", "--quiet");
        Assert.True(code == 0, stderr);

        var individuals = ReadJsonl(Path.Combine(outDir, "individuals.jsonl"));
        var bySsn = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        foreach (var individual in individuals)
        {
            foreach (var ssn in Strings(individual, "ssn"))
            {
                var digits = ssn.Replace("-", string.Empty, StringComparison.Ordinal);
                if (!bySsn.TryGetValue(digits, out var list))
                {
                    bySsn[digits] = list = [];
                }

                list.Add(individual);
            }
        }

        var found = 0;
        var wrongDob = 0;
        var wrongName = 0;
        var split = 0;
        foreach (var person in truth.People)
        {
            if (!bySsn.TryGetValue(person.SsnDigits, out var matches))
            {
                output.WriteLine($"missed person #{person.Number}");
                continue;
            }

            found++;
            if (matches.Count > 1)
            {
                split++;
            }

            var individual = matches[0];
            var dobs = Strings(individual, "dob").ToList();
            if (dobs.Count != 1 || dobs[0] != person.Dob.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            {
                wrongDob++;
                output.WriteLine($"person #{person.Number}: dob values {dobs.Count}");
            }

            var name = individual.GetProperty("name").GetString() ?? string.Empty;
            if (!name.Contains(person.Last, StringComparison.OrdinalIgnoreCase))
            {
                wrongName++;
                output.WriteLine($"person #{person.Number}: name does not hold the surname");
            }
        }

        var ssnsOfPeople = truth.People.Select(p => p.SsnDigits).ToHashSet(StringComparer.Ordinal);
        var foreignSsns = bySsn.Keys.Count(k => !ssnsOfPeople.Contains(k));
        var decoys = truth.DecoyValues.ToHashSet(StringComparer.Ordinal);
        var decoyHits = individuals.Count(i => Strings(i, "ssn").Select(s => s.Replace("-", string.Empty, StringComparison.Ordinal)).Concat(Strings(i, "dob")).Any(decoys.Contains));

        output.WriteLine($"people {truth.People.Count}, individuals {individuals.Count}, found {found}, split {split}, wrong dob {wrongDob}, wrong name {wrongName}, foreign ssn {foreignSsns}, decoy hits {decoyHits}");

        Assert.Equal(truth.People.Count, found);
        Assert.Equal(0, split);
        Assert.Equal(0, wrongDob);
        Assert.Equal(0, wrongName);
        Assert.Equal(0, foreignSsns);
        Assert.Equal(0, decoyHits);
        Assert.Equal(truth.People.Count, individuals.Count);
    }

    [Fact]
    public async Task OutputIsByteIdenticalForOneAndTwoThreads()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        SyntheticShare.Write(share, 60, seed: 7, copies: 3);

        var one = temp.Combine("one");
        var two = temp.Combine("two");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", one, "--threads", "1", "--quiet")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", two, "--threads", "2", "--quiet")).ExitCode);

        foreach (var file in new[] { "individuals.jsonl", "individuals.csv", "findings.jsonl", "files.jsonl", "notification.csv", "notification-summary.json", "report.html" })
        {
            var a = await File.ReadAllBytesAsync(Path.Combine(one, file));
            var b = await File.ReadAllBytesAsync(Path.Combine(two, file));
            Assert.True(a.Length > 0, file + " is empty");
            Assert.True(a.AsSpan().SequenceEqual(b), file + " differs between thread counts");
        }
    }

    internal static List<JsonElement> ReadJsonl(string path)
        => File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    internal static IEnumerable<string> Strings(JsonElement element, string property)
        => element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)
            : [];
}
