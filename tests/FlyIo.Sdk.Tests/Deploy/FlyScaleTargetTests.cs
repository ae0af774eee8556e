using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using FlyIo.Json;
using FlyIo.Machines;
using FlyIo.Sdk.Tests.Deploy;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// FlyScale on a rehearsal deploy (the local Machines API): 2 → 3 (a clone of the group's config, started and
/// healthy) → 3 (nothing to do) → 1 (flyctl's picks: the region's first machines as the API lists them), a memory
/// change on every machine with the warning at fly.toml's [[vm]], and a group with a volume getting one per machine.
/// </summary>
[TestFixture]
public sealed class FlyScaleTargetTests : BuildTestBase
{
    [Test]
    public void ScaleTwoToThreeToOne_ThenMemory_UpdatesEveryMachine_AndWarnsAtFlyTomlsVm()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one").AssertSucceeded();
        var listedBefore = Listed(fly);
        Assert.That(listedBefore, Has.Count.EqualTo(2));

        var up = fly.Dotnet("build", "-t:FlyScale", "-p:FlyScaleCount=3").AssertSucceeded();
        Assert.That(up.Output, Does.Contain("scaling group 'app' (2 machine(s) now)").And.Contain("create"));
        var three = Listed(fly);
        var added = three.Single(m => !listedBefore.Any(b => b.Id == m.Id));
        var model = listedBefore.Last();
        Assert.That(added.State, Is.EqualTo("started"));
        Assert.That(added.Checks, Is.Not.Empty.And.All.Matches<MachineCheck>(c => c.Status == "passing"), "started and healthy");
        Assert.That(added.Image, Is.EqualTo(model.Image));
        foreach (var key in new[] { "fly_platform_version", "fly_process_group", "fly_release_id", "fly_release_version" })
        {
            Assert.That(added.Metadata(key), Is.EqualTo(model.Metadata(key)), key);
        }

        Assert.That(Text(added.Config.GetObject("guest")), Is.EqualTo(Text(model.Config.GetObject("guest"))));
        Assert.That(added.Region, Is.EqualTo(model.Region));

        var same = fly.Dotnet("build", "-t:FlyScale", "-p:FlyScaleCount=3").AssertSucceeded();
        Assert.That(same.Output, Does.Contain("already has 3 machine(s)").And.Contain("nothing to change"));
        Assert.That(Listed(fly).Select(m => (m.Id, m.InstanceId)), Is.EqualTo(three.Select(m => (m.Id, m.InstanceId))), "no machine changed");

        var down = fly.Dotnet("build", "-t:FlyScale", "-p:FlyScaleCount=1", "-getItem:FlyMachine").AssertSucceeded();
        var items = Items(down.Output);
        // flyctl destroys the region's first machines in the Machines API's order (the local API lists oldest first).
        Assert.That(Listed(fly).Select(m => m.Id), Is.EqualTo(new[] { three[2].Id }));
        Assert.That(items.Select(i => (i.GetString("Identity"), i.GetString("State"), i.GetString("Group"))), Is.EqualTo(new[] { (three[2].Id, "started", "app") }));

        var before = Listed(fly).Single();
        var memory = fly.Dotnet("build", "-t:FlyScale", "-p:FlyVmMemory=512").AssertSucceeded();
        var resized = Listed(fly).Single();
        Assert.That(resized.InstanceId, Is.Not.EqualTo(before.InstanceId), "updated, rolling");
        Assert.That(GuestConfig.FromApi(resized.Config).MemoryMb, Is.EqualTo(512));
        Assert.That(resized.Checks, Has.All.Matches<MachineCheck>(c => c.Status == "passing"));
        var warning = memory.Warnings.Single(w => w.Code == "FLY5038");
        var lines = fly.Project.Read("fly.toml").Split('\n');
        Assert.That((Path.GetFileName(warning.File), warning.Line), Is.EqualTo(("fly.toml", Array.FindIndex(lines, l => l.Contains("memory = \"256mb\"")) + 1)));
        Assert.That(warning.Message, Does.Contain("next FlyDeploy"));

        var badSize = fly.Dotnet("build", "-t:FlyScale", "-p:FlyVmSize=shared-cpu-3x").AssertFailed();
        Assert.That(badSize.Single("FLY5036").Message, Does.Contain("shared-cpu-3x").And.Contain("shared-cpu-2x"));
        var badMemory = fly.Dotnet("build", "-t:FlyScale", "-p:FlyVmMemory=300").AssertFailed();
        Assert.That(badMemory.Single("FLY5036").Message, Does.Contain("multiple of 256"));
        var badGroup = fly.Dotnet("build", "-t:FlyScale", "-p:FlyScaleCount=2", "-p:FlyProcessGroup=worker").AssertFailed();
        Assert.That(badGroup.Single("FLY5035").Message, Does.Contain("'worker'").And.Contain("'app'"));
        Assert.That(Listed(fly).Select(m => m.InstanceId), Is.EqualTo(new[] { resized.InstanceId }), "refused settings change nothing");
        Assert.That(up.Output + same.Output + down.Output + memory.Output, Does.Not.Contain(fly.Api.Token));
    }

    [Test]
    public void ScalingAGroupThatMountsAVolume_GivesEachNewMachineAVolumeLikeItsOwn()
    {
        using var fly = DeployRehearsal.Start();
        fly.Project.Write("fly.toml", fly.Project.Read("fly.toml") + "\n[[mounts]]\n  source = \"data\"\n  destination = \"/data\"\n  initial_size = \"2gb\"\n");
        fly.Deploy("deployment-one").AssertSucceeded();
        Assert.That(Listed(fly), Has.Count.EqualTo(1), "a group with a volume starts with one machine");

        fly.Dotnet("build", "-t:FlyScale", "-p:FlyScaleCount=3").AssertSucceeded();

        var machines = Listed(fly);
        var volumes = ((JsonArray)JsonReader.Parse(fly.Api.SendForBody(HttpMethod.Get, $"v1/apps/{DeployRehearsal.App}/volumes"))).Items.OfType<JsonObject>().ToList();
        Assert.That(machines, Has.Count.EqualTo(3));
        Assert.That(volumes, Has.Count.EqualTo(3));
        Assert.That(volumes.Select(v => (v.GetString("name"), v.GetLong("size_gb"), v.GetString("region"))).Distinct(), Is.EqualTo(new[] { ("data", (long?)2, machines[0].Region) }));
        var mounted = machines.Select(m => m.Config.GetObjects("mounts").Single().GetString("volume")).ToList();
        Assert.That(mounted, Is.Unique);
        Assert.That(volumes.Select(v => (v.GetString("id"), v.GetString("attached_machine_id"))),
            Is.EquivalentTo(machines.Select((m, i) => (mounted[i], (string?)m.Id))), "each machine on a volume of its own");
        Assert.That(machines, Has.All.Matches<Machine>(m => m.State == "started"));
    }

    [Test]
    public void ANewMachineThatCrashes_IsFLY5037_AndIsDestroyedAgain()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one").AssertSucceeded();
        var before = Listed(fly);
        fly.Api.Send(HttpMethod.Post, "__admin/faults/rules", "{\"kind\":\"start_fail\",\"process_group\":\"app\",\"exit_code\":3}");

        var result = fly.Dotnet("build", "-t:FlyScale", "-p:FlyScaleCount=3").AssertFailed();

        Assert.That(result.Single("FLY5037").Message, Does.Contain("exited with code 3").And.Contain("new machine(s) destroyed"));
        Assert.That(Listed(fly).Select(m => (m.Id, m.InstanceId, m.State)), Is.EqualTo(before.Select(m => (m.Id, m.InstanceId, m.State))), "no success, and the app as it was");
    }

    /// <summary>The app's machines deploys manage, in the local API's list order.</summary>
    internal static List<Machine> Listed(DeployRehearsal fly)
    {
        using var client = new MachinesApiClient(fly.Api.Url, FlyToken.FromValue(fly.Api.Token));
        return client.ListMachinesAsync(DeployRehearsal.App).GetAwaiter().GetResult().Where(m => m.IsManagedByDeploys && m.ProcessGroup == "app").ToList();
    }

    internal static List<JsonObject> Items(string output) =>
        ((((JsonReader.Parse(output.Substring(output.IndexOf('{'))) as JsonObject)!["Items"] as JsonObject)!["FlyMachine"] as JsonArray)!).Items.OfType<JsonObject>().ToList();

    private static string Text(JsonObject? o) => o is null ? "" : Js.Write(o);
}
