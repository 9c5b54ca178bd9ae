using PiiScanner.Detection;
using PiiScanner.Detection.Medical;
using PiiScanner.Extraction;

namespace PiiScanner.Tests.Detection.Identifiers;

public sealed class MedicalDetectorTests
{
    private static readonly Lazy<MedicalVocabulary> Vocabulary = new(() => MedicalVocabulary.Load(Path.Combine(RepoPaths.Rules, "medical")));

    private static MedicalTermDetector Terms => new(Vocabulary.Value, Detectors.Rule("medical-vocab"));

    [Fact]
    public void VocabularyIsCurated()
    {
        var v = Vocabulary.Value;
        Assert.True(v.Terms.Count(t => t.Kind == MedicalTermKind.Condition) >= 200);
        Assert.True(v.Terms.Count(t => t.Kind == MedicalTermKind.Medication) >= 200);
        Assert.True(v.Terms.Count(t => t.Kind == MedicalTermKind.Procedure) >= 40);
        Assert.All(v.Terms.Where(t => t.Kind == MedicalTermKind.Condition), t => Assert.NotNull(t.Code));
    }

    [Theory]
    [InlineData("Patient has diabetes.", "Diabetes mellitus", "other")]
    [InlineData("DIABETES", "Diabetes mellitus", "other")]
    [InlineData("History of PTSD and panic attacks.", "Post-traumatic stress disorder", "mental-health")]
    [InlineData("dx bipolar disorder", "Bipolar disorder", "mental-health")]
    [InlineData("on Suboxone 8mg daily", "buprenorphine/naloxone", "substance-use")]
    [InlineData("Rx: Zoloft 50 mg", "sertraline", "mental-health")]
    [InlineData("started Truvada for PrEP", "emtricitabine/tenofovir disoproxil fumarate", "hiv-sti")]
    [InlineData("emtricitabine/tenofovir", "emtricitabine/tenofovir disoproxil fumarate", "hiv-sti")]
    [InlineData("positive for Chlamydia", "Chlamydia", "hiv-sti")]
    [InlineData("Crohn's disease flare", "Crohn's disease", "other")]
    [InlineData("post-traumatic  stress disorder", "Post-traumatic stress disorder", "mental-health")]
    [InlineData("posttraumatic stress disorder", "Post-traumatic stress disorder", "mental-health")]
    [InlineData("she is pregnant", "Pregnancy", "reproductive-health")]
    [InlineData("HIV-positive since 2010", "HIV", "hiv-sti")]
    [InlineData("metformin 500mg", "metformin", "other")]
    public void FindsTermsWithCanonicalValueAndCategory(string text, string canonical, string category)
    {
        var f = Assert.Single(Detectors.Run(Terms, text), f => f.Value == canonical);
        Assert.Equal(Elements.Medical, f.Element);
        Assert.Equal(category, f.Qualifiers.Sensitivity);
        Assert.Equal("medical-vocab", f.Evidence.RuleId);
    }

    [Fact]
    public void LongestTermWinsAndCarriesItsCode()
    {
        var f = Assert.Single(Detectors.Run(Terms, "Type 2 diabetes mellitus, uncontrolled"));
        Assert.Equal("Type 2 diabetes mellitus", f.Value);
        Assert.Equal("E11.9", f.Code);
        Assert.Equal(0, f.Start);
        Assert.Equal(24, f.Length);
    }

    [Fact]
    public void PluralsAndHyphenVariantsMatch()
    {
        Assert.Contains(Detectors.Run(Terms, "recurring migraines and kidney stones"), f => f.Value == "Kidney stones");
        Assert.Contains(Detectors.Run(Terms, "two suicide attempts"), f => f.Value == "Suicide attempt");
        Assert.Contains(Detectors.Run(Terms, "Alcohol-use disorder"), f => f.Value == "Alcohol use disorder");
    }

    [Theory]
    [InlineData("prediabetesx")]
    [InlineData("the diabetesfoundation")]
    [InlineData("metformins")]
    [InlineData("The hearing aids were shipped.")]
    [InlineData("Economic outlook for the quarter.")]
    public void WholeWordsOnly(string text) => Assert.DoesNotContain(Detectors.Run(Terms, text), f => f.Value is "Diabetes mellitus" or "metformin" or "AIDS");

    [Fact]
    public void HealthBrochureYieldsMedicalFindingsButNoIdentifiers()
    {
        const string brochure =
            "Living well with diabetes: Type 2 diabetes affects millions of adults. Talk to your doctor about metformin, " +
            "healthy eating and exercise. Depression and anxiety are common with chronic illness; help is available. " +
            "Our clinic offers free HIV testing and hepatitis C screening every Tuesday. Updated 2024 edition, page 3 of 12.";
        var findings = Detectors.RunAll(brochure);
        Assert.Contains(findings, f => f.Element == Elements.Medical && f.Value == "Type 2 diabetes mellitus");
        Assert.Contains(findings, f => f.Element == Elements.Medical && f.Value == "metformin");
        Assert.Contains(findings, f => f.Element == Elements.Medical && f.Qualifiers.Sensitivity == "mental-health");
        Assert.All(findings, f => Assert.Equal(Elements.Medical, f.Element));
    }

    [Fact]
    public void Icd10CodesNeedContext()
    {
        var codes = Detectors.MedicalCodes(Vocabulary.Value);
        var found = Detectors.Run(codes, "Dx: E11.9, F32.A; I10");
        Assert.Equal(["Type 2 diabetes mellitus", "Depression", "Essential hypertension"], found.Select(f => f.Value));
        Assert.Equal(["E11.9", "F32.A", "I10"], found.Select(f => f.Code));
        Assert.All(found, f => Assert.Equal("icd10:valid", f.Evidence.Validator));
        Assert.Empty(Detectors.Run(codes, "Part E11.9 ships with bolt I10."));
    }

    [Fact]
    public void UnknownIcd10CodeGetsChapterCategory()
    {
        var f = Assert.Single(Detectors.Run(Detectors.MedicalCodes(Vocabulary.Value), "Diagnosis: F11.23"));
        Assert.Equal("F11.23", f.Value);
        Assert.Equal("substance-use", f.Qualifiers.Sensitivity);
    }

    [Fact]
    public void DiagnosisColumnHeaderWorks()
    {
        var segment = new Segment("row 4", string.Empty) { Fields = [new Field("Primary Dx Code", "F20.9")] };
        var f = Assert.Single(Detectors.Run(Detectors.MedicalCodes(Vocabulary.Value), segment));
        Assert.Equal("Schizophrenia", f.Value);
        Assert.Equal("Primary Dx Code", f.Evidence.Header);
    }

    [Fact]
    public void NdcAndInsurance()
    {
        var codes = Detectors.MedicalCodes(Vocabulary.Value);
        var ndc = Assert.Single(Detectors.Run(codes, "NDC 0002-3227-30 dispensed"));
        Assert.Equal(("00002-3227-30", Elements.Medical), (ndc.Code, ndc.Element));

        // NPI, DEA and MBI are pattern rules now (rules/medical/*.yaml, run by their examples): not this detector's.
        Assert.Empty(Detectors.Run(codes, "Prescriber NPI: 1234567893 DEA# AB1234563 Medicare ID: 1EG4-TE5-MK73"));

        var member = Detectors.Run(codes, "Member ID: XJH123456789  Group #: 00451-22");
        Assert.Equal(["member", "group"], member.Select(f => f.Qualifiers.Kind));
        Assert.All(member, f => Assert.Equal(Elements.HealthInsurance, f.Element));
        Assert.Equal("XJH123456789", member[0].Value);
        Assert.Empty(Detectors.Run(codes, "XJH123456789"));
    }
}
