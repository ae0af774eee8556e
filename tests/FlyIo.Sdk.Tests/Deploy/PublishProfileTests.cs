using System.IO;
using System.Linq;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests.Deploy;

/// <summary>
/// `dotnet publish -p:PublishProfile=Fly` is the deploy, through the same pipeline as `-t:FlyDeploy`, with no ordinary
/// publish; `dotnet publish -t:FlyDeploy` runs the ordinary publish first, as MSBuild is asked to. Each test on the
/// sample web app against a local Machines API of its own (simulated machines: a tag is enough).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class PublishProfileTests : BuildTestBase
{
    private static readonly string[] ExistingImage =
        { "-p:FlySkipDockerfile=true", "-p:FlySkipImage=true", $"-p:FlyImage={DeployRehearsal.Registry}:deployment-one" };

    [Test]
    public void PublishProfileFly_Deploys_WithoutTheOrdinaryPublish()
    {
        using var fly = DeployRehearsal.Start();

        var result = fly.Dotnet(new[] { "publish", "-p:PublishProfile=Fly", "-p:FlyHighAvailability=false" }.Concat(ExistingImage).ToArray()).AssertSucceeded();

        var machine = fly.Machines().Single();
        Assert.That((machine.State, machine.Image, machine.Metadata("fly_release_version")), Is.EqualTo(("started", DeployRehearsal.Registry + ":deployment-one", "1")));
        AssertInOrder(result.Output, "FlyValidate:", "FlyCheckDependencies:", "FlySetReleaseCommand:",
            "FlyDeploy: deployed flyio-sdk-sample release v1", "WebApp -> https://flyio-sdk-sample.fly.dev (release v1)");
        Assert.That(Occurrences(result.Output, "FlyDeploy: deployed "), Is.EqualTo(1), "one deploy, one summary");
        Assert.That(Directory.Exists(fly.Project.PathOf("bin")), Is.False, "no ordinary publish: the image build publishes inside the image");
        Assert.That(result.Output, Does.Not.Contain(fly.Api.Token));
    }

    [Test]
    public void AProfileFile_WithFlyDeployOnPublish_DeploysWithItsOwnFlyProperties()
    {
        using var fly = DeployRehearsal.Start();
        // A profile of the user's own name, as Visual Studio keeps them: the .NET SDK imports it, and its properties
        // are the deploy's (here one machine instead of two, and the image).
        fly.Project.Write("Properties/PublishProfiles/Production.pubxml", $"""
            <Project>
              <PropertyGroup>
                <WebPublishMethod>Custom</WebPublishMethod>
                <FlyDeployOnPublish>true</FlyDeployOnPublish>
                <FlyHighAvailability>false</FlyHighAvailability>
                <FlySkipDockerfile>true</FlySkipDockerfile>
                <FlySkipImage>true</FlySkipImage>
                <FlyImage>{DeployRehearsal.Registry}:deployment-one</FlyImage>
              </PropertyGroup>
            </Project>
            """);

        var result = fly.Dotnet("publish", "-p:PublishProfile=Production").AssertSucceeded();

        Assert.That(fly.Machines().Select(m => (m.State, m.Image)), Is.EqualTo(new[] { ("started", DeployRehearsal.Registry + ":deployment-one") }));
        Assert.That(result.Output, Does.Contain("WebApp -> https://flyio-sdk-sample.fly.dev (release v1)"));
        Assert.That(Directory.Exists(fly.Project.PathOf("bin")), Is.False);
    }

    [Test]
    public void PublishProfileFly_AndTargetFlyDeploy_TogetherDeployOnce()
    {
        using var fly = DeployRehearsal.Start();

        var result = fly.Dotnet(new[] { "publish", "-t:FlyDeploy", "-p:PublishProfile=Fly", "-p:FlyHighAvailability=false" }.Concat(ExistingImage).ToArray()).AssertSucceeded();

        Assert.That(Occurrences(result.Output, "FlyDeploy: deployed "), Is.EqualTo(1));
        Assert.That(fly.Releases().Select(r => r.Version), Is.EqualTo(new[] { 1 }), "one release");
        Assert.That(Directory.Exists(fly.Project.PathOf("bin")), Is.False);
    }

    [Test]
    public void PublishTargetFlyDeploy_RunsTheOrdinaryPublishFirst_ThenDeploys()
    {
        using var fly = DeployRehearsal.Start();

        var result = fly.Dotnet(new[] { "publish", "-t:FlyDeploy", "-p:FlyHighAvailability=false" }.Concat(ExistingImage).ToArray()).AssertSucceeded();

        // The dotnet CLI asks for Publish before -t:FlyDeploy, and MSBuild tells the project nothing more: Publish runs.
        Assert.That(File.Exists(fly.Project.PathOf("bin/Release/net10.0/publish/WebApp.dll")), Is.True, "the ordinary publish ran");
        AssertInOrder(result.Output, "WebApp -> " + fly.Project.PathOf("bin/Release/net10.0/publish"), "FlyDeploy: deployed flyio-sdk-sample release v1",
            "WebApp -> https://flyio-sdk-sample.fly.dev (release v1)");
        Assert.That(fly.Machines().Single().State, Is.EqualTo("started"));
    }

    [Test]
    public void ABuild_WithTheFlyProfile_NeitherDeploysNorPublishes()
    {
        using var fly = DeployRehearsal.Start();

        var result = fly.Dotnet("build", "-p:PublishProfile=Fly").AssertSucceeded();

        Assert.That(result.Output, Does.Not.Contain("FlyDeploy:"));
        Assert.That(fly.AppExists(), Is.False, "nothing was deployed");
        Assert.That(File.Exists(fly.Project.PathOf("bin/Release/net10.0/WebApp.dll")) || File.Exists(fly.Project.PathOf("bin/Debug/net10.0/WebApp.dll")), Is.True, "an ordinary build");
        Assert.That(Directory.EnumerateDirectories(fly.Project.PathOf("bin"), "publish", SearchOption.AllDirectories), Is.Empty, "and no publish");
    }
}
