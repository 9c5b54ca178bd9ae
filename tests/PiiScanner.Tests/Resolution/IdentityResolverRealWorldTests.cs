using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Resolution;
using static PiiScanner.Tests.Resolution.TestFindings;

namespace PiiScanner.Tests.Resolution;

/// <summary>Families, the same person written differently, mentions, staff and join reasons (invented people only).</summary>
public class IdentityResolverRealWorldTests
{
    private const string Name = Elements.Name;
    private const string Ssn = Elements.Ssn;
    private const string Dob = Elements.Dob;
    private const string Address = Elements.Address;
    private const string Medical = Elements.Medical;
    private const string Home = "41 Larkspur Ln, Helena, MT 59601";

    // --- Families never merge -------------------------------------------------------------------------------

    [Fact]
    public void SpousesAndChildrenAtOneAddressStayApart()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Harold Quimbley"), (Address, Home), (Dob, "1958-02-03")]),
            Table("b.csv", [(Name, "Edna Quimbley"), (Address, Home), (Dob, "1960-07-08")]),
            Table("c.csv", [(Name, "Pip Quimbley"), (Address, Home), (Dob, "1992-11-12")]),
            Table("d.csv", [(Name, "Edna Quimbley"), (Address, Home)]));

        Assert.Equal(3, people.Count);
        Assert.Equal(2, Assert.Single(people, p => p.Name == "Edna Quimbley").Sources.Count);
    }

    [Fact]
    public void TwinsWithSameDobAndAddressStayTwoPeople()
    {
        var people = Resolve(
            Table("school/roster.csv",
                [(Name, "Aurelio Vantassel"), (Address, Home), (Dob, "2010-04-05")],
                [(Name, "Benedetta Vantassel"), (Address, Home), (Dob, "2010-04-05")],
                // One letter apart, but listed side by side in one file: twins, not a typo.
                [(Name, "Jaden Vantassel"), (Address, Home), (Dob, "2012-01-01")],
                [(Name, "Jayden Vantassel"), (Address, Home), (Dob, "2012-01-01")]));

        Assert.Equal(4, people.Count);
    }

    [Fact]
    public void JrAndSrAtOneAddressStayApartAndAnUndatedRecordJoinsNeither()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Gordon Pettibone Sr."), (Address, Home), (Dob, "1950-01-01")]),
            Table("b.csv", [(Name, "Gordon Pettibone Jr."), (Address, Home), (Dob, "1980-01-01")]),
            Table("c.csv", [(Name, "Gordon Pettibone"), (Address, Home)]));

        Assert.Equal(3, people.Count);
        Assert.All(people, p => Assert.Single(p.Sources));
    }

    [Fact]
    public void JrAndSrSuffixesConflictWithoutDobs()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "PETTIBONE, GORDON SR"), (Address, Home)]),
            Table("b.csv", [(Name, "Gordon Pettibone Jr"), (Address, Home)]));

        Assert.Equal(2, people.Count);
    }

    [Fact]
    public void NamesakesWithOtherDobOrAddressStayApart()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Linnea Farquharson"), (Dob, "1970-01-01")]),
            Table("b.csv", [(Name, "Linnea Farquharson"), (Dob, "1971-01-01")]),
            Table("c.csv", [(Name, "Linnea Farquharson"), (Address, "9 Ash Ct, Butte, MT 59701")]),
            Table("d.csv", [(Name, "Linnea Farquharson"), (Address, "1 Main St, Billings, MT 59101")]));

        Assert.Equal(4, people.Count);
    }

    [Fact]
    public void DependentInAHouseholdRecordIsLinkedNotMerged()
    {
        var people = Resolve(HouseholdForm("intake/household.json"), Table("other.csv", [(Name, "Osgood Tremblay"), (Address, Home), (Ssn, "123456711")]));

        Assert.Equal(2, people.Count);
        var head = Assert.Single(people, p => p.Values.ContainsKey(Ssn));
        var child = Assert.Single(people, p => !p.Values.ContainsKey(Ssn));
        Assert.Equal([child.Id], head.Household);
        Assert.Equal([head.Id], child.Household);
    }

    [Fact]
    public void DependentRepeatedBesideTheSameHeadInManyFormsStaysItsOwnPerson()
    {
        // Junior shares the head's name and address in every form: only the household link keeps them apart, form
        // after form, however many forms repeat the pair.
        var people = Resolve([.. Enumerable.Range(1, 12).Select(i => HouseholdForm($"intake/household{i:00}.json"))]);

        Assert.Equal(2, people.Count);
        var head = Assert.Single(people, p => p.Values.ContainsKey(Ssn));
        var child = Assert.Single(people, p => !p.Values.ContainsKey(Ssn));
        Assert.Equal(12, head.Sources.Count);
        Assert.Equal(12, child.Sources.Count);
        Assert.Equal([child.Id], head.Household);
    }

    // A household object: the head (SSN) and a dependent with the head's name and address.
    private static PiiScanner.Index.ItemResult HouseholdForm(string path) => Item(path,
    [
        F(Name, "Osgood Tremblay", "$.head", group: 1, segment: 1),
        F(Ssn, "123456711", "$.head", group: 1, segment: 1, start: 10),
        F(Address, Home, "$.head", group: 1, segment: 1, start: 20),
        F(Name, "Osgood Tremblay", "$.dependents[0]", group: 2, segment: 2, parentGroup: 1),
        F(Address, Home, "$.dependents[0]", group: 2, segment: 2, start: 20, parentGroup: 1),
        F(Dob, "2015-05-05", "$.dependents[0]", group: 2, segment: 2, start: 30, parentGroup: 1),
    ]);

    // --- The same person across files joins -----------------------------------------------------------------

    [Fact]
    public void NicknameAndMiddleInitialPresentOrAbsentJoin()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Margaret J. Pellegrini"), (Dob, "1977-03-03"), (Ssn, "123456712")]),
            Table("b.csv", [(Name, "Peggy Pellegrini"), (Dob, "1977-03-03")]),
            Table("c.csv", [(Name, "Margaret Pellegrini"), (Dob, "1977-03-03")]));

        var p = Assert.Single(people);
        Assert.Equal(3, p.Sources.Count);
    }

    [Fact]
    public void MaidenAndMarriedSurnamesJoinOnGivenNameDobAndAddress()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Rosalie Fenwick"), (Dob, "1984-09-10"), (Address, Home)]),
            Table("b.csv", [(Name, "Rosalie Okonjo"), (Dob, "1984-09-10"), (Address, "41 LARKSPUR LANE, HELENA, MT 59601")]),
            // Another DOB at the same address: someone else.
            Table("c.csv", [(Name, "Rosalie Brandvold"), (Dob, "1990-01-01"), (Address, Home)]));

        Assert.Equal(2, people.Count);
        var p = Assert.Single(people, p => p.Sources.Count == 2);
        Assert.Equal([new JoinReason("maiden+dob+address", 1)], p.JoinedBy);
    }

    [Fact]
    public void OneLetterTypoJoinsOnlyWhenDobAndAddressAgree()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Bartholomew Quackenbush"), (Dob, "1969-06-07"), (Address, Home)]),
            Table("b.csv", [(Name, "Bartholomew Quackenbosh"), (Dob, "1969-06-07"), (Address, Home)]),
            Table("c.csv", [(Name, "Bartholomew Quackenbash"), (Dob, "1969-06-07"), (Address, "2 Elm St, Butte, MT 59701")]),
            Table("d.csv", [(Name, "Cassius Ambrose"), (Dob, "1969-06-07"), (Address, Home)]),
            Table("e.csv", [(Name, "Cassias Ambrose"), (Dob, "1969-06-07"), (Address, Home)]),
            // Too short to call a typo.
            Table("f.csv", [(Name, "Ana Lutz"), (Dob, "1969-06-07"), (Address, Home)]),
            Table("g.csv", [(Name, "Ama Lutz"), (Dob, "1969-06-07"), (Address, Home)]));

        Assert.Equal(5, people.Count);
        var q = Assert.Single(people, p => p.Name!.StartsWith("Bartholomew", StringComparison.Ordinal) && p.Sources.Count == 2);
        Assert.Equal([new JoinReason("typo+dob+address", 1)], q.JoinedBy);
        Assert.Single(people, p => p.Name!.EndsWith("Ambrose", StringComparison.Ordinal) && p.Sources.Count == 2);
    }

    [Fact]
    public void TypoBesideTwoPeopleOfTheOtherSpellingJoinsNeither()
    {
        // Two people spelled Quackenbush (two SSNs) at one address with one birth date: a Quackenbosh record there
        // could be either, so it joins neither, and neither joins it.
        var people = Resolve(
            Table("a.csv", [(Name, "Bartholomew Quackenbush"), (Dob, "1969-06-07"), (Address, Home), (Ssn, "123456711")]),
            Table("b.csv", [(Name, "Bartholomew Quackenbush"), (Dob, "1969-06-07"), (Address, Home), (Ssn, "123456712")]),
            Table("c.csv", [(Name, "Bartholomew Quackenbosh"), (Dob, "1969-06-07"), (Address, Home)]),
            Table("d.csv", [(Name, "Cassius Ambrose"), (Dob, "1969-06-07"), (Address, Home)]),
            Table("e.csv", [(Name, "Cassias Ambrose"), (Dob, "1969-06-07"), (Address, Home)]));

        Assert.Equal(4, people.Count);
        Assert.All(people.Where(p => p.Name!.StartsWith("Bartholomew", StringComparison.Ordinal)), p => Assert.Single(p.Sources));
        Assert.Single(people, p => p.Name!.EndsWith("Ambrose", StringComparison.Ordinal) && p.Sources.Count == 2);
    }

    [Fact]
    public void AccentsLastFirstSuffixAndMultiWordSurnamesJoin()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Ximena Ordóñez"), (Dob, "1988-08-08"), (Ssn, "123456713")]),
            Table("b.csv", [(Name, "XIMENA ORDONEZ"), (Dob, "1988-08-08")]),
            Table("c.csv", [(Name, "PELLEGRINO, ANSELM T SR"), (Dob, "1941-04-04")]),
            Table("d.csv", [(Name, "Anselm T. Pellegrino Sr."), (Dob, "1941-04-04"), (Ssn, "123456714")]),
            Table("e.csv", [(Name, "Winona Running Crane"), (Dob, "1995-12-01"), (Ssn, "123456715")]),
            Table("f.csv", [(Name, "RUNNING CRANE, WINONA"), (Dob, "1995-12-01")]),
            Table("g.csv", [(Name, "Winona Running-Crane"), (Dob, "1995-12-01")]));

        Assert.Equal(3, people.Count);
        Assert.Equal([2, 2, 3], people.Select(p => p.Sources.Count).Order());
    }

    [Fact]
    public void NoFuzzyJoinAcrossTwoSsnsOrConflictingDobs()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Rosalie Fenwick"), (Dob, "1984-09-10"), (Address, Home), (Ssn, "123456716")]),
            Table("b.csv", [(Name, "Rosalie Okonjo"), (Dob, "1984-09-10"), (Address, Home), (Ssn, "123456717")]),
            Table("c.csv", [(Name, "Cassius Ambrose"), (Dob, "1969-06-07"), (Address, Home), (Ssn, "123456718")]),
            Table("d.csv", [(Name, "Cassias Ambrose"), (Dob, "1969-06-07"), (Address, Home), (Ssn, "123456719")]));

        Assert.Equal(4, people.Count);
    }

    // --- Name-only mentions ---------------------------------------------------------------------------------

    [Fact]
    public void NameOnlyMentionInTheSameDocumentAttaches()
    {
        var note = Item("clinic/notes.txt",
        [
            F(Name, "Delphine Marchetti", "line 1", kind: GroupKind.Block, segment: 1),
            F(Ssn, "123456720", "line 1", kind: GroupKind.Block, segment: 1, start: 30),
            F(Name, "Delphine Marchetti", "line 40", kind: GroupKind.Block, segment: 40),
            F(Name, "Ms. Marchetti", "line 60", kind: GroupKind.Block, segment: 60),
        ]);

        var p = Assert.Single(Resolve(note));
        Assert.Equal(["line 1", "line 40", "line 60"], p.Sources.Select(s => s.Locator));
        Assert.Equal([Name], p.Sources[1].Elements);
        Assert.Equal([new JoinReason("same-document-name", 2)], p.JoinedBy);
    }

    [Fact]
    public void DetailsWithoutANameJoinTheOnePersonOfTheirLetter()
    {
        // A letter: the addressee block, then a separate "Re: Your application, DOB …" paragraph.
        var letter = Item("letters/letter_001.docx",
        [
            F(Name, "Zelda Marchetti", "paragraph 6", group: 6, kind: GroupKind.Block, segment: 6),
            F(Address, Home, "paragraph 7", group: 6, kind: GroupKind.Block, segment: 7),
            F(Dob, "1984-06-14", "paragraph 9", group: 9, kind: GroupKind.Block, segment: 9),
        ]);

        var p = Assert.Single(Resolve(letter));
        Assert.Equal(["1984-06-14"], p.Values[Dob].Select(v => v.Value));
        Assert.Contains(new JoinReason("same-document-subject", 1), p.JoinedBy);
    }

    [Fact]
    public void AFormPrintedOneLabelPerParagraphIsOnePersonWithItsName()
    {
        // "Patient Name: Sandoval, Joyce F" / (blank) / "Date of Birth: …" / (blank) / "SSN: …": every line its own paragraph.
        var form = Item("scans/nemt_request.pdf",
        [
            F(Name, "Joyce F Sandoval", "page 1 line 3", group: 2, kind: GroupKind.Block, segment: 3),
            F(Dob, "1958-06-28", "page 1 line 4", group: 3, kind: GroupKind.Block, segment: 4),
            F(Ssn, "547039788", "page 1 line 5", group: 4, kind: GroupKind.Block, segment: 5),
        ]);

        var p = Assert.Single(Resolve(form));
        Assert.Equal("Joyce F Sandoval", p.Name);
        Assert.Equal(["547039788"], p.Values[Ssn].Select(v => v.Value));
        Assert.Contains(p.JoinedBy, j => j.Key == "same-document-subject");
    }

    [Fact]
    public void TwoNamesInAFormOfOneNamelessPersonGiveItNeither()
    {
        var form = Item("scans/referral.pdf",
        [
            F(Name, "Joyce F Sandoval", "page 1 line 3", group: 2, kind: GroupKind.Block, segment: 3),
            F(Name, "Marta Quill", "page 1 line 9", group: 7, kind: GroupKind.Block, segment: 9),
            F(Ssn, "547039788", "page 1 line 5", group: 4, kind: GroupKind.Block, segment: 5),
        ]);

        var p = Assert.Single(Resolve(form));
        Assert.Null(p.Name);
    }

    [Fact]
    public void IdentifiersWithoutANameJoinTheAddresseeOfTheirLetter()
    {
        var letter = Item("letters/redet_notice.txt",
        [
            F(Name, "Zelda Marchetti", "line 3", group: 1, kind: GroupKind.Block, segment: 3),
            F(Address, Home, "line 4", group: 1, kind: GroupKind.Block, segment: 4),
            F(Ssn, "234567802", "line 18", group: 5, kind: GroupKind.Block, segment: 18),
            F(Dob, "1984-06-14", "line 18", group: 5, kind: GroupKind.Block, segment: 18, start: 20),
        ]);

        var p = Assert.Single(Resolve(letter));
        Assert.Equal(["234567802"], p.Values[Ssn].Select(v => v.Value));
        Assert.Contains(p.JoinedBy, j => j.Key == "same-document-subject");
    }

    [Fact]
    public void IdentifiersWithoutANameStayApartInANoteAboutTwoPeople()
    {
        var notes = Item("clinic/notes.txt",
        [
            F(Name, "Zelda Marchetti", "line 1", group: 1, kind: GroupKind.Block, segment: 1),
            F(Address, Home, "line 2", group: 1, kind: GroupKind.Block, segment: 2),
            F(Name, "Osric Fairweather", "line 10", group: 2, kind: GroupKind.Block, segment: 10),
            F(Address, "9 Elm St, Helena, MT 59601", "line 11", group: 2, kind: GroupKind.Block, segment: 11),
            F(Ssn, "234567802", "line 20", group: 3, kind: GroupKind.Block, segment: 20),
        ]);

        var people = Resolve(notes);
        Assert.Equal(3, people.Count);
        Assert.Single(people, p => p.Values.ContainsKey(Ssn) && p.Name is null);
    }

    [Fact]
    public void DetailsWithoutANameJoinNobodyInADocumentAboutTwoPeople()
    {
        var notes = Item("clinic/notes.txt",
        [
            F(Name, "Zelda Marchetti", "line 1", group: 1, kind: GroupKind.Block, segment: 1),
            F(Address, Home, "line 2", group: 1, kind: GroupKind.Block, segment: 2),
            F(Name, "Osric Fairweather", "line 10", group: 2, kind: GroupKind.Block, segment: 10),
            F(Address, "9 Elm St, Helena, MT 59601", "line 11", group: 2, kind: GroupKind.Block, segment: 11),
            F(Dob, "1984-06-14", "line 20", group: 3, kind: GroupKind.Block, segment: 20),
        ]);

        var people = Resolve(notes);
        Assert.Equal(2, people.Count);
        Assert.All(people, p => Assert.False(p.Values.ContainsKey(Dob)));
    }

    [Fact]
    public void NameOnlyMentionInTheSameThreadOrContainerAttaches()
    {
        var people = Resolve(
            Table("mail/inbox.mbox!0001.eml!applicants.csv", [(Name, "Delphine Marchetti"), (Ssn, "123456720")]),
            Item("mail/inbox.mbox!0001.eml", [F(Name, "Delphine Marchetti", "line 3", kind: GroupKind.Block, segment: 3)]),
            Item("mail/inbox.mbox!0007.eml", [F(Name, "Marchetti, Delphine", "line 9", kind: GroupKind.Block, segment: 9)]),
            Item("other/letter.txt", [F(Name, "Delphine Marchetti", "line 2", kind: GroupKind.Block, segment: 2)]));

        var p = Assert.Single(people);
        Assert.Equal(["mail/inbox.mbox!0001.eml", "mail/inbox.mbox!0001.eml!applicants.csv", "mail/inbox.mbox!0007.eml"], p.Sources.Select(s => s.Path));
    }

    [Fact]
    public void MentionOfNobodyOrOfSeveralPeopleCreatesNoOne()
    {
        var people = Resolve(Item("letters/batch.txt",
        [
            F(Name, "Corin Ashdown", "line 1", kind: GroupKind.Block, segment: 1),
            F(Ssn, "123456721", "line 1", kind: GroupKind.Block, segment: 1, start: 20),
            F(Name, "Maren Ashdown", "line 20", kind: GroupKind.Block, segment: 20),
            F(Ssn, "123456722", "line 20", kind: GroupKind.Block, segment: 20, start: 20),
            F(Name, "Mr. Ashdown", "line 40", kind: GroupKind.Block, segment: 40),
            F(Name, "Ferdinand Olmstead", "line 60", kind: GroupKind.Block, segment: 60),
            F(Name, "Ms. Quayle", "line 80", kind: GroupKind.Block, segment: 80),
            F(Medical, "Type 2 diabetes mellitus", "line 80", kind: GroupKind.Block, segment: 80, start: 20, code: "E11.9"),
        ]));

        Assert.Equal(2, people.Count);
        Assert.All(people, p => Assert.Single(p.Sources));
    }

    // --- Roles are not people to notify ---------------------------------------------------------------------

    [Fact]
    public void PrescribersAreStaffAndDoNotPullPatientsTogether()
    {
        var rx = Item("pharmacy/fills.csv",
        [
            F(Name, "Iona Blackwood", "row 2", group: 2, segment: 2),
            F(Dob, "1955-05-05", "row 2", group: 2, segment: 2, start: 10),
            F(Medical, "Metformin", "row 2", group: 2, segment: 2, start: 20),
            F(Name, "Lucian Harrowgate, MD", "row 2", group: 2, segment: 2, start: 30, qualifiers: new() { Role = PersonRole.Provider }),
            F(Elements.Npi, "1234567893", "row 2", group: 2, segment: 2, start: 40),
            F(Name, "Perpetua Vance", "row 3", group: 3, segment: 3),
            F(Dob, "1966-06-06", "row 3", group: 3, segment: 3, start: 10),
            F(Medical, "Lisinopril", "row 3", group: 3, segment: 3, start: 20),
            F(Name, "Lucian Harrowgate, MD", "row 3", group: 3, segment: 3, start: 30, qualifiers: new() { Role = PersonRole.Provider }),
            F(Elements.Npi, "1234567893", "row 3", group: 3, segment: 3, start: 40),
        ]);
        var directory = Table("hr/prescribers.csv", [(Name, "Lucian Harrowgate"), (Elements.Npi, "1234567893"), (Address, "1 Clinic Way, Helena, MT 59601")]);
        var caseNote = Item("case/notes.txt",
        [
            F(Name, "Iona Blackwood", "line 1", kind: GroupKind.Block, segment: 1),
            F(Dob, "1955-05-05", "line 1", kind: GroupKind.Block, segment: 1, start: 20),
            F(Name, "Wendell Osei", "line 2", kind: GroupKind.Block, segment: 2, qualifiers: new() { Role = PersonRole.Staff }),
            F(Name, "Sabine Kowalczyk", "line 3", kind: GroupKind.Block, segment: 3) with
            {
                Evidence = new Evidence { RuleId = "name", Pattern = "honorific", ContextWord = "Dr" },
            },
        ]);

        var index = ResolveIndex(rx, directory, caseNote);

        Assert.Equal(2, index.Individuals.Count);
        Assert.All(index.Individuals, p => Assert.DoesNotContain(Elements.Npi, p.Elements));
        Assert.Equal(2, Assert.Single(index.Individuals, p => p.Name == "Iona Blackwood").Sources.Count);
        Assert.Equal(
            [("Lucian Harrowgate, MD", "provider", 3), ("Sabine Kowalczyk", "provider", 1), ("Wendell Osei", "staff", 1)],
            index.Staff.Select(s => (s.Name, s.Role, s.Sources.Count)).OrderBy(x => x.Name, StringComparer.Ordinal));
    }

    // --- Person policy ----------------------------------------------------------------------------------------

    [Fact]
    public void NameWithRecordNumberAndDiagnosisIsAPersonButASurnameWithADiagnosisIsNot()
    {
        var people = Resolve(
            Table("emr/a.csv", [(Name, "Ingrid Solvang"), ("mrn", "A0012345"), (Medical, "Asthma")]),
            Table("emr/b.csv", [(Name, "Solvang"), (Medical, "Asthma")]));

        var p = Assert.Single(people);
        Assert.Equal("emr/a.csv", Assert.Single(p.Sources).Path);
    }

    // --- joinedBy ---------------------------------------------------------------------------------------------

    [Fact]
    public void JoinedByCountsTheRecordsEachKeyAttached()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Abel Fairweather"), (Ssn, "123456709"), (Dob, "1960-01-01")]),
            Table("b.csv", [(Ssn, "123456709")], [(Name, "Abel Fairweather"), (Dob, "1960-01-01")]),
            Table("c.csv", [(Ssn, "123456709")]),
            Table("d.csv", [(Name, "Bea Gallo"), (Ssn, "123456710")]));

        var abel = Assert.Single(people, p => p.Name == "Abel Fairweather");
        Assert.Equal([new JoinReason("name+dob", 1), new JoinReason("ssn", 2)], abel.JoinedBy);
        Assert.Empty(Assert.Single(people, p => p.Name == "Bea Gallo").JoinedBy);
    }

    // --- Scale --------------------------------------------------------------------------------------------------

    [Fact]
    public void APersonRepeatedTwentyThousandTimesIsOneIndividual()
    {
        // Not timed: a quadratic step would take minutes here.
        const int n = 20_000;
        var withSsn = Enumerable.Range(0, n).Select(_ => new[] { (Name, "Hollis Brennan-Vale"), (Ssn, "123456723") }).ToArray();
        var withDob = Enumerable.Range(0, n).Select(i => new[] { (Name, i % 2 == 0 ? "Marta Ilves" : "ILVES, MARTA"), (Dob, "1979-01-02"), (Address, Home) }).ToArray();
        var mentions = Enumerable.Range(0, n).Select(_ => new[] { (Name, "M. Ilves") }).ToArray();

        var people = Resolve(Table("big/a.csv", withSsn), Table("big/b.zip!1.csv", withDob), Table("big/b.zip!2.csv", mentions));

        Assert.Equal(2, people.Count);
        Assert.All(people, p => Assert.Equal(p.Sources.Count - 1, p.JoinedBy.Sum(j => j.Records)));
    }
}
