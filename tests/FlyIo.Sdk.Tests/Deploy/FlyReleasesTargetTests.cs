using System.IO;
using System.Linq;
using System.Net.Http;
using FlyIo.Diagnostics;
using FlyIo.Json;
using FlyIo.Machines;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests.Deploy;

/// <summary>
/// Deploys as Fly releases: each FlyDeploy records one on api.fly.io (here the rehearsal's local API) before any
/// machine changes, its machines carry Fly's version and id, and FlyReleases lists them as `fly releases --image`
/// does, with FlyRelease items for CI. A release flyctl records in between takes its number in the same sequence.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class FlyReleasesTargetTests : BuildTestBase
{
    private static string Image(string tag) => $"{DeployRehearsal.Registry}:{tag}";

    [Test]
    public void TwoDeploys_AreReleasesV1AndV2_Complete_WithTheirImages_AndTheMachinesCarryFlysVersionAndId()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one").AssertSucceeded();
        var second = fly.Deploy("deployment-two", "-getProperty:FlyReleaseVersion", "-getProperty:FlyReleaseId").AssertSucceeded();

        var releases = fly.Dotnet("build", "-t:FlyReleases").AssertSucceeded();

        Assert.That(releases.Output, Does.Contain("WebApp -> flyio-sdk-sample: 2 release(s), newest first"));
        Assert.That(releases.Output, Does.Match(@"VERSION\s+STATUS\s+STRATEGY\s+IMAGE\s+CREATED"));
        Assert.That(Rows(releases), Is.EqualTo(new[]
        {
            $"v2 complete ROLLING {Image("deployment-two")}",
            $"v1 complete ROLLING {Image("deployment-one")}",
        }));
        Assert.That(releases.Output, Does.Match(@"v1\s+complete\s+ROLLING\s+\S+\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"), "created, in UTC");

        var items = Items(fly.Dotnet("build", "-t:FlyReleases", "-getItem:FlyRelease").AssertSucceeded(), "FlyRelease");
        Assert.That(items.Select(i => (i.GetString("Version"), i.GetString("Status"), i.GetString("Strategy"), i.GetString("Image"))), Is.EqualTo(new[]
        {
            ("2", "complete", "ROLLING", Image("deployment-two")),
            ("1", "complete", "ROLLING", Image("deployment-one")),
        }));
        Assert.That(items.Select(i => i.GetString("CreatedAt")), Has.All.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
        Assert.That(items.Select(i => i.GetString("Id")), Is.EqualTo(items.Select(i => i.GetString("Identity"))), "the item is the release's id");

        var properties = Properties(second);
        Assert.That(properties.GetString("FlyReleaseVersion"), Is.EqualTo("2"), "Fly's version");
        Assert.That(properties.GetString("FlyReleaseId"), Is.EqualTo(items[0].GetString("Id")), "Fly's id");
        Assert.That(fly.Machines().Select(m => (m.Image, m.Metadata("fly_release_version"), m.Metadata("fly_release_id"))),
            Has.All.EqualTo((Image("deployment-two"), "2", items[0].GetString("Id"))), "the numbers `fly secrets list` and `fly status` read from machines are Fly's");

        var newest = Items(fly.Dotnet("build", "-t:FlyReleases", "-p:FlyReleasesLimit=1", "-getItem:FlyRelease").AssertSucceeded(), "FlyRelease");
        Assert.That(newest.Select(i => i.GetString("Version")), Is.EqualTo(new[] { "2" }), "FlyReleasesLimit: the newest only");
        Assert.That(fly.Dotnet("build", "-t:FlyReleases", "-p:FlyReleasesLimit=none").AssertFailed().Single("FLY5024").Message, Does.Contain("FlyReleasesLimit"));
    }

    [Test]
    public void AReleaseFlyctlRecordsBetweenTwoDeploys_MakesTheNextDeployTakeTheNextNumber()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one").AssertSucceeded();

        // What `fly deploy` sends api.fly.io (internal/uiex/releases.go): the release, then its status.
        var created = (JsonReader.Parse(fly.Api.SendForBody(HttpMethod.Post, "api/v1/releases",
            $$"""{"app_name": "{{DeployRehearsal.App}}", "build_id": 0, "definition": {"app": "{{DeployRehearsal.App}}"}, "image": "{{Image("by-flyctl")}}", "strategy": "ROLLING"}"""))
            as JsonObject)!.GetObject("release")!;
        Assert.That(created.GetLong("version"), Is.EqualTo(2));
        fly.Api.Send(HttpMethod.Patch, "api/v1/releases/" + created.GetString("id"), """{"status": "complete", "metadata": null}""");

        var next = fly.Deploy("deployment-two", "-getProperty:FlyReleaseVersion", "-getProperty:FlyReleaseId").AssertSucceeded();

        Assert.That(Properties(next).GetString("FlyReleaseVersion"), Is.EqualTo("3"), "no divergence: the next number after flyctl's");
        Assert.That(fly.Machines().Select(m => m.Metadata("fly_release_version")), Has.All.EqualTo("3"));
        var listed = fly.Dotnet("build", "-t:FlyReleases").AssertSucceeded();
        Assert.That(Rows(listed), Is.EqualTo(new[]
        {
            $"v3 complete ROLLING {Image("deployment-two")}",
            $"v2 complete ROLLING {Image("by-flyctl")}",
            $"v1 complete ROLLING {Image("deployment-one")}",
        }));
    }

    [Test]
    public void ADeployWhoseHealthCheckFails_LeavesItsReleaseFailed()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one", "-p:FlyHighAvailability=false").AssertSucceeded();
        fly.Api.Send(HttpMethod.Post, "__admin/faults/rules", """{"kind": "check_fail", "image": "deployment-two", "error": "503 Service Unavailable"}""");

        var failed = fly.Deploy("deployment-two", "-p:FlyWaitTimeout=8s").AssertFailed();

        Assert.That(failed.Single("FLY5002").Message, Does.Contain("503 Service Unavailable").And.Contain("Rolled back automatically"));
        Assert.That(fly.Releases().Select(r => (r.Version, r.Status, r.ImageRef)), Is.EqualTo(new[]
        {
            (2, "failed", Image("deployment-two")),
            (1, "complete", Image("deployment-one")),
        }));
        Assert.That(fly.Machines().Select(m => (m.Image, m.Metadata("fly_release_version"))), Has.All.EqualTo((Image("deployment-one"), "1")), "rolled back to release v1");
        var listed = fly.Dotnet("build", "-t:FlyReleases").AssertSucceeded();
        Assert.That(Rows(listed), Is.EqualTo(new[] { $"v2 failed ROLLING {Image("deployment-two")}", $"v1 complete ROLLING {Image("deployment-one")}" }));
    }

    [Test]
    public void WhenTheReleasesEndpointFails_TheDeployIsFLY5030_BeforeAnyMachineChanged()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one").AssertSucceeded();
        var before = fly.Machines();
        fly.Api.Send(HttpMethod.Post, "__admin/faults/rules", """{"kind": "http_error", "endpoint": "release_create", "status": 503, "error": "releases are unavailable"}""");

        var result = fly.Deploy("deployment-two").AssertFailed();

        var error = result.Single(FlyCodes.ReleaseNotRecorded.Code);
        Assert.That(Path.GetFileName(error.File), Is.EqualTo("fly.toml"), "located on the app's fly.toml, as every deploy failure");
        Assert.That(error.Message, Does.Contain("releases are unavailable").And.Contain("Nothing was deployed: no machine was changed"));
        Assert.That(fly.Machines().Select(m => (m.Id, m.InstanceId, m.Image, m.Metadata("fly_release_version"))),
            Is.EqualTo(before.Select(m => (m.Id, m.InstanceId, m.Image, m.Metadata("fly_release_version")))));
        Assert.That(result.Output, Does.Not.Contain("FlyDeploy: Updated ").And.Not.Contain("FlyDeploy: deployed"));
        Assert.That(fly.Releases().Select(r => r.Version), Is.EqualTo(new[] { 1 }));

        // FlyReleases itself, when api.fly.io cannot list them.
        fly.Api.Send(HttpMethod.Post, "__admin/faults/rules", """{"kind": "http_error", "endpoint": "release_list", "status": 404, "error": "no such app here"}""");
        var listing = fly.Dotnet("build", "-t:FlyReleases").AssertFailed();
        Assert.That(listing.Single(FlyCodes.ReleasesNotRead.Code).Message, Does.Contain("no such app here"));
    }

    /// <summary>The table's rows (VERSION STATUS STRATEGY IMAGE), one space apart, without the CREATED column.</summary>
    private static string[] Rows(BuildResult result) => result.Output.Split('\n')
        .Select(line => System.Text.RegularExpressions.Regex.Split(line.Trim(), @"\s+"))
        .Where(cells => cells.Length == 5 && System.Text.RegularExpressions.Regex.IsMatch(cells[0], @"^v\d+$"))
        .Select(cells => string.Join(" ", cells.Take(4)))
        .ToArray();

    /// <summary>The properties two or more -getProperty switches print as JSON (one alone prints the bare value).</summary>
    private static JsonObject Properties(BuildResult result) =>
        ((JsonReader.Parse(result.Output.Substring(result.Output.IndexOf('{'))) as JsonObject)!["Properties"] as JsonObject)!;

    private static System.Collections.Generic.List<JsonObject> Items(BuildResult result, string name) =>
        (((JsonReader.Parse(result.Output.Substring(result.Output.IndexOf('{'))) as JsonObject)!["Items"] as JsonObject)![name] as JsonArray)!
            .Items.OfType<JsonObject>().ToList();
}
