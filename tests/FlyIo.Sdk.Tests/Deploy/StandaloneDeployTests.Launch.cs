using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>The standalone samples with their fly.toml removed: FlyLaunch writes one, and it deploys as written.</summary>
public sealed partial class StandaloneDeployTests
{
    [Test]
    public void FlyLaunch_ThenFlyDeploy_OfTheFastApiApp_IsHealthyWithNoEdit()
    {
        var (app, result) = Deploy("PythonFastApi", "debian:bookworm-slim", $"debian:{HostImages.DebianSuite}-slim", launch: true);

        Assert.That(Get(app, "/healthz"), Is.EqualTo("{\"status\":\"ok\"}"), "the health route FlyLaunch found in main.py");
        Assert.That(result.Output, Does.Contain("FlyCheckDependencies: 0 error(s)"));
    }

    [Test]
    public void FlyLaunch_ThenFlyDeploy_OfTheExpressApp_IsHealthyWithNoEdit()
    {
        var (app, _) = Deploy("NodeApp", "node:20-slim", $"node:{HostImages.NodeMajor}-slim", launch: true);

        Assert.That(Get(app, "/"), Is.EqualTo($"Hello from {app} on Express"));
    }
}
