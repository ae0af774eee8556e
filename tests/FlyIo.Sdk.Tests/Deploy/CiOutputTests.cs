using System.IO;
using System.Linq;
using FlyIo.Json;
using FlyIo.Sdk.Tests.Deploy;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// What a CI job reads after a deploy, with no log parsing: FlyAppUrl, FlyReleaseVersion, FlyReleaseId and FlyImage through
/// -getProperty, the machines through -getItem:FlyMachine, and (on GitHub Actions) a markdown summary appended to
/// the file GITHUB_STEP_SUMMARY names.
/// </summary>
[TestFixture]
public sealed class CiOutputTests : BuildTestBase
{
    [Test]
    public void ADeploy_AnswersGetProperty_StatusAnswersGetItem_AndGitHubGetsAStepSummary()
    {
        using var fly = DeployRehearsal.Start();
        var summary = fly.Project.PathOf("step-summary.md");
        fly.Environment["GITHUB_STEP_SUMMARY"] = summary;
        var image = $"{DeployRehearsal.Registry}:deployment-one";

        var deploy = fly.Dotnet("publish", "-t:FlyDeploy", "-p:FlySkipImage=true", "-p:FlyImage=" + image,
            "-getProperty:FlyAppUrl", "-getProperty:FlyReleaseVersion", "-getProperty:FlyReleaseId", "-getProperty:FlyImage").AssertSucceeded();

        var properties = ((JsonReader.Parse(deploy.Output.Substring(deploy.Output.IndexOf('{'))) as JsonObject)!["Properties"] as JsonObject)!;
        Assert.That(properties.GetString("FlyAppUrl"), Is.EqualTo("https://flyio-sdk-sample.fly.dev"));
        Assert.That(properties.GetString("FlyReleaseVersion"), Is.EqualTo("1"));
        Assert.That(properties.GetString("FlyReleaseId"), Is.EqualTo(fly.Releases().Single().Id), "Fly's release, as `fly releases` knows it");
        Assert.That(properties.GetString("FlyImage"), Is.EqualTo(image));

        var markdown = File.ReadAllText(summary);
        Assert.That(markdown, Does.StartWith("### Fly.io: flyio-sdk-sample release v1\n"));
        Assert.That(markdown, Does.Contain("| URL | https://flyio-sdk-sample.fly.dev |").And.Contain($"| Image | `{image}` |")
            .And.Contain("| Machines | 2 created, 0 updated, 0 destroyed; 2 in the app |"));
        Assert.That(markdown, Does.Not.Contain(fly.Api.Token));

        var status = fly.Dotnet("build", "-t:FlyStatus", "-getItem:FlyMachine").AssertSucceeded();
        var machines = (((JsonReader.Parse(status.Output.Substring(status.Output.IndexOf('{'))) as JsonObject)!["Items"] as JsonObject)!["FlyMachine"] as JsonArray)!
            .Items.OfType<JsonObject>().ToList();
        Assert.That(machines, Has.Count.EqualTo(2));
        Assert.That(machines.Select(m => (m.GetString("Group"), m.GetString("Region"), m.GetString("State"), m.GetString("Release"), m.GetString("Image"))),
            Is.All.EqualTo(("app", "ams", "started", "1", image)));

        // A plain deploy ends with "Project -> URL", the line the terminal logger shows as the project's result.
        var second = fly.Dotnet("publish", "-t:FlyDeploy", "-p:FlySkipImage=true", "-p:FlyImage=" + image).AssertSucceeded();
        Assert.That(second.Output, Does.Contain("WebApp -> https://flyio-sdk-sample.fly.dev"));
        Assert.That(File.ReadAllText(summary), Does.Contain("### Fly.io: flyio-sdk-sample release v2"), "each deploy appends its own section");
    }
}
