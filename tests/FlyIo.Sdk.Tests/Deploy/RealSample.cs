using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Machines;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// The sample web app deployed for real: its image built with buildah and pushed to the local registry with basic
/// auth, and run by a local Machines API of its own (process runtime) that pulls it, as build/demo.sh rehearses it.
/// </summary>
internal sealed class RealSample : IDisposable
{
    public const string Greeting = "Hello from FlyIo.Sdk's sample app";

    private RealSample(LocalRegistry registry, LocalMachinesApi api, TestProject project, string app)
    {
        Registry = registry;
        Api = api;
        Project = project;
        App = app;
    }

    public LocalRegistry Registry { get; }

    public LocalMachinesApi Api { get; }

    public TestProject Project { get; }

    public string App { get; }

    /// <param name="subnet">A range of its own (see the other tests' --subnet): the Machines API's own tests run real machines at the same time.</param>
    public static RealSample Start(string subnet)
    {
        var registry = LocalRegistry.Require();
        var data = Path.Combine(PackagedSdk.WorkRoot, "machines-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        var api = LocalMachinesApi.Start(registry.Password, "--runtime", "process", "--subnet", subnet, "--data-dir", data);
        var project = SdkImportTests.WebAppWithExplicitVersion().AsRepositoryRoot();
        var app = "real-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        // A shorter wait_timeout than the sample's 5m: a machine that never gets healthy fails the test in time.
        project.Write("fly.toml", project.Read("fly.toml").Replace("app = \"flyio-sdk-sample\"", $"app = \"{app}\"").Replace("wait_timeout = \"5m\"", "wait_timeout = \"2m\""));
        return new RealSample(registry, api, project, app);
    }

    /// <summary>
    /// `dotnet &lt;arguments&gt;` against the local registry and Machines API with the registry's password as the Fly
    /// token (one token serves both, as on Fly), watching every process's command line for it.
    /// </summary>
    public BuildResult Deploy(params string[] arguments)
    {
        using var watch = new CommandLineWatch(Registry.Password);
        var result = DotNet.Run(Project.Directory, new Dictionary<string, string?> { ["FLY_API_TOKEN"] = Registry.Password },
            arguments.Concat(new[]
            {
                "-p:FlyApiUrl=" + Api.Url, "-p:FlyRegistry=" + Registry.Address, "-p:FlyBaseImageRegistry=" + Registry.Address, "-p:FlyImageBuilder=buildah",
            }).ToArray()).AssertSucceeded();

        // Every process the deploy ran (MSBuild, buildah, the machines' apps) passed the token some other way.
        Assert.That(watch.Seen.Keys, Has.Some.EqualTo("buildah"), "the watch saw the image build");
        Assert.That(watch.Leaks, Is.Empty, "the token appeared on a command line");
        Assert.That(result.Output, Does.Not.Contain(Registry.Password));
        return result;
    }

    /// <summary>What the app answers at / through the local edge proxy.</summary>
    public string Answer() => Api.GetThroughProxy(App, "/");

    /// <summary>The app's machines, each read on its own (Fly's machine GET carries its recent events), through the product's client.</summary>
    public IReadOnlyList<Machine> Machines()
    {
        using var client = Client();
        return client.ListMachinesAsync(App).GetAwaiter().GetResult()
            .Select(m => client.GetMachineAsync(App, m.Id).GetAwaiter().GetResult())
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>What one call to this Machines API costs now (<see cref="DeployFloor.CallTimeAsync"/>): a GET of the app.</summary>
    public TimeSpan CallTime()
    {
        using var client = Client();
        return DeployFloor.CallTimeAsync(() => client.GetAppAsync(App)).GetAwaiter().GetResult();
    }

    private MachinesApiClient Client() => new(Api.Url, FlyToken.FromValue(Registry.Password));

    public void Dispose() => Api.Dispose();
}
