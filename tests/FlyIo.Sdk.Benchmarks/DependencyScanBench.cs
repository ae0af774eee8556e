using FlyIo.Sdk.Benchmarks;
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using FlyIo.Dependencies.CSharp;

namespace FlyIo.Sdk.Benchmarks;

/// <summary>
/// "deps-scan": the lexical C# scan FlyCheckDependencies runs, over 10,000 generated realistic source files, against
/// a baseline measured in the same run: reading the same files' text (the scan cannot be faster than that).
/// </summary>
internal static class DependencyScanBench
{
    public static int Run(string[] args)
    {
        var count = args.Length > 1 && int.TryParse(args[1], out var n) ? n : 10_000;
        var folder = Path.Combine(Path.GetTempPath(), "flyio-scan-bench");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var files = ScanBenchmark.GenerateSources(folder, count);
        ScanBenchmark.Measure(files); // warm-up: JIT and the page cache

        var read = Enumerable.Range(0, 3).Select(_ => TimeRead(files)).Min();
        var scans = Enumerable.Range(0, 3).Select(_ => ScanBenchmark.Measure(files)).ToList();
        var best = scans.OrderBy(s => s.Elapsed).First();
        var bytes = files.Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"deps-scan: {count} files, {bytes / 1024.0 / 1024.0:F1} MB, {best.Tokens} tokens");
        Console.WriteLine($"  baseline (read text):  {read.TotalMilliseconds,8:F0} ms");
        Console.WriteLine($"  scan (best of 3):      {best.Elapsed.TotalMilliseconds,8:F0} ms  ({best.FilesPerSecond:F0} files/s)");
        Console.WriteLine($"  ratio scan/read:       {best.Elapsed.TotalMilliseconds / read.TotalMilliseconds,8:F2}");
        Directory.Delete(folder, recursive: true);
        return best.Elapsed < TimeSpan.FromSeconds(2) ? 0 : 1;
    }

    private static TimeSpan TimeRead(System.Collections.Generic.IReadOnlyList<string> files)
    {
        var watch = Stopwatch.StartNew();
        long length = 0;
        foreach (var file in files)
        {
            length += File.ReadAllText(file).Length;
        }

        watch.Stop();
        return length > 0 ? watch.Elapsed : TimeSpan.Zero;
    }
}
