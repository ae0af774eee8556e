using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FlyIo.Diagnostics;
using FlyIo.Machines;
using NUnit.Framework;

namespace FlyIo.Deploy.Tests;

/// <summary>
/// The Fly release every deploy, secrets apply and rollback records on api.fly.io (here the local Machines API's
/// /api/v1/releases), and what happens when api.fly.io fails: before any machine changed, or at the very end.
/// </summary>
[TestFixture]
public sealed class FlyReleaseRecordTests
{
    private const string V1 = "registry.fly.io/app:deployment-v1";
    private const string V2 = "registry.fly.io/app:deployment-v2";

    private static async Task<IReadOnlyList<FlyRelease>> ReleasesAsync(LocalApi api, string app)
    {
        using var client = api.Client();
        return (await client.ListReleasesAsync(app)).OrderBy(r => r.Version).ToList();
    }

    [Test]
    public async Task Deploys_secrets_applies_and_rollbacks_each_record_a_release_with_Flys_numbers_in_the_machines()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("releases");
        var first = await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 2);
        var second = await api.DeployAsync(LocalApi.Toml(app), V2);

        using var client = api.Client();
        var engine = new DeployEngine(client, FlyAppConfig.Parse(LocalApi.Toml(app)), api.Options(app));
        var secrets = await engine.UpdateSecretsAsync(new Dictionary<string, string?> { ["API_KEY"] = "k" }, apply: true);
        var afterSecrets = await api.MachinesAsync(app);
        var rollback = await engine.RollbackAsync();

        var releases = await ReleasesAsync(api, app);
        Assert.That(releases.Select(r => (r.Version, r.Status, r.ImageRef, r.Strategy)), Is.EqualTo(new[]
        {
            (1, "complete", V1, "ROLLING"), (2, "complete", V2, "ROLLING"), (3, "complete", V2, "ROLLING"), (4, "complete", V1, "ROLLING"),
        }), "deploy, deploy, secrets apply (the image the machines run), rollback (the previous image)");
        Assert.That(new[] { first.ReleaseVersion, second.ReleaseVersion, secrets!.ReleaseVersion, rollback.ReleaseVersion }, Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(new[] { first.ReleaseId, second.ReleaseId, secrets.ReleaseId, rollback.ReleaseId }, Is.EqualTo(releases.Select(r => r.Id)));
        Assert.That(afterSecrets.Select(m => (m.Image, m.Metadata("fly_release_version"), m.Metadata("fly_release_id"))), Is.All.EqualTo((V2, "3", releases[2].Id)),
            "a secrets apply writes its release into every machine, as flyctl's restart does");
        Assert.That((await api.MachinesAsync(app)).Select(m => (m.Image, m.Metadata("fly_release_version"), m.Metadata("fly_release_id"))), Is.All.EqualTo((V1, "4", releases[3].Id)));
        Assert.That(releases.Select(r => r.User), Is.All.EqualTo("local@tokens.fly.io"));
        api.AssertTokenNeverShown();
    }

    [Test]
    public async Task A_release_recorded_by_flyctl_in_between_makes_the_next_deploy_take_the_next_number()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("mixed");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 1);
        using (var client = api.Client())
        {
            // What `fly deploy` records (then its machines would carry v2).
            var flyctl = await client.CreateReleaseAsync(new CreateReleaseRequest(app, "registry.fly.io/app:by-flyctl", "ROLLING", null));
            await client.UpdateReleaseAsync(flyctl.Id, "complete", null);
        }

        var result = await api.DeployAsync(LocalApi.Toml(app), V2);

        Assert.That(result.ReleaseVersion, Is.EqualTo(3));
        Assert.That((await api.MachinesAsync(app)).Select(m => m.Metadata("fly_release_version")), Is.All.EqualTo("3"));
    }

    [Test]
    public async Task When_Fly_cannot_record_the_release_the_deploy_is_FLY5030_and_nothing_changes()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("norecord");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 2);
        var before = await api.MachinesAsync(app);
        await api.SetFaultsAsync("""{"seed": 1, "rules": [{"kind": "http_error", "endpoint": "release_create", "status": 503, "error": "releases are down"}]}""");

        var e = await api.DeployFailsAsync(LocalApi.Toml(app), V2, o => o.Secrets = new Dictionary<string, string?> { ["NEW_SECRET"] = "v" });

        Assert.That(e.Code, Is.EqualTo(FlyCodes.ReleaseNotRecorded.Code));
        Assert.That(e.Message, Does.Contain("releases are down").And.Contain("no machine was changed"));
        var after = await api.MachinesAsync(app);
        Assert.That(after.Select(m => (m.Id, m.InstanceId, m.Image)), Is.EqualTo(before.Select(m => (m.Id, m.InstanceId, m.Image))));
        using var client = api.Client();
        Assert.That(await client.GetSecretNamesAsync(app), Does.Not.Contain("NEW_SECRET"), "not even the secrets were set");
        await api.ClearFaultsAsync();
        Assert.That((await ReleasesAsync(api, app)).Select(r => r.Version), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public async Task When_Fly_cannot_mark_the_release_running_the_deploy_is_FLY5030_and_the_release_failed()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("norunning");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 1);
        var before = await api.MachinesAsync(app);
        await api.SetFaultsAsync("""{"seed": 1, "rules": [{"kind": "http_error", "endpoint": "release_update", "status": 422, "error": "no", "count": 1}]}""");

        var e = await api.DeployFailsAsync(LocalApi.Toml(app), V2);

        Assert.That(e.Code, Is.EqualTo(FlyCodes.ReleaseNotRecorded.Code));
        Assert.That(e.Message, Does.Contain("release v2").And.Contain("did not mark it running").And.Contain("marked failed"));
        Assert.That((await api.MachinesAsync(app)).Select(m => m.InstanceId), Is.EqualTo(before.Select(m => m.InstanceId)));
        Assert.That((await ReleasesAsync(api, app)).Select(r => (r.Version, r.Status)), Is.EqualTo(new[] { (1, "complete"), (2, "failed") }));
    }

    [Test]
    public async Task When_Fly_cannot_record_the_final_status_the_deploy_is_FLY5031_naming_the_release()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("nofinal");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 1);
        // "running" goes through; every later update fails, retries included.
        await api.SetFaultsAsync("""{"seed": 1, "rules": [{"kind": "http_error", "endpoint": "release_update", "status": 502, "error": "bad gateway", "skip": 1}]}""");

        var e = await api.DeployFailsAsync(LocalApi.Toml(app), V2);

        Assert.That(e.Code, Is.EqualTo(FlyCodes.ReleaseStatusNotRecorded.Code));
        var release = (await ReleasesAsync(api, app)).Last();
        Assert.That((release.Version, release.Status), Is.EqualTo((2, "running")));
        Assert.That(e.Message, Does.Contain($"release v2 ({release.Id}) could not be marked complete").And.Contain("bad gateway"));
        Assert.That(e.Result!.Machines.Select(m => (m.Image, m.ReleaseVersion)), Is.All.EqualTo((V2, "2")), "the machines run the new version: the failure says so");
        Assert.That(api.Output, Has.Some.Contains("retrying"), "the update was retried before giving up");
    }

    [Test]
    public async Task A_deploy_whose_machine_never_gets_healthy_leaves_its_release_failed()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("unhealthy");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 1);
        await api.SetFaultsAsync("""{"seed": 1, "rules": [{"kind": "start_fail", "image": "deployment-v2", "exit_code": 1}]}""");

        var e = await api.DeployFailsAsync(LocalApi.Toml(app), V2);

        Assert.That(e.Code, Is.EqualTo(FlyCodes.MachineUnhealthy.Code));
        Assert.That((await ReleasesAsync(api, app)).Select(r => (r.Version, r.Status)), Is.EqualTo(new[] { (1, "complete"), (2, "failed") }));
        Assert.That((await api.MachinesAsync(app)).Select(m => (m.Image, m.Metadata("fly_release_version"))), Is.All.EqualTo((V1, "1")), "rolled back");
    }
}
