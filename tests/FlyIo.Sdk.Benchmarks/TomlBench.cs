using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime;
using System.Text;
using System.Text.Json;
using FlyIo.Toml;

namespace FlyIo.Sdk.Benchmarks;

/// <summary>
/// Parse throughput and allocations, each workload next to a baseline measured in the same process so the figures
/// can be compared across machines as ratios. The reader runs on Tomlyn's syntax parser; on the fly.toml corpus it
/// takes turns with the project's former own reader (when build/bench.sh could build it from history), Tomlyn's
/// own syntax parse and Tomlyn's model (TomlSerializer into a TomlTable), so all four see the same machine. The
/// former reader's figures recorded in Baselines/toml-own-reader.txt are reported too, for a clone without history.
/// </summary>
public static class TomlBench
{
    private sealed record Row(string Name, long Bytes, double MegabytesPerSecond, double AllocatedPerIteration);

    public static int Run(string sharedData, string? formerReaderFolder)
    {
        var corpus = Directory.GetFiles(Path.Combine(sharedData, "fly-toml"), "*.toml", SearchOption.AllDirectories)
            .OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        var synthetic = Encoding.UTF8.GetBytes(SyntheticToml(8_000_000));
        var json = Encoding.UTF8.GetBytes(SyntheticJson(synthetic.Length));

        // The readers and Tomlyn's two entry points take turns, so that load from elsewhere on the machine falls on
        // all of them alike.
        var corpusWorkloads = new List<(string Name, Action<byte[]> Parse)>
        {
            ($"fly-toml corpus ({corpus.Length} files)", bytes => TomlParser.Parse(bytes)),
            ("  Tomlyn SyntaxParser alone", bytes => global::Tomlyn.Parsing.SyntaxParser.Parse(Encoding.UTF8.GetString(bytes), validate: false)),
            ("  Tomlyn model (TomlSerializer)", bytes => global::Tomlyn.TomlSerializer.Deserialize<global::Tomlyn.Model.TomlTable>(Encoding.UTF8.GetString(bytes))),
            // What an edit pays: the model, then the lossless tree the editor splices (built only when asked for).
            ("  reader + lossless tree (an edit)", bytes => _ = TomlParser.Parse(bytes).Syntax),
        };
        if (formerReaderFolder is not null)
        {
            var former = FormerTomlReader.Load(formerReaderFolder);
            corpusWorkloads.Add(("  former own reader, this run", bytes => former(bytes)));
        }

        var interleaved = MeasureInterleaved(corpus, corpusWorkloads.ToArray());
        var rows = new List<Row>
        {
            interleaved[0],
            Measure("  baseline: UTF-8 decode", corpus, bytes => Encoding.UTF8.GetString(bytes)),
        };
        rows.AddRange(interleaved.Skip(1));
        var synthetic0 = rows.Count;
        rows.AddRange(new[]
        {
            Measure("synthetic TOML", new[] { synthetic }, bytes => TomlParser.Parse(bytes)),
            MeasureBatchGc("synthetic TOML, non-concurrent GC", synthetic),
            Measure("  baseline: UTF-8 decode", new[] { synthetic }, bytes => Encoding.UTF8.GetString(bytes)),
            Measure("  baseline: JsonDocument, same size", new[] { json }, bytes => JsonDocument.Parse(bytes).Dispose()),
        });

        Console.WriteLine($"{"workload",-38} {"bytes",12} {"MB/s",10} {"alloc/iter",14} {"alloc/byte",11}");
        foreach (var row in rows)
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-38} {1,12:N0} {2,10:F1} {3,14:N0} {4,11:F1}",
                row.Name, row.Bytes, row.MegabytesPerSecond, row.AllocatedPerIteration, row.AllocatedPerIteration / row.Bytes));
        }

        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "corpus parse / UTF-8 decode: {0:F1}x slower; synthetic parse / JsonDocument: {1:F1}x slower",
            rows[1].MegabytesPerSecond / rows[0].MegabytesPerSecond, rows[synthetic0 + 3].MegabytesPerSecond / rows[synthetic0].MegabytesPerSecond));
        var perFile = 1_000_000.0 * rows[0].Bytes / (rows[0].MegabytesPerSecond * 1_000_000) / corpus.Length;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "CPU per corpus file: {0:F1} us; vs Tomlyn model in this run: {1:F2}x its time; vs Tomlyn SyntaxParser alone: {2:F2}x; with the lossless tree (an edit): {3:F2}x the reader alone",
            perFile, rows[3].MegabytesPerSecond / rows[0].MegabytesPerSecond, rows[2].MegabytesPerSecond / rows[0].MegabytesPerSecond,
            rows[0].MegabytesPerSecond / rows[4].MegabytesPerSecond));
        if (formerReaderFolder is not null)
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "vs the former own reader, measured in this run: corpus {0:F2}x its CPU per file, {1:F2}x its allocations",
                rows[5].MegabytesPerSecond / rows[0].MegabytesPerSecond, rows[0].AllocatedPerIteration / rows[5].AllocatedPerIteration));
        }
        var recorded = RecordedBaseline();
        if (recorded is { } old)
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "vs the former own reader (recorded on another day, {0}): corpus {1:F2}x its CPU per file, {2:F2}x its allocations; synthetic {3:F2}x its time, {4:F2}x its allocations",
                BaselineFile, old.Corpus.MegabytesPerSecond / rows[0].MegabytesPerSecond, rows[0].AllocatedPerIteration / old.Corpus.AllocatedPerIteration,
                old.Synthetic.MegabytesPerSecond / rows[synthetic0].MegabytesPerSecond, rows[synthetic0].AllocatedPerIteration / old.Synthetic.AllocatedPerIteration));
        }

        return 0;
    }

    private const string BaselineFile = "Baselines/toml-own-reader.txt";

    /// <summary>The corpus and synthetic rows of the recorded baseline, or null when the file is not there.</summary>
    private static (Row Corpus, Row Synthetic)? RecordedBaseline()
    {
        var path = Path.Combine(AppContext.BaseDirectory, BaselineFile);
        if (!File.Exists(path))
        {
            return null;
        }

        Row? corpus = null, synthetic = null;
        foreach (var line in File.ReadAllLines(path))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || line.StartsWith('#'))
            {
                continue;
            }

            Row Parse(string name) => new(name, long.Parse(fields[^4], NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
                double.Parse(fields[^3], CultureInfo.InvariantCulture), double.Parse(fields[^2], NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
            if (line.StartsWith("fly-toml corpus", StringComparison.Ordinal)) corpus = Parse("corpus");
            else if (line.StartsWith("synthetic TOML ", StringComparison.Ordinal) && !line.Contains("non-concurrent")) synthetic = Parse("synthetic");
        }

        return corpus is null || synthetic is null ? null : (corpus, synthetic);
    }

    /// <summary>
    /// The parser retains its whole tree, so a large document is mostly a test of how the collector promotes young
    /// objects; this row shows how much of the time background collection takes.
    /// </summary>
    private static Row MeasureBatchGc(string name, byte[] input)
    {
        var mode = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.Batch;
        try
        {
            return Measure(name, new[] { input }, bytes => TomlParser.Parse(bytes));
        }
        finally
        {
            GCSettings.LatencyMode = mode;
        }
    }

    /// <summary>Like <see cref="Measure"/>, with the workloads taking turns iteration by iteration.</summary>
    private static Row[] MeasureInterleaved(byte[][] inputs, params (string Name, Action<byte[]> Parse)[] workloads)
    {
        var bytes = inputs.Sum(i => (long)i.Length);
        var best = workloads.Select(_ => double.MaxValue).ToArray();
        var allocated = new long[workloads.Length];
        var warm = Stopwatch.StartNew();
        for (var w = 0; w < 3 || warm.Elapsed.TotalSeconds < 1; w++)
        {
            foreach (var workload in workloads) foreach (var input in inputs) workload.Parse(input);
        }

        var iterations = 0;
        var total = Stopwatch.StartNew();
        while (iterations < 3 || total.Elapsed.TotalSeconds < 4.5)
        {
            for (var k = 0; k < workloads.Length; k++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var watch = Stopwatch.StartNew();
                foreach (var input in inputs) workloads[k].Parse(input);
                best[k] = Math.Min(best[k], watch.Elapsed.TotalSeconds);
                allocated[k] += GC.GetAllocatedBytesForCurrentThread() - before;
            }

            iterations++;
        }

        return workloads.Select((w, k) => new Row(w.Name, bytes, bytes / best[k] / 1_000_000, (double)allocated[k] / iterations)).ToArray();
    }

    /// <summary>One iteration parses every input once; runs for about a second after warm-up and keeps the best.</summary>
    private static Row Measure(string name, byte[][] inputs, Action<byte[]> parse)
    {
        var bytes = inputs.Sum(i => (long)i.Length);
        // Warm up for half a second as well, so that tiered compilation has settled before the best run is taken.
        var warm = Stopwatch.StartNew();
        for (var w = 0; w < 3 || warm.Elapsed.TotalSeconds < 0.5; w++)
        {
            foreach (var input in inputs) parse(input);
        }

        var best = double.MaxValue;
        long allocated = 0;
        var iterations = 0;
        var total = Stopwatch.StartNew();
        while (iterations < 3 || total.Elapsed.TotalSeconds < 1.5)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            foreach (var input in inputs) parse(input);
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            iterations++;
        }

        return new Row(name, bytes, bytes / best / 1_000_000, (double)allocated / iterations);
    }

    /// <summary>A fly.toml-like document repeated until it reaches about <paramref name="size"/> bytes.</summary>
    public static string SyntheticToml(int size)
    {
        var builder = new StringBuilder(size + 1024);
        var i = 0;
        while (builder.Length < size)
        {
            builder.Append("# service ").Append(i).Append('\n')
                .Append("[[services_").Append(i % 97).Append("]]\n")
                .Append("  internal_port = ").Append(8000 + i % 1000).Append('\n')
                .Append("  protocol = \"tcp\"\n")
                .Append("  auto_stop_machines = true\n")
                .Append("  ratio = 0.75\n")
                .Append("  started = 2024-01-0").Append(1 + i % 9).Append("T10:00:00Z\n")
                .Append("  ports = [80, 443, 8080]\n")
                .Append("  [services_").Append(i % 97).Append(".concurrency]\n")
                .Append("    limits = { hard = 25, soft = 20, type = 'connections' }\n")
                .Append("    description = \"\"\"\n    Line one\n    line two\\u00e9\"\"\"\n\n");
            i++;
        }

        return builder.ToString();
    }

    /// <summary>A JSON document of about the same size and shape, for the baseline.</summary>
    private static string SyntheticJson(int size)
    {
        var builder = new StringBuilder(size + 1024);
        builder.Append("{\"services\":[\n");
        var i = 0;
        while (builder.Length < size)
        {
            if (i > 0) builder.Append(",\n");
            builder.Append("{\"internal_port\": ").Append(8000 + i % 1000)
                .Append(", \"protocol\": \"tcp\", \"auto_stop_machines\": true, \"ratio\": 0.75, \"started\": \"2024-01-01T10:00:00Z\"")
                .Append(", \"ports\": [80, 443, 8080], \"concurrency\": {\"limits\": {\"hard\": 25, \"soft\": 20, \"type\": \"connections\"}")
                .Append(", \"description\": \"Line one\\nline two\\u00e9\"}, \"comment\": \"service ").Append(i).Append("\"}");
            i++;
        }

        builder.Append("]}\n");
        return builder.ToString();
    }
}
