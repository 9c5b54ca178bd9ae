using PiiScanner.Detection;
using PiiScanner.Index;
using PiiScanner.Notification;
using PiiScanner.Resolution;
using static PiiScanner.Tests.Resolution.TestFindings;

namespace PiiScanner.Tests.Notification;

/// <summary>The decision on hand-built findings (invented people only).</summary>
public sealed class NotificationDeciderTests
{
    private static readonly DateTimeOffset Old = new(2019, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Recent = new(2023, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static NotificationDecider Decider(bool coveredEntity = false) =>
        new(NotificationLawTests.Laws, new NotificationOptions { CoveredEntity = coveredEntity });

    private static ItemResult Dated(ItemResult item, DateTimeOffset modified) => item with { File = item.File with { Modified = modified } };

    /// <summary>One record of name, SSN and address (with its state) in <paramref name="path"/>.</summary>
    private static ItemResult PersonAt(string path, string name, string ssn, string address, string state, DateTimeOffset modified) =>
        Dated(Item(path, [F(Elements.Name, name, start: 0), F(Elements.Ssn, ssn, start: 10), F(Elements.Address, address, start: 20, state: state)]), modified);

    /// <summary>A scan result of these items and people, with the summary counts the report reads.</summary>
    internal static ScanResult Result(IReadOnlyList<ItemResult> items, IReadOnlyList<Individual> people)
    {
        var summary = new ScanSummary
        {
            Roots = ["test"],
            FilesByStatus = new Dictionary<FileStatus, long> { [FileStatus.Scanned] = items.Count },
            FindingsByElement = new Dictionary<string, long>(),
            IndividualsByElement = people.SelectMany(p => p.Elements).GroupBy(e => e).ToDictionary(g => g.Key, g => (long)g.Count()),
            Individuals = people.Count,
        };
        return new ScanResult(items, people, summary);
    }

    private static ScanResult Scan(params ItemResult[] items)
    {
        var sorted = items.OrderBy(i => i.File.Path, StringComparer.Ordinal).ToList();
        var index = ResolveIndex([.. sorted]);
        return Result(sorted, index.Individuals) with { Staff = index.Staff };
    }

    [Theory]
    [InlineData(false, "TX", "2 New St, Austin, TX 73301")]
    [InlineData(true, "ID", "1 Old Rd, Boise, ID 83701")]
    public void ResidenceIsTheStateOfTheAddressInTheMostRecentFile(bool idahoIsNewer, string state, string mailing)
    {
        var scan = Scan(
            PersonAt("a/old.csv", "Quinlan Testmore", "219099999", "1 Old Rd, Boise, ID 83701", "ID", idahoIsNewer ? Recent : Old),
            PersonAt("b/new.csv", "Quinlan Testmore", "219099999", "2 New St, Austin, TX 73301", "TX", idahoIsNewer ? Old : Recent));
        var person = Assert.Single(Decider().Decide(scan).People);
        Assert.Equal(state, person.State);
        Assert.Equal(Elements.Address, person.StateFrom);
        Assert.Equal(mailing, person.MailingAddress);
        Assert.True(person.Notifiable);
        Assert.Equal([Elements.Name, Elements.Ssn], person.Triggered);
    }

    [Fact]
    public void WithoutAnAddressTheLicenceStateDecides()
    {
        var scan = Scan(Table("dl.csv", [(Elements.Name, "Quinlan Testmore"), (Elements.DriversLicense, "T123456789012")]));
        var person = Assert.Single(Decider().Decide(scan).People);
        Assert.Equal("IL", person.State);
        Assert.Equal(Elements.DriversLicense, person.StateFrom);
        Assert.Null(person.MailingAddress);
        Assert.True(person.Notifiable);
    }

    [Fact]
    public void PeopleWithoutAStateAreUnknownAndNeverDropped()
    {
        var scan = Scan(
            Table("a.csv", [(Elements.Name, "Quinlan Testmore"), (Elements.Ssn, "219099999")]),
            Table("b.csv", [(Elements.Name, "Rosalind Examplar"), (Elements.Dob, "1970-01-02")]));
        var outcome = Decider().Decide(scan);
        Assert.Equal(2, outcome.People.Count);
        Assert.All(outcome.People, p => Assert.Equal(NotificationDecider.UnknownState, p.State));
        var unknown = outcome.ByState[NotificationDecider.UnknownState];
        Assert.Equal(2, unknown.Individuals);

        // SSN with a name triggers every state's law; a name with a birth date only North Dakota's and Washington's,
        // so both are listed for the analyst to find where they live.
        Assert.Equal(2, unknown.Notifiable);
        var ssn = outcome.People.Single(p => p.Person.Name == "Quinlan Testmore");
        var dob = outcome.People.Single(p => p.Person.Name == "Rosalind Examplar");
        Assert.True(ssn.LawsFiring > dob.LawsFiring);
        Assert.Equal(2, dob.LawsFiring);
    }

    [Fact]
    public void AStateWhoseLawIsSilentDoesNotNotify()
    {
        // Montana has no health-insurance trigger, California has one.
        var montana = Decider().Decide(NotificationLawTests.Resident("MT", Elements.Name, Elements.HealthInsurance));
        var california = Decider().Decide(NotificationLawTests.Resident("CA", Elements.Name, Elements.HealthInsurance));
        Assert.False(montana.Notifiable);
        Assert.True(california.Notifiable);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void HipaaBindsOnlyACoveredEntity(bool coveredEntity, bool notifiable)
    {
        var person = Decider(coveredEntity).Decide(NotificationLawTests.Resident("KS", Elements.Name, Elements.Medical));
        Assert.Equal(notifiable, person.Notifiable);
        Assert.Single(person.Overlays);
        Assert.Empty(person.Triggered);
        Assert.Equal(coveredEntity, person.LawText(coveredEntity).Contains("164.400", StringComparison.Ordinal));
    }

    [Fact]
    public void RegulatorThresholdsCountTheStatesNotifiableResidents()
    {
        // Connecticut's attorney general is told of any resident; California's from 501.
        var scan = Scan(
            PersonAt("a.csv", "Quinlan Testmore", "219099999", "1 Elm St, Hartford, CT 06103", "CT", Old),
            PersonAt("b.csv", "Rosalind Examplar", "219099998", "2 Oak St, Fresno, CA 93701", "CA", Old));
        var outcome = Decider().Decide(scan);
        Assert.Contains(outcome.RegulatorsToNotify, r => r.Jurisdiction == "CT" && r.Regulator.Who == "attorney general" && r.People == 1);
        Assert.DoesNotContain(outcome.RegulatorsToNotify, r => r.Jurisdiction == "CA");
        var ca = Assert.Single(outcome.ByState["CA"].Regulators);
        Assert.False(ca.Required);
        Assert.Equal(501, ca.Regulator.MinResidents);
    }

    [Fact]
    public void OutOfScopeFilesNarrowOrRemovePeople()
    {
        var scan = Scan(
            PersonAt("HR/payroll.csv", "Quinlan Testmore", "219099999", "1 Old Rd, Boise, ID 83701", "ID", Recent),
            PersonAt("Clients/list.csv", "Quinlan Testmore", "219099999", "2 New St, Austin, TX 73301", "TX", Old),
            PersonAt("HR/staff.csv", "Rosalind Examplar", "219099998", "3 Elm St, Boise, ID 83702", "ID", Old));
        var review = new Review([new ReviewOutOfScope("HR", "staff files")], [], [], []);
        var outcome = Decider().Decide(scan, review);
        var person = Assert.Single(outcome.People);
        Assert.Equal("TX", person.State);
        Assert.Equal(["2 New St, Austin, TX 73301"], person.Person.Values[Elements.Address].Select(v => v.Value));
        Assert.All(person.Person.Sources, s => Assert.Equal("Clients/list.csv", s.Path));
        var action = Assert.Single(outcome.Review);
        Assert.True(action.Applied);
        Assert.Equal("1 individual narrowed, 1 individual removed", action.Detail);
    }

    [Fact]
    public void SplitMergeAndExcludeAreAppliedAndLogged()
    {
        var scan = Scan(
            PersonAt("a.csv", "Quinlan Testmore", "219099999", "1 Old Rd, Boise, ID 83701", "ID", Old),
            PersonAt("b.csv", "Quinlan Testmore", "219099999", "2 New St, Austin, TX 73301", "TX", Recent),
            PersonAt("c.csv", "Rosalind Examplar", "219099998", "3 Elm St, Boise, ID 83702", "ID", Old),
            PersonAt("d.csv", "Roz Examplar", "219099997", "3 Elm St, Boise, ID 83702", "ID", Old));
        var before = Decider().Decide(scan).People;
        Assert.Equal(3, before.Count);
        var quinlan = before.Single(p => p.Person.Name == "Quinlan Testmore").Person.Id;
        var roz = before.Where(p => p.Person.Name!.Contains("Examplar", StringComparison.Ordinal)).Select(p => p.Person.Id).ToList();

        var split = Decider().Decide(scan, new Review([], [new ReviewSplit(quinlan, [("a.csv", "row 1")], "two people")], [], []));
        Assert.Equal(4, split.People.Count);
        var moved = split.People.Single(p => p.Person.Sources.All(s => s.Path == "a.csv"));
        Assert.Equal("ID", moved.State);
        Assert.Equal([new JoinReason(ReviewApplier.SplitKey, 1)], moved.Person.JoinedBy);
        Assert.Equal("TX", split.People.Single(p => p.Person.Id == quinlan).State);

        var merged = Decider().Decide(scan, new Review([], [], [new ReviewMerge(roz, "maiden name")], [new ReviewExclude(quinlan, "staff"), new ReviewExclude("0000", "typo")]));
        var one = Assert.Single(merged.People).Person;
        Assert.Equal(2, one.Values[Elements.Ssn].Count);
        Assert.Contains(one.JoinedBy, j => j.Key == ReviewApplier.MergeKey && j.Records == 1);
        Assert.Equal([new ExcludedPerson(quinlan, "staff")], merged.Excluded);
        Assert.Equal([true, true, false], merged.Review.Select(a => a.Applied));
    }

    [Fact]
    public void AReviewFileIsReadAndABadOneNamesTheFile()
    {
        using var folder = new EndToEnd.TempFolder();
        var good = folder.Combine("review.yaml");
        File.WriteAllText(good, """
            outOfScope:
              - {path: HR/, reason: staff}
            split:
              - id: aaaa
                sources: [{path: a.csv, locator: row 2}]
            merge:
              - ids: [bbbb, cccc]
            exclude:
              - {id: dddd, reason: test record}
            """);
        var review = Review.Load(good);
        Assert.Equal("HR/", review.OutOfScope[0].Path);
        Assert.Equal([("a.csv", "row 2")], review.Splits[0].Sources);
        Assert.Equal(["bbbb", "cccc"], review.Merges[0].Ids);
        Assert.Equal("test record", review.Excludes[0].Reason);

        var bad = folder.Combine("bad.yaml");
        File.WriteAllText(bad, "merge:\n  - ids: [bbbb]\n");
        var ex = Assert.Throws<ReviewFileException>(() => Review.Load(bad));
        Assert.Contains("bad.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("two ids", ex.Message, StringComparison.Ordinal);
    }
}
