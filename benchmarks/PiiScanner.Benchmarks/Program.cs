using BenchmarkDotNet.Running;
using PiiScanner.Benchmarks;

if (args.Length > 0 && args[0] == "whole-scan")
{
    return await WholeScan.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(WholeScan).Assembly).Run(args);
return 0;
