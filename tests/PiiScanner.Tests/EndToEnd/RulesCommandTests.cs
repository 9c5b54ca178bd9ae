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

    /// <summary>Runs <c>rules list --rules DIR</c> on a user folder holding <paramref name="files"/> (relative path, YAML).</summary>
    private static async Task<(int Code, string Stdout, string Stderr)> ListWithUserRules(params (string File, string Yaml)[] files)
    {
        using var temp = new TempFolder();
        var rules = temp.Combine("my-rules");
        foreach (var (file, yaml) in files)
        {
            var path = Path.Combine(rules, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, yaml);
        }

        return await CliRunner.RunAsync("rules", "list", "--rules", rules);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Row(string stdout, string id)
        => Lines(stdout).Select(l => l.Split('\t')).Single(c => c[0] == id);

    [Fact]
    public async Task ListShowsTheHeaderAndEachShippedRuleWithElementValidatorsExamplesAndFile()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("rules", "list");

        Assert.True(code == 0, stderr);
        Assert.Equal("id\telement\tdetector\tvalidators\tmatch\tnotMatch\tfile", Lines(stdout)[0]);

        var ssn = Row(stdout, "us-ssn");
        Assert.Equal(["ssn", "pattern"], ssn[1..3]);
        Assert.Contains("ssn", ssn[3].Split(','));
        Assert.True(Count(ssn[4]) > 0 && Count(ssn[5]) > 0, string.Join(' ', ssn));
        Assert.Equal("rules/us/ssn.yaml (shipped)", ssn[6]);

        var dob = Row(stdout, "dob");
        Assert.Equal(["dob", "date"], dob[1..3]);
        Assert.True(Count(dob[4]) > 0 && Count(dob[5]) > 0, string.Join(' ', dob));

        var name = Row(stdout, "person-name");
        Assert.Equal("name", name[1]);
        Assert.True(Count(name[4]) > 0, name[4]);

        var ids = Lines(stdout).Skip(1).Select(l => l.Split('\t')[0]).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.All(Lines(stdout), l => Assert.Equal(7, l.Split('\t').Length));
    }

    private static int Count(string cell) => int.Parse(cell, System.Globalization.CultureInfo.InvariantCulture);

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
        Assert.Equal(["acme-employee-id", "employeeId", "pattern", string.Empty, "2", "1", Path.Combine(rules, "employee-id.yaml")], Row(stdout, "acme-employee-id"));
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
        var (code, stdout, stderr) = await ListWithUserRules(("my-ssn.yaml", EmployeeIdRule.Replace("id: acme-employee-id", "id: us-ssn", StringComparison.Ordinal)));

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
        foreach (var id in new[] { "creditcard", "bank-account", "email", "phone", "us-passport", "icd10-cm", "ndc", "health-insurance", "medical-vocab", "us-dl", "us-dl-IL", "us-dl-WY", "mbi", "npi", "dea" })
        {
            var row = Row(stdout, id);
            Assert.True(Count(row[4]) > 0 && Count(row[5]) > 0, $"{id} lists no examples both ways");
        }

        // Every state's licence numbers are a rule of their own, listed with the licence data file.
        var states = Lines(stdout).Select(l => l.Split('\t')).Where(c => c[0].StartsWith("us-dl-", StringComparison.Ordinal)).ToList();
        Assert.Equal(51, states.Count);
        Assert.All(states, c => Assert.Equal("rules/us/drivers-licenses.yaml (shipped)", c[6]));
        Assert.Equal(["creditCard", "code", "luhn"], Row(stdout, "creditcard")[1..4]);
    }

    [Fact]
    public async Task TwoFilesOfAUserFolderWithOneRuleIdAreExitCodeTwoNamingBothFiles()
    {
        var (code, stdout, stderr) = await ListWithUserRules(("employee-id.yaml", EmployeeIdRule), (Path.Combine("more", "staff.yaml"), EmployeeIdRule));

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("employee-id.yaml", stderr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("more", "staff.yaml"), stderr, StringComparison.Ordinal);
        Assert.Contains("'acme-employee-id'", stderr, StringComparison.Ordinal);
        Assert.Single(Lines(stderr));
    }

    [Fact]
    public async Task UserRuleWhoseOwnExampleFailsIsRefusedAtLoadNamingRuleAndExample()
    {
        // The pattern wants six digits; the example has five.
        var (code, stdout, stderr) = await ListWithUserRules(("employee-id.yaml", EmployeeIdRule.Replace("'staff id EMP-550031'", "'staff id EMP-55003'", StringComparison.Ordinal)));

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(Lines(stderr));
        Assert.Contains("employee-id.yaml", line, StringComparison.Ordinal);
        Assert.Contains("'acme-employee-id'", line, StringComparison.Ordinal);
        Assert.Contains("example 'staff id EMP-55003' must match", line, StringComparison.Ordinal);
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
