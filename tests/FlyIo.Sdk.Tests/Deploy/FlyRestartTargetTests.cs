using System.Linq;
using System.Net.Http;
using FlyIo.Machines;
using FlyIo.Sdk.Tests.Deploy;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// FlyRestart on a rehearsal deploy: every machine restarted one at a time, proven by a start event newer than the
/// restart (Fly keeps the instance_id), and healthy; a machine that fails its checks after the restart stops it with
/// FLY5039 naming it, and the machines after it are not touched.
/// </summary>
[TestFixture]
public sealed class FlyRestartTargetTests : BuildTestBase
{
    [Test]
    public void EveryMachine_IsRestarted_KeepsItsInstance_AndIsHealthy()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one", "-p:FlyMachineCount=3").AssertSucceeded();
        var before = FlyScaleTargetTests.Listed(fly);
        var lastStart = before.ToDictionary(m => m.Id, LastStart);

        var result = fly.Dotnet("build", "-t:FlyRestart", "-getItem:FlyMachine").AssertSucceeded();

        var after = FlyScaleTargetTests.Listed(fly);
        Assert.That(after.Select(m => (m.Id, m.InstanceId)), Is.EqualTo(before.Select(m => (m.Id, m.InstanceId))), "a restart keeps the machine and its instance");
        foreach (var m in after)
        {
            Assert.That(LastStart(m), Is.GreaterThan(lastStart[m.Id]), $"{m.Id} started again");
            Assert.That(m.State, Is.EqualTo("started"));
            Assert.That(m.Checks, Is.Not.Empty.And.All.Matches<MachineCheck>(c => c.Status == "passing"));
        }

        // One at a time, in list order: each started again after the one before it was back.
        var starts = after.Select(LastStart).ToList();
        Assert.That(starts, Is.Ordered.Ascending);
        Assert.That(FlyScaleTargetTests.Items(result.Output).Select(i => i.GetString("Identity")), Is.EquivalentTo(after.Select(m => m.Id)));
        Assert.That(result.Output, Does.Not.Contain(fly.Api.Token));
    }

    [Test]
    public void AMachineThatFailsItsChecksAfterTheRestart_IsFLY5039_AndLaterMachinesAreUntouched()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one", "-p:FlyMachineCount=3").AssertSucceeded();
        var before = FlyScaleTargetTests.Listed(fly);
        var lastStart = before.ToDictionary(m => m.Id, LastStart);
        fly.Api.Send(HttpMethod.Post, "__admin/faults/rules", $"{{\"kind\":\"check_fail\",\"machine\":\"{before[1].Id}\",\"error\":\"500 Internal Server Error\"}}");

        var result = fly.Dotnet("build", "-t:FlyRestart", "-p:FlyWaitTimeout=10s").AssertFailed();

        var error = result.Single("FLY5039");
        Assert.That(error.Message, Does.Contain($"Machine {before[1].Id}").And.Contain($"not restarted: {before[2].Id}"));
        var after = FlyScaleTargetTests.Listed(fly).ToDictionary(m => m.Id);
        Assert.That(LastStart(after[before[0].Id]), Is.GreaterThan(lastStart[before[0].Id]), "the first was restarted");
        Assert.That(LastStart(after[before[1].Id]), Is.GreaterThan(lastStart[before[1].Id]), "the second was restarted, and failed");
        Assert.That(LastStart(after[before[2].Id]), Is.EqualTo(lastStart[before[2].Id]), "the third was not touched");
        Assert.That(fly.LeaseIsFree(before[2].Id), Is.True, "every lease was given back");
    }

    /// <summary>The machine's newest start event, from its recent events as the list gives them.</summary>
    private static long LastStart(Machine m) => m.Events.Where(e => e.Type == "start").Select(e => e.Timestamp).DefaultIfEmpty(0).Max();
}
