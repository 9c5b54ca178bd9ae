using PiiScanner.Tests.EndToEnd;

namespace PiiScanner.Tests;

public sealed class RulesFolderTests
{
    [Fact]
    public void ShippedRulesAreTheRepositoryRulesFileForFile()
    {
        var onDisk = RulesFolder.FromDirectory(RepoPaths.Rules);
        var expected = onDisk.FilesUnder(string.Empty, ".yaml", ".tsv").ToList();

        Assert.Equal(expected, RulesFolder.Shipped.Files);
        Assert.Contains("us/ssn.yaml", RulesFolder.Shipped.Files);
        foreach (var file in expected)
        {
            Assert.True(onDisk.ReadAllText(file) == RulesFolder.Shipped.ReadAllText(file), file);
        }
    }

    [Fact]
    public void RulesHashChangesWithAnyRuleFile()
    {
        using var temp = new TempFolder();
        var folder = temp.Folder("mine");
        File.WriteAllText(Path.Combine(folder, "a.yaml"), "id: x\n");
        var first = RulesFolder.Hash([RulesFolder.Shipped, RulesFolder.FromDirectory(folder)]);

        Assert.Equal(first, RulesFolder.Hash([RulesFolder.Shipped, RulesFolder.FromDirectory(folder)]));
        Assert.NotEqual(first, RulesFolder.Hash([RulesFolder.Shipped]));
        File.WriteAllText(Path.Combine(folder, "a.yaml"), "id: y\n");
        Assert.NotEqual(first, RulesFolder.Hash([RulesFolder.Shipped, RulesFolder.FromDirectory(folder)]));
    }

    [Fact]
    public void AMissingFolderIsNamedInTheError()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => RulesFolder.FromDirectory("/no/such/rules"));
        Assert.Contains("/no/such/rules", ex.Message, StringComparison.Ordinal);
    }
}
