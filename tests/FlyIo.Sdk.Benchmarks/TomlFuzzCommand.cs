using System;
using System.Diagnostics;
using System.Globalization;

namespace FlyIo.Sdk.Benchmarks;

/// <summary>The toml-fuzz command line: prints the figures and fails on any crash or hang.</summary>
public static class TomlFuzzCommand
{
    public static int Run(string[] args, string sharedData)
    {
        var count = 10_000;
        var seed = 1;
        var timeoutMs = 2000;
        var targetName = "parser";
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--target")
            {
                targetName = args[i + 1];
                continue;
            }

            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--count": count = value; break;
                case "--seed": seed = value; break;
                case "--timeout-ms": timeoutMs = value; break;
                default:
                    Console.Error.WriteLine("unknown option " + args[i]);
                    return 2;
            }
        }

        if (FuzzTargets.Named(targetName) is not { } target)
        {
            Console.Error.WriteLine("unknown target " + targetName + ": use parser, validator or editor");
            return 2;
        }

        var corpus = TomlFuzzer.LoadCorpus(sharedData);
        var watch = Stopwatch.StartNew();
        var memoryBefore = GC.GetTotalMemory(true);
        var result = TomlFuzzer.Run(corpus, seed, count, TimeSpan.FromMilliseconds(timeoutMs), target, i =>
        {
            if ((i + 1) % 10_000 == 0)
            {
                Console.WriteLine($"  {i + 1} inputs, {watch.Elapsed.TotalSeconds:F0} s");
            }
        });

        var retained = (GC.GetTotalMemory(true) - memoryBefore) / (1024.0 * 1024.0);
        Console.WriteLine($"toml-fuzz {targetName} seed {seed}, corpus {corpus.Count} files: {result} ({watch.Elapsed.TotalSeconds:F1} s, {count / watch.Elapsed.TotalSeconds:F0} inputs/s, {retained:F1} MB retained after the run)");
        foreach (var finding in result.Findings)
        {
            Console.WriteLine("  " + finding);
        }

        return result.Crashes + result.Hangs == 0 ? 0 : 1;
    }
}
