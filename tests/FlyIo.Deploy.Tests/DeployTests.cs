using FlyIo.Testing;
using NUnit.Framework;
using FlyIo.Diagnostics;
using FlyIo.Deploy;
using FlyIo.Machines;

namespace FlyIo.Deploy.Tests;

[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class DeployTests
{
    private const string V1 = "registry.fly.io/app:deployment-v1";
    private const string V2 = "registry.fly.io/app:deployment-v2";

    private static string Rule(string json) => "{\"seed\": 1, \"rules\": [" + json + "]}";

    [Test]
    public async Task First_deploy_creates_app_ips_and_machines_with_release_metadata_and_secrets()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("first");
        var result = await api.DeployAsync(LocalApi.Toml(app), V1, o =>
        {
            o.MachineCount = 2;
            o.NewMachineRegions = new[] { "iad", "ams" };
            o.Secrets = new Dictionary<string, string?> { ["DB_PASSWORD"] = "s3cret-value-" + api.Token.Substring(10, 4) };
        });

        Assert.That(result.Created, Has.Count.EqualTo(2));
        Assert.That(result.ReleaseVersion, Is.EqualTo(1));
        Assert.That(result.Url, Is.EqualTo($"https://{app}.fly.dev"));
        Assert.That(result.Phases.Select(p => p.Phase), Does.Contain("ips").And.Contain("secrets").And.Contain("machines"));
        using var client = api.Client();
        Assert.That(await client.GetAppAsync(app), Is.Not.Null);
        var ips = await client.ListIpAssignmentsAsync(app);
        Assert.That(ips, Has.Count.EqualTo(2), "v6 + shared_v4");
        Assert.That(await client.GetSecretNamesAsync(app), Does.Contain("DB_PASSWORD"));
        var machines = await api.MachinesAsync(app);
        Assert.That(machines.Select(m => m.Region).OrderBy(r => r), Is.EqualTo(new[] { "ams", "iad" }));
        foreach (var m in machines)
        {
            Assert.That(m.State, Is.EqualTo("started"));
            Assert.That(m.Image, Is.EqualTo(V1));
            Assert.That(m.Metadata("fly_platform_version"), Is.EqualTo("v2"));
            Assert.That(m.Metadata("fly_process_group"), Is.EqualTo("app"));
            Assert.That(m.Metadata("fly_release_version"), Is.EqualTo("1"));
            Assert.That(m.Metadata("fly_release_id"), Is.Not.Empty);
            Assert.That(m.Config.GetObject("env")!.GetString("GREETING"), Is.EqualTo("hello"));
            Assert.That(m.Config.GetObjects("services").Single().GetObjects("ports").Select(p => p.GetLong("port")), Is.EqualTo(new long?[] { 80, 443 }));
            Assert.That(m.Config.GetObject("checks")!.GetObject("alive")!.GetString("interval"), Is.EqualTo("1s"));
        }
        var all = string.Join("\n", api.Output);
        Assert.That(all, Does.Not.Contain("s3cret-value"), "secret values are never logged");
        api.AssertTokenNeverShown();
    }

    [Test]
    public async Task Rolling_deploy_of_four_machines_ends_all_on_the_new_version_and_release()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("rolling");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 4);
        var before = (await api.MachinesAsync(app)).ToDictionary(m => m.Id, m => m.InstanceId);
        var result = await api.DeployAsync(LocalApi.Toml(app), V2);
        Assert.That(result.Updated, Has.Count.EqualTo(4));
        Assert.That(result.ReleaseVersion, Is.EqualTo(2));
        Assert.That((await api.MachinesAsync(app)).Select(m => m.Metadata("fly_secrets")), Is.All.Null, "deploys that set no secrets keep no ledger");
        var after = await api.MachinesAsync(app);
        Assert.That(after, Has.Count.EqualTo(4));
        Assert.That(after.Select(m => m.Image), Is.All.EqualTo(V2));
        Assert.That(after.Select(m => m.State), Is.All.EqualTo("started"));
        Assert.That(after.Select(m => m.Metadata("fly_release_version")), Is.All.EqualTo("2"));
        Assert.That(after.Select(m => before[m.Id] != m.InstanceId), Is.All.True, "every machine got a new instance");
        Assert.That(await api.LeasedMachinesAsync(app), Is.Empty);
        // The first started machine goes alone: its "Updated" line comes before the others.
        var updates = api.Output.Where(l => l.StartsWith("Updated ", StringComparison.Ordinal)).ToList();
        Assert.That(updates, Has.Count.EqualTo(4));
        Assert.That(updates[0], Does.Contain(after.OrderBy(m => m.Id, StringComparer.Ordinal).First().Id));
        api.AssertTokenNeverShown();
    }

    [Test]
    public async Task Release_command_success_runs_before_machines_and_failure_changes_no_machine()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("release");
        var toml = LocalApi.Toml(app, "[deploy]\n  release_command = \"migrate --to 'latest version'\"\n");
        var ok = await api.DeployAsync(toml, V1, o => o.MachineCount = 2);
        Assert.That(ok.ReleaseCommandExitCode, Is.EqualTo(0));
        using (var client = api.Client())
        {
            var all = await client.ListMachinesAsync(app, new MachineListFilter { IncludeDeleted = true, Metadata = { ["fly_process_group"] = DeployEngine.ReleaseCommandGroup } });
            var rc = all.Single();
            Assert.That(rc.State, Is.EqualTo("destroyed"), "auto_destroy");
            Assert.That(rc.Config.GetObject("init")!["cmd"] is FlyIo.Json.JsonArray cmd ? cmd.Items.Cast<FlyIo.Json.JsonString>().Select(s => s.Value) : null,
                Is.EqualTo(new[] { "migrate", "--to", "latest version" }));
            Assert.That(rc.Config.GetObject("restart")!.GetString("policy"), Is.EqualTo("no"));
            Assert.That(rc.Config.GetObject("dns")!.GetBool("skip_registration"), Is.True);
            var env = rc.Config.GetObject("env")!;
            Assert.That(env.GetString("RELEASE_COMMAND"), Is.EqualTo("1"));
            Assert.That(env.GetString("FLY_PROCESS_GROUP"), Is.EqualTo(DeployEngine.ReleaseCommandGroup));
            Assert.That(env.GetString("PRIMARY_REGION"), Is.EqualTo("iad"));
            Assert.That(env.GetString("GREETING"), Is.EqualTo("hello"));
            Assert.That(rc.Config.GetObject("guest")!.GetLong("memory_mb"), Is.EqualTo(512), "no app machine yet: shared-cpu-2x");
        }

        var before = (await api.MachinesAsync(app)).Where(m => m.ProcessGroup == "app").ToDictionary(m => m.Id, m => m.InstanceId);
        await api.SetFaultsAsync(Rule("{\"kind\": \"exit\", \"process_group\": \"fly_app_release_command\", \"delay_ms\": 100, \"exit_code\": 3}"));
        var e = await api.DeployFailsAsync(toml, V2);
        Assert.That(e.Code, Is.EqualTo(FlyCodes.ReleaseCommandFailed.Code));
        Assert.That(e.Message, Does.Contain("exited with code 3").And.Contain("No app machine was changed"));
        Assert.That(e.LogTail, Does.Contain("log line(s) of machine").And.Contain("Main child exited normally with code: 3"),
            "the release machine's last log lines, read from the logs API");
        var after = (await api.MachinesAsync(app)).Where(m => m.ProcessGroup == "app").ToList();
        Assert.That(after.Select(m => m.Image), Is.All.EqualTo(V1));
        Assert.That(after.ToDictionary(m => m.Id, m => m.InstanceId), Is.EqualTo(before));
        using (var client = api.Client())
        {
            var second = (await client.ListMachinesAsync(app, new MachineListFilter { IncludeDeleted = true, Metadata = { ["fly_release_version"] = "2" } })).Single();
            Assert.That(second.ProcessGroup, Is.EqualTo(DeployEngine.ReleaseCommandGroup));
            Assert.That(second.Config.GetObject("guest")!.GetLong("memory_mb"), Is.EqualTo(256), "the largest app machine's guest (shared-cpu-1x)");
        }

        api.AssertTokenNeverShown();
    }

    [Test]
    public async Task Secrets_are_sent_only_when_changed_and_an_aborted_deploy_leaves_them_as_they_were()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("secrets");
        var toml = LocalApi.Toml(app, "[deploy]\n  release_command = \"migrate\"\n");
        await api.DeployAsync(toml, V1, o => o.Secrets = new Dictionary<string, string?> { ["DB_PASSWORD"] = "first-value" });
        using var client = api.Client();
        var before = await client.GetSecretsAsync(app);
        Assert.That((await api.MachinesAsync(app)).Where(m => m.ProcessGroup == "app").Select(m => m.Metadata("fly_secrets")), Has.All.StartWith("v1;"), "the ledger is recorded");

        // The same value again: nothing is sent, the secrets version stays.
        await api.DeployAsync(toml, V1, o => o.Secrets = new Dictionary<string, string?> { ["DB_PASSWORD"] = "first-value" });
        Assert.That(api.Output, Has.Some.Contains("Secrets unchanged: DB_PASSWORD (nothing sent)"));
        Assert.That(await client.GetSecretsAsync(app), Is.EqualTo(before));

        // A deploy that adds a secret and then aborts in its release command takes the new secret back.
        await api.SetFaultsAsync(Rule("{\"kind\": \"exit\", \"process_group\": \"fly_app_release_command\", \"delay_ms\": 100, \"exit_code\": 2}"));
        var e = await api.DeployFailsAsync(toml, V2, o => o.Secrets = new Dictionary<string, string?> { ["DB_PASSWORD"] = "first-value", ["API_KEY"] = "new-value" });
        Assert.That(e.Code, Is.EqualTo(FlyCodes.ReleaseCommandFailed.Code));
        Assert.That(e.Message, Does.Contain("The secrets this deploy added were removed again (API_KEY)"));
        Assert.That(await client.GetSecretsAsync(app), Is.EqualTo(before), "the app's secrets are as they were");

        // A value changed outside the SDK (fly secrets set) is not taken for unchanged.
        await client.UpdateSecretsAsync(app, new Dictionary<string, string?> { ["DB_PASSWORD"] = "set-by-hand" });
        await api.ClearFaultsAsync();
        await api.DeployAsync(toml, V2, o => o.Secrets = new Dictionary<string, string?> { ["DB_PASSWORD"] = "first-value" });
        Assert.That(api.Output, Has.Some.Contains("Secrets updated: DB_PASSWORD"));
        Assert.That(string.Join("\n", api.Output), Does.Not.Contain("first-value").And.Not.Contain("new-value").And.Not.Contain("set-by-hand"));
    }

    [Test]
    public async Task A_release_machine_that_fails_to_launch_is_FLY5012_never_success_and_no_app_machine_changes()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("release-launch");
        var toml = LocalApi.Toml(app, "[deploy]\n  release_command = \"migrate\"\n");
        await api.DeployAsync(toml, V1);
        var before = (await api.MachinesAsync(app)).Where(m => m.ProcessGroup == "app").ToDictionary(m => m.Id, m => m.InstanceId);
        await api.SetFaultsAsync(Rule("{\"kind\": \"launch_fail\", \"process_group\": \"fly_app_release_command\", \"error\": \"failed to pull image: manifest unknown\"}"));

        var e = await api.DeployFailsAsync(toml, V2);

        Assert.That(e.Code, Is.EqualTo(FlyCodes.ReleaseCommandDidNotRun.Code));
        Assert.That(e.Message, Does.Contain("failed to launch").And.Contain("manifest unknown").And.Contain("No app machine was changed"));
        Assert.That(api.Output.Count(l => l.Contains("Release command finished")), Is.EqualTo(1), "only the first deploy's release command ran");
        var after = (await api.MachinesAsync(app)).Where(m => m.ProcessGroup == "app").ToList();
        Assert.That(after.ToDictionary(m => m.Id, m => m.InstanceId), Is.EqualTo(before));
        Assert.That(after.Select(m => m.Image), Is.All.EqualTo(V1));
    }

    [Test]
    public async Task Release_command_timeout_is_enforced_and_its_machine_destroyed()
    {
        await using var api = await LocalApi.StartAsync(Rule("{\"kind\": \"exit\", \"process_group\": \"fly_app_release_command\", \"delay_ms\": 30000, \"exit_code\": 0}"));
        var app = LocalApi.UniqueApp("rctimeout");
        var toml = LocalApi.Toml(app, "[deploy]\n  release_command = \"sleep 30\"\n  release_command_timeout = \"2s\"\n");
        var e = await api.DeployFailsAsync(toml, V1);
        Assert.That(e.Code, Is.EqualTo(FlyCodes.ReleaseCommandTimedOut.Code));
        Assert.That(e.Message, Does.Contain("2s"));
        var machines = await api.MachinesAsync(app);
        Assert.That(machines, Is.Empty, "the release machine is destroyed and no app machine was created");
    }

    [Test]
    public async Task A_version_that_crashes_at_start_is_rolled_back_fast_with_the_old_version_running()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("crash");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 4);
        await api.SetFaultsAsync(Rule("{\"kind\": \"start_fail\", \"image\": \"deployment-v2\", \"exit_code\": 1}"));
        var began = DateTime.UtcNow;
        var e = await api.DeployFailsAsync(LocalApi.Toml(app), V2, o => o.WaitTimeout = TimeSpan.FromSeconds(60));
        Assert.That(DateTime.UtcNow - began, Is.LessThan(TimeSpan.FromSeconds(20)), "fails fast, not after wait_timeout");
        Assert.That(e.Code, Is.EqualTo(FlyCodes.MachineUnhealthy.Code));
        Assert.That(e.Message, Does.Contain("exited with code 1").And.Contain("Rolled back automatically"));
        Assert.That(e.Result!.RolledBack, Is.Not.Empty);
        var machines = await api.MachinesAsync(app);
        Assert.That(machines.Select(m => m.Image), Is.All.EqualTo(V1));
        Assert.That(machines.Select(m => m.State), Is.All.EqualTo("started"));
        Assert.That(e.Result.Machines.Select(m => m.Image), Is.All.EqualTo(V1));
        Assert.That(await api.LeasedMachinesAsync(app), Is.Empty);
    }

    [Test]
    public async Task A_version_that_fails_its_health_check_is_rolled_back()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("checkfail");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 3);
        await api.SetFaultsAsync(Rule("{\"kind\": \"check_fail\", \"image\": \"deployment-v2\", \"check\": \"alive\", \"error\": \"connection refused\"}"));
        var e = await api.DeployFailsAsync(LocalApi.Toml(app), V2, o => o.WaitTimeout = TimeSpan.FromSeconds(3));
        Assert.That(e.Code, Is.EqualTo(FlyCodes.MachineUnhealthy.Code));
        Assert.That(e.Message, Does.Contain("alive is critical").And.Contain("Rolled back automatically"));
        var machines = await api.MachinesAsync(app);
        Assert.That(machines.Select(m => m.Image), Is.All.EqualTo(V1));
        Assert.That(machines.Select(m => m.State), Is.All.EqualTo("started"));
        Assert.That(await api.LeasedMachinesAsync(app), Is.Empty);
    }

    [Test]
    public async Task Without_rollback_the_failure_reports_what_was_changed()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("norollback");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 2);
        await api.SetFaultsAsync(Rule("{\"kind\": \"start_fail\", \"image\": \"deployment-v2\", \"exit_code\": 2}"));
        var e = await api.DeployFailsAsync(LocalApi.Toml(app), V2, o => o.RollbackOnFailure = false);
        Assert.That(e.Message, Does.Contain("Automatic rollback is off"));
        Assert.That((await api.MachinesAsync(app)).Count(m => m.Image == V2), Is.EqualTo(1), "the first machine alone was changed");
    }

    [Test]
    public async Task Fault_storm_of_429s_5xx_resets_and_latency_ends_deployed_with_no_lease_left()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("storm");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 4);
        await api.SetFaultsAsync("""
            {"seed": 5, "rules": [
              {"kind": "http_error", "endpoint": "machine_update,lease_acquire,machine_create", "status": 429, "retry_after": 1, "count": 3, "error": "rate limited"},
              {"kind": "http_error", "endpoint": "machine_get,machine_events,machine_list,machine_wait", "status": 503, "rate": 0.15, "error": "upstream busy"},
              {"kind": "reset", "endpoint": "machine_get,machine_update,lease_release", "rate": 0.08},
              {"kind": "latency", "endpoint": "*", "delay_ms": 15}
            ]}
            """);
        var result = await api.DeployAsync(LocalApi.Toml(app), V2);
        await api.ClearFaultsAsync();
        var machines = await api.MachinesAsync(app);
        Assert.That(machines, Has.Count.EqualTo(4));
        Assert.That(machines.Select(m => m.Image), Is.All.EqualTo(V2));
        Assert.That(machines.Select(m => m.State), Is.All.EqualTo("started"));
        Assert.That(result.Machines.Select(m => m.Image), Is.All.EqualTo(V2), "the summary reports the final state");
        Assert.That(api.Output.Any(l => l.Contains("429") && l.Contains("retrying")), Is.True, "retries are reported");
        // A lease whose release was reset expires within its 13 s TTL at the latest; released ones are gone now.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await api.LeasedMachinesAsync(app)).Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(500);
        Assert.That(await api.LeasedMachinesAsync(app), Is.Empty);
        api.AssertTokenNeverShown();
    }

    [Test]
    public async Task A_lease_held_by_another_deploy_stops_the_deploy_with_a_clear_error()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("leased");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 2);
        var first = (await api.MachinesAsync(app)).OrderBy(m => m.Id, StringComparer.Ordinal).First();
        await api.SetFaultsAsync(Rule($"{{\"kind\": \"lease_held\", \"machine\": \"{first.Id}\", \"owner\": \"other-deployer@example.com\"}}"));
        var e = await api.DeployFailsAsync(LocalApi.Toml(app), V2);
        Assert.That(e.Code, Is.EqualTo(FlyCodes.LeaseHeld.Code));
        Assert.That(e.Message, Does.Contain(first.Id).And.Contain("other-deployer@example.com"));
        await api.ClearFaultsAsync();
        Assert.That((await api.MachinesAsync(app)).Select(m => m.Image), Is.All.EqualTo(V1));
    }

    [Test]
    public async Task Cancellation_mid_deploy_releases_leases_and_reports_each_machines_version()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("cancel");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 4);
        using var cts = new CancellationTokenSource();
        var progress = new List<string>();
        var task = api.DeployFailsAsync(LocalApi.Toml(app), V2, o =>
        {
            o.SmokeCheckWindow = TimeSpan.FromSeconds(2);
            var inner = o.Log;
            o.Log = new LineLog(line =>
            {
                inner.Progress(line);
                if (line.StartsWith("Updated ", StringComparison.Ordinal)) cts.Cancel();
            });
        }, cts.Token);
        var began = DateTime.UtcNow;
        var e = await task;
        Assert.That(e.Code, Is.EqualTo(FlyCodes.DeployCancelled.Code));
        Assert.That(DateTime.UtcNow - began, Is.LessThan(TimeSpan.FromSeconds(10)), "stops promptly");
        Assert.That(await api.LeasedMachinesAsync(app), Is.Empty, "every lease released");
        var machines = await api.MachinesAsync(app);
        Assert.That(machines.Count(m => m.Image == V2), Is.EqualTo(1), "the cancel came after the first update");
        Assert.That(e.Result!.Machines, Has.Count.EqualTo(4));
        foreach (var m in machines)
        {
            // The report is a snapshot: a machine caught mid-update may have moved on from a transient state
            // (replacing, starting) by the time the test reads it again, so compare what it runs, not its state.
            Assert.That(e.Message, Does.Match($@"{m.Id} \[app, iad\] [a-z]+: {System.Text.RegularExpressions.Regex.Escape(m.Image)}"));
        }

        using var client = api.Client();
        Assert.That((await client.ListReleasesAsync(app)).Select(r => (r.Version, r.Status)), Is.EqualTo(new[] { (2, "interrupted"), (1, "complete") }),
            "the cancelled deploy's release is interrupted, as flyctl marks it on Ctrl-C");
    }

    [Test]
    public async Task Plan_lists_creates_then_updates_with_a_config_diff_and_changes_nothing()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("plan");
        using var client = api.Client();
        var engine = new DeployEngine(client, FlyAppConfig.Parse(LocalApi.Toml(app, "[deploy]\n  release_command = \"migrate\"\n")),
            api.Options(app, o => o.Secrets = new Dictionary<string, string?> { ["NEW_ONE"] = "x", ["GONE"] = null }));
        var plan = await engine.PlanAsync(V1);
        Assert.That(plan.CreatesApp, Is.True);
        Assert.That(plan.IpsToAllocate, Is.EqualTo(new[] { "v6", "shared_v4" }));
        Assert.That(plan.Changes.Select(c => c.Kind), Is.EqualTo(new[] { MachineChangeKind.Create, MachineChangeKind.Create }), "two machines for the group with a service (flyctl's --ha)");
        Assert.That(plan.ReleaseCommand, Is.EqualTo(new[] { "migrate" }));
        Assert.That(plan.SecretsToSet, Is.EqualTo(new[] { "NEW_ONE" }));
        Assert.That(plan.SecretsToRemove, Is.Empty, "GONE does not exist");
        Assert.That(await client.GetAppAsync(app), Is.Null, "nothing created");

        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 2);
        var changed = LocalApi.Toml(app).Replace("GREETING = \"hello\"", "GREETING = \"bonjour\"");
        var plan2 = await new DeployEngine(client, FlyAppConfig.Parse(changed), api.Options(app)).PlanAsync(V2);
        Assert.That(plan2.Changes.Select(c => c.Kind), Is.All.EqualTo(MachineChangeKind.Update));
        Assert.That(plan2.Changes[0].Diff, Does.Contain($"image: \"{V1}\" → \"{V2}\"").And.Contain("env.GREETING: \"hello\" → \"bonjour\""));
        Assert.That(plan2.Changes[0].Diff.Any(d => d.Contains("fly_release")), Is.False);
        Assert.That(plan2.ToString(), Does.Contain("update ").And.Contain("env.GREETING"));
        Assert.That((await api.MachinesAsync(app)).Select(m => m.Image), Is.All.EqualTo(V1), "plan changes nothing");
    }

    [Test]
    public async Task Rollback_restores_the_previous_image_and_config_and_status_shows_it()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("rollback");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 2);
        await api.DeployAsync(LocalApi.Toml(app).Replace("\"hello\"", "\"v2 greeting\""), V2);
        using var client = api.Client();
        var engine = new DeployEngine(client, FlyAppConfig.Parse(LocalApi.Toml(app)), api.Options(app));
        var result = await engine.RollbackAsync();
        Assert.That(result.Image, Is.EqualTo(V1));
        Assert.That(result.ReleaseVersion, Is.EqualTo(3));
        var machines = await api.MachinesAsync(app);
        Assert.That(machines.Select(m => m.Image), Is.All.EqualTo(V1));
        Assert.That(machines.Select(m => m.Config.GetObject("env")!.GetString("GREETING")), Is.All.EqualTo("hello"));
        var status = await engine.StatusAsync();
        Assert.That(status, Has.Count.EqualTo(2));
        Assert.That(status.Select(s => s.ReleaseVersion), Is.All.EqualTo("3"));
        Assert.That(status.Select(s => s.State), Is.All.EqualTo("started"));
        Assert.That(status.SelectMany(s => s.Checks).Select(c => c.Status), Is.All.EqualTo("passing"));
        Assert.That(status[0].ToString(), Does.Contain("alive=passing"));
        // Rolling back again returns to V2 (the previous release of release 3).
        await engine.RollbackAsync();
        Assert.That((await api.MachinesAsync(app)).Select(m => m.Image), Is.All.EqualTo(V2));
    }

    [Test]
    public async Task Canary_and_bluegreen_end_on_the_new_version()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("strategies");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 2);
        var canary = await api.DeployAsync(LocalApi.Toml(app), V2, o => o.Strategy = "canary");
        Assert.That(canary.Phases.Select(p => p.Phase), Does.Contain("canary"));
        var machines = await api.MachinesAsync(app);
        Assert.That(machines, Has.Count.EqualTo(2), "the canary is gone");
        Assert.That(machines.Select(m => m.Image), Is.All.EqualTo(V2));
        var blue = machines.Select(m => m.Id).ToList();
        var bg = await api.DeployAsync(LocalApi.Toml(app), V1, o => o.Strategy = "bluegreen");
        var green = await api.MachinesAsync(app);
        Assert.That(green, Has.Count.EqualTo(2));
        Assert.That(green.Select(m => m.Id).Intersect(blue), Is.Empty, "blue machines destroyed, green ones remain");
        Assert.That(green.Select(m => m.Image), Is.All.EqualTo(V1));
        Assert.That(bg.Destroyed, Is.EquivalentTo(blue));
    }

    [Test]
    public async Task Bluegreen_with_a_failing_green_destroys_green_and_keeps_blue()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("bgfail");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 2);
        var blue = (await api.MachinesAsync(app)).Select(m => m.Id).OrderBy(x => x).ToList();
        await api.SetFaultsAsync(Rule("{\"kind\": \"start_fail\", \"image\": \"deployment-v2\", \"exit_code\": 1}"));
        var e = await api.DeployFailsAsync(LocalApi.Toml(app), V2, o => o.Strategy = "bluegreen");
        Assert.That(e.Code, Is.EqualTo(FlyCodes.MachineUnhealthy.Code));
        var after = await api.MachinesAsync(app);
        Assert.That(after.Select(m => m.Id).OrderBy(x => x), Is.EqualTo(blue));
        Assert.That(after.Select(m => m.Image), Is.All.EqualTo(V1));
    }

    [Test]
    public void Settings_that_cannot_work_are_rejected_before_any_call()
    {
        using var client = new MachinesApiClient("http://127.0.0.1:9", FlyToken.FromValue("unused-token"));
        var withMounts = FlyAppConfig.Parse("app = \"a\"\n[[mounts]]\n  source = \"data\"\n  destination = \"/data\"\n");
        var e = Assert.ThrowsAsync<DeployException>(() => new DeployEngine(client, withMounts, new DeployOptions { Strategy = "canary" }).DeployAsync("img"));
        Assert.That(e!.Code, Is.EqualTo(FlyCodes.DeploySettingsInvalid.Code));
        var noChecks = FlyAppConfig.Parse("app = \"a\"\n");
        e = Assert.ThrowsAsync<DeployException>(() => new DeployEngine(client, noChecks, new DeployOptions { Strategy = "bluegreen" }).DeployAsync("img"));
        Assert.That(e!.Message, Does.Contain("health check"));
    }
}
