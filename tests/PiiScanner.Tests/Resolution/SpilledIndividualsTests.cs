using PiiScanner.Detection;
using PiiScanner.Resolution;

namespace PiiScanner.Tests.Resolution;

public sealed class SpilledIndividualsTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("piiscan-spill-");

    public void Dispose() => _temp.Delete(recursive: true);

    private static Individual Person(int n) => new()
    {
        Id = "P" + n.ToString("000", System.Globalization.CultureInfo.InvariantCulture),
        Name = "Person Number" + n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Elements = [Elements.Name, Elements.Ssn],
        Values = new ElementValues([(Elements.Ssn, (IReadOnlyList<ExposedValue>)[new ExposedValue("123-45-" + (6700 + n).ToString(System.Globalization.CultureInfo.InvariantCulture))])]),
        Sources = [new SourceRef("share/a.csv", "row " + n.ToString(System.Globalization.CultureInfo.InvariantCulture), [Elements.Name, Elements.Ssn], false, null, null)],
    };

    [Fact]
    public void ReadAtGivesThePeopleAtTheIndexesInTheirOrderAcrossRunsAndJumps()
    {
        using var spilled = new SpilledIndividuals(_temp.FullName);
        for (var i = 0; i < 50; i++)
        {
            spilled.Add(Person(i));
        }

        int[] picked = [3, 4, 5, 6, 40, 41, 0, 1, 49, 49, 7];
        var read = spilled.ReadAt(picked).ToList();

        Assert.Equal(picked.Select(i => Person(i).Id), read.Select(p => p.Id));
        Assert.Equal(picked.Select(i => spilled[i].Sources[0].Locator), read.Select(p => p.Sources[0].Locator));
        Assert.Equal(spilled[41].Values[Elements.Ssn][0].Value, read[5].Values[Elements.Ssn][0].Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => spilled.ReadAt([2, 50]).ToList());
    }
}
