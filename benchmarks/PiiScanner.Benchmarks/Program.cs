using BenchmarkDotNet.Running;
using PiiScanner.Benchmarks;

// Whole-scan commands by name; anything else goes to BenchmarkDotNet.
var rest = args.Length > 0 ? args[1..] : [];
Func<Task<int>>? command = args.FirstOrDefault() switch
{
    "whole-scan" => () => WholeScan.RunAsync(rest),
    "rg-ratio" => () => Task.FromResult(RgRatio.Run(rest)),
    "accuracy" => () => Accuracy.RunAsync(rest),
    "ocr-accuracy" => () => OcrAccuracy.RunAsync(rest),
    "rescan" => () => Task.FromResult(Rescan.Run(rest)),
    "repeated-person" => () => RepeatedPerson.RunAsync(rest),
    "montana" => () => Task.FromResult(MontanaScale.Run(rest)),
    "resolve-memory" => () => ResolveMemory.RunAsync(rest),
    "detect-profile" => () => Task.FromResult(DetectProfile.Run(rest)),
    "image-read" => () => ImageRead.RunAsync(rest),
    "cluster-overhead" => () => ClusterOverhead.RunAsync(rest),
    "regex-worst" => () => Task.FromResult(RegexWorst.Run(rest)),
    _ => null,
};

if (command is not null)
{
    return await command();
}

BenchmarkSwitcher.FromAssembly(typeof(WholeScan).Assembly).Run(args);
return 0;
