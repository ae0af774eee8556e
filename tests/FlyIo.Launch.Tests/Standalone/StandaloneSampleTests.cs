using System.IO;
using FlyIo.AppModel.Docker;
using FlyIo.Launch.Standalone;
using NUnit.Framework;

namespace FlyIo.Launch.Tests.Standalone;

/// <summary>The repository's own standalone samples, read in place: what FlyLaunch would write for them must match their fly.toml.</summary>
public sealed class StandaloneSampleTests
{
    [Test]
    public void PythonFastApiSampleListensOnItsExposedPortAndMapsHealthz()
    {
        var folder = Sample("PythonFastApi");

        var facts = StandaloneAppScanner.Scan(folder, Dockerfile.Load(Path.Combine(folder, "Dockerfile")));

        Assert.That(facts, Is.Not.Null);
        Assert.That(facts!.Language, Is.EqualTo("Python"));
        Assert.That(facts.Framework, Is.EqualTo("FastAPI"));
        Assert.That(facts.Port, Is.EqualTo(8000));
        Assert.That(facts.PortReason, Is.EqualTo("Dockerfile(8): EXPOSE 8000"));
        Assert.That(facts.PortVariable, Is.Null);
        Assert.That(facts.HealthPath, Is.EqualTo("/healthz"));
        Assert.That(facts.HealthPathReason, Is.EqualTo("main.py(13,1): @app.get(\"/healthz\")"));
    }

    [Test]
    public void NodeSampleNeedsNoPortVariableBecauseItsImageSetsPort()
    {
        var folder = Sample("NodeApp");

        var facts = StandaloneAppScanner.Scan(folder, Dockerfile.Load(Path.Combine(folder, "Dockerfile")));

        Assert.That(facts, Is.Not.Null);
        Assert.That(facts!.Language, Is.EqualTo("Node"));
        Assert.That(facts.Framework, Is.EqualTo("Express"));
        Assert.That(facts.Port, Is.EqualTo(3000));
        Assert.That(facts.PortReason, Is.EqualTo("Dockerfile(8): EXPOSE 3000"));
        Assert.That(facts.PortVariable, Is.Null, "the Dockerfile's ENV PORT=3000 already gives the app its port");
        Assert.That(facts.HealthPath, Is.EqualTo("/healthz"));
        Assert.That(facts.HealthPathReason, Is.EqualTo("server.js(10,1): app.get(\"/healthz\", ...)"));
    }

    private static string Sample(string name)
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FlyIo.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        Assert.That(dir, Is.Not.Null, "FlyIo.Sdk.sln was not found above the test directory");
        return Path.Combine(dir!.FullName, "tests", "samples", "standalone", name);
    }
}
