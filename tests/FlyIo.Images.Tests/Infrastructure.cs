using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Diagnostics;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

/// <summary>
/// The machine side of the image tests: root, Linux, buildah, the local registry (build/registry.sh) and the cached
/// base images (build/images/base-images.sh). Tests that need them call <see cref="Require"/>, which skips with a reason
/// off Linux or without root, and in CI (CI=true) fails instead of skipping.
/// </summary>
internal static class Infrastructure
{
    private static readonly Lazy<(string? Registry, string? Password, string? Problem)> Setup = new(Prepare, LazyThreadSafetyMode.ExecutionAndPublication);

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The registry address (127.0.0.1:55000), once the base images are there.</summary>
    public static string Registry => Require().Registry;

    public static RegistryCredentials Credentials => new(Registry, "x", Require().Password);

    public static (string Registry, string Password) Require()
    {
        string? reason = null;
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            reason = "image tests need Linux (buildah with chroot isolation)";
        }
        else if (!IsRoot())
        {
            reason = "image tests need root (buildah, network namespaces)";
        }

        if (reason is not null)
        {
            if (InCi)
            {
                Assert.Fail("CI=true but " + reason);
            }

            Assert.Ignore(reason);
        }

        var setup = Setup.Value;
        if (setup.Problem is not null)
        {
            Assert.Fail("Image infrastructure could not be prepared: " + setup.Problem);
        }

        return (setup.Registry!, setup.Password!);
    }

    public static bool IsRoot() => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && File.ReadAllText("/proc/self/status").Split('\n').First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', ' ').Where(s => s.Length > 0).ElementAt(1) == "0";

    private static (string?, string?, string?) Prepare()
    {
        var script = Path.Combine(RepoPaths.RepoRoot, "build", "images", "base-images.sh");
        var sw = Stopwatch.StartNew();
        var result = Run(script, Array.Empty<string>(), TimeSpan.FromMinutes(15));
        TestContext.Progress.WriteLine($"base-images.sh: {sw.Elapsed.TotalSeconds:F1} s");
        if (result.ExitCode != 0)
        {
            return (null, null, "build/images/base-images.sh failed:\n" + result.Output);
        }

        var registry = Run(Path.Combine(RepoPaths.RepoRoot, "build", "registry.sh"), new[] { "url" }, TimeSpan.FromSeconds(30)).Output.Trim();
        var password = Run(Path.Combine(RepoPaths.RepoRoot, "build", "registry.sh"), new[] { "password" }, TimeSpan.FromSeconds(30));
        return (registry, password.Output.Trim(), password.ExitCode == 0 ? null : password.Output);
    }

    public static ProcessResult Run(string program, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string?>? env = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        var spec = new ProcessSpec(program, args) { Environment = env ?? new Dictionary<string, string?>() };
        var result = ProcessRunner.RunAsync(spec, null, cts.Token).GetAwaiter().GetResult();
        if (result.Cancelled)
        {
            Assert.Fail($"{program} {string.Join(" ", args)} timed out after {timeout}:\n{result.Output}");
        }

        return result;
    }

    public static string RunOk(string program, params string[] args)
    {
        var result = Run(program, args, TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
        {
            Assert.Fail($"{program} {string.Join(" ", args)} exited with {result.ExitCode}:\n{result.Output}");
        }

        return result.Output;
    }
}

/// <summary>
/// Runs a pushed image the way a Machine would: pulled back from the registry (buildah from --pull=always), its
/// ENTRYPOINT started with buildah run (chroot isolation) inside a private network namespace, and probed over HTTP from
/// that same namespace.
/// </summary>
internal sealed class RunningContainer : IDisposable
{
    private readonly Task<ProcessResult> _run;

    private RunningContainer(string ns, string container, Task<ProcessResult> run)
    {
        Namespace = ns;
        Container = container;
        _run = run;
    }

    public string Namespace { get; }

    public string Container { get; }

    public static RunningContainer Start(string image, IReadOnlyDictionary<string, string>? env = null, IReadOnlyList<string>? command = null, RegistryCredentials? credentials = null)
    {
        var auth = Path.Combine(Path.GetTempPath(), "flyio-test-auth-" + Guid.NewGuid().ToString("N") + ".json");
        var creds = credentials ?? Infrastructure.Credentials;
        File.WriteAllText(auth, "{\"auths\":{\"" + creds.Registry + "\":{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + creds.Password)) + "\"}}}");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(auth, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        string container;
        try
        {
            var from = Infrastructure.Run("buildah", new[] { "from", "--pull=always", "--tls-verify=false", "-q", image }, TimeSpan.FromMinutes(5),
                new Dictionary<string, string?> { ["REGISTRY_AUTH_FILE"] = auth });
            if (from.ExitCode != 0)
            {
                Assert.Fail("buildah from " + image + " failed:\n" + from.Output);
            }

            container = from.Output.Trim().Split('\n').Last().Trim();
        }
        finally
        {
            File.Delete(auth);
        }

        var inspect = Infrastructure.RunOk("buildah", "inspect", "--type", "container", container);
        using var doc = System.Text.Json.JsonDocument.Parse(inspect);
        var words = doc.RootElement.GetProperty("OCIv1").GetProperty("config").GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var ns = "flyio-t-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        Infrastructure.RunOk("ip", "netns", "add", ns);
        Infrastructure.RunOk("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        var args = new List<string> { "netns", "exec", ns, "buildah", "run", "--isolation", "chroot" };
        foreach (var pair in env ?? new Dictionary<string, string>())
        {
            args.Add("--env");
            args.Add(pair.Key + "=" + pair.Value);
        }

        args.Add(container);
        args.Add("--");
        args.AddRange(words);
        args.AddRange(command ?? Array.Empty<string>());
        var stop = new CancellationTokenSource();
        var log = new CollectingFlyLog();
        var run = ProcessRunner.RunAsync(new ProcessSpec("ip", args), log, stop.Token);
        var self = new RunningContainer(ns, container, run);
        self._stopSource = stop;
        self._logSource = log;
        return self;
    }

    private CancellationTokenSource? _stopSource;
    private CollectingFlyLog? _logSource;

    public string Output
    {
        get
        {
            return _logSource is null ? string.Empty : string.Concat(_logSource.DetailLines.Select(line => line + "\n"));
        }
    }

    /// <summary>GET http://127.0.0.1:port/path from inside the container's network namespace, retrying until it answers 200.</summary>
    public string WaitForHttp(int port, string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            if (_run.IsCompleted)
            {
                Assert.Fail($"The container exited (code {_run.Result.ExitCode}) before answering {path}:\n{Output}");
            }

            var curl = Infrastructure.Run("ip", new[] { "netns", "exec", Namespace, "curl", "-s", "-f", "--max-time", "2", "http://127.0.0.1:" + port + path }, TimeSpan.FromSeconds(10));
            if (curl.ExitCode == 0)
            {
                return curl.Output.TrimEnd('\n');
            }

            last = curl.Output;
            Thread.Sleep(250);
        }

        Assert.Fail($"No HTTP 200 from {path} on port {port} within {timeout}. curl: {last}\nContainer output:\n{Output}");
        return string.Empty;
    }

    /// <summary>Process ids inside the namespace (the app and buildah's helpers).</summary>
    public IReadOnlyList<int> Pids()
    {
        var output = Infrastructure.Run("ip", new[] { "netns", "pids", Namespace }, TimeSpan.FromSeconds(10)).Output;
        return output.Split('\n').Select(s => s.Trim()).Where(s => s.Length > 0).Select(int.Parse).ToList();
    }

    /// <summary>The pid of the process whose command line starts with <paramref name="program"/> (e.g. dotnet).</summary>
    public int? FindProcess(string program)
    {
        foreach (var pid in Pids())
        {
            try
            {
                var cmd = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
                if (cmd.Length > 0 && Path.GetFileName(cmd[0]) == program)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
        }

        return null;
    }

    public static long ResidentKb(int pid)
    {
        var line = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Substring(6).Trim().Split(' ')[0]);
    }

    public static string Uid(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', ' ').Where(s => s.Length > 0).ElementAt(1);

    public void Dispose()
    {
        _stopSource?.Cancel();
        foreach (var pid in SafePids())
        {
            try
            {
                Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }

        try
        {
            _run.Wait(TimeSpan.FromSeconds(15));
        }
        catch (AggregateException)
        {
        }

        Infrastructure.Run("ip", new[] { "netns", "del", Namespace }, TimeSpan.FromSeconds(30));
        Infrastructure.Run("buildah", new[] { "rm", Container }, TimeSpan.FromSeconds(60));
        _stopSource?.Dispose();
    }

    private IReadOnlyList<int> SafePids()
    {
        try
        {
            return Pids();
        }
        catch (Exception)
        {
            return Array.Empty<int>();
        }
    }
}
