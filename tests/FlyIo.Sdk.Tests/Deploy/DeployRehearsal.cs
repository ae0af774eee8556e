using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using FlyIo.Machines;

namespace FlyIo.Sdk.Tests.Deploy;

/// <summary>
/// The sample web app against a local Machines API of its own: the token goes to dotnet through the environment
/// only, and the test reads the API back through the product's own client.
/// </summary>
internal sealed class DeployRehearsal : IDisposable
{
    public const string App = "flyio-sdk-sample";
    public const string Registry = "registry.fly.io/" + App;

    private DeployRehearsal(TestProject project, LocalMachinesApi api)
    {
        Project = project;
        Api = api;
    }

    public TestProject Project { get; }

    public LocalMachinesApi Api { get; }

    /// <summary>Passed to every dotnet run: the token, and nothing of the test runner's own Fly settings.</summary>
    public Dictionary<string, string?> Environment { get; } = new() { ["FLY_ACCESS_TOKEN"] = null };

    public static DeployRehearsal Start()
    {
        var api = LocalMachinesApi.Start();
        var project = SdkImportTests.WebAppWithExplicitVersion();
        // Simulated machines pass their checks once the grace period is over: 1 s instead of 5 s keeps tests short.
        project.Write("fly.toml", project.Read("fly.toml").Replace("grace_period = \"5s\"", "grace_period = \"1s\""));
        VendorTheFeed(project);
        var rehearsal = new DeployRehearsal(project, api);
        rehearsal.Environment["FLY_API_TOKEN"] = api.Token;
        return rehearsal;
    }

    /// <summary>dotnet with the rehearsal's environment, pointed at the local API, with a 1 s smoke window.</summary>
    public BuildResult Dotnet(params string[] arguments) =>
        DotNet.Run(Project.Directory, Environment, arguments.Concat(new[] { "-p:FlyApiUrl=" + Api.Url, "-p:FlySmokeCheckWindow=1s" }).ToArray());

    /// <summary>`dotnet publish -t:FlyDeploy` of an image that exists (simulated machines never pull it).</summary>
    public BuildResult Deploy(string tag, params string[] extra) =>
        Dotnet(new[] { "publish", "-t:FlyDeploy", "-p:FlySkipDockerfile=true", "-p:FlySkipImage=true", $"-p:FlyImage={Registry}:{tag}" }.Concat(extra).ToArray());

    public IReadOnlyList<Machine> Machines()
    {
        using var client = Client();
        return client.ListMachinesAsync(App).GetAwaiter().GetResult()
            .Where(m => m.ProcessGroup != "fly_app_release_command")
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
    }

    public IReadOnlyList<string> SecretNames()
    {
        using var client = Client();
        return client.GetSecretNamesAsync(App).GetAwaiter().GetResult();
    }

    public bool AppExists()
    {
        using var client = Client();
        return client.GetAppAsync(App).GetAwaiter().GetResult() is not null;
    }

    /// <summary>True when nobody holds the machine's lease: taking one (then giving it back) succeeds.</summary>
    public bool LeaseIsFree(string machineId)
    {
        using var client = Client();
        try
        {
            var lease = client.AcquireLeaseAsync(App, machineId, 5, "test probe").GetAwaiter().GetResult();
            client.ReleaseLeaseAsync(App, machineId, lease.Nonce).GetAwaiter().GetResult();
            return true;
        }
        catch (LeaseHeldException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts a deploy, sends it SIGINT (what Ctrl-C sends) once <paramref name="interruptAfter"/> appears in its
    /// output, and returns the whole run.
    /// </summary>
    public BuildResult DeployAndInterrupt(string tag, string interruptAfter, params string[] extra)
    {
        var arguments = new[] { "publish", "-t:FlyDeploy", "-p:FlySkipDockerfile=true", "-p:FlySkipImage=true", $"-p:FlyImage={Registry}:{tag}", "-p:FlyApiUrl=" + Api.Url }
            .Concat(extra).Concat(new[] { "-nodeReuse:false", "-tl:off", "-clp:NoSummary" });
        // A test runner started in the background by a script ignores SIGINT, and an ignored signal stays ignored
        // across exec (.NET then installs no Ctrl-C handler): env --default-signal gives dotnet SIGINT as a terminal would.
        var resetSignal = OperatingSystem.IsLinux();
        var info = new ProcessStartInfo(resetSignal ? "env" : "dotnet") { WorkingDirectory = Project.Directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (resetSignal ? new[] { "--default-signal=INT", "dotnet" } : Array.Empty<string>()).Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in DotNet.IsolatedEnvironment().Concat(Environment))
        {
            info.Environment[name] = value;
        }

        var output = new StringBuilder();
        var interrupted = false;
        using var process = new Process { StartInfo = info };
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
                if (!interrupted && line.Contains(interruptAfter, StringComparison.Ordinal))
                {
                    interrupted = true;
                    using var kill = Process.Start("kill", new[] { "-INT", process.Id.ToString(CultureInfo.InvariantCulture) });
                    kill.WaitForExit();
                }
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        lock (output)
        {
            var result = new BuildResult("dotnet " + string.Join(" ", arguments) + " (interrupted)", process.ExitCode, output.ToString());
            BuildLog.Record(result);
            return result;
        }
    }

    public void Dispose() => Api.Dispose();

    private MachinesApiClient Client() => new(Api.Url, FlyToken.FromValue(Api.Token));

    /// <summary>
    /// The packed SDK in a feed inside the project folder, as a vendored feed would be: FlyCheckDependencies then
    /// finds every restore input inside the build context, and the whole pipeline runs as it would for a user.
    /// </summary>
    private static void VendorTheFeed(TestProject project)
    {
        Directory.CreateDirectory(project.PathOf("feed"));
        File.Copy(PackagedSdk.PackagePath, project.PathOf(Path.Combine("feed", Path.GetFileName(PackagedSdk.PackagePath))), overwrite: true);
        project.Write("NuGet.config", """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="vendored" value="feed" />
              </packageSources>
            </configuration>
            """);
    }
}
