using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using FlyIo.Json;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// The sample web app and the EF Core sample with their fly.toml removed: `dotnet build -t:FlyLaunch` writes one,
/// FlyValidate passes it strictly with no warning, and `dotnet publish -t:FlyDeploy` deploys it as written to the local
/// Machines API, where every machine runs with the health check FlyLaunch found passing. The EF app's release command
/// (written by FlyLaunch) migrates the test's PostgreSQL before any machine starts.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LaunchDeployTests : BuildTestBase
{
    private const string DatabaseHost = "db.flycast";

    private LocalRegistry _registry = null!;
    private LocalMachinesApi? _api;
    private string _databaseUrl = "";

    [OneTimeSetUp]
    public void StartServices()
    {
        _registry = LocalRegistry.Require();
        _databaseUrl = TestPostgres.FreshDatabaseUrl();
        var data = Path.Combine(PackagedSdk.WorkRoot, "machines-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        // A private range of its own: other suites run real machines at the same time.
        _api = LocalMachinesApi.Start(_registry.Password, "--runtime", "process", "--subnet", "172.26", "--data-dir", data,
            "--host-service", $"{DatabaseHost}:5432=127.0.0.1:{new Uri(_databaseUrl).Port}");
    }

    [OneTimeTearDown]
    public void StopServices() => _api?.Dispose();

    [Test]
    public void TheSampleWebApp_LaunchedAndDeployed_IsHealthyWithNoEdit()
    {
        var project = FlyLaunchTargetTests.WebAppWithoutFlyToml().AsRepositoryRoot();
        var app = Launch(project);

        Deploy(project, app, new Dictionary<string, string?>());

        Assert.That(Get(app, "/todos/7"), Does.Contain("\"id\":7"));
    }

    [Test]
    public void TheEfCoreSample_LaunchedAndDeployed_MigratesWithTheReleaseCommandItWrote()
    {
        var project = TestProject.Create("release/EfWebApp", withNuGetOrg: true).AddSdkTo("EfWebApp.csproj").AsRepositoryRoot();
        File.Delete(project.PathOf("fly.toml"));
        File.Delete(project.PathOf("Dockerfile"));
        var app = Launch(project);
        Assert.That(project.Read("fly.toml"), Does.Contain("release_command = \"migrate\""));

        var uri = new Uri(_databaseUrl);
        var result = Deploy(project, app, new Dictionary<string, string?> { ["DATABASE_URL"] = $"{uri.Scheme}://{uri.UserInfo}@{DatabaseHost}:5432{uri.PathAndQuery}" });

        Assert.That(result.Output, Does.Contain("Release command finished with exit code 0"), "the release command FlyLaunch wrote ran");
        Assert.That(TestPostgres.Query(_databaseUrl, "SELECT count(*) FROM \"__EFMigrationsHistory\""), Is.EqualTo("2"));
        Assert.That(Get(app, "/todos"), Is.EqualTo("[]"));
        Assert.That(result.Output, Does.Not.Contain(uri.UserInfo), "the database password is a secret");
    }

    /// <summary>FlyLaunch with a unique app name, then a strict FlyValidate that must find nothing at all.</summary>
    private static string Launch(TestProject project)
    {
        var app = "launch-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        project.Dotnet("build", "-t:FlyLaunch", "-p:FlyApp=" + app).AssertSucceeded();
        Assert.That(project.Dotnet("build", "-t:FlyValidate", "-p:FlyStrict=true").AssertSucceeded().Diagnostics, Is.Empty);
        return app;
    }

    private BuildResult Deploy(TestProject project, string app, Dictionary<string, string?> env)
    {
        var launched = project.Read("fly.toml");
        env["FLY_API_TOKEN"] = _registry.Password;
        var result = DotNet.Run(project.Directory, env,
            "publish", "-t:FlyDeploy", "-p:FlyApiUrl=" + _api!.Url, "-p:FlyRegistry=" + _registry.Address,
            "-p:FlyBaseImageRegistry=" + _registry.Address, "-p:FlyImageBuilder=buildah", "-p:FlySmokeCheckWindow=3s").AssertSucceeded();

        Assert.That(result.Output, Does.Contain($"deployed {app} release v1"));
        Assert.That(project.Read("fly.toml"), Is.EqualTo(launched), "the deploy needed no edit of fly.toml");
        var machines = ((JsonReader.Parse(_api.SendForBody(HttpMethod.Get, $"v1/apps/{app}/machines")) as JsonArray)!).Items.OfType<JsonObject>().ToList();
        Assert.That(machines, Has.Count.EqualTo(2), "fly deploy's high availability: two machines for a new group with services");
        foreach (var machine in machines)
        {
            Assert.That(machine.GetString("state"), Is.EqualTo("started"));
            var checks = (machine["checks"] as JsonArray)!.Items.OfType<JsonObject>().ToList();
            Assert.That(checks, Is.Not.Empty, "the health check FlyLaunch wrote runs on the machine");
            Assert.That(checks.Select(c => c.GetString("status")), Is.All.EqualTo("passing"));
        }

        Assert.That(result.Output, Does.Not.Contain(_registry.Password));
        return result;
    }

    private string Get(string app, string path)
    {
        var proxy = _api!.ProxyUrl(app);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return http.GetStringAsync(proxy + path).GetAwaiter().GetResult();
    }
}
