using FlyIo.Deploy;
using FlyIo.Diagnostics;
using FlyIo.Json;
using FlyIo.Machines;
using NUnit.Framework;

namespace FlyIo.Deploy.Tests;

/// <summary>
/// [[mounts]] and first-deploy machine counts against the local Machines API: one volume per machine in its region,
/// kept across deploys and rollbacks; flyctl's --ha counts; the deploy-region filters.
/// </summary>
[TestFixture]
public sealed class VolumeAndHaDeployTests
{
    private const string V1 = "registry.fly.io/app:v1";
    private const string V2 = "registry.fly.io/app:v2";

    private const string Mount = """
        [[mounts]]
          source = "data"
          destination = "/data"
          initial_size = "3gb"
          snapshot_retention = 10
          scheduled_snapshots = false
          auto_extend_size_threshold = 80
          auto_extend_size_increment = "1gb"
          auto_extend_size_limit = "10gb"
        """;

    [Test]
    public async Task A_first_deploy_creates_a_volume_per_machine_in_its_region_and_later_deploys_and_rollbacks_keep_them()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("vol");
        using var client = api.Client();

        var first = await api.DeployAsync(LocalApi.Toml(app, Mount), V1, o =>
        {
            o.MachineCount = 2;
            o.NewMachineRegions = new[] { "iad", "ams" };
        });

        var volumes = await client.ListVolumesAsync(app);
        var machines = await api.MachinesAsync(app);
        Assert.That(volumes, Has.Count.EqualTo(2));
        Assert.That(volumes.Select(v => (v.Name, v.SizeGb, v.SnapshotRetention)), Is.All.EqualTo(("data", 3, (int?)10)));
        foreach (var m in machines)
        {
            var mount = m.Config.GetObjects("mounts").Single();
            var volume = volumes.Single(v => v.Id == mount.GetString("volume"));
            Assert.That((volume.Region, volume.AttachedMachineId), Is.EqualTo((m.Region, m.Id)), "each machine mounts its own volume, in its own region");
            Assert.That((mount.GetString("path"), mount.GetString("name"), mount.GetLong("extend_threshold_percent"), mount.GetLong("add_size_gb"), mount.GetLong("size_gb_limit")),
                Is.EqualTo(("/data", "data", (long?)80, (long?)1, (long?)10)));
        }

        var before = machines.ToDictionary(m => m.Id, m => VolumeOf(m));
        await api.DeployAsync(LocalApi.Toml(app, Mount.Replace("/data", "/var/data")), V2);
        var after = await api.MachinesAsync(app);
        Assert.That(after.ToDictionary(m => m.Id, m => VolumeOf(m)), Is.EqualTo(before), "a redeploy keeps every machine on its volume");
        Assert.That(after.Select(m => m.Config.GetObjects("mounts").Single().GetString("path")), Is.All.EqualTo("/var/data"), "only the mount path changes in place");
        Assert.That(await client.ListVolumesAsync(app), Has.Count.EqualTo(2), "no volume created by a redeploy");

        var engine = new DeployEngine(client, FlyAppConfig.Parse(LocalApi.Toml(app, Mount)), api.Options(app));
        await engine.RollbackAsync();
        var rolledBack = await api.MachinesAsync(app);
        Assert.That(rolledBack.Select(m => m.Image), Is.All.EqualTo(V1));
        Assert.That(rolledBack.ToDictionary(m => m.Id, m => VolumeOf(m)), Is.EqualTo(before), "a rollback keeps every machine on its volume");
        Assert.That(first.Created, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task An_unattached_volume_of_the_mounts_name_is_used_before_a_new_one_is_made()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("vol");
        using var client = api.Client();
        await client.CreateAppAsync(app, "personal", null);
        var existing = await client.CreateVolumeAsync(app, new CreateVolumeRequest("data", "iad", 5));

        await api.DeployAsync(LocalApi.Toml(app, Mount), V1);

        var machine = (await api.MachinesAsync(app)).Single();
        Assert.That(VolumeOf(machine), Is.EqualTo(existing.Id));
        Assert.That(await client.ListVolumesAsync(app), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_volume_that_cannot_be_created_is_FLY5014_before_any_machine_exists()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("vol");
        await api.SetFaultsAsync("""{"rules": [{"kind": "http_error", "endpoint": "volume_create", "status": 422, "error": "insufficient capacity in iad"}]}""");

        var e = await api.DeployFailsAsync(LocalApi.Toml(app, Mount), V1);

        Assert.That(e.Code, Is.EqualTo(FlyCodes.VolumeNotReady.Code));
        Assert.That(e.Message, Does.Contain("Could not create the 3 GB volume 'data' in iad").And.Contain("insufficient capacity in iad").And.Contain("no machine was changed"));
        Assert.That(await api.MachinesAsync(app), Is.Empty);
    }

    [Test]
    public async Task A_machine_without_the_volume_fly_toml_now_mounts_is_FLY5014_and_nothing_changes()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("vol");
        await api.DeployAsync(LocalApi.Toml(app), V1, o => o.MachineCount = 1);

        var e = await api.DeployFailsAsync(LocalApi.Toml(app, Mount), V2);

        Assert.That(e.Code, Is.EqualTo(FlyCodes.VolumeNotReady.Code));
        Assert.That(e.Message, Does.Contain("has no volume, but fly.toml mounts 'data' at /data"));
        Assert.That((await api.MachinesAsync(app)).Select(m => m.Image), Is.All.EqualTo(V1));
    }

    [Test]
    public async Task Plan_shows_the_volumes_a_first_deploy_creates()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("vol");
        using var client = api.Client();

        var plan = await new DeployEngine(client, FlyAppConfig.Parse(LocalApi.Toml(app, Mount)), api.Options(app)).PlanAsync(V1);

        Assert.That(plan.VolumesToCreate, Is.EqualTo(new[] { "data (3 GB, iad)" }));
        Assert.That(plan.ToString(), Does.Contain("create volume data (3 GB, iad)"));
        Assert.That(plan.Changes.Single().Diff, Does.Contain("mounts[0].path: \"/data\""));
        Assert.That(await client.GetAppAsync(app), Is.Null, "a plan creates nothing");
    }

    [TestCase("bluegreen")]
    [TestCase("canary")]
    public async Task Strategies_Fly_refuses_with_volumes_stay_refused(string strategy)
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("vol");

        var e = await api.DeployFailsAsync(LocalApi.Toml(app, Mount), V1, o => o.Strategy = strategy);

        Assert.That(e.Code, Is.EqualTo(FlyCodes.DeploySettingsInvalid.Code));
        Assert.That(e.Message, Does.Contain(strategy).And.Contain("[mounts]"));
    }

    [Test]
    public async Task High_availability_gives_a_group_with_services_two_machines_one_with_a_volume_one_and_one_without_services_a_stopped_standby()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("ha");
        var toml = LocalApi.Toml(app, """
            [processes]
              web = "serve"
              worker = "work"
              store = "keep"

            [[mounts]]
              source = "store"
              destination = "/store"
              processes = ["store"]
            """).Replace("force_https = true", "force_https = true\n  processes = [\"web\"]").Replace("[checks.alive]", "[checks.alive]\n  processes = [\"web\"]");

        await api.DeployAsync(toml, V1);

        var machines = await api.MachinesAsync(app);
        Assert.That(machines.Count(m => m.ProcessGroup == "web"), Is.EqualTo(2));
        Assert.That(machines.Count(m => m.ProcessGroup == "store"), Is.EqualTo(1));
        var workers = machines.Where(m => m.ProcessGroup == "worker").ToList();
        Assert.That(workers, Has.Count.EqualTo(2));
        var standby = workers.Single(m => m.Config["standbys"] is not null);
        var active = workers.Single(m => m != standby);
        Assert.That(MachineConfigStrings(standby.Config["standbys"]), Is.EqualTo(new[] { active.Id }));
        Assert.That(standby.Config.GetObject("env")!.GetString("FLY_STANDBY_FOR"), Is.EqualTo(active.Id));
        Assert.That((active.State, standby.State), Is.EqualTo(("started", "created")).Or.EqualTo(("started", "stopped")), "a standby is created without starting");

        await api.DeployAsync(toml, V2);
        var updated = (await api.MachinesAsync(app)).Single(m => m.Id == standby.Id);
        Assert.That((updated.Image, MachineConfigStrings(updated.Config["standbys"])), Is.EqualTo((V2, new[] { active.Id })), "a standby stays one across deploys");
    }

    [Test]
    public async Task Without_high_availability_a_first_deploy_makes_one_machine_per_group()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("ha");

        var result = await api.DeployAsync(LocalApi.Toml(app), V1, o => o.HighAvailability = false);

        Assert.That(result.Created, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Deploy_regions_leave_machines_elsewhere_as_they_are_as_flyctls_regions_does()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("regions");
        await api.DeployAsync(LocalApi.Toml(app), V1, o =>
        {
            o.MachineCount = 3;
            o.NewMachineRegions = new[] { "iad", "ams", "syd" };
        });

        await api.DeployAsync(LocalApi.Toml(app), V2, o => o.OnlyRegions = new[] { "ams", "syd" });
        Assert.That((await api.MachinesAsync(app)).ToDictionary(m => m.Region, m => m.Image),
            Is.EqualTo(new Dictionary<string, string> { ["iad"] = V1, ["ams"] = V2, ["syd"] = V2 }));

        await api.DeployAsync(LocalApi.Toml(app), V2, o => o.ExcludeRegions = new[] { "ams" });
        Assert.That((await api.MachinesAsync(app)).ToDictionary(m => m.Region, m => m.Image),
            Is.EqualTo(new Dictionary<string, string> { ["iad"] = V2, ["ams"] = V2, ["syd"] = V2 }));
        Assert.That(api.Output, Has.Some.Contains("Leaving 1 machine(s) outside the deploy's regions as they are"));
    }

    private static string? VolumeOf(Machine m) => m.Config.GetObjects("mounts").SingleOrDefault()?.GetString("volume");

    private static string[] MachineConfigStrings(JsonNode? node) => ((JsonArray)node!).Items.OfType<JsonString>().Select(s => s.Value).ToArray();
}

/// <summary>fly.toml's machine checks, run as flyctl runs them against each machine the deploy brings up.</summary>
[TestFixture]
public sealed class MachineCheckDeployTests
{
    private const string V1 = "registry.fly.io/app:v1";
    private const string V2 = "registry.fly.io/app:v2";

    private static string Toml(string app) => LocalApi.Toml(app).Replace("force_https = true", """
        force_https = true

          [[http_service.machine_checks]]
            command = ["curl", "-f", "http://$FLY_TEST_MACHINE_IP:8080/healthz"]
            image = "curlimages/curl"
            kill_signal = "SIGKILL"
        """);

    [Test]
    public async Task Each_deployed_machine_gets_a_one_shot_check_machine_beside_it_with_its_address()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("mcheck");

        var result = await api.DeployAsync(Toml(app), V1);

        Assert.That(result.Created, Has.Count.EqualTo(2));
        using var client = api.Client();
        var all = await client.ListMachinesAsync(app, new MachineListFilter { IncludeDeleted = true });
        var targets = all.Where(m => m.ProcessGroup == "app").ToList();
        var checks = all.Where(m => m.ProcessGroup == DeployEngine.TestMachineGroup).ToList();
        Assert.That(checks, Has.Count.EqualTo(2), "one check machine per deployed machine");
        foreach (var check in checks)
        {
            var env = check.Config.GetObject("env")!;
            Assert.That(ImageReference.Same(check.Image, "curlimages/curl"), Is.True, check.Image);
            Assert.That(MachineConfig.FromJson(check.Config).InitCmd, Is.EqualTo(new[] { "curl", "-f", "http://$FLY_TEST_MACHINE_IP:8080/healthz" }));
            Assert.That(targets.Select(t => t.PrivateIp), Does.Contain(env.GetString("FLY_TEST_MACHINE_IP")));
            Assert.That((env.GetString("FLY_TEST_COMMAND"), env.GetString("GREETING"), check.Config.GetObject("stop_config")!.GetString("signal")), Is.EqualTo(("1", "hello", "SIGKILL")));
        }

        Assert.That((await api.MachinesAsync(app)).Where(m => m.State is not ("destroyed" or "destroying")).Select(m => m.ProcessGroup), Is.All.EqualTo("app"), "check machines destroy themselves");
        Assert.That(api.Output, Has.Some.Contains("Machine check 'curl -f http://$FLY_TEST_MACHINE_IP:8080/healthz' passed against"));
    }

    [Test]
    public async Task A_failing_machine_check_is_FLY5015_and_the_machines_go_back()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("mcheck");
        await api.DeployAsync(Toml(app), V1);
        await api.SetFaultsAsync($$"""{"rules": [{"kind": "exit", "process_group": "{{DeployEngine.TestMachineGroup}}", "exit_code": 22}]}""");

        var e = await api.DeployFailsAsync(Toml(app), V2);

        Assert.That(e.Code, Is.EqualTo(FlyCodes.MachineCheckFailed.Code));
        Assert.That(e.Message, Does.Contain("exited with code 22"));
        Assert.That((await api.MachinesAsync(app)).Where(m => m.ProcessGroup == "app").Select(m => m.Image), Is.All.EqualTo(V1));
    }
}
