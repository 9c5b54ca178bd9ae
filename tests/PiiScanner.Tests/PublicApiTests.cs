using PublicApiGenerator;

namespace PiiScanner.Tests;

/// <summary>
/// The library's public surface, guarded: a change to it shows up here as a diff of <c>PiiScanner.api.txt</c>, so
/// it is made on purpose. To accept a change, copy the <c>.received.txt</c> file the failing run writes over it.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApiIsTheApprovedOne()
    {
        var api = typeof(Scanner).Assembly.GeneratePublicApi(new ApiGeneratorOptions { ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"] })
            .ReplaceLineEndings("\n");
        var approved = Path.Combine(RepoPaths.Root, "tests", "PiiScanner.Tests", "PiiScanner.api.txt");
        var received = Path.ChangeExtension(approved, ".received.txt");
        if (File.Exists(approved) && File.ReadAllText(approved).ReplaceLineEndings("\n") == api)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, api);
        Assert.Fail($"The public API changed: compare {received} with {approved}, and copy it over if the change is meant.");
    }
}
