using BenchmarkDotNet.Running;
using PiiScanner.Benchmarks;

if (args.Length > 0 && args[0] == "whole-scan")
{
    return await WholeScan.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "rg-ratio")
{
    return RgRatio.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "accuracy")
{
    return await Accuracy.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "repeated-person")
{
    return await RepeatedPerson.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "montana")
{
    return MontanaScale.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "resolve-memory")
{
    return await ResolveMemory.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "detect-profile")
{
    return PiiScanner.Benchmarks.DetectProfile.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(WholeScan).Assembly).Run(args);
return 0;
