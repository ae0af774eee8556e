using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using FlyIo.Json;
using FlyIo.Machines;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// A real rolling deploy of the sample web app to four machines: the second version's update phase, as the deploy
/// reports it, against the rolling floor (<see cref="DeployFloor"/>) computed from what this run measured: the time
/// one API call takes, and the time the Machines API took from each machine's update to its new instance started,
/// read from the machines' own events. The report is printed whether the figure passes or not.
/// </summary>
[TestFixture]
public sealed class RealRollingDeployTests : BuildTestBase
{
    /// <summary>Issue: a real 4-machine rolling deploy within 1.3× its floor.</summary>
    private const double MostOverFloor = 1.3;

    /// <summary>The deploy's default FlySmokeCheckWindow; the sample does not change it.</summary>
    private static readonly TimeSpan Smoke = TimeSpan.FromSeconds(10);

    [Test]
    public void RollingDeployOfFourMachines_UpdatesWithin1Point3TimesTheFloor_UnpackingEachImageOnce()
    {
        using var sample = RealSample.Start("172.19");
        Assert.That(sample.Project.Read("fly.toml"), Does.Contain("max_unavailable = 0.5"), "the sample's pool size, which the floor below uses");
        sample.Deploy("publish", "-p:PublishProfile=Fly", "-p:FlyMachineCount=4");
        var v1 = sample.Machines();
        Assert.That(v1.Select(m => m.State).ToList(), Has.Count.EqualTo(4).And.All.EqualTo("started"), "four machines run the first version");

        // A new version: the app answers differently, so its image (and the image's digest) is new.
        sample.Project.Write("Program.cs", sample.Project.Read("Program.cs").Replace(RealSample.Greeting, RealSample.Greeting + " v2"));
        var result = sample.Deploy("publish", "-p:PublishProfile=Fly");

        Assert.That(result.Output, Does.Contain($"deployed {sample.App} release v2"));
        Assert.That(result.Output, Does.Contain("0 created, 4 updated, 0 destroyed (rolling)"));
        var v2 = sample.Machines();
        Assert.That(v2.Select(m => m.Id), Is.EqualTo(v1.Select(m => m.Id)), "the same four machines, updated in place");
        Assert.That(v2.Select(m => m.State), Has.All.EqualTo("started"));
        Assert.That(v2.Select(m => m.Image).Distinct().Single(), Is.Not.EqualTo(v1[0].Image), "every machine runs the new image");
        Assert.That(sample.Answer(), Is.EqualTo(RealSample.Greeting + " v2"));

        var update = UpdatePhase(result.Output);
        var starts = v2.ToDictionary(m => m.Id, UpdateToStarted);
        var call = sample.CallTime();
        // The fastest start this run saw, for every machine: the strictest floor the measurements allow.
        var floor = new DeployFloor(call, starts.Values.Min(), Smoke, MaxUnavailable: 0.5, MaxConcurrent: 8).For("rolling", 4);
        var ratio = update.TotalSeconds / floor.TotalSeconds;
        var unpacks = (JsonReader.Parse(sample.Api.SendForBody(HttpMethod.Get, "__admin/rootfs-cache")) as JsonObject)!["unpacks"] as JsonNumber;

        // The first machine is updated alone, so its launch unpacked the new image; the other three launched from the cache.
        var first = v2[0].Id;
        var fromCache = starts.Where(s => s.Key != first).Select(s => s.Value).OrderBy(t => t).ToList();
        TestContext.Progress.WriteLine(string.Join(Environment.NewLine, new[]
        {
            "real rolling deploy of the sample web app, 4 machines, max_unavailable 0.5, smoke window 10 s:",
            $"  update phase            {Seconds(update)}",
            $"  floor                   {Seconds(floor)}  (one call {call.TotalMilliseconds:0.0} ms; fastest update-to-started {Seconds(starts.Values.Min())})",
            $"  ratio                   {ratio:0.00} (at most {MostOverFloor:0.0})",
            $"  update-to-started       {string.Join(", ", starts.Select(s => $"{s.Key} {Seconds(s.Value)}"))}",
            $"  launch, image unpacked  {Seconds(starts[first])} ({first}, the first on the new image)",
            $"  launch, from the cache  {Seconds(fromCache[fromCache.Count / 2])} median of {fromCache.Count} ({fromCache[fromCache.Count / 2].TotalSeconds / starts[first].TotalSeconds:0.00}x)",
            $"  image unpacks           {unpacks?.Text} for 8 launches of 2 images",
        }));

        Assert.That(unpacks?.Text, Is.EqualTo("2"), "each image was unpacked once, not once per machine launch");
        Assert.That(ratio, Is.LessThanOrEqualTo(MostOverFloor), "the update phase against its floor (report above)");
    }

    /// <summary>The update phase as the deploy's summary reports it ("phases: … update 31.2s").</summary>
    private static TimeSpan UpdatePhase(string output)
    {
        var match = Regex.Match(output, @"phases:.*\bupdate (\d+\.\d)s");
        Assert.That(match.Success, Is.True, "the deploy's summary names the update phase");
        return TimeSpan.FromSeconds(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>From a machine's newest update event to the start of its new instance, as its events record them.</summary>
    private static TimeSpan UpdateToStarted(Machine m)
    {
        var updated = m.Events.Where(e => e.Type == "update").Max(e => e.Timestamp);
        var started = m.Events.Where(e => e.Type == "start" && e.Status == "started" && e.Timestamp >= updated).Min(e => e.Timestamp);
        return TimeSpan.FromMilliseconds(started - updated);
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";
}
