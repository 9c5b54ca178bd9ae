using PiiScanner.Extraction;

namespace PiiScanner.Tests.Extraction.Containers;

public sealed class RealWorldContainerCorpusTests
{
    [Fact]
    public async Task EveryArchiveAndMailFileEndsWithAStatus()
    {
        var folders = new[] { "archive", "email" }.Select(f => Path.Combine(RepoPaths.Corpora, f)).Where(Directory.Exists).ToList();
        if (folders.Count == 0)
        {
            return;
        }

        var host = new ContainerTestHost(new ExtractionLimits { MaxTimePerItem = TimeSpan.FromSeconds(60) });
        foreach (var file in folders.SelectMany(Directory.EnumerateFiles).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(Path.GetDirectoryName(file)) + "/" + Path.GetFileName(file);
            var top = await host.ScanAsync(name, await File.ReadAllBytesAsync(file));
            Assert.NotNull(top.Status);
        }

        Assert.All(host.Records, r => Assert.Contains(r.Status, new[] { "scanned", "partial", "skipped", "failed" }));
        var summary = string.Join(
            "\n",
            host.Records.Where(r => r.Depth == 0).Select(r => $"{r.Path}: {r.Extractor} {r.Status} {r.Reason}"));
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "piiscan-container-corpus.txt"), summary + "\n\nall records:\n"
            + string.Join("\n", host.Records.GroupBy(r => r.Status).Select(g => $"{g.Key}: {g.Count()}"))
            + "\n\nnot scanned members:\n"
            + string.Join("\n", host.Records.Where(r => r.Depth > 0 && r.Status is "failed" or "partial").Select(r => $"{r.Path}: {r.Extractor} {r.Status} {r.Reason}")));
        Assert.DoesNotContain(host.Records, r => r.Depth == 0 && r.Status == "failed" && r.Reason == nameof(NullReferenceException));
    }
}
