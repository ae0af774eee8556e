using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// The standalone samples with their fly.toml removed: FlyLaunch writes one, and it deploys as written. The FastAPI
/// app then serves the day-two FlyLogs tests: the newest lines, one machine's, and following until Ctrl+C.
/// </summary>
public sealed partial class StandaloneDeployTests
{
    [Test]
    public void FlyLaunch_ThenFlyDeploy_OfTheFastApiApp_IsHealthyWithNoEdit_AndFlyLogsShowsItsLogs()
    {
        var (app, result, project) = Deploy("PythonFastApi", "debian:bookworm-slim", $"debian:{HostImages.DebianSuite}-slim", launch: true);

        Assert.That(Get(app, "/healthz"), Is.EqualTo("{\"status\":\"ok\"}"), "the health route FlyLaunch found in main.py");
        Assert.That(result.Output, Does.Contain("FlyCheckDependencies: 0 error(s)"));

        var env = new Dictionary<string, string?> { ["FLY_API_TOKEN"] = _registry.Password };
        var newest = DotNet.Run(project.Directory, env, "build", "-t:FlyLogs", "-p:FlyLogLines=3", "-p:FlyApiUrl=" + _api.Url).AssertSucceeded();
        Assert.That(LogLines(newest), Has.Count.EqualTo(3), newest.Output);
        Assert.That(newest.Output, Does.Contain($" -> {app}: 3 line(s)."));

        var machine = ((JsonArray)JsonReader.Parse(_api.SendForBody(HttpMethod.Get, $"v1/apps/{app}/machines"))).Items.OfType<JsonObject>().First().GetString("id")!;
        var one = DotNet.Run(project.Directory, env, "build", "-t:FlyLogs", "-p:FlyLogMachine=" + machine, "-p:FlyApiUrl=" + _api.Url).AssertSucceeded();
        Assert.That(LogLines(one), Is.Not.Empty.And.All.Contain($" app[{machine}] "), "only that machine's lines");
        Assert.That(one.Output, Does.Contain("Uvicorn running on"), "the machine's own startup lines");

        // Following: with one old line shown, requests made while it runs must come through as they are logged.
        using var stop = new CancellationTokenSource();
        var proxy = _api.ProxyUrl(app);
        var probes = Task.Run(async () =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Task.Delay(TimeSpan.FromSeconds(4), stop.Token);
            for (var i = 1; i <= 30 && !stop.IsCancellationRequested; i++)
            {
                // A 404, which uvicorn logs like any request.
                using (await http.GetAsync($"{proxy}/follow-probe-{i}-end", stop.Token))
                {
                }

                await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
            }
        });
        var followed = DotNet.RunAndInterrupt(project.Directory, env, "/follow-probe-3-end",
            new[] { "build", "-t:FlyLogs", "-p:FlyFollow=true", "-p:FlyLogLines=1", "-p:FlyApiUrl=" + _api.Url, "-nodeReuse:false", "-tl:off", "-clp:NoSummary" });
        stop.Cancel();
        try { probes.Wait(); } catch (AggregateException) { }

        Assert.That(followed.Output, Does.Contain("/follow-probe-2-end").And.Contain("/follow-probe-3-end"), "new lines streamed while following");
        Assert.That(LogLines(followed).Count(l => l.Contains("/follow-probe-2-end", StringComparison.Ordinal)), Is.EqualTo(1), "each line once");
        Assert.That(newest.Output + one.Output + followed.Output, Does.Not.Contain(_registry.Password));
    }

    [Test]
    public void FlyLaunch_ThenFlyDeploy_OfTheExpressApp_IsHealthyWithNoEdit()
    {
        var (app, _, _) = Deploy("NodeApp", "node:20-slim", $"node:{HostImages.NodeMajor}-slim", launch: true);

        Assert.That(Get(app, "/"), Is.EqualTo($"Hello from {app} on Express"));
    }

    private static List<string> LogLines(BuildResult result) =>
        result.Output.Split('\n').Where(l => l.Contains(" app[", StringComparison.Ordinal)).ToList();
}
