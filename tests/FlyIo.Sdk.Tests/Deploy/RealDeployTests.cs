using System.Linq;
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
        using var sample = RealSample.Start("172.29");

        var result = sample.Deploy("publish", "-t:FlyDeploy");

        Assert.That(result.Output, Does.Contain($"deployed {sample.App} release v1"));
        Assert.That(sample.Machines().Select(m => m.State), Is.Not.Empty.And.All.EqualTo("started"));
        Assert.That(sample.Answer(), Is.EqualTo(RealSample.Greeting));
    }
}
