using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using FlyIo.Json;
using FlyIo.Machines;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// An API that keeps its state on a volume at /data, deployed for real: production from fly.toml (rolling) and
/// staging from fly.staging.toml (immediate), each app with a volume of its own. What the app writes to /data outlives
/// a redeploy and a rollback, because the machine keeps its volume and the local Machines API mounts a real directory.
/// </summary>
public sealed partial class StandaloneDeployTests
{
    [Test]
    public void FlyDeploy_OfAnApiWithAVolume_KeepsItsDataAcrossARedeployAndARollback_AndStagingHasAVolumeOfItsOwn()
    {
        var project = Sample("VolumeApp").AsRepositoryRoot();
        project.Write("Dockerfile", project.Read("Dockerfile").Replace("FROM debian:bookworm-slim", $"FROM debian:{HostImages.DebianSuite}-slim"));
        var app = "vol-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        project.Write("fly.toml", project.Read("fly.toml").Replace("app = \"flyio-sdk-volume-sample\"", $"app = \"{app}\""));
        project.Write("fly.staging.toml", project.Read("fly.staging.toml").Replace("app = \"flyio-sdk-volume-sample-staging\"", $"app = \"{app}-staging\""));

        BuildResult Run(params string[] arguments) => DotNet.Run(project.Directory, new Dictionary<string, string?> { ["FLY_API_TOKEN"] = _registry.Password },
            arguments.Concat(new[] { "-p:FlyApiUrl=" + _api.Url, "-p:FlyRegistry=" + _registry.Address, "-p:FlyRegistryMirror=docker.io=" + _registry.Address,
                "-p:FlyImageBuilder=buildah", "-p:FlySmokeCheckWindow=3s" }).ToArray());

        var first = Run("publish", "-t:FlyDeploy").AssertSucceeded();
        Assert.That(first.Output, Does.Contain($"deployed {app} release v1").And.Contain("Created volume vol_"));
        Post(app, "/notes", "kept on the volume");

        project.Write("fly.toml", project.Read("fly.toml").Replace("GREETING = \"hello\"", "GREETING = \"hello again\""));
        Run("publish", "-t:FlyDeploy").AssertSucceeded();
        Assert.That(Get(app, "/release"), Does.StartWith("hello again "), "the redeploy is in service");
        Assert.That(Get(app, "/notes"), Is.EqualTo("kept on the volume\n"), "the redeploy kept the machine on its volume");

        Run("build", "-t:FlyRollback").AssertSucceeded();
        Assert.That(Get(app, "/release"), Does.StartWith("hello "), "the rollback is in service");
        Assert.That(Get(app, "/release"), Does.Not.StartWith("hello again"));
        Assert.That(Get(app, "/notes"), Is.EqualTo("kept on the volume\n"), "the rollback kept the machine on its volume");

        var staging = Run("publish", "-t:FlyDeploy", "-p:FlyConfigFile=fly.staging.toml").AssertSucceeded();
        Assert.That(staging.Output, Does.Contain($"deployed {app}-staging release v1"));
        Assert.That(Get(app + "-staging", "/notes"), Is.Empty, "staging has a volume of its own");
        Post(app + "-staging", "/notes", "staging only");
        Assert.That(Get(app, "/notes"), Is.EqualTo("kept on the volume\n"));

        Assert.That(Volumes(app).Select(v => (v.GetString("name"), v.GetLong("snapshot_retention"))), Is.EqualTo(new[] { ("notes", (long?)7) }));
        Assert.That(Volumes(app + "-staging").Select(v => v.GetString("name")), Is.EqualTo(new[] { "staging_notes" }));
        // FlyVolumes: what `fly volumes list` shows, in the log and as items for CI.
        var list = Run("build", "-t:FlyVolumes", "-getItem:FlyVolume").AssertSucceeded();
        var volume = Volumes(app).Single();
        var item = (((JsonReader.Parse(list.Output.Substring(list.Output.IndexOf('{'))) as JsonObject)!["Items"] as JsonObject)!["FlyVolume"] as JsonArray)!.Items.OfType<JsonObject>().Single();
        Assert.That((item.GetString("Identity"), item.GetString("Name"), item.GetString("SizeGb"), item.GetString("AttachedMachine")),
            Is.EqualTo((volume.GetString("id"), "notes", volume.GetLong("size_gb")!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), volume.GetString("attached_machine_id"))));
        var table = Run("build", "-t:FlyVolumes").AssertSucceeded();
        Assert.That(table.Output, Does.Contain($" -> {app}: 1 volume(s)"));
        Assert.That(table.Output, Does.Contain(volume.GetString("attached_machine_id")!));
        Assert.That(first.Output + staging.Output + list.Output + table.Output, Does.Not.Contain(_registry.Password));
    }

    private List<JsonObject> Volumes(string app) =>
        ((JsonArray)JsonReader.Parse(_api.SendForBody(HttpMethod.Get, $"v1/apps/{app}/volumes"))).Items.OfType<JsonObject>().ToList();

    private void Post(string app, string path, string body)
    {
        var proxy = _api.ProxyUrl(app);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = http.PostAsync(proxy + path, new StringContent(body, Encoding.UTF8, "text/plain")).GetAwaiter().GetResult();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }
}
