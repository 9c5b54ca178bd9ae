using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Index;
using PiiScanner.Resolution;
using static PiiScanner.Tests.Resolution.TestFindings;

namespace PiiScanner.Tests.Resolution;

public class IdentityResolverTests
{
    private const string Name = Elements.Name;
    private const string Ssn = Elements.Ssn;
    private const string Dob = Elements.Dob;
    private const string Address = Elements.Address;

    [Fact]
    public void SameSsnAcrossFilesIsOnePerson()
    {
        var people = Resolve(
            Table("hr/payroll.csv", [(Name, "Tobias Quenneville"), (Ssn, "123456701")]),
            Table("backup/benefits.csv", [(Ssn, "123456701"), (Dob, "1971-02-03")]));

        var p = Assert.Single(people);
        Assert.Equal("Tobias Quenneville", p.Name);
        Assert.Equal([Name, Ssn, Dob], p.Elements);
        Assert.Equal(["backup/benefits.csv", "hr/payroll.csv"], p.Sources.Select(s => s.Path));
        Assert.Equal("1971-02-03", Assert.Single(p.Values[Dob]).Value);
    }

    [Fact]
    public void SameNameAndEmailOrPhoneJoinButAContactAloneDoesNot()
    {
        var people = Resolve(
            Table("crm/contacts.csv", [(Name, "Marisol Vantongeren"), (Elements.Email, "m.vantongeren@example.org"), (Ssn, "123456701")]),
            Table("clinic/visits.csv", [(Name, "MARISOL VANTONGEREN"), (Elements.Email, "M.Vantongeren@example.org"), (Elements.Medical, "asthma")]),
            Table("billing/calls.csv", [(Name, "Bill Ostrowski"), (Elements.Phone, "+14065550142"), (Dob, "1970-01-02")]),
            Table("billing/ledger.csv", [(Name, "William Ostrowski"), (Elements.Phone, "+14065550142"), (Address, "12 Oak St, Helena, MT 59601")]),
            // Same household phone, different person: never joined on the phone alone.
            Table("billing/family.csv", [(Name, "Greta Ostrowski"), (Elements.Phone, "+14065550142"), (Dob, "1972-03-04")]));

        Assert.Equal(3, people.Count);
        var marisol = Assert.Single(people, p => p.Values.ContainsKey(Ssn));
        Assert.Equal(["clinic/visits.csv", "crm/contacts.csv"], marisol.Sources.Select(s => s.Path));
        var bill = Assert.Single(people, p => p.Name is { } n && n.Contains("Ostrowski", StringComparison.Ordinal) && p.Values.ContainsKey(Address));
        Assert.Equal(["billing/calls.csv", "billing/ledger.csv"], bill.Sources.Select(s => s.Path));
        Assert.Single(people, p => p.Name == "Greta Ostrowski");
    }

    [Fact]
    public void SameNameAndDobIsOnePerson()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Marisol Vantongeren"), (Dob, "1980-05-06")]),
            Table("b.csv", [(Name, "MARISOL VANTONGEREN"), (Dob, "1980-05-06"), (Address, "12 Oak St, Helena, MT 59601")]));

        var p = Assert.Single(people);
        Assert.Equal([Name, Address, Dob], p.Elements);
        Assert.Equal(["MARISOL VANTONGEREN"], p.NameVariants);
    }

    [Fact]
    public void SameNameDifferentDobIsTwoPeople()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Marisol Vantongeren"), (Dob, "1980-05-06")]),
            Table("b.csv", [(Name, "Marisol Vantongeren"), (Dob, "1981-05-06")]));

        Assert.Equal(2, people.Count);
    }

    [Fact]
    public void NicknameAndLastFirstFormJoin()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "William Q. Harkavy"), (Dob, "1964-11-30"), (Ssn, "123456702")]),
            Table("b.csv", [(Name, "HARKAVY, BILL"), (Dob, "1964-11-30")]),
            Table("c.csv", [(Name, "Billy Harkavy Jr."), (Dob, "1964-11-30")]));

        var p = Assert.Single(people);
        Assert.Equal("William Q. Harkavy", p.Name);
        Assert.Equal(3, p.Sources.Count);
    }

    [Fact]
    public void NameAndAddressJoinWithFoldedAddress()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Peggy Ostrander"), (Address, "77 Birch Street, Butte, MT 59701")]),
            Table("b.csv", [(Name, "Margaret Östrander"), (Address, "77 BIRCH ST, BUTTE, MT 59701-1234")]));

        Assert.Single(people);
    }

    [Fact]
    public void NameAndAddressDoNotJoinFatherAndSonWithDifferentDobs()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Gordon Pettibone Sr."), (Address, "5 Elm Rd, Helena, MT 59601"), (Dob, "1950-01-01")]),
            Table("b.csv", [(Name, "Gordon Pettibone Jr."), (Address, "5 Elm Rd, Helena, MT 59601"), (Dob, "1980-01-01")]));

        Assert.Equal(2, people.Count);
    }

    [Fact]
    public void InitialJoinsWhenExactlyOneCandidate()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Jonah Wexley"), (Dob, "1975-07-08"), (Ssn, "123456703")]),
            Table("b.csv", [(Name, "J. Wexley"), (Dob, "1975-07-08"), (Address, "3 Pine Ave, Butte, MT 59701")]));

        var p = Assert.Single(people);
        Assert.Equal("Jonah Wexley", p.Name);
        Assert.Equal(["J. Wexley"], p.NameVariants);
    }

    [Fact]
    public void InitialDoesNotJoinWhenAmbiguous()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Jonah Wexley"), (Dob, "1975-07-08"), (Ssn, "123456703")]),
            Table("b.csv", [(Name, "Juniper Wexley"), (Dob, "1975-07-08"), (Ssn, "123456704")]),
            Table("c.csv", [(Name, "J. Wexley"), (Dob, "1975-07-08"), (Address, "3 Pine Ave, Butte, MT 59701")]));

        Assert.Equal(3, people.Count);
        Assert.Contains(people, p => p.Name == "J. Wexley" && p.Sources.Count == 1);
    }

    [Fact]
    public void TwoDifferentSsnsWithSameNameAndDobStayTwoPeople()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Corwin Baptiste"), (Dob, "1990-01-01"), (Ssn, "123456705")]),
            Table("b.csv", [(Name, "Corwin Baptiste"), (Dob, "1990-01-01"), (Ssn, "123456706")]),
            // Would bridge the two through name + DOB: could be either, so it joins neither.
            Table("c.csv", [(Name, "Corwin Baptiste"), (Dob, "1990-01-01")]));

        Assert.Equal(3, people.Count);
        Assert.All(people, p => Assert.True(!p.Values.TryGetValue(Ssn, out var ssns) || ssns.Count == 1));
        Assert.All(people, p => Assert.Single(p.Sources));
    }

    [Fact]
    public void DriversLicenceStateAndNumberJoin()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Odessa Kimbrough"), (Elements.DriversLicense, "D12045678901")]),
            Table("b.csv", [(Elements.DriversLicense, "D12045678901"), (Dob, "1966-06-06")]));

        var p = Assert.Single(people);
        var dl = Assert.Single(p.Values[Elements.DriversLicense]);
        Assert.Equal("IL", dl.State);
    }

    [Fact]
    public void BrochureWithMedicalTermOnlyCreatesNobody()
    {
        var brochure = Item("brochures/diabetes.txt",
        [
            F(Elements.Medical, "Type 2 diabetes mellitus", "line 3", kind: GroupKind.Block, segment: 3, code: "E11.9"),
            F(Elements.Medical, "Metformin", "line 9", kind: GroupKind.Block, segment: 9),
        ]);

        Assert.Empty(Resolve(brochure));
    }

    [Fact]
    public void LoneNameOrLoneDobCreatesNobody()
    {
        Assert.Empty(Resolve(Table("staff.csv", [(Name, "Thaddeus Okonkwo-Reyes")], [(Dob, "1970-01-01")])));
    }

    [Fact]
    public void NameWithMedicalIsAPerson()
    {
        var p = Assert.Single(Resolve(Item("notes.txt",
        [
            F(Name, "Ingrid Solvang", "line 1"),
            F(Elements.Medical, "Major depressive disorder", "line 1", code: "F32.9", qualifiers: new() { Sensitivity = "mental-health" }, start: 20),
        ])));

        var m = Assert.Single(p.Values[Elements.Medical]);
        Assert.Equal(("F32.9", "mental-health"), (m.Code, m.Category));
    }

    [Fact]
    public void DeletedFlagComesFromTheFileOrigin()
    {
        var people = Resolve(
            Table("img/p1/home/old.csv", deleted: true, [(Name, "Lavinia Crump"), (Ssn, "123456707")]),
            Table("img/p1/home/new.csv", [(Name, "Lavinia Crump"), (Ssn, "123456707")]));

        var p = Assert.Single(people);
        Assert.Equal([false, true], p.Sources.Select(s => s.Deleted));
    }

    [Fact]
    public void MostFrequentFullNameWins()
    {
        var people = Resolve(
            Table("a.csv", [(Name, "Rosalind Feeney"), (Ssn, "123456708")], [(Name, "ROSALIND FEENEY"), (Ssn, "123456708")]),
            Table("b.csv", [(Name, "ROSALIND FEENEY"), (Ssn, "123456708")], [(Name, "R. Feeney"), (Ssn, "123456708")]));

        var p = Assert.Single(people);
        Assert.Equal("ROSALIND FEENEY", p.Name);
        Assert.Equal(["R. Feeney", "Rosalind Feeney"], p.NameVariants);
    }

    [Fact]
    public void IdsAreStableAndIndependentOfInputOrder()
    {
        ItemResult[] items =
        [
            Table("a.csv", [(Name, "Abel Fairweather"), (Ssn, "123456709")], [(Name, "Bea Gallo"), (Dob, "1960-01-01")]),
            Table("b.csv", [(Name, "Abel Fairweather"), (Ssn, "123456709")]),
            Table("c.csv", [(Name, "Bea Gallo"), (Dob, "1960-01-01")], [(Ssn, "123456710")]),
        ];
        var resolver = new IdentityResolver(NameMatcher.Load([RepoPaths.Rules]));
        var once = resolver.Resolve(items);
        var again = resolver.Resolve([items[2], items[0], items[1]]);

        Assert.Equal(3, once.Count);
        Assert.Equal(once.Select(p => p.Id), again.Select(p => p.Id));
        Assert.Equal(once.Select(p => p.Id).Order(StringComparer.Ordinal), once.Select(p => p.Id));
        Assert.All(once, p => Assert.Matches("^[0-9a-f]{16}$", p.Id));
        Assert.All(once, p => Assert.InRange(p.Confidence, 0.9, 0.99));
    }
}
