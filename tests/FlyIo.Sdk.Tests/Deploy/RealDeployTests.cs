using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// The whole path for real, as build/demo.sh rehearses it: `dotnet publish -t:FlyDeploy` of the sample web app builds
/// its image with buildah, pushes it to the local registry with basic auth, and the local Machines API pulls it and
/// runs it in its own network namespace until its health check passes; the app then answers through the edge proxy.
/// </summary>
[TestFixture]
public sealed class RealDeployTests : BuildTestBase
{
    [Test]
    public void FlyDeploy_OfTheSampleWebApp_EndsWithTheAppAnsweringThroughTheEdgeProxy()
    {
        var registry = LocalRegistry.Require();
        // A range and data folder of its own: the Machines API's own tests run real machines at the same time.
        var data = Path.Combine(PackagedSdk.WorkRoot, "machines-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        using var api = LocalMachinesApi.Start(registry.Password, "--runtime", "process", "--subnet", "172.29", "--data-dir", data);
        var project = SdkImportTests.WebAppWithExplicitVersion().AsRepositoryRoot();
        var app = "real-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        // A shorter wait_timeout than the sample's 5m: a machine that never gets healthy fails the test in time.
        project.Write("fly.toml", project.Read("fly.toml").Replace("app = \"flyio-sdk-sample\"", $"app = \"{app}\"").Replace("wait_timeout = \"5m\"", "wait_timeout = \"2m\""));
        Directory.CreateDirectory(project.PathOf("feed"));
        File.Copy(PackagedSdk.PackagePath, project.PathOf(Path.Combine("feed", Path.GetFileName(PackagedSdk.PackagePath))), overwrite: true);
        project.Write("NuGet.config", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><clear /><add key=\"vendored\" value=\"feed\" /></packageSources></configuration>\n");

        BuildResult result;
        using (var watch = new CommandLineWatch(registry.Password))
        {
            result = DotNet.Run(project.Directory, new Dictionary<string, string?> { ["FLY_API_TOKEN"] = registry.Password },
                "publish", "-t:FlyDeploy", "-p:FlyApiUrl=" + api.Url, "-p:FlyRegistry=" + registry.Address,
                "-p:FlyBaseImageRegistry=" + registry.Address, "-p:FlyImageBuilder=buildah").AssertSucceeded();

            // Every process the deploy ran (MSBuild, buildah, the machine's app) passed the token some other way.
            Assert.That(watch.Seen.Keys, Has.Some.EqualTo("buildah"), "the watch saw the image build");
            Assert.That(watch.Leaks, Is.Empty, "the token appeared on a command line");
        }

        Assert.That(result.Output, Does.Contain($"deployed {app} release v1"));
        var proxy = (JsonReader.Parse(api.SendForBody(HttpMethod.Post, $"__admin/proxy/{app}")) as JsonObject)!.GetString("url")!;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string? body = null;
        for (var attempt = 0; attempt < 30 && body is null; attempt++)
        {
            try
            {
                body = http.GetStringAsync(proxy + "/").GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Thread.Sleep(1000);
            }
        }

        Assert.That(body, Is.EqualTo("Hello from FlyIo.Sdk's sample app"));
        Assert.That(result.Output, Does.Not.Contain(registry.Password));
    }
}
