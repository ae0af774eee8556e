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
        var rehearsal = new DeployRehearsal(project, api);
        rehearsal.Environment["FLY_API_TOKEN"] = api.Token;
        return rehearsal;
    }

    /// <summary>
    /// The local API for both of Fly's: the Machines API (FlyApiUrl) and api.fly.io, where deploys record their
    /// releases (FlyPlatformApiUrl). Loopback, so the token may go there without FlyAllowTokenTo.
    /// </summary>
    private string[] LocalApis => new[] { "-p:FlyApiUrl=" + Api.Url, "-p:FlyPlatformApiUrl=" + Api.Url };

    /// <summary>dotnet with the rehearsal's environment, pointed at the local API, with a 1 s smoke window.</summary>
    public BuildResult Dotnet(params string[] arguments) =>
        DotNet.Run(Project.Directory, Environment, arguments.Concat(LocalApis).Concat(new[] { "-p:FlySmokeCheckWindow=1s" }).ToArray());

    /// <summary>
    /// `dotnet publish -p:PublishProfile=Fly` (FlyDeploy in place of the ordinary publish) of an image that exists
    /// (simulated machines never pull it). Tests of `-t:FlyDeploy` itself call <see cref="Dotnet"/>.
    /// </summary>
    public BuildResult Deploy(string tag, params string[] extra) =>
        Dotnet(new[] { "publish", "-p:PublishProfile=Fly", "-p:FlySkipDockerfile=true", "-p:FlySkipImage=true", $"-p:FlyImage={Registry}:{tag}" }.Concat(extra).ToArray());

    public IReadOnlyList<Machine> Machines()
    {
        using var client = Client();
        return client.ListMachinesAsync(App).GetAwaiter().GetResult()
            .Where(m => m.ProcessGroup != "fly_app_release_command")
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The app's releases as api.fly.io (here the local API) lists them, newest first.</summary>
    public IReadOnlyList<FlyRelease> Releases()
    {
        using var client = Client();
        return client.ListReleasesAsync(App).GetAwaiter().GetResult().OrderByDescending(r => r.Version).ToList();
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
        var arguments = new[] { "publish", "-t:FlyDeploy", "-p:FlySkipDockerfile=true", "-p:FlySkipImage=true", $"-p:FlyImage={Registry}:{tag}" }
            .Concat(LocalApis).Concat(extra).Concat(new[] { "-nodeReuse:false", "-tl:off", "-clp:NoSummary" });
        return DotNet.RunAndInterrupt(Project.Directory, Environment, interruptAfter, arguments);
    }

    public void Dispose() => Api.Dispose();

    private MachinesApiClient Client() => new(Api.Url, FlyToken.FromValue(Api.Token));
}
