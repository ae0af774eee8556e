using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using FlyIo.Json;
using FlyIo.Sdk.Tests.Deploy;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// FlySecrets on a deployed app (the local Machines API): list, stage (secrets change, machines do not), apply
/// (every machine updated to the new secrets version, rolling, healthy), unset; values never in any output.
/// </summary>
[TestFixture]
public sealed class FlySecretsTargetTests : BuildTestBase
{
    [Test]
    public void Stage_ChangesNoMachine_Apply_PutsEveryMachineOnANewInstance_AndUnsetRemoves()
    {
        using var fly = DeployRehearsal.Start();
        fly.Dotnet("publish", "-t:FlyDeploy", "-p:FlySkipImage=true", $"-p:FlyImage={DeployRehearsal.Registry}:deployment-one").AssertSucceeded();
        var before = Instances(fly);

        var empty = fly.Dotnet("build", "-t:FlySecrets").AssertSucceeded();
        Assert.That(empty.Output, Does.Contain("WebApp -> flyio-sdk-sample: 0 secret(s)"));

        fly.Project.Write("stage.env", "STRIPE_KEY=value-that-must-not-show-1\n");
        var staged = fly.Dotnet("build", "-t:FlySecrets", "-p:FlySecretsUpdate=stage", "-p:FlySecretsFile=stage.env").AssertSucceeded();
        Assert.That(staged.Output, Does.Contain("Secrets updated: STRIPE_KEY").And.Contain("staged"));
        Assert.That(staged.Output, Does.Contain("flyio-sdk-sample: 1 secret(s)"));
        Assert.That(Instances(fly), Is.EqualTo(before), "staged: no machine changed");

        fly.Project.Write("apply.env", "MAIL_PASSWORD=value-that-must-not-show-2\n");
        var applied = fly.Dotnet("build", "-t:FlySecrets", "-p:FlySecretsUpdate=apply", "-p:FlySecretsFile=apply.env", "-getItem:FlyAppSecret").AssertSucceeded();
        var items = (((JsonReader.Parse(applied.Output.Substring(applied.Output.IndexOf('{'))) as JsonObject)!["Items"] as JsonObject)!["FlyAppSecret"] as JsonArray)!
            .Items.OfType<JsonObject>().Select(i => i.GetString("Identity")).ToList();
        Assert.That(items, Is.EqualTo(new[] { "MAIL_PASSWORD", "STRIPE_KEY" }));
        var after = Instances(fly);
        Assert.That(after.Keys, Is.EquivalentTo(before.Keys), "the same machines");
        Assert.That(after.Where(kv => before[kv.Key] == kv.Value), Is.Empty, "applied: every machine runs a new instance");
        foreach (var machine in Machines(fly))
        {
            Assert.That(machine.GetString("state"), Is.EqualTo("started"));
        }

        // A Fly release, as `fly secrets set` records one: of the image the machines run, written into each machine.
        Assert.That(fly.Releases().Select(r => (r.Version, r.Status, r.ImageRef)), Is.EqualTo(new[]
        {
            (2, "complete", $"{DeployRehearsal.Registry}:deployment-one"), (1, "complete", $"{DeployRehearsal.Registry}:deployment-one"),
        }));
        Assert.That(fly.Machines().Select(m => m.Metadata("fly_release_version")), Has.All.EqualTo("2"));

        var unset = fly.Dotnet("build", "-t:FlySecrets", "-p:FlySecretsUpdate=stage", "-p:FlyUnsetSecret=STRIPE_KEY").AssertSucceeded();
        Assert.That(unset.Output, Does.Contain("flyio-sdk-sample: 1 secret(s)").And.Contain("MAIL_PASSWORD").And.Not.Contain("STRIPE_KEY  "));

        var all = empty.Output + staged.Output + applied.Output + unset.Output;
        Assert.That(all, Does.Not.Contain("value-that-must-not-show"), "values never reach the log");
        Assert.That(all, Does.Not.Contain(fly.Api.Token));
    }

    [Test]
    public void AnUpdateWithNothingToSet_OrAnUnknownMode_IsRefused()
    {
        using var fly = DeployRehearsal.Start();
        var nothing = fly.Dotnet("build", "-t:FlySecrets", "-p:FlySecretsUpdate=apply").AssertFailed();
        Assert.That(nothing.Single("FLY5024").Message, Does.Contain("nothing to set or unset"));
        var unknown = fly.Dotnet("build", "-t:FlySecrets", "-p:FlySecretsUpdate=now").AssertFailed();
        Assert.That(unknown.Single("FLY5024").Message, Does.Contain("stage or apply"));
    }

    private static List<JsonObject> Machines(DeployRehearsal fly) =>
        ((JsonArray)JsonReader.Parse(fly.Api.SendForBody(HttpMethod.Get, "v1/apps/flyio-sdk-sample/machines"))).Items.OfType<JsonObject>().ToList();

    private static Dictionary<string, string> Instances(DeployRehearsal fly) =>
        Machines(fly).ToDictionary(m => m.GetString("id")!, m => m.GetString("instance_id")!);
}
