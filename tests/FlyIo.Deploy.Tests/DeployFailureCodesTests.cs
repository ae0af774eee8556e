using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Diagnostics;
using FlyIo.Machines;
using NUnit.Framework;

namespace FlyIo.Deploy.Tests;

/// <summary>The deploy's failure codes, each raised by a real fault of the local Machines API.</summary>
[TestFixture]
public sealed class DeployFailureCodesTests
{
    private const string V1 = "registry.fly.io/app:deployment-v1";
    private const string V2 = "registry.fly.io/app:deployment-v2";

    private static string Rule(string json) => "{\"seed\": 1, \"rules\": [" + json + "]}";

    [Test]
    public async Task An_api_error_the_deploy_cannot_retry_is_FLY5011_and_changes_nothing()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("apifail");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 2);
        await api.SetFaultsAsync(Rule("{\"kind\": \"http_error\", \"endpoint\": \"machine_update\", \"status\": 422, \"error\": \"invalid config\", \"count\": 1}"));
        var e = await api.DeployFailsAsync(LocalApi.Toml(app), V2);
        Assert.That(e.Code, Is.EqualTo(FlyCodes.DeployApiFailed.Code));
        Assert.That(e.Message, Does.Contain("invalid config"));
        Assert.That((await api.MachinesAsync(app)).Select(m => m.Image), Is.All.EqualTo(V1));
    }

    [Test]
    public async Task A_rollback_that_cannot_restore_a_machine_is_FLY5006_and_says_which()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("rbfail");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 1);
        var id = (await api.MachinesAsync(app)).Single().Id;
        // The new version never starts, and the update that would put the old one back is refused.
        await api.SetFaultsAsync("""
            {"seed": 1, "rules": [
              {"kind": "start_fail", "image": "deployment-v2", "exit_code": 1},
              {"kind": "http_error", "endpoint": "machine_update", "status": 422, "error": "refused", "skip": 1}
            ]}
            """);
        var e = await api.DeployFailsAsync(LocalApi.Toml(app), V2);
        Assert.That(e.Code, Is.EqualTo(FlyCodes.RollbackIncomplete.Code));
        Assert.That(e.Message, Does.Contain("rollback INCOMPLETE").And.Contain(id));
        Assert.That((await api.MachinesAsync(app)).Single().Image, Is.EqualTo(V2), "reported as it is: the machine still has the new version");
    }

    [Test]
    public async Task Rolling_back_an_app_with_one_release_is_FLY5010()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("norelease");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 1);
        using var client = api.Client();
        var engine = new DeployEngine(client, FlyAppConfig.Parse(LocalApi.Toml(app)), api.Options(app));
        var e = Assert.ThrowsAsync<DeployException>(() => engine.RollbackAsync());
        Assert.That(e!.Code, Is.EqualTo(FlyCodes.NoPreviousRelease.Code));
        Assert.That((await api.MachinesAsync(app)).Single().Image, Is.EqualTo(V1));
    }

    [Test]
    public async Task A_machine_changed_by_someone_else_while_the_deploy_waits_is_FLY5009()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("wrongver");
        // Reads of one machine are slow, so the other deployer's update lands before the deploy's first look.
        await api.SetFaultsAsync(Rule("{\"kind\": \"latency\", \"endpoint\": \"machine_get\", \"delay_ms\": 1500}"));
        using var other = api.Client();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var otherDeployer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // The app itself appears only once the deploy has created it.
                var machines = await other.ListMachinesAsync(app, null, stop.Token).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
                if (machines?.FirstOrDefault() is { } m)
                {
                    var config = Js.Clone(m.Config);
                    config.Set("image", V2);
                    await other.UpdateMachineAsync(app, m.Id, new UpdateMachineRequest(config), null, stop.Token);
                    return;
                }

                await Task.Delay(20, stop.Token);
            }
        });
        var e = await api.DeployFailsAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 1);
        await otherDeployer;
        Assert.That(e.Code, Is.EqualTo(FlyCodes.MachineWrongVersion.Code));
        Assert.That(e.Message, Does.Contain("did not keep the new version"));
    }
}
