using PiiScanner.Resolution;

namespace PiiScanner.Tests.Resolution;

public class NameMatcherTests
{
    private static readonly NameMatcher Matcher = NameMatcher.Load([RepoPaths.Rules]);

    [Theory]
    [InlineData("Bill Smith", "William Smith")]
    [InlineData("SMITH, WILLIAM J", "Billy J. Smith")]
    [InlineData("Peggy Olsen", "Margaret Olsen")]
    [InlineData("Liz Tavares", "Elizabeth Tavares")]
    [InlineData("Bob Kowalczyk Jr.", "Mr. Robert Kowalczyk")]
    [InlineData("José Núñez", "JOSE NUNEZ")]
    [InlineData("Siobhan O'Brien", "SIOBHAN OBRIEN")]
    [InlineData("J. Smith", "John Smith")]
    [InlineData("Kate Winslow", "Catherine Winslow")]
    public void CompatibleNames(string a, string b)
    {
        Assert.True(Matcher.AreCompatible(a, b));
        Assert.True(Matcher.AreCompatible(b, a));
    }

    [Theory]
    [InlineData("John Smith", "Jane Smith")]
    [InlineData("John Smith", "John Smyth")]
    [InlineData("John A. Smith", "John B. Smith")]
    [InlineData("Smith", "John Smith")]
    [InlineData("K. Smith", "John Smith")]
    public void IncompatibleNames(string a, string b) => Assert.False(Matcher.AreCompatible(a, b));

    [Fact]
    public void TableHasSeveralHundredNicknames()
    {
        Assert.InRange(Matcher.NicknameCount, 250, 2000);
        Assert.Equal(["william"], Matcher.FormalNamesOf("Bill"));
        Assert.Equal(["christian", "christine", "christopher"], Matcher.FormalNamesOf("chris"));
    }

    [Fact]
    public void LaterRuleFoldersAddRows()
    {
        var dir = Directory.CreateTempSubdirectory("piiscan-names-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "names"));
            File.WriteAllText(Path.Combine(dir.FullName, "names", "nicknames.tsv"), "# extra\nnickname\tformal\nzed\tzedekiah\n");
            var m = NameMatcher.Load([Path.Combine(dir.FullName, "missing"), RepoPaths.Rules, dir.FullName]);
            Assert.True(m.AreCompatible("Zed Quill", "Zedekiah Quill"));
            Assert.True(m.AreCompatible("Bill Quill", "William Quill"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void MalformedLineNamesFileAndLine()
    {
        var dir = Directory.CreateTempSubdirectory("piiscan-names-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "names"));
            File.WriteAllText(Path.Combine(dir.FullName, "names", "nicknames.tsv"), "nickname\tformal\nbroken line\n");
            var ex = Assert.Throws<InvalidDataException>(() => NameMatcher.Load([dir.FullName]));
            Assert.Contains("nicknames.tsv:2", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
