using System.Text.Json.Nodes;
using NUnit.Framework;

namespace FlyIo.LocalMachines.Tests;

/// <summary>The machine state machine: start, stop, wait (408, versions), restart policies, auto_destroy, exit codes.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class LifecycleTests
{
    private Target _t = null!;

    [OneTimeSetUp]
    public async Task Start() => _t = await Target.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    [Test]
    public async Task Create_starts_then_stop_and_start_again_with_events_newest_first()
    {
        var app = await _t.CreateAppAsync();
        var m = await _t.CreateMachineAsync(app);
        var id = m["id"]!.GetValue<string>();
        var version = m["instance_id"]!.GetValue<string>();
        await _t.WaitAsync(app, id, "started", version);
        Assert.That((await _t.Post($"/v1/apps/{app}/machines/{id}/start")).Code, Is.EqualTo(412), "a started machine refuses to start");
        var stop = await _t.Post($"/v1/apps/{app}/machines/{id}/stop", new JsonObject { ["signal"] = "SIGTERM", ["timeout"] = "5s" });
        Assert.That(stop.Code, Is.EqualTo(200), stop.ToString());
        await _t.WaitAsync(app, id, "stopped", version);
        Assert.That((await _t.MachineAsync(app, id))["state"]!.GetValue<string>(), Is.EqualTo("stopped"));
        var events = await _t.EventsAsync(app, id);
        var types = events.Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.That(types[0], Is.EqualTo("exit"), string.Join(",", types));
        Assert.That(types, Is.EqualTo(new[] { "exit", "stop", "start", "launch" }));
        var stamps = events.Select(e => e!["timestamp"]!.GetValue<long>()).ToList();
        Assert.That(stamps, Is.Ordered.Descending);
        Assert.That(events[0]!["request"]!["exit_event"]!["requested_stop"]!.GetValue<bool>(), Is.True);

        var start = await _t.Post($"/v1/apps/{app}/machines/{id}/start");
        Assert.That(start.Code, Is.EqualTo(200));
        Assert.That(start.Body!["previous_state"]!.GetValue<string>(), Is.EqualTo("stopped"));
        await _t.WaitAsync(app, id, "started", version);
        Assert.That((await _t.Post($"/v1/apps/{app}/machines/{id}/stop")).Code, Is.EqualTo(200));
        await _t.WaitAsync(app, id, "stopped", version);
        Assert.That((await _t.Post($"/v1/apps/{app}/machines/{id}/stop")).Code, Is.EqualTo(412), "stopping a stopped machine");
    }

    [Test]
    public async Task Wait_times_out_with_408_and_needs_a_version_for_stopped()
    {
        var app = await _t.CreateAppAsync();
        var m = await _t.CreateMachineAsync(app, edit: b => b["skip_launch"] = true);
        var id = m["id"]!.GetValue<string>();
        var began = DateTime.UtcNow;
        var r = await _t.Get($"/v1/apps/{app}/machines/{id}/wait?state=started&timeout=1");
        Assert.That(r.Code, Is.EqualTo(408), r.ToString());
        Assert.That(r.Error, Is.Not.Empty);
        Assert.That(DateTime.UtcNow - began, Is.GreaterThan(TimeSpan.FromMilliseconds(900)));
        var noVersion = await _t.Get($"/v1/apps/{app}/machines/{id}/wait?state=stopped&timeout=1");
        Assert.That(noVersion.Code, Is.EqualTo(400), noVersion.ToString());
        var badState = await _t.Get($"/v1/apps/{app}/machines/{id}/wait?state=running&timeout=1");
        Assert.That(badState.Code, Is.EqualTo(400), badState.ToString());
    }

    [Test]
    public async Task Wait_on_an_old_version_never_sees_the_new_version_started()
    {
        var app = await _t.CreateAppAsync();
        var m = await _t.CreateMachineAsync(app);
        var id = m["id"]!.GetValue<string>();
        var v1 = m["instance_id"]!.GetValue<string>();
        await _t.WaitAsync(app, id, "started", v1);
        var updated = await _t.Post($"/v1/apps/{app}/machines/{id}", new JsonObject { ["config"] = Target.Config("registry.fly.io/test-app:deployment-02") });
        var v2 = updated.Body!["instance_id"]!.GetValue<string>();
        await _t.WaitAsync(app, id, "started", v2);
        var old = await _t.Get($"/v1/apps/{app}/machines/{id}/wait?state=started&version={v1}&timeout=1");
        Assert.That(old.Code, Is.EqualTo(408), "the replaced version is not started: " + old);
        var events = await _t.EventsAsync(app, id);
        Assert.That(events.Select(e => e!["type"]!.GetValue<string>()), Does.Contain("update"));
    }

    [Test]
    public async Task Wait_settled_and_multiple_states()
    {
        var app = await _t.CreateAppAsync();
        var m = await _t.CreateMachineAsync(app);
        var id = m["id"]!.GetValue<string>();
        var r = await _t.Get($"/v1/apps/{app}/machines/{id}/wait?state=settled&timeout=10");
        Assert.That(r.Code, Is.EqualTo(200), r.ToString());
        var multi = await _t.Get($"/v1/apps/{app}/machines/{id}/wait?state=destroyed&state=started&timeout=10");
        Assert.That(multi.Code, Is.EqualTo(200), multi.ToString());
    }

    [Test]
    public async Task Delete_of_a_started_machine_needs_force_and_then_it_is_destroyed()
    {
        var app = await _t.CreateAppAsync();
        var m = await _t.CreateMachineAsync(app);
        var id = m["id"]!.GetValue<string>();
        await _t.WaitAsync(app, id, "started");
        var refused = await _t.Delete($"/v1/apps/{app}/machines/{id}");
        // Fly's documented answer to destroying a running machine without force: 409 "not currently stopped".
        Assert.That(refused.Code, Is.EqualTo(409), refused.ToString());
        Assert.That(refused.Error, Does.Contain("not currently stopped"));
        Assert.That((await _t.Delete($"/v1/apps/{app}/machines/{id}?kill=true")).Code, Is.EqualTo(200));
        await _t.WaitAsync(app, id, "destroyed");
        Assert.That((await _t.MachineAsync(app, id))["state"]!.GetValue<string>(), Is.EqualTo("destroyed"));
        Assert.That((await _t.Post($"/v1/apps/{app}/machines/{id}/start")).Code, Is.EqualTo(404));
    }

    [Test]
    public async Task Restart_suspend_cordon()
    {
        var app = await _t.CreateAppAsync();
        var m = await _t.CreateMachineAsync(app);
        var id = m["id"]!.GetValue<string>();
        await _t.WaitAsync(app, id, "started");
        Assert.That((await _t.Post($"/v1/apps/{app}/machines/{id}/restart")).Code, Is.EqualTo(200));
        await _t.WaitAsync(app, id, "started");
        var types = (await _t.EventsAsync(app, id)).Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.That(types.Count(t => t == "start"), Is.EqualTo(2), string.Join(",", types));
        Assert.That((await _t.Post($"/v1/apps/{app}/machines/{id}/cordon")).Code, Is.EqualTo(200));
        Assert.That((await _t.MachineAsync(app, id))["cordoned"]!.GetValue<bool>(), Is.True);
        Assert.That((await _t.Post($"/v1/apps/{app}/machines/{id}/uncordon")).Code, Is.EqualTo(200));
        Assert.That((await _t.MachineAsync(app, id))["cordoned"]!.GetValue<bool>(), Is.False);
        Assert.That((await _t.Post($"/v1/apps/{app}/machines/{id}/suspend")).Code, Is.EqualTo(200));
        await _t.WaitAsync(app, id, "suspended");
        Assert.That((await _t.Post($"/v1/apps/{app}/machines/{id}/start")).Body!["previous_state"]!.GetValue<string>(), Is.EqualTo("suspended"));
        await _t.WaitAsync(app, id, "started");
    }

    [Test]
    public async Task Release_command_machine_runs_once_auto_destroys_and_reports_exit_code_zero()
    {
        var app = await _t.CreateAppAsync();
        var config = Target.Config(edit: c =>
        {
            c["init"] = new JsonObject { ["cmd"] = new JsonArray("migrate") };
            c["restart"] = new JsonObject { ["policy"] = "no" };
            c["auto_destroy"] = true;
            c["metadata"]!["fly_process_group"] = "fly_app_release_command";
        });
        var m = await _t.CreateMachineAsync(app, config, b => b["skip_launch"] = true);
        var id = m["id"]!.GetValue<string>();
        Assert.That((await _t.Post($"/v1/apps/{app}/machines/{id}/start")).Code, Is.EqualTo(200));
        await _t.WaitAsync(app, id, "started");
        await _t.WaitAsync(app, id, "destroyed");
        Assert.That(Target.LatestExitCode(await _t.EventsAsync(app, id)), Is.EqualTo(0));
    }
}

/// <summary>Exit codes, restart policies and auto_destroy, driven by fault rules (local server only).</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class RestartPolicyTests
{
    private static async Task<(Target T, string App)> Server(JsonObject faults)
    {
        var t = await Target.StartAsync(_ => { });
        await t.SetFaultsAsync(faults);
        return (t, await t.CreateAppAsync());
    }

    private static JsonObject Rules(params JsonObject[] rules) => new() { ["seed"] = 1, ["rules"] = new JsonArray(rules) };

    [Test]
    public async Task No_policy_stops_after_one_failure_with_the_exit_code_in_events()
    {
        var (t, app) = await Server(Rules(new JsonObject { ["kind"] = "start_fail", ["exit_code"] = 3 }));
        await using var _ = t;
        var m = await t.CreateMachineAsync(app, Target.Config(edit: c => c["restart"] = new JsonObject { ["policy"] = "no" }));
        var id = m["id"]!.GetValue<string>();
        await t.WaitAsync(app, id, "stopped", m["instance_id"]!.GetValue<string>());
        var events = await t.EventsAsync(app, id);
        Assert.That(Target.LatestExitCode(events), Is.EqualTo(3));
        Assert.That(events.Count(e => e!["type"]!.GetValue<string>() == "start"), Is.EqualTo(1));
        var exit = events.First(e => e!["type"]!.GetValue<string>() == "exit")!["request"]!;
        Assert.That(exit["MonitorEvent"]!["exit_event"]!["exit_code"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(exit["exit_event"]!["requested_stop"]!.GetValue<bool>(), Is.False, "every field present, as Fly's docs show exit events");
    }

    [Test]
    public async Task On_failure_retries_max_retries_times_then_stops()
    {
        var (t, app) = await Server(Rules(new JsonObject { ["kind"] = "start_fail", ["exit_code"] = 1 }));
        await using var _ = t;
        var m = await t.CreateMachineAsync(app, Target.Config(edit: c => c["restart"] = new JsonObject { ["policy"] = "on-failure", ["max_retries"] = 2 }));
        var id = m["id"]!.GetValue<string>();
        await t.WaitAsync(app, id, "stopped", m["instance_id"]!.GetValue<string>());
        var events = await t.EventsAsync(app, id);
        Assert.That(events.Count(e => e!["type"]!.GetValue<string>() == "start"), Is.EqualTo(3), "first run + 2 retries");
        Assert.That(events.Count(e => e!["type"]!.GetValue<string>() == "exit"), Is.EqualTo(3));
        Assert.That(events[0]!["request"]!["exit_event"]!["restarting"]!.GetValue<bool>(), Is.False);
        Assert.That(events[1]!["type"]!.GetValue<string>(), Is.EqualTo("start"));
        Assert.That(events[2]!["request"]!["exit_event"]!["restarting"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task On_failure_does_not_restart_a_clean_exit_but_always_does()
    {
        var (t, app) = await Server(Rules(new JsonObject { ["kind"] = "exit", ["exit_code"] = 0, ["delay_ms"] = 50, ["count"] = 4 }));
        await using var _ = t;
        var onFailure = await t.CreateMachineAsync(app, Target.Config(edit: c => c["restart"] = new JsonObject { ["policy"] = "on-failure" }));
        await t.WaitAsync(app, onFailure["id"]!.GetValue<string>(), "stopped", onFailure["instance_id"]!.GetValue<string>());
        var always = await t.CreateMachineAsync(app, Target.Config(edit: c => c["restart"] = new JsonObject { ["policy"] = "always" }));
        var id = always["id"]!.GetValue<string>();
        // Three more clean exits (the rule's count), each restarted; then it keeps running.
        for (var i = 0; i < 50; i++)
        {
            var starts = (await t.EventsAsync(app, id)).Count(e => e!["type"]!.GetValue<string>() == "start");
            if (starts == 4) break;
            await Task.Delay(100);
        }
        await t.WaitAsync(app, id, "started");
        var events = await t.EventsAsync(app, id);
        Assert.That(events.Count(e => e!["type"]!.GetValue<string>() == "start"), Is.EqualTo(4));
        Assert.That(Target.LatestExitCode(events), Is.EqualTo(0));
        Assert.That((await t.MachineAsync(app, id))["state"]!.GetValue<string>(), Is.EqualTo("started"));
    }

    [Test]
    public async Task Auto_destroy_destroys_after_a_crash_and_keeps_the_exit_code()
    {
        var (t, app) = await Server(Rules(new JsonObject { ["kind"] = "crash_after", ["seconds"] = 0.3, ["exit_code"] = 137, ["oom_killed"] = true }));
        await using var _ = t;
        var m = await t.CreateMachineAsync(app, Target.Config(edit: c => { c["restart"] = new JsonObject { ["policy"] = "no" }; c["auto_destroy"] = true; }));
        var id = m["id"]!.GetValue<string>();
        await t.WaitAsync(app, id, "started");
        await t.WaitAsync(app, id, "destroyed");
        var events = await t.EventsAsync(app, id);
        Assert.That(events[0]!["type"]!.GetValue<string>(), Is.EqualTo("destroy"));
        Assert.That(Target.LatestExitCode(events), Is.EqualTo(137));
        Assert.That(events.First(e => e!["type"]!.GetValue<string>() == "exit")!["request"]!["exit_event"]!["oom_killed"]!.GetValue<bool>(), Is.True);
        Assert.That((await t.Get($"/v1/apps/{app}/machines")).Body!.AsArray(), Is.Empty, "destroyed machines are listed only with include_deleted");
    }

    [Test]
    public async Task Stop_escalates_to_sigkill_after_the_timeout_when_the_process_ignores_the_signal()
    {
        var (t, app) = await Server(Rules(new JsonObject { ["kind"] = "ignore_stop_signal" }));
        await using var _ = t;
        var m = await t.CreateMachineAsync(app);
        var id = m["id"]!.GetValue<string>();
        await t.WaitAsync(app, id, "started");
        var began = DateTime.UtcNow;
        Assert.That((await t.Post($"/v1/apps/{app}/machines/{id}/stop", new JsonObject { ["timeout"] = "1s" })).Code, Is.EqualTo(200));
        await t.WaitAsync(app, id, "stopped", m["instance_id"]!.GetValue<string>());
        Assert.That(DateTime.UtcNow - began, Is.GreaterThan(TimeSpan.FromMilliseconds(900)));
        var exit = (await t.EventsAsync(app, id)).First(e => e!["type"]!.GetValue<string>() == "exit")!["request"]!["exit_event"]!;
        Assert.That(exit["signal"]!.GetValue<int>(), Is.EqualTo(9));
    }
}

/// <summary>Updates that land while a launch is still in flight, and launches that never finish: every one ends in a defined state.</summary>
[TestFixture]
public sealed class LaunchRaceTests
{
    private static JsonObject Rules(params JsonObject[] rules) => new() { ["seed"] = 1, ["rules"] = new JsonArray(rules) };

    [Test]
    public async Task An_update_during_a_slow_launch_ends_started_on_the_new_instance()
    {
        // The first launch takes 1.5 s (a restart still unpacking); the update lands in the middle of it.
        await using var t = await Target.StartAsync(_ => { });
        await t.SetFaultsAsync(Rules(new JsonObject { ["kind"] = "launch_hang", ["seconds"] = 1.5, ["count"] = 1 }));
        var app = await t.CreateAppAsync();
        var m = await t.CreateMachineAsync(app);
        var id = m["id"]!.GetValue<string>();
        Assert.That((await t.MachineAsync(app, id))["state"]!.GetValue<string>(), Is.EqualTo("starting"));

        var updated = await t.Post($"/v1/apps/{app}/machines/{id}", new JsonObject { ["config"] = Target.Config("registry.fly.io/test-app:deployment-02") });
        Assert.That(updated.Code, Is.EqualTo(200), updated.ToString());
        var v2 = updated.Body!["instance_id"]!.GetValue<string>();

        await t.WaitAsync(app, id, "started", v2, 20);
        await Task.Delay(2000); // past the first launch's end: it must not take the machine back
        var now = await t.MachineAsync(app, id);
        Assert.That((now["state"]!.GetValue<string>(), now["instance_id"]!.GetValue<string>()), Is.EqualTo(("started", v2)));
    }

    [Test]
    public async Task Two_updates_in_quick_succession_during_a_launch_end_on_the_last()
    {
        await using var t = await Target.StartAsync(_ => { });
        await t.SetFaultsAsync(Rules(new JsonObject { ["kind"] = "launch_hang", ["seconds"] = 1, ["count"] = 2 }));
        var app = await t.CreateAppAsync();
        var id = (await t.CreateMachineAsync(app))["id"]!.GetValue<string>();
        await t.Post($"/v1/apps/{app}/machines/{id}", new JsonObject { ["config"] = Target.Config("registry.fly.io/test-app:deployment-02") });
        var last = await t.Post($"/v1/apps/{app}/machines/{id}", new JsonObject { ["config"] = Target.Config("registry.fly.io/test-app:deployment-03") });
        var v3 = last.Body!["instance_id"]!.GetValue<string>();

        await t.WaitAsync(app, id, "started", v3, 20);
        var now = await t.MachineAsync(app, id);
        Assert.That(now["config"]!["image"]!.GetValue<string>(), Is.EqualTo("registry.fly.io/test-app:deployment-03"));
    }

    [Test]
    public async Task A_launch_that_never_finishes_fails_the_machine_instead_of_leaving_it_starting()
    {
        await using var t = await Target.StartAsync(o => o.LaunchTimeout = TimeSpan.FromSeconds(1));
        await t.SetFaultsAsync(Rules(new JsonObject { ["kind"] = "launch_hang", ["seconds"] = 30 }));
        var app = await t.CreateAppAsync();
        var m = await t.CreateMachineAsync(app);
        var id = m["id"]!.GetValue<string>();

        await t.WaitAsync(app, id, "failed", m["instance_id"]!.GetValue<string>(), 10);
        var launch = (await t.Get($"/v1/apps/{app}/machines/{id}/events")).Body!.AsArray().First(e => e!["type"]!.GetValue<string>() == "launch")!;
        Assert.That(launch["status"]!.GetValue<string>(), Is.EqualTo("failed"));
        Assert.That(launch["request"]!["error"]!.GetValue<string>(), Does.Contain("did not finish within 1s"));
    }

    [Test]
    public async Task A_launch_that_fails_leaves_the_machine_failed_with_a_failed_launch_event_and_no_exit()
    {
        await using var t = await Target.StartAsync(_ => { });
        await t.SetFaultsAsync(Rules(new JsonObject { ["kind"] = "launch_fail", ["error"] = "failed to pull image: manifest unknown" }));
        var app = await t.CreateAppAsync();
        var m = await t.CreateMachineAsync(app);
        var id = m["id"]!.GetValue<string>();

        await t.WaitAsync(app, id, "failed", m["instance_id"]!.GetValue<string>(), 10);
        var events = (await t.Get($"/v1/apps/{app}/machines/{id}/events")).Body!.AsArray();
        Assert.That(events.Any(e => e!["type"]!.GetValue<string>() == "exit"), Is.False);
        Assert.That(events[0]!["request"]!["error"]!.GetValue<string>(), Does.Contain("manifest unknown"));
    }
}
