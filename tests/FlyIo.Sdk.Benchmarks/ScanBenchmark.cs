using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

using FlyIo.AppModel.CSharp;
using FlyIo.Dependencies.CSharp;

namespace FlyIo.Sdk.Benchmarks;

/// <summary>The figure of one scan: files, tokens, findings and wall time.</summary>
public sealed record ScanMeasurement(int Files, long Tokens, int Reads, TimeSpan Elapsed, TimeSpan ProcessorTime)
{
    public double FilesPerSecond => Elapsed.TotalSeconds <= 0 ? double.PositiveInfinity : Files / Elapsed.TotalSeconds;

    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "{0} files, {1} tokens, {2} reads in {3:F0} ms wall, {5:F0} ms CPU ({4:F0} files/s)", Files, Tokens, Reads, Elapsed.TotalMilliseconds, FilesPerSecond, ProcessorTime.TotalMilliseconds);
}

/// <summary>
/// Benchmark entry point for the lexical C# scan (tests/FlyIo.Sdk.Benchmarks calls it): writes realistic source files
/// (controllers, services, records, every string literal form, comments) and times <see cref="CSharpSourceScanner.Scan"/>.
/// </summary>
public static class ScanBenchmark
{
    /// <summary>Writes <paramref name="count"/> source files under <paramref name="folder"/> and returns their paths.</summary>
    public static IReadOnlyList<string> GenerateSources(string folder, int count, int seed = 42)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var files = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var dir = Path.Combine(folder, "Area" + (i % 50).ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, "File" + i.ToString(CultureInfo.InvariantCulture) + ".cs");
            File.WriteAllText(path, Source(i, random));
            files.Add(path);
        }

        return files;
    }

    /// <summary>Scans the files and measures the wall time.</summary>
    public static ScanMeasurement Measure(IReadOnlyList<string> files)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var sources = CSharpSources.Read(files);
        var result = CSharpSourceScanner.Scan(sources);
        watch.Stop();
        process.Refresh();
        return new ScanMeasurement(sources.Files.Count, sources.Files.Sum(f => (long)f.Tokens.Length), result.Reads.Count, watch.Elapsed, process.TotalProcessorTime - cpu);
    }

    private static string Source(int index, Random random)
    {
        var n = index.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder(6000);
        sb.Append("// <copyright file=\"File").Append(n).Append(".cs\">Example Corp.</copyright>\n");
        sb.Append("using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Threading.Tasks;\n");
        sb.Append("using Microsoft.Extensions.Configuration;\n\n");
        sb.Append("namespace Example.Area").Append(index % 50).Append(";\n\n");
        sb.Append("/// <summary>Handles orders for tenant ").Append(n).Append(". Reads configuration[\"Not:A:Read\"] only in this comment.</summary>\n");
        sb.Append("public sealed class OrderService").Append(n).Append("(IConfiguration configuration, IOrderRepository repository)\n{\n");
        sb.Append("    private const string KeyName = \"Orders:Tenant").Append(n).Append("\";\n");
        sb.Append("    private static readonly string Sql = @\"SELECT id, total FROM orders WHERE tenant = @tenant AND note <> \"\"x\"\"\";\n\n");
        var methods = 6 + random.Next(6);
        for (var m = 0; m < methods; m++)
        {
            var ms = m.ToString(CultureInfo.InvariantCulture);
            sb.Append("    /* Method ").Append(ms).Append(": { braces } and \"quotes\" in a block comment */\n");
            sb.Append("    public async Task<IReadOnlyList<OrderDto>> Query").Append(ms).Append("Async(int page, string? filter = null)\n    {\n");
            switch (random.Next(6))
            {
                case 0:
                    sb.Append("        var size = configuration.GetValue<int>(\"Paging:Size\", 20);\n");
                    break;
                case 1:
                    sb.Append("        var region = Environment.GetEnvironmentVariable(\"CACHE_REGION\") ?? \"ams\";\n");
                    break;
                case 2:
                    sb.Append("        var key = configuration[KeyName];\n        if (string.IsNullOrEmpty(key)) { return Array.Empty<OrderDto>(); }\n");
                    break;
                case 3:
                    sb.Append("        var json = \"\"\"\n            { \"filter\": \"").Append(ms).Append("\", \"nested\": { \"a\": [1, 2, 3] } }\n            \"\"\";\n");
                    break;
                case 4:
                    sb.Append("        var message = $\"Page {page} of {(filter is null ? \"all\" : $\"'{filter}'\")} at {DateTime.UtcNow:yyyy-MM-dd HH:mm}\";\n");
                    break;
                default:
                    sb.Append("        var template = $$\"\"\"\n            {\"page\": {{page}}, \"raw\": \"{not a hole}\"}\n            \"\"\";\n");
                    break;
            }

            sb.Append("        var items = await repository.ListAsync(page, filter, Sql).ConfigureAwait(false);\n");
            sb.Append("        var separator = ',';\n        var escaped = '\\'';\n");
            sb.Append("        return items.Where(o => o.Total > ").Append(random.Next(1000)).Append("m && o.Note != \"}\")\n");
            sb.Append("            .Select(o => new OrderDto(o.Id, o.Total, $@\"C:\\orders\\{o.Id}\" + separator + escaped))\n");
            sb.Append("            .ToList();\n    }\n\n");
        }

        sb.Append("}\n\npublic sealed record OrderDto(int Id, decimal Total, string Path);\n");
        return sb.ToString();
    }
}
