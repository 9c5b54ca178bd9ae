namespace PiiScanner.Tests.EndToEnd;

/// <summary><c>piiscan rules list</c> and <c>piiscan rules test FILE</c>, run in-process. Synthetic data only.</summary>
public sealed class RulesCommandTests
{
    private const string SyntheticLine = "Patient: Marisol Quintero DOB: 03/04/1961 SSN: 518-24-3307";

    private const string EmployeeIdRule = """
        # A user rule: employee numbers of a fictional company.
        id: acme-employee-id
        element: employeeId
        description: Acme employee number (EMP- and six digits), synthetic
        minDigits: 6
        patterns:
          - name: emp-number
            regex: '\b(?<value>EMP-\d{6})\b'
            score: 0.7
            scoreWithContext: 0.9
        keywords: [emp, employee]
        context:
          words: [employee, staff id]
          window: 30
        examples:
          match:
            - 'Employee number EMP-204817'
            - 'staff id EMP-550031'
          notMatch:
            - 'Employee number EMP-20481'
        """;

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Row(string stdout, string id)
        => Lines(stdout).Select(l => l.Split('\t')).Single(c => c[0] == id);

    [Fact]
    public async Task ListShowsTheHeaderAndEachShippedRuleWithElementValidatorsAndExampleCount()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("rules", "list");

        Assert.True(code == 0, stderr);
        Assert.Equal("id\telement\tvalidators\texamples", Lines(stdout)[0]);

        var ssn = Row(stdout, "us-ssn");
        Assert.Equal("ssn", ssn[1]);
        Assert.Contains("ssn", ssn[2].Split(','));
        Assert.True(int.Parse(ssn[3], System.Globalization.CultureInfo.InvariantCulture) > 0, ssn[3]);

        var dob = Row(stdout, "dob");
        Assert.Equal("dob", dob[1]);
        Assert.True(int.Parse(dob[3], System.Globalization.CultureInfo.InvariantCulture) > 0, dob[3]);

        var name = Row(stdout, "person-name");
        Assert.Equal("name", name[1]);
        Assert.True(int.Parse(name[3], System.Globalization.CultureInfo.InvariantCulture) > 0, name[3]);

        var ids = Lines(stdout).Skip(1).Select(l => l.Split('\t')[0]).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.All(Lines(stdout), l => Assert.Equal(4, l.Split('\t').Length));
    }

    [Fact]
    public async Task TestShowsEachFindingWithRuleValidatorAndContextAndMasksTheSsn()
    {
        using var temp = new TempFolder();
        var file = temp.Combine("sample.txt");
        await File.WriteAllTextAsync(file, "nothing here\n" + SyntheticLine + "\n");

        var (code, stdout, stderr) = await CliRunner.RunAsync("rules", "test", file);

        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("518-24-3307", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("518243307", stdout, StringComparison.Ordinal);
        var rows = Lines(stdout);
        Assert.All(rows, r => Assert.StartsWith("line 2\t", r, StringComparison.Ordinal));

        var ssn = Assert.Single(rows, r => r.Contains("rule=us-ssn", StringComparison.Ordinal));
        Assert.Contains("\tssn\t***-**-3307\t", ssn, StringComparison.Ordinal);
        Assert.Contains("validator=ssn:valid", ssn, StringComparison.Ordinal);
        Assert.Contains("context=SSN", ssn, StringComparison.OrdinalIgnoreCase);

        var dob = Assert.Single(rows, r => r.Contains("rule=dob", StringComparison.Ordinal));
        Assert.Contains("\tdob\t", dob, StringComparison.Ordinal);
        Assert.Contains("context=DOB", dob, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\t1961-**-**\t", dob, StringComparison.Ordinal);
        Assert.Contains("pattern=date-mdy", dob, StringComparison.Ordinal);

        // Names stay readable by design (Masker): the notification vendor must know whom to write to.
        var name = Assert.Single(rows, r => r.Contains("rule=person-name", StringComparison.Ordinal));
        Assert.Contains("\tname\tMarisol Quintero\t", name, StringComparison.Ordinal);
        Assert.Contains("pattern=label", name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestWithRevealShowsTheFullValues()
    {
        using var temp = new TempFolder();
        var file = temp.Combine("sample.txt");
        await File.WriteAllTextAsync(file, SyntheticLine + "\n");

        var (code, stdout, stderr) = await CliRunner.RunAsync("rules", "test", file, "--reveal");

        Assert.True(code == 0, stderr);
        Assert.Contains("518-24-3307", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("***-**-3307", stdout, StringComparison.Ordinal);
        Assert.Contains("\t1961-03-04\t", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("1961-**-**", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestOfAMissingFileIsExitCodeTwo()
    {
        using var temp = new TempFolder();
        var missing = temp.Combine("absent.txt");

        var (code, stdout, stderr) = await CliRunner.RunAsync("rules", "test", missing);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("absent.txt", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserRuleFolderAddsARuleToListAndTest()
    {
        using var temp = new TempFolder();
        var rules = temp.Combine("my-rules");
        Directory.CreateDirectory(rules);
        await File.WriteAllTextAsync(Path.Combine(rules, "employee-id.yaml"), EmployeeIdRule);

        var (code, stdout, stderr) = await CliRunner.RunAsync("rules", "list", "--rules", rules);

        Assert.True(code == 0, stderr);
        Assert.Equal(["acme-employee-id", "employeeId", string.Empty, "3"], Row(stdout, "acme-employee-id"));
        Assert.Contains(Lines(stdout), l => l.StartsWith("us-ssn\t", StringComparison.Ordinal));

        var (without, plain, _) = await CliRunner.RunAsync("rules", "list");
        Assert.Equal(0, without);
        Assert.DoesNotContain("acme-employee-id", plain, StringComparison.Ordinal);

        var file = temp.Combine("staff.txt");
        await File.WriteAllTextAsync(file, "Employee number EMP-204817\n");
        var (testCode, found, testErr) = await CliRunner.RunAsync("rules", "test", file, "--rules", rules, "--reveal");
        Assert.True(testCode == 0, testErr);
        var row = Assert.Single(Lines(found), r => r.Contains("rule=acme-employee-id", StringComparison.Ordinal));
        Assert.Contains("EMP-204817", row, StringComparison.Ordinal);
        Assert.Contains("pattern=emp-number", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserRuleReplacingAShippedRuleIdIsReported()
    {
        using var temp = new TempFolder();
        var rules = temp.Combine("my-rules");
        Directory.CreateDirectory(rules);
        await File.WriteAllTextAsync(Path.Combine(rules, "my-ssn.yaml"), EmployeeIdRule.Replace("id: acme-employee-id", "id: us-ssn", StringComparison.Ordinal));

        var (code, stdout, stderr) = await CliRunner.RunAsync("rules", "list", "--rules", rules);

        Assert.True(code == 0, stderr);
        Assert.Contains("warning: rule 'us-ssn'", stderr, StringComparison.Ordinal);
        Assert.Contains("my-ssn.yaml", stderr, StringComparison.Ordinal);
        Assert.Contains("rules/us/ssn.yaml (shipped)", stderr, StringComparison.Ordinal);
        Assert.Single(Lines(stdout), l => l.StartsWith("us-ssn\t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RulesListShowsTheCodeDetectorsRulesWithTheirExamples()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("rules", "list");

        Assert.True(code == 0, stderr);
        foreach (var id in new[] { "creditcard", "bank-account", "email", "phone", "us-passport", "icd10-cm", "ndc", "health-insurance", "medical-vocab", "us-dl", "mbi", "npi", "dea" })
        {
            var row = Row(stdout, id);
            Assert.True(int.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture) > 0, $"{id} lists no examples");
        }
    }

    [Fact]
    public async Task BrokenRuleFileIsExitCodeTwoNamingTheFile()
    {
        using var temp = new TempFolder();
        var rules = temp.Combine("bad-rules");
        Directory.CreateDirectory(rules);
        await File.WriteAllTextAsync(Path.Combine(rules, "broken-rule.yaml"), "id: broken\nelement: ssn\npatterns:\n  - name: p\n    regex: '(unclosed'\n");

        var (code, stdout, stderr) = await CliRunner.RunAsync("rules", "list", "--rules", rules);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("broken-rule.yaml", stderr, StringComparison.Ordinal);

        using var sample = new TempFolder();
        var file = sample.Combine("sample.txt");
        await File.WriteAllTextAsync(file, SyntheticLine + "\n");
        var (testCode, testOut, testErr) = await CliRunner.RunAsync("rules", "test", file, "--rules", rules);
        Assert.Equal(2, testCode);
        Assert.Equal(string.Empty, testOut);
        Assert.Contains("broken-rule.yaml", testErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingRuleFolderIsExitCodeTwo()
    {
        using var temp = new TempFolder();

        var (code, _, stderr) = await CliRunner.RunAsync("rules", "list", "--rules", temp.Combine("no-such-folder"));

        Assert.Equal(2, code);
        Assert.Contains("no-such-folder", stderr, StringComparison.Ordinal);
    }
}
