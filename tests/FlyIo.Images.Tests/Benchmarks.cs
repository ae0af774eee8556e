using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

/// <summary>
/// Figures, not pass/fail: run with <c>dotnet test --filter TestCategory=Benchmark</c>. They print to the test output.
/// </summary>
[TestFixture]
[Category("Benchmark")]
[Explicit("benchmarks: run on demand")]
[NonParallelizable]
public class Benchmarks
{
    [OneTimeTearDown]
    public void RemoveImages() => ImageEndToEndTests.RemoveBuiltImages();

    private static void Report(string line)
    {
        TestContext.Out.WriteLine(line);
        TestContext.Progress.WriteLine(line);
    }

    private static (long IdleKb, long PeakKb, long AfterKb, string Gc, string Ab) Measure(string image)
    {
        using var container = RunningContainer.Start(image);
        container.WaitForHttp(8080, "/healthz", TimeSpan.FromSeconds(60));
        var gc = container.WaitForHttp(8080, "/gc", TimeSpan.FromSeconds(10));
        Thread.Sleep(3000);
        var pid = container.FindProcess("dotnet") ?? throw new InvalidOperationException("no dotnet process");
        var idle = RunningContainer.ResidentKb(pid);
        // A fixed local load: 20,000 requests, 32 at a time, each allocating 64 arrays of 16 KB (1 MB).
        var ab = Infrastructure.Run("ip", new[] { "netns", "exec", container.Namespace, "ab", "-q", "-n", "20000", "-c", "32", "http://127.0.0.1:8080/work" }, TimeSpan.FromMinutes(5));
        Assert.That(ab.ExitCode, Is.EqualTo(0), ab.Output);
        var peak = long.Parse(File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Substring(6).Trim().Split(' ')[0]);
        Thread.Sleep(3000);
        var after = RunningContainer.ResidentKb(pid);
        var rps = ab.Output.Split('\n').FirstOrDefault(l => l.StartsWith("Requests per second", StringComparison.Ordinal))?.Trim() ?? "?";
        return (idle, peak, after, gc, rps);
    }

    [Test]
    public void Resident_memory_small_vm_settings_vs_image_defaults()
    {
        var registry = Infrastructure.Registry;
        foreach (var (label, vm) in new[] { ("image defaults (Server GC, DATAS)", (int?)null), ("[[vm]] memory = 256: DOTNET_gcServer=0, GCHeapHardLimit=0xC000000", (int?)256) })
        {
            var root = Samples.Copy("WebApp");
            try
            {
                var app = Samples.SingleProject(root, "WebApp");
                var generated = DockerfileGenerator.Generate(Samples.Inputs(app, registry, vmMemoryMb: vm));
                var built = ImageEndToEndTests.BuildAndPush(generated, app, "webapp-bench");
                Assert.That(built.Succeeded, Is.True, built.Output);
                var m = Measure(built.ImageReference);
                Report($"{label}: idle RSS {m.IdleKb / 1024.0:F1} MB, peak RSS under load {m.PeakKb / 1024.0:F1} MB, RSS after load {m.AfterKb / 1024.0:F1} MB; {m.Ab}; /gc {m.Gc}");
            }
            finally
            {
                Samples.TryDelete(root);
            }
        }
    }

    private static JsonDocument Manifest(string reference)
    {
        var registry = ImageTags.RegistryOf(reference);
        var rest = reference.Substring(registry.Length + 1);
        var colon = rest.LastIndexOf(':');
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry}/v2/{rest.Substring(0, colon)}/manifests/{rest.Substring(colon + 1)}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + Infrastructure.Credentials.Password)));
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = http.Send(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }

    private static Dictionary<string, long> Layers(JsonDocument manifest) =>
        manifest.RootElement.GetProperty("layers").EnumerateArray().ToDictionary(l => l.GetProperty("digest").GetString()!, l => l.GetProperty("size").GetInt64());

    private static bool RestoreLayerReused(string output)
    {
        var lines = output.Split('\n');
        for (var i = 0; i < lines.Length - 1; i++)
        {
            if (lines[i].Contains("RUN dotnet restore", StringComparison.Ordinal))
            {
                return lines[i + 1].StartsWith("--> Using cache", StringComparison.Ordinal);
            }
        }

        return false;
    }

    [Test]
    public void Rebuild_after_a_one_line_change_reuses_the_restore_layer_and_pushes_little()
    {
        var registry = Infrastructure.Registry;
        var root = Samples.Copy("MultiProject");
        try
        {
            // A project file no earlier build has seen, so the first build really restores.
            var csproj = Path.Combine(root, "src", "Api", "Api.csproj");
            File.WriteAllText(csproj, File.ReadAllText(csproj).Replace("</Project>", "  <!-- bench " + Guid.NewGuid().ToString("N") + " -->\n</Project>"));
            var app = Samples.MultiProject(root);
            var generated = DockerfileGenerator.Generate(Samples.Inputs(app, registry));
            var sw = Stopwatch.StartNew();
            var first = ImageEndToEndTests.BuildAndPush(generated, app, "rebuild-bench");
            var firstTotal = sw.Elapsed;
            Assert.That(first.Succeeded, Is.True, first.Output);

            var program = Path.Combine(root, "src", "Api", "Program.cs");
            File.WriteAllText(program, File.ReadAllText(program).Replace("\"ok\"", "\"ok!\""));
            sw.Restart();
            var second = ImageEndToEndTests.BuildAndPush(generated, app, "rebuild-bench");
            var secondTotal = sw.Elapsed;
            Assert.That(second.Succeeded, Is.True, second.Output);

            var before = Layers(Manifest(first.ImageReference));
            var after = Layers(Manifest(second.ImageReference));
            var imageBytes = after.Values.Sum();
            var newBytes = after.Where(l => !before.ContainsKey(l.Key)).Sum(l => l.Value);
            Report($"first build {first.BuildTime.TotalSeconds:F1} s + push {first.PushTime.TotalSeconds:F1} s (restore layer reused: {RestoreLayerReused(first.Output)})");
            Report($"rebuild after a one-line change {second.BuildTime.TotalSeconds:F1} s + push {second.PushTime.TotalSeconds:F1} s (restore layer reused: {RestoreLayerReused(second.Output)})");
            Report($"image {after.Count} layers, {imageBytes / 1048576.0:F1} MB compressed; the rebuild pushed {after.Count(l => !before.ContainsKey(l.Key))} new layer(s), {newBytes / 1024.0:F1} KB ({100.0 * newBytes / imageBytes:F2}% of the image); the other layers were already in the registry");
            Assert.That(RestoreLayerReused(second.Output), Is.True, "the restore layer should come from the cache after a source-only change");
        }
        finally
        {
            Samples.TryDelete(root);
        }
    }
}
