using FlyIo.Testing;
using System.Diagnostics;
using FlyIo.Diagnostics;
using FlyIo.Deploy;
using FlyIo.Machines;
using NUnit.Framework;

namespace FlyIo.Deploy.Tests;

/// <summary>
/// The deploy engine against Fly's documented shapes (<see cref="DocumentedFly"/>), not against our own server: each
/// scenario ends deployed or rolled back, and says which truly. The same scenarios that a server can reproduce run
/// against the local Machines API in <see cref="DeployTests"/>.
/// </summary>
[TestFixture]
public sealed class DocumentedDeployScenarioTests
{
    /// <summary>Made at run time: nothing shaped like a real token is committed.</summary>
    internal static readonly string FakeToken = "fm2_" + Guid.NewGuid().ToString("N");

    private const string OldImage = "registry.fly.io/docs-app:deployment-01";
    private const string NewImage = "registry.fly.io/docs-app:deployment-02";

    private static string Toml(string extra = "") => $"""
        app = "docs-app"
        primary_region = "iad"

        [http_service]
          internal_port = 8080

        [checks.alive]
          type = "tcp"
          port = 8080
          interval = "1s"
          timeout = "1s"

        {extra}
        """;

    private static readonly string WithRelease = """
        [deploy]
          release_command = "migrate"
        """;

    private static async Task<DeployResult> DeployAsync(DocumentedFly fly, string toml, List<string> progress, Action<DeployOptions>? edit = null)
    {
        using var client = new MachinesApiClient(fly.BaseUrl, FlyToken.FromValue(FakeToken))
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(20), MaxAttempts = 5,
        };
        client.Log = new LineLog(line => { lock (progress) progress.Add("client: " + line); });
        var options = new DeployOptions
        {
            App = "docs-app", Org = "personal", SmokeCheckWindow = TimeSpan.FromMilliseconds(100), PollInterval = TimeSpan.FromMilliseconds(50),
            WaitTimeout = TimeSpan.FromSeconds(10), ChecksReportMargin = TimeSpan.FromMilliseconds(300),
            Log = new LineLog(line => { lock (progress) progress.Add(line); }),
        };
        edit?.Invoke(options);
        try
        {
            return await new DeployEngine(client, FlyAppConfig.Parse(toml), options).DeployAsync(NewImage);
        }
        finally
        {
            lock (progress)
            {
                Assert.That(string.Join("\n", progress), Does.Not.Contain(FakeToken.Substring(4)), "the token never shows");
            }
        }
    }

    private static async Task<DeployException> DeployFailsAsync(DocumentedFly fly, string toml, List<string> progress, Action<DeployOptions>? edit = null)
    {
        var e = Assert.ThrowsAsync<DeployException>(() => DeployAsync(fly, toml, progress, edit))!;
        TestContext.Out.WriteLine(e.Message);
        Assert.That(e.ToString(), Does.Not.Contain(FakeToken.Substring(4)), "the token never shows in an error");
        return e;
    }

    private static void AssertAppMachinesRun(DocumentedFly fly, string image)
    {
        var app = fly.Machines.Where(m => !m.IsRelease && m.State != "destroyed").ToList();
        Assert.That(app, Is.Not.Empty);
        Assert.That(app.Select(m => (m.Image, m.State)), Is.All.EqualTo((image, "started")), string.Join("; ", app.Select(m => $"{m.Id} {m.Image} {m.State}")));
    }

    [Test]
    public async Task A_first_deploy_on_documented_answers_waits_that_say_only_ok_and_a_release_command_that_exits_zero_is_deployed()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app", appExists: false);
        fly.OnLaunch = m => m.IsRelease ? Launch.ExitsZeroLater : Launch.Healthy;
        var progress = new List<string>();

        var result = await DeployAsync(fly, Toml(WithRelease), progress);

        Assert.That(result.ReleaseCommandExitCode, Is.EqualTo(0));
        AssertAppMachinesRun(fly, NewImage);
        Assert.That(fly.Requests, Has.Some.Contains("/wait"), "the release machine was waited on through Fly's wait call");
        Assert.That(progress, Has.Some.Contains("Release command finished with exit code 0"));
    }

    [Test]
    public async Task A_retried_first_deploy_allocates_no_second_address_from_a_list_without_types()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app", appExists: false);
        var progress = new List<string>();
        fly.OnLaunch = _ => Launch.FailsToLaunch;
        await DeployFailsAsync(fly, Toml(), progress);
        var allocations = fly.Requests.Count(r => r == "POST /v1/apps/docs-app/ip_assignments");
        Assert.That(allocations, Is.EqualTo(2), "v6 and shared_v4 on the first try");

        fly.OnLaunch = _ => Launch.Healthy;
        await DeployAsync(fly, Toml(), progress);
        Assert.That(fly.Requests.Count(r => r == "POST /v1/apps/docs-app/ip_assignments"), Is.EqualTo(2), "the retry recognised both addresses Fly listed");
    }

    [Test]
    public async Task A_release_machine_that_fails_to_launch_is_FLY5012_and_no_app_machine_changes()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        var old = fly.Seed(OldImage);
        fly.OnLaunch = m => m.IsRelease ? Launch.FailsToLaunch : Launch.Healthy;
        var progress = new List<string>();

        var e = await DeployFailsAsync(fly, Toml(WithRelease), progress);

        Assert.That(e.Code, Is.EqualTo(FlyCodes.ReleaseCommandDidNotRun.Code));
        Assert.That(e.Message, Does.Contain("failed to launch").And.Contain("manifest unknown"));
        Assert.That(progress, Has.None.Contains("exit code 0"));
        Assert.That(old.Mutations, Is.Zero);
        Assert.That(old.Image, Is.EqualTo(OldImage));
        Assert.That(fly.Machines.Single(m => m.IsRelease).State, Is.EqualTo("destroyed"), "the failed release machine is cleaned up");
    }

    [Test]
    public async Task A_release_machine_that_exits_non_zero_is_FLY5003_and_no_app_machine_changes()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        var old = fly.Seed(OldImage);
        fly.OnLaunch = m => m.IsRelease ? Launch.ExitsNonZero : Launch.Healthy;

        var e = await DeployFailsAsync(fly, Toml(WithRelease), new List<string>());

        Assert.That(e.Code, Is.EqualTo(FlyCodes.ReleaseCommandFailed.Code));
        Assert.That(e.Message, Does.Contain("exited with code 1"));
        Assert.That(old.Mutations, Is.Zero);
    }

    [Test]
    public async Task Machines_without_Fly_metadata_are_left_alone_and_reported()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        var managed = fly.Seed(OldImage);
        var stranger = fly.Seed("nginx", managed: false);
        var progress = new List<string>();

        var result = await DeployAsync(fly, Toml(), progress);

        Assert.That(managed.Image, Is.EqualTo(NewImage));
        Assert.That(stranger.Mutations, Is.Zero, "a machine made with `fly machine run` is not ours to update");
        Assert.That(stranger.Image, Is.EqualTo("nginx"));
        Assert.That(result.NotManaged, Is.EqualTo(new[] { stranger.Id }));
        Assert.That(progress, Has.Some.Contains("Leaving 1 machine(s) alone").And.Some.Contains(stranger.Id));
    }

    [Test]
    public async Task Only_machines_without_Fly_metadata_means_a_first_deploy_beside_them()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        var stranger = fly.Seed("nginx", managed: false);

        var result = await DeployAsync(fly, Toml(), new List<string>());

        Assert.That(result.Created, Has.Count.EqualTo(2), "a first deploy: two machines for the group with a service, as flyctl's --ha makes");
        Assert.That(stranger.Mutations, Is.Zero);
    }

    [Test]
    public async Task A_check_that_never_reports_is_FLY5013_soon_after_its_interval_and_the_old_version_comes_back()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        var old = fly.Seed(OldImage);
        fly.OnLaunch = m => m.Image == NewImage ? Launch.ReportsNoChecks : Launch.Healthy;
        var watch = Stopwatch.StartNew();

        var e = await DeployFailsAsync(fly, Toml(), new List<string>(), o => o.WaitTimeout = TimeSpan.FromMinutes(5));

        Assert.That(e.Code, Is.EqualTo(FlyCodes.ChecksNotReported.Code));
        Assert.That(e.Message, Does.Contain("reported no check results"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromMinutes(1)), "not the whole wait_timeout of 5 minutes");
        Assert.That(old.Image, Is.EqualTo(OldImage), "rolled back");
        Assert.That(e.Message, Does.Contain("rolled back").IgnoreCase.Or.Contain("Restored").IgnoreCase);
    }

    [Test]
    public async Task A_lease_held_by_someone_else_is_FLY5005_with_Flys_message()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        var old = fly.Seed(OldImage);
        fly.LeaseHeldBy = "teammate@example.com";

        var e = await DeployFailsAsync(fly, Toml(), new List<string>());

        Assert.That(e.Code, Is.EqualTo(FlyCodes.LeaseHeld.Code));
        Assert.That(e.Message, Does.Contain("lease currently held by teammate@example.com"));
        Assert.That(e.Message, Does.Not.Contain("{\""), "Fly's message, not its raw JSON");
        Assert.That(old.Mutations, Is.Zero);
    }

    [Test]
    public async Task Answers_429_with_Retry_After_are_waited_out_and_the_deploy_completes()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        fly.Seed(OldImage);
        fly.Faults["POST machine"] = new(new[] { (429, (int?)1) });
        fly.Faults["GET machines"] = new(new[] { (429, (int?)1) });
        var progress = new List<string>();
        var watch = Stopwatch.StartNew();

        await DeployAsync(fly, Toml(), progress);

        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)), "each Retry-After: 1 was honoured");
        Assert.That(progress.Count(l => l.Contains("429, retrying in 1s")), Is.EqualTo(2), string.Join("\n", progress));
        AssertAppMachinesRun(fly, NewImage);
    }

    [Test]
    public async Task A_5xx_in_the_middle_of_an_update_is_retried_and_the_deploy_completes()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        fly.Seed(OldImage);
        fly.Seed(OldImage);
        fly.Faults["POST machine"] = new(new[] { (500, (int?)null), (503, (int?)null) });

        var result = await DeployAsync(fly, Toml(), new List<string>());

        Assert.That(result.Updated, Has.Count.EqualTo(2));
        AssertAppMachinesRun(fly, NewImage);
    }

    [Test]
    public async Task The_old_instance_exiting_137_on_a_requested_stop_after_the_update_is_no_crash_of_the_new_one()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        fly.Seed(OldImage);
        fly.OldInstanceExitAfterUpdate = true;

        var result = await DeployAsync(fly, Toml(), new List<string>());

        Assert.That(result.RolledBack, Is.Empty);
        AssertAppMachinesRun(fly, NewImage);
    }

    [Test]
    public async Task An_update_that_races_a_restart_ends_on_the_new_version()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        fly.Seed(OldImage, state: "starting");
        fly.OnLaunch = m => m.Image == NewImage ? Launch.StartsSlowly : Launch.Healthy;

        await DeployAsync(fly, Toml(), new List<string>());

        AssertAppMachinesRun(fly, NewImage);
    }

    [Test]
    public async Task A_new_version_that_never_starts_is_rolled_back_and_reported_as_a_failure()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        var old = fly.Seed(OldImage);
        fly.OnLaunch = m => m.Image == NewImage ? Launch.FailsToLaunch : Launch.Healthy;

        var e = await DeployFailsAsync(fly, Toml(), new List<string>());

        Assert.That(e.Code, Is.EqualTo(FlyCodes.MachineUnhealthy.Code));
        Assert.That(e.Message, Does.Contain("did not start after the update").And.Contain("manifest unknown"));
        Assert.That(old.Image, Is.EqualTo(OldImage));
        Assert.That(old.State, Is.EqualTo("started"));
    }

    [Test]
    public async Task A_deploy_records_its_Fly_release_as_flyctl_does_before_any_machine_changes()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        var old = fly.Seed(OldImage);
        var progress = new List<string>();

        var result = await DeployAsync(fly, Toml(), progress, o => o.Strategy = "immediate");

        var calls = fly.ReleaseCalls.ToList();
        Assert.That(calls.Select(c => c.Request.Split(' ')[0]), Is.EqualTo(new[] { "POST", "PATCH", "PATCH" }), "create, running, complete");
        var release = fly.Releases.Last();
        Assert.That((result.ReleaseVersion, result.ReleaseId), Is.EqualTo((2, release["id"]!.GetValue<string>())), "Fly's version after the seeded release v1, and Fly's id");
        // flyctl's uiex client: "Bearer" and the bare token, macaroons included; never the Machines API's "FlyV1".
        Assert.That(calls.Select(c => c.Authorization), Is.All.EqualTo("Bearer " + FakeToken));
        var create = calls[0].Body;
        Assert.That((create["app_name"]!.GetValue<string>(), create["image"]!.GetValue<string>(), create["strategy"]!.GetValue<string>(), create["build_id"]!.GetValue<long>()),
            Is.EqualTo(("docs-app", NewImage, "IMMEDIATE", 0L)));
        var definition = create["definition"]!.AsObject();
        Assert.That((definition["app"]!.GetValue<string>(), definition["primary_region"]!.GetValue<string>(), definition["http_service"]!["internal_port"]!.GetValue<long>()),
            Is.EqualTo(("docs-app", "iad", 8080L)), "fly.toml, key for key, as flyctl's definition");
        Assert.That(definition["deploy"]!["strategy"]!.GetValue<string>(), Is.EqualTo("immediate"), "FlyStrategy in the definition, as flyctl's --strategy");
        Assert.That((calls[1].Body["status"]!.GetValue<string>(), calls[1].Body.ContainsKey("metadata"), calls[1].Body["metadata"]), Is.EqualTo(("running", true, (System.Text.Json.Nodes.JsonNode?)null)),
            "running with metadata null, as flyctl sends it");
        Assert.That(calls[2].Body["status"]!.GetValue<string>(), Is.EqualTo("complete"));
        Assert.That(calls[2].Body["metadata"]!["post_deployment_info"]!["error"]!.GetValue<string>(), Is.Empty);
        Assert.That(release["status"]!.GetValue<string>(), Is.EqualTo("complete"));
        var requests = fly.Requests.ToList();
        Assert.That(requests.IndexOf("POST /api/v1/releases"), Is.LessThan(requests.FindIndex(r => r.StartsWith("POST /v1/apps/docs-app/machines/", StringComparison.Ordinal))),
            "the release exists before any machine changes");
        Assert.That((old.Config["metadata"]!["fly_release_version"]!.GetValue<string>(), old.Config["metadata"]!["fly_release_id"]!.GetValue<string>()),
            Is.EqualTo(("2", release["id"]!.GetValue<string>())));
    }

    [Test]
    public async Task A_deploy_that_is_rolled_back_leaves_its_release_failed_with_the_reason()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        fly.Seed(OldImage);
        fly.OnLaunch = m => m.Config["image"]!.GetValue<string>() == NewImage ? Launch.ExitsNonZero : Launch.Healthy;
        var progress = new List<string>();

        var e = await DeployFailsAsync(fly, Toml(), progress);

        Assert.That(e.Code, Is.EqualTo(FlyCodes.MachineUnhealthy.Code));
        AssertAppMachinesRun(fly, OldImage);
        var last = fly.ReleaseCalls.Last().Body;
        Assert.That(last["status"]!.GetValue<string>(), Is.EqualTo("failed"), "failed, although the rollback put the old version back");
        Assert.That(last["metadata"]!["post_deployment_info"]!["error"]!.GetValue<string>(), Does.Contain("exited with code 1").And.Contain("Rolled back"));
        Assert.That(fly.Releases.Last()["status"]!.GetValue<string>(), Is.EqualTo("failed"));
    }
}

/// <summary>What the deploy sends, read from what Fly returns and from fly.toml, as flyctl sends it.</summary>
[TestFixture]
public sealed class FlyShapesMappingTests
{
    private static string FakeToken => DocumentedDeployScenarioTests.FakeToken;

    [TestCase("never", "no")]
    [TestCase("no", "no")]
    [TestCase("always", "always")]
    [TestCase("on-failure", "on-failure")]
    public void Restart_policies_are_sent_as_the_Machines_API_takes_them(string inToml, string sent)
    {
        var config = FlyAppConfig.Parse($"""
            app = "a"
            [[restart]]
              policy = "{inToml}"
            """);

        var json = System.Text.Json.Nodes.JsonNode.Parse(config.Build("app", "img").ToJsonString())!;

        Assert.That(json["restart"]!["policy"]!.GetValue<string>(), Is.EqualTo(sent));
    }

    [TestCase("""{"guest": {"cpu_kind": "", "cpus": 0, "memory_mb": 0}}""", "shared", 1, 256)]
    [TestCase("""{"guest": {"cpu_kind": "", "cpus": 2, "memory_mb": 512}}""", "shared", 2, 512)]
    [TestCase("""{"guest": {"memory_mb": 512, "cpus": 2}}""", "shared", 2, 512)]
    [TestCase("""{"size": "performance-2x"}""", "performance", 2, 4096)]
    [TestCase("""{"size": "shared-cpu-1x", "restart": {"policy": ""}}""", "shared", 1, 256)]
    [TestCase("""{"guest": {"cpu_kind": "performance", "cpus": 1, "memory_mb": 0}}""", "performance", 1, 2048)]
    public void A_guest_Fly_returns_empty_or_legacy_is_read_whole(string config, string kind, int cpus, int memory)
    {
        var guest = MachineConfig.FromJson((FlyIo.Json.JsonObject)FlyIo.Json.JsonReader.Parse(config)).Guest;

        Assert.That((guest.CpuKind, guest.Cpus, guest.MemoryMb), Is.EqualTo((kind, cpus, memory)));
    }

    [Test]
    public async Task The_release_machine_copies_an_existing_guest_with_its_empty_fields_filled()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        fly.Seed("registry.fly.io/docs-app:deployment-01", edit: c => c["guest"] = new System.Text.Json.Nodes.JsonObject { ["cpu_kind"] = "", ["cpus"] = 2, ["memory_mb"] = 1024 });
        using var client = new MachinesApiClient(fly.BaseUrl, FlyToken.FromValue(FakeToken));
        var options = new DeployOptions { App = "docs-app", SmokeCheckWindow = TimeSpan.FromMilliseconds(50), PollInterval = TimeSpan.FromMilliseconds(20) };
        var toml = FlyAppConfig.Parse("""
            app = "docs-app"
            primary_region = "iad"
            [deploy]
              release_command = "migrate"
            """);

        await new DeployEngine(client, toml, options).DeployAsync("registry.fly.io/docs-app:deployment-02");

        var guest = fly.Machines.Single(m => m.IsRelease).Config["guest"]!;
        Assert.That(guest["cpu_kind"]!.GetValue<string>(), Is.EqualTo("shared"), "never \"\" sent back");
        Assert.That(guest["cpus"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(guest["memory_mb"]!.GetValue<int>(), Is.EqualTo(1024));
    }

    [Test]
    public async Task The_plan_compares_images_as_references_so_Flys_normalised_list_is_no_change()
    {
        await using var fly = await DocumentedFly.StartAsync("docs-app");
        fly.Seed("nginx");
        using var client = new MachinesApiClient(fly.BaseUrl, FlyToken.FromValue(FakeToken));
        var engine = new DeployEngine(client, FlyAppConfig.Parse("app = \"docs-app\"\nprimary_region = \"iad\""), new DeployOptions { App = "docs-app" });

        var same = await engine.PlanAsync("nginx");
        var other = await engine.PlanAsync("nginx:1.27");

        Assert.That(same.Changes.Single().Diff, Has.None.StartsWith("image:"), "the list shows library/nginx:latest for nginx");
        Assert.That(other.Changes.Single().Diff, Has.Some.StartsWith("image:"));
    }

    [Test]
    public void Values_Fly_returns_for_what_was_never_set_are_no_change_in_a_plan()
    {
        var before = (FlyIo.Json.JsonObject)FlyIo.Json.JsonReader.Parse("""
            {"image": "registry.fly.io/a:1", "env": null, "metadata": null, "dns": {},
             "init": {"exec": null, "entrypoint": null, "cmd": null, "tty": false}, "restart": {"policy": ""}}
            """);
        var after = (FlyIo.Json.JsonObject)FlyIo.Json.JsonReader.Parse("""{"image": "registry.fly.io/a:1"}""");

        Assert.That(DeployEngine.Diff(before, after), Is.Empty);
    }
}
