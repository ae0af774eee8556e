using System.Text.Json.Nodes;
using NUnit.Framework;

namespace FlyIo.LocalMachines.Tests;

/// <summary>Fault injection: deterministic from the seed, set at start or through /__admin/faults.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class FaultTests
{
    private static JsonObject Rules(int seed, params JsonObject[] rules) => new() { ["seed"] = seed, ["rules"] = new JsonArray(rules) };

    private static async Task<string> Pattern(int seed)
    {
        await using var t = await Target.StartAsync(o => o.Faults = FaultInjector.Parse(Rules(seed, new JsonObject
        {
            ["kind"] = "http_error", ["endpoint"] = "app_get", ["status"] = 503, ["rate"] = 0.5, ["error"] = "injected",
        }).ToJsonString()));
        var app = await t.CreateAppAsync();
        var codes = new List<int>();
        for (var i = 0; i < 24; i++) codes.Add((await t.Get($"/v1/apps/{app}")).Code);
        Assert.That(codes, Is.All.AnyOf(200, 503));
        return string.Join("", codes.Select(c => c == 200 ? '.' : 'X'));
    }

    [Test]
    public async Task Error_rate_is_deterministic_for_a_seed()
    {
        var a = await Pattern(7);
        var b = await Pattern(7);
        var c = await Pattern(8);
        Assert.That(a, Is.EqualTo(b), "same seed, same faults");
        Assert.That(a, Does.Contain("X").And.Contain("."), a);
        Assert.That(c, Is.Not.EqualTo(a), "another seed, other faults");
    }

    [Test]
    public async Task Error_rule_body_request_id_and_retry_after()
    {
        await using var t = await Target.StartAsync(_ => { });
        var app = await t.CreateAppAsync();
        await t.SetFaultsAsync(Rules(1, new JsonObject
        {
            ["kind"] = "http_error", ["endpoint"] = "machine_*", ["method"] = "POST", ["status"] = 429, ["retry_after"] = 2, ["error"] = "slow down", ["count"] = 1,
        }));
        var r = await t.Post($"/v1/apps/{app}/machines", new JsonObject { ["config"] = Target.Config() });
        Assert.That(r.Code, Is.EqualTo(429));
        Assert.That(r.Error, Is.EqualTo("slow down"));
        Assert.That(r.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(r.Headers.Contains("fly-request-id"), Is.True);
        Assert.That((await t.Post($"/v1/apps/{app}/machines", new JsonObject { ["config"] = Target.Config() })).Code, Is.EqualTo(200), "count 1: only the first");
        var snapshot = await t.Get("/__admin/faults");
        Assert.That(snapshot.Body!["rules"]![0]!["applied"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Latency_and_connection_reset()
    {
        await using var t = await Target.StartAsync(_ => { });
        var app = await t.CreateAppAsync();
        await t.SetFaultsAsync(Rules(1,
            new JsonObject { ["kind"] = "latency", ["endpoint"] = "app_get", ["delay_ms"] = 400 },
            new JsonObject { ["kind"] = "reset", ["endpoint"] = "machine_list" }));
        var began = DateTime.UtcNow;
        Assert.That((await t.Get($"/v1/apps/{app}")).Code, Is.EqualTo(200));
        Assert.That(DateTime.UtcNow - began, Is.GreaterThan(TimeSpan.FromMilliseconds(380)));
        Assert.ThrowsAsync<HttpRequestException>(() => t.Get($"/v1/apps/{app}/machines"));
        Assert.That((await t.SendAsync(HttpMethod.Delete, "/__admin/faults")).Code, Is.EqualTo(204));
        Assert.That((await t.Get($"/v1/apps/{app}/machines")).Code, Is.EqualTo(200));
    }

    [Test]
    public async Task Failing_checks_are_critical_and_others_pass()
    {
        await using var t = await Target.StartAsync(o => o.Faults = FaultInjector.Parse(Rules(1,
            new JsonObject { ["kind"] = "check_fail", ["check"] = "db", ["error"] = "database unreachable" }).ToJsonString()));
        var app = await t.CreateAppAsync();
        var config = Target.Config(edit: c =>
        {
            c["checks"] = new JsonObject
            {
                ["db"] = new JsonObject { ["type"] = "tcp", ["port"] = 5432, ["interval"] = "200ms", ["timeout"] = "1s" },
                ["web"] = new JsonObject { ["type"] = "http", ["port"] = 8080, ["path"] = "/healthz", ["interval"] = "200ms", ["timeout"] = "1s" },
            };
            c["services"] = new JsonArray(new JsonObject
            {
                ["protocol"] = "tcp", ["internal_port"] = 8080,
                ["checks"] = new JsonArray(new JsonObject { ["type"] = "http", ["path"] = "/", ["interval"] = "200ms", ["timeout"] = "1s" }),
            });
        });
        var m = await t.CreateMachineAsync(app, config);
        var id = m["id"]!.GetValue<string>();
        await t.WaitAsync(app, id, "started");
        JsonArray checks = new();
        for (var i = 0; i < 40; i++)
        {
            checks = (JsonArray)(await t.MachineAsync(app, id))["checks"]!;
            if (checks.All(c => c!["status"]!.GetValue<string>() != "warning")) break;
            await Task.Delay(100);
        }
        var byName = checks.ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
        Assert.That(byName.Keys, Is.EquivalentTo(new[] { "db", "web", "servicecheck-00-http-8080" }));
        Assert.That(byName["db"]["status"]!.GetValue<string>(), Is.EqualTo("critical"));
        Assert.That(byName["db"]["output"]!.GetValue<string>(), Is.EqualTo("database unreachable"));
        Assert.That(byName["web"]["status"]!.GetValue<string>(), Is.EqualTo("passing"));
        Assert.That(byName["servicecheck-00-http-8080"]["status"]!.GetValue<string>(), Is.EqualTo("passing"));
    }

    [Test]
    public async Task A_lease_held_by_someone_else_blocks_acquire_and_mutations()
    {
        await using var t = await Target.StartAsync(_ => { });
        var app = await t.CreateAppAsync();
        var m = await t.CreateMachineAsync(app, edit: b => b["skip_launch"] = true);
        var id = m["id"]!.GetValue<string>();
        await t.SetFaultsAsync(Rules(1, new JsonObject { ["kind"] = "lease_held", ["machine"] = id, ["owner"] = "other-deployer@example.com" }));
        var acquire = await t.Post($"/v1/apps/{app}/machines/{id}/lease", new JsonObject { ["ttl"] = 13 });
        Assert.That(acquire.Code, Is.EqualTo(409));
        Assert.That(acquire.Error, Does.Contain("lease currently held by other-deployer@example.com"));
        var lease = await t.Get($"/v1/apps/{app}/machines/{id}/lease");
        Assert.That(lease.Body!["data"]!["owner"]!.GetValue<string>(), Is.EqualTo("other-deployer@example.com"));
        Assert.That((await t.Post($"/v1/apps/{app}/machines/{id}/start")).Code, Is.EqualTo(409));
        Assert.That((await t.Post($"/v1/apps/{app}/machines/{id}/start", nonce: lease.Body!["data"]!["nonce"]!.GetValue<string>())).Code, Is.EqualTo(409),
            "the other holder's nonce is not ours to use");
        Assert.That((await t.SendAsync(HttpMethod.Delete, "/__admin/faults")).Code, Is.EqualTo(204));
        Assert.That((await t.Post($"/v1/apps/{app}/machines/{id}/lease", new JsonObject { ["ttl"] = 13 })).Code, Is.EqualTo(201));
    }

    [Test]
    public async Task Rate_limits_answer_429_with_retry_after_per_action_per_machine()
    {
        await using var t = await Target.StartAsync(o => o.RateLimits = true);
        var app = await t.CreateAppAsync();
        var a = (await t.CreateMachineAsync(app, edit: b => b["skip_launch"] = true))["id"]!.GetValue<string>();
        var b2 = (await t.CreateMachineAsync(app, edit: b => b["skip_launch"] = true))["id"]!.GetValue<string>();
        var codes = new List<int>();
        for (var i = 0; i < 4; i++) codes.Add((await t.Post($"/v1/apps/{app}/machines/{a}/cordon")).Code);
        Assert.That(codes, Is.EqualTo(new[] { 200, 200, 200, 429 }), "burst of 3 per action per machine");
        var limited = await t.Post($"/v1/apps/{app}/machines/{a}/cordon");
        Assert.That(limited.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        Assert.That((await t.Post($"/v1/apps/{app}/machines/{b2}/cordon")).Code, Is.EqualTo(200), "another machine has its own bucket");
        Assert.That((await t.Post($"/v1/apps/{app}/machines/{a}/uncordon")).Code, Is.EqualTo(200), "another action has its own bucket");
        var gets = new List<int>();
        for (var i = 0; i < 11; i++) gets.Add((await t.Get($"/v1/apps/{app}/machines/{a}")).Code);
        Assert.That(gets.Take(10), Is.All.EqualTo(200), "get-machine bursts to 10");
        Assert.That(gets[10], Is.EqualTo(429));
    }

    [Test]
    public async Task Admin_endpoint_needs_the_token_and_validates_rules()
    {
        await using var t = await Target.StartAsync(_ => { });
        Assert.That((await t.SendAsync(HttpMethod.Get, "/__admin/faults", auth: null)).Code, Is.EqualTo(401));
        var bad = await t.SendAsync(HttpMethod.Put, "/__admin/faults", new JsonObject { ["rules"] = new JsonArray(new JsonObject { ["kind"] = "explode" }) });
        Assert.That(bad.Code, Is.EqualTo(400), bad.ToString());
        var added = await t.SendAsync(HttpMethod.Post, "/__admin/faults/rules", new JsonObject { ["kind"] = "http_error", ["endpoint"] = "app_list", ["status"] = 500 });
        Assert.That(added.Code, Is.EqualTo(201), added.ToString());
        Assert.That((await t.Get($"/v1/apps?org_slug={t.Org}")).Code, Is.EqualTo(500));
        var ruleId = added.Body!["id"]!.GetValue<string>();
        Assert.That((await t.Delete($"/__admin/faults/rules/{ruleId}")).Code, Is.EqualTo(204));
        Assert.That((await t.Get($"/v1/apps?org_slug={t.Org}")).Code, Is.EqualTo(200));
    }

    [Test]
    public async Task Faults_file_and_seed_from_the_command_line_shape()
    {
        var path = Path.Combine(Path.GetTempPath(), $"faults-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"seed": 3, "rules": [{"kind": "http_error", "endpoint": "app_create", "status": 503, "error_status": "unknown"}]}""");
        try
        {
            var set = FaultInjector.Parse(await File.ReadAllTextAsync(path));
            await using var t = await Target.StartAsync(o => o.Faults = set);
            var r = await t.Post("/v1/apps", new JsonObject { ["name"] = Target.UniqueName("x"), ["org_slug"] = t.Org });
            Assert.That(r.Code, Is.EqualTo(503));
            Assert.That(r.Body!["status"]!.GetValue<string>(), Is.EqualTo("unknown"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
