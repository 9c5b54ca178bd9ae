using PiiScanner.Cluster;
using PiiScanner.Index;
using PiiScanner.Sources;
using PiiScanner.Tests.EndToEnd;

namespace PiiScanner.Tests.Cluster;

/// <summary>The work units of a plan read, together, exactly the items of one whole walk, with the same paths.</summary>
public sealed class UnitPlannerTests
{
    private static readonly Scanner Scanner = new ScannerBuilder().WithThreads(2).WithoutOcr().Build();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    [InlineData(100, 10)]
    public async Task UnitsTogetherWalkTheItemsOfOneWholeWalk(int targetUnits, int maxDepth)
    {
        using var temp = new TempFolder();
        var roots = new[] { Tree(temp, "a", "share"), Tree(temp, "b", "share") };
        var excluded = Path.Combine(roots[0], "out");
        var scanner = new ScannerBuilder().WithThreads(2).WithoutOcr().ExcludePath(excluded).Build();

        var whole = new List<string>();
        for (var i = 0; i < roots.Length; i++)
        {
            whole.AddRange(await WalkAsync(scanner.ResolveSource(roots, i)));
        }

        var plan = UnitPlanner.Plan(roots, [excluded], targetUnits, maxDepth);
        var units = new List<string>();
        foreach (var unit in plan)
        {
            var source = (DirectorySource)scanner.ResolveSource(roots, unit.Root);
            units.AddRange(await WalkAsync(source.Subtree(unit.Directory, unit.Excluded)));
        }

        Assert.Equal(Enumerable.Range(0, plan.Count), plan.Select(u => u.Id));
        Assert.True(targetUnits == 1 ? plan.Count == 2 : plan.Count > 2, $"{plan.Count} units");
        Assert.DoesNotContain(plan, u => (u.Root == 0 && u.Directory == "out") || u.Directory.Contains("link", StringComparison.Ordinal));
        Assert.Contains("a/share/docs/link: symlink: not followed", whole);
        Assert.DoesNotContain(whole, p => p.StartsWith("a/share/out/", StringComparison.Ordinal));
        Assert.Contains("b/share/out/f.txt", whole);
        Assert.Equal(whole.Order(StringComparer.Ordinal), units.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(20, 10)]
    [InlineData(20, 1000)]
    public async Task FlatDirectoryIsCutIntoBatchesByNameThatTogetherWalkIt(int targetUnits, int filesPerUnit)
    {
        using var temp = new TempFolder();
        var root = Tree(temp, "a", "share");
        var flat = Directory.CreateDirectory(Path.Combine(root, "flat")).FullName;
        for (var i = 0; i < 40; i++)
        {
            File.WriteAllText(Path.Combine(flat, $"r{i:D3}.csv"), "Name,SSN\n");
        }

        Directory.CreateDirectory(Path.Combine(flat, "r020", "deeper"));
        File.WriteAllText(Path.Combine(flat, "r020", "deeper", "x.txt"), "x");
        File.CreateSymbolicLink(Path.Combine(flat, "r007.lnk"), Path.Combine(flat, "r001.csv"));
        var whole = await WalkAsync(Scanner.ResolveSource([root], 0));

        var plan = UnitPlanner.Plan([root], [], targetUnits, 6, filesPerUnit: filesPerUnit);
        var units = new List<string>();
        foreach (var unit in plan)
        {
            var source = (DirectorySource)Scanner.ResolveSource([root], unit.Root);
            units.AddRange(await WalkAsync(source.Subtree(unit.Directory, unit.Excluded, unit.NamesFrom, unit.NamesTo)));
        }

        // The root (6 entries) when it is not split, else flat (42 entries, less r020 when that is a unit of its own).
        var directory = targetUnits == 1 ? string.Empty : "flat";
        var batches = plan.Where(u => u.Directory == directory).ToList();
        var entries = Directory.EnumerateFileSystemEntries(Path.Combine(root, directory))
            .Count(e => !plan.Any(u => u.Directory == Path.GetRelativePath(root, e)));
        Assert.InRange(entries, targetUnits == 1 ? 6 : 41, targetUnits == 1 ? 6 : 42);
        Assert.Equal(filesPerUnit >= entries ? 1 : (entries + filesPerUnit - 1) / filesPerUnit, batches.Count);
        Assert.Null(batches[0].NamesFrom);
        Assert.Null(batches[^1].NamesTo);
        Assert.Equal(batches.Skip(1).Select(b => b.NamesFrom), batches.SkipLast(1).Select(b => b.NamesTo));
        Assert.Equal(whole.Count, units.Count);
        Assert.Equal(whole.Order(StringComparer.Ordinal), units.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FileRootIsOneUnitOfItsOwn()
    {
        using var temp = new TempFolder();
        var dir = Tree(temp, "a", "share");
        var file = Path.Combine(dir, "top.csv");
        var plan = UnitPlanner.Plan([dir, file], [], 10, 3);
        Assert.Equal(UnitKind.Root, plan[^1].Kind);
        Assert.Equal(1, plan[^1].Root);
        Assert.All(plan.SkipLast(1), u => Assert.Equal(UnitKind.Directory, u.Kind));
    }

    [Fact]
    public void FinishedItemAppendedTwiceIsJournaledOnce()
    {
        using var temp = new TempFolder();
        var share = Tree(temp, "a", "share");
        var journalDir = temp.Combine("out");
        using (var journal = Scanner.OpenJournal(journalDir, [share], new JournalOptions()))
        {
            var file = new FileRecord { Path = "x/roster.csv", Status = FileStatus.Scanned };
            var item = new ScanItem("x/roster.csv", 10, null);
            var finished = FinishedItem.Create(item, [new ItemResult(file with { Path = "x/roster.csv" }, [], [])], 10);
            journal.Append(finished);
            journal.Append(finished);
            Assert.Single(journal.Read(CancellationToken.None));
            Assert.Equal(10, journal.Finish().BytesRead);
        }

        Assert.Equal(1, Index.ScanJournalTests.Rows(Path.Combine(journalDir, ScanJournal.FileName), "results"));
    }

    private static async Task<List<string>> WalkAsync(IScanSource source)
    {
        var writer = new ListWriter();
        await source.EnumerateAsync(writer, CancellationToken.None);
        return [.. writer.Items.Select(i => i.SkipReason is null ? i.Path : i.Path + ": " + i.SkipReason)];
    }

    /// <summary>A small tree: files at several depths, an empty folder, a symlink to a folder, an output folder.</summary>
    private static string Tree(TempFolder temp, string parent, string name)
    {
        var root = temp.Folder(parent, name);
        File.WriteAllText(Path.Combine(root, "top.csv"), "Name,SSN\n");
        foreach (var dir in new[] { "docs/a/b", "docs/c", "exports", "empty", "out" })
        {
            var full = Directory.CreateDirectory(Path.Combine(root, dir)).FullName;
            File.WriteAllText(Path.Combine(full, "f.txt"), dir);
            File.WriteAllText(Path.Combine(full, "g.txt"), dir);
        }

        Directory.Delete(Path.Combine(root, "empty"), recursive: true);
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        Directory.CreateSymbolicLink(Path.Combine(root, "docs", "link"), Path.Combine(root, "exports"));
        return root;
    }

    private sealed class ListWriter : ItemWriter
    {
        private readonly Lock _lock = new();

        public List<ScanItem> Items { get; } = [];

        public override ValueTask WriteAsync(ScanItem item, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                Items.Add(item);
            }

            return ValueTask.CompletedTask;
        }
    }
}
