using System.Diagnostics;
using PiiScanner.Tests.EndToEnd;

namespace PiiScanner.Tests.Extraction.Formats;

/// <summary>
/// Office documents are read without a copy on disk. Given a read-only stream, the Open XML SDK spools the whole
/// package into a temporary file; the scan runs as a child process whose temporary folder does not exist, so
/// such an attempt would fail the item. (A child process: the test host's environment is shared with tests
/// running in parallel.)
/// </summary>
public sealed class NoTempFileTests
{
    [Fact]
    public async Task OfficeDocumentsAreExtractedWithoutATemporaryCopyOnDisk()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        Directory.CreateDirectory(share);
        await File.WriteAllBytesAsync(Path.Combine(share, "notes.docx"), OfficeDocuments.Docx());
        await File.WriteAllBytesAsync(Path.Combine(share, "roster.xlsx"), OfficeDocuments.Xlsx());
        await File.WriteAllBytesAsync(Path.Combine(share, "deck.pptx"), OfficeDocuments.Pptx());
        var outDir = temp.Combine("out");

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : Environment.ProcessPath!;
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "piiscan.dll"), "scan", share, "--out", outDir, "-q"])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["TMPDIR"] = temp.Combine("no-such-folder");
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);

        var files = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl"));
        Assert.Equal(3, files.Count);
        Assert.All(files, f => Assert.Equal("scanned", f.GetProperty("status").GetString()));
    }
}
