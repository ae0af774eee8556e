using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// The sample EF Core + Npgsql web app, deployed for real: image built with buildah and pushed to the local registry,
/// machines run by the local Machines API in their own network namespaces, reaching the test's PostgreSQL as
/// <c>db.flycast:5432</c> the way a Fly app reaches its database. The first deploy migrates the empty database with
/// the release command before any machine starts; the second, after a code change, rolls across four machines while
/// a probe requests the app every 50 ms through the edge proxy.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class EfDeployTests : BuildTestBase
{
    private const string DatabaseHost = "db.flycast";
    private const int Machines = 4;

    private LocalRegistry _registry = null!;
    private LocalMachinesApi? _api;
    private TestProject _project = null!;
    private string _app = "";
    private string _databaseUrl = "";
    private bool _firstDeployDone;
    private bool _secondDeployDone;

    [OneTimeSetUp]
    public void StartServicesAndCopyTheSample()
    {
        _registry = LocalRegistry.Require();
        _databaseUrl = TestPostgres.FreshDatabaseUrl();
        var pg = new Uri(_databaseUrl);
        var data = Path.Combine(PackagedSdk.WorkRoot, "machines-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        // A private range of its own: other suites run real machines at the same time.
        _api = LocalMachinesApi.Start(_registry.Password, "--runtime", "process", "--subnet", "172.27", "--data-dir", data,
            "--host-service", $"{DatabaseHost}:5432=127.0.0.1:{pg.Port}");

        _app = "ef-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        _project = TestProject.Create("release/EfWebApp", withNuGetOrg: true).AddSdkTo("EfWebApp.csproj").AsRepositoryRoot();
        File.Delete(_project.PathOf("Dockerfile"));
        // The sample as it is (its DATABASE_URL FlySecret and /healthz check), with a name of its own and a bounded wait.
        _project.Write("fly.toml", _project.Read("fly.toml").Replace("app = \"efwebapp\"", $"app = \"{_app}\"")
            .Replace("[http_service]", "[deploy]\n  strategy = \"rolling\"\n  wait_timeout = \"2m\"\n\n[http_service]"));
    }

    [OneTimeTearDown]
    public void StopServices() => _api?.Dispose();

    [Test]
    [Order(1)]
    public void FirstDeploy_MigratesTheDatabaseWithTheReleaseCommand_AndTheAppAnswersThroughTheEdgeProxy()
    {
        var result = Deploy();

        Assert.That(result.Output, Does.Contain($"deployed {_app} release v1"));
        Assert.That(_project.Read("fly.toml"), Does.Contain("release_command = \"migrate\""));
        Assert.That(TestPostgres.Query(_databaseUrl, "SELECT count(*) FROM \"__EFMigrationsHistory\""), Is.EqualTo("2"),
            "both migrations applied by the release command");
        var machines = AppMachines();
        Assert.That(machines.Count, Is.EqualTo(Machines), "app machines (the release command machine is gone)");
        Assert.That(machines.Select(m => m.GetString("state")), Is.All.EqualTo("started"));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var proxy = ProxyUrl();
        using var created = http.PostAsync(proxy + "/todos", new StringContent("{\"title\":\"ship it\"}", Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        Assert.That((int)created.StatusCode, Is.EqualTo(201), created.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        Assert.That(http.GetStringAsync(proxy + "/todos").GetAwaiter().GetResult(), Does.Contain("\"title\":\"ship it\""));
        Assert.That(result.Output, Does.Not.Contain(_registry.Password));
        Assert.That(result.Output, Does.Not.Contain(new Uri(_databaseUrl).UserInfo), "the database password is a secret");
        _firstDeployDone = true;
    }

    [Test]
    [Order(2)]
    public void SecondDeploy_RollsAcrossFourMachines_WithNoFailedRequest()
    {
        if (!_firstDeployDone)
        {
            Assert.Inconclusive("The first deploy did not succeed; the second builds on it.");
        }

        var before = AppMachines().Select(m => Config(m).GetString("image")).Distinct().ToList();
        _project.Write("Program.cs", _project.Read("Program.cs").Replace("app.Run();", "app.MapGet(\"/version\", () => \"v2\");\n\napp.Run();"));
        var proxy = ProxyUrl();

        using var probe = new Probe(proxy + "/todos", TimeSpan.FromMilliseconds(50));
        var result = Deploy();
        var report = probe.Stop();

        Assert.That(result.Output, Does.Contain($"deployed {_app} release v2"));
        Assert.That(report.Failures, Is.Empty, $"{report.Failures.Count} of {report.Requests} requests failed during the deploy");
        Assert.That(report.Requests, Is.GreaterThan(20), "the probe ran through the deploy");
        var machines = AppMachines();
        Assert.That(machines.Count, Is.EqualTo(Machines));
        var images = machines.Select(m => Config(m).GetString("image")).Distinct().ToList();
        Assert.That(images, Has.Count.EqualTo(1), "every machine on one image");
        Assert.That(images[0], Is.Not.EqualTo(before.Single()), "a new image");
        Assert.That(machines.Select(m => ((Config(m)["metadata"] as JsonObject)!).GetString("fly_release_version")), Is.All.EqualTo("2"));
        Assert.That(machines.Select(m => m.GetString("state")), Is.All.EqualTo("started"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < Machines * 2; i++)
        {
            // New connections go round robin, so this reaches every machine.
            Assert.That(http.GetStringAsync(proxy + "/version").GetAwaiter().GetResult(), Is.EqualTo("v2"));
        }

        TestContext.Out.WriteLine($"probe: {report.Requests} requests, {report.Failures.Count} failed, over {report.Elapsed.TotalSeconds:F1} s");
        // The deploy's own summary (phases and their times), for the figures a reader of the test results wants.
        foreach (var line in result.Output.Split('\n').Where(l => l.Contains("FlyDeploy: deployed") || l.TrimStart().StartsWith("phases:", StringComparison.Ordinal)))
        {
            TestContext.Out.WriteLine(line.Trim());
        }
        _secondDeployDone = true;
    }

    [Test]
    [Order(3)]
    public void AVersionThatCrashesAtStart_IsRolledBack_WhileTheOldVersionKeepsServing()
    {
        // The host is built (so the release command's migrations still run), then the app dies before it listens.
        var failed = DeployABrokenVersion(program => program.Replace("app.Run();", "throw new InvalidOperationException(\"v3 cannot start\");"));

        var error = failed.Errors.Single(e => e.Code == "FLY5002");
        Assert.That(error.Message, Does.Contain("exited with code"));
        Assert.That(failed.Output, Does.Contain("v3 cannot start"), "the crashed machine's last log lines are shown");
        Assert.That(failed.Output, Does.Contain("Rolled back automatically"));
    }

    [Test]
    [Order(4)]
    public void AVersionThatFailsItsHealthCheck_IsRolledBack_WhileTheOldVersionKeepsServing()
    {
        var failed = DeployABrokenVersion(
            program => program.Replace("app.MapHealthChecks(\"/healthz\");", "app.MapGet(\"/healthz\", () => Results.StatusCode(503));"),
            flyToml => flyToml.Replace("wait_timeout = \"2m\"", "wait_timeout = \"20s\""));

        var error = failed.Errors.Single(e => e.Code == "FLY5002");
        Assert.That(error.Message, Does.Contain("was not healthy within wait_timeout = 20s"));
        Assert.That(failed.Output, Does.Contain("Rolled back automatically"));
    }

    [Test]
    [Order(5)]
    public void AFailingReleaseCommand_ChangesNoAppMachine()
    {
        var instances = AppMachines().ToDictionary(m => m.GetString("id")!, m => m.GetString("instance_id"));
        var failed = DeployABrokenVersion(
            program => program,
            extraFiles: ("Migrations/20250103000000_Broken.cs",
                "using Microsoft.EntityFrameworkCore.Infrastructure;\nusing Microsoft.EntityFrameworkCore.Migrations;\n\nnamespace EfWebApp.Migrations;\n\n" +
                "[DbContext(typeof(AppDbContext))]\n[Migration(\"20250103000000_Broken\")]\npublic partial class Broken : Migration\n{\n" +
                "    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(\"CREATE INDEXX broken ON todos (\\\"Title\\\")\");\n}\n"));

        var error = failed.Errors.Single(e => e.Code == "FLY5003");
        Assert.That(failed.Output, Does.Contain("INDEXX"), "the release command's last log lines are shown");
        Assert.That(AppMachines().ToDictionary(m => m.GetString("id")!, m => m.GetString("instance_id")), Is.EqualTo(instances),
            "no app machine was touched: " + error.Message);
        Assert.That(TestPostgres.Query(_databaseUrl, "SELECT count(*) FROM \"__EFMigrationsHistory\""), Is.EqualTo("2"), "the failed migration left no history row");
    }

    /// <summary>
    /// Deploys a changed copy of the app that must fail, with the probe running throughout, and checks what must hold
    /// afterwards: a non-zero exit, every machine back on release 2, the app still answering with v2, no failed request.
    /// </summary>
    private BuildResult DeployABrokenVersion(Func<string, string> changeProgram, Func<string, string>? changeFlyToml = null,
        (string Path, string Content)? extraFiles = null)
    {
        if (!_secondDeployDone)
        {
            Assert.Inconclusive("The first two deploys did not succeed; this one builds on them.");
        }

        var program = _project.Read("Program.cs");
        var flyToml = _project.Read("fly.toml");
        var before = AppMachines().Select(m => Config(m).GetString("image")).Distinct().Single();
        try
        {
            _project.Write("Program.cs", changeProgram(program));
            if (changeFlyToml is not null)
            {
                _project.Write("fly.toml", changeFlyToml(flyToml));
            }

            if (extraFiles is { } extra)
            {
                _project.Write(extra.Path, extra.Content);
            }

            using var probe = new Probe(ProxyUrl() + "/todos", TimeSpan.FromMilliseconds(50));
            var result = DeployExpectingFailure();
            var report = probe.Stop();

            Assert.That(result.ExitCode, Is.Not.EqualTo(0));
            Assert.That(report.Failures, Is.Empty, $"{report.Failures.Count} of {report.Requests} requests failed while the broken version was tried");
            var machines = AppMachines();
            Assert.That(machines.Count, Is.EqualTo(Machines));
            Assert.That(machines.Select(m => Config(m).GetString("image")), Is.All.EqualTo(before), "every machine on the previous image");
            Assert.That(machines.Select(m => m.GetString("state")), Is.All.EqualTo("started"), () => EventsOfMachinesNotStarted(machines));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var proxy = ProxyUrl();
            for (var i = 0; i < Machines * 2; i++)
            {
                Assert.That(http.GetStringAsync(proxy + "/version").GetAwaiter().GetResult(), Is.EqualTo("v2"));
            }

            return result;
        }
        finally
        {
            _project.Write("Program.cs", program);
            _project.Write("fly.toml", flyToml);
            if (extraFiles is { } extra)
            {
                File.Delete(_project.PathOf(extra.Path));
            }
        }
    }

    private BuildResult DeployExpectingFailure() => RunDeploy().AssertFailed();

    private BuildResult Deploy() => RunDeploy().AssertSucceeded();

    private BuildResult RunDeploy() =>
        DotNet.Run(_project.Directory,
            new Dictionary<string, string?> { ["FLY_API_TOKEN"] = _registry.Password, ["DATABASE_URL"] = DatabaseUrlSeenByMachines() },
            "publish", "-t:FlyDeploy", "-p:FlyApiUrl=" + _api!.Url, "-p:FlyRegistry=" + _registry.Address,
            "-p:FlyBaseImageRegistry=" + _registry.Address, "-p:FlyImageBuilder=buildah", "-p:FlyMachineCount=" + Machines);

    /// <summary>The test's database URL with the host the machines use for it.</summary>
    private string DatabaseUrlSeenByMachines()
    {
        var uri = new Uri(_databaseUrl);
        return $"{uri.Scheme}://{uri.UserInfo}@{DatabaseHost}:5432{uri.PathAndQuery}";
    }

    private string ProxyUrl() => _api!.ProxyUrl(_app);

    private List<JsonObject> AppMachines() =>
        ((JsonReader.Parse(_api!.SendForBody(HttpMethod.Get, $"v1/apps/{_app}/machines")) as JsonArray)!).Items.OfType<JsonObject>().ToList();

    /// <summary>For a failure message: the latest events of each machine that is not started (why it is not).</summary>
    private string EventsOfMachinesNotStarted(IEnumerable<JsonObject> machines) =>
        string.Join("\n", machines.Where(m => m.GetString("state") != "started")
            .Select(m => $"{m.GetString("id")} {m.GetString("state")}: " + _api!.SendForBody(HttpMethod.Get, $"v1/apps/{_app}/machines/{m.GetString("id")}/events?limit=6")));

    private static JsonObject Config(JsonObject machine) => (machine["config"] as JsonObject)!;

    /// <summary>Requests a URL on a new connection every interval until stopped; a failure is anything but a 2xx.</summary>
    private sealed class Probe : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly List<string> _failures = new();
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private int _requests;

        public Probe(string url, TimeSpan interval)
        {
            _loop = Task.Run(async () =>
            {
                // A connection per request, as separate clients arrive: each goes through the proxy's choice of machine.
                using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero };
                using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
                while (!_stop.IsCancellationRequested)
                {
                    var at = _clock.Elapsed;
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, url);
                        request.Headers.ConnectionClose = true;
                        using var response = await http.SendAsync(request).ConfigureAwait(false);
                        if (!response.IsSuccessStatusCode)
                        {
                            lock (_failures) _failures.Add($"{at.TotalSeconds:F2}s: HTTP {(int)response.StatusCode}");
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        lock (_failures) _failures.Add($"{at.TotalSeconds:F2}s: {e.GetType().Name}: {e.Message}");
                    }

                    Interlocked.Increment(ref _requests);
                    try
                    {
                        await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            });
        }

        public (int Requests, List<string> Failures, TimeSpan Elapsed) Stop()
        {
            _stop.Cancel();
            _loop.GetAwaiter().GetResult();
            lock (_failures) return (_requests, _failures.ToList(), _clock.Elapsed);
        }

        public void Dispose()
        {
            if (!_stop.IsCancellationRequested)
            {
                Stop();
            }

            _stop.Dispose();
        }
    }
}
