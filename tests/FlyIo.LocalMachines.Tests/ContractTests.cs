using System.Text.Json.Nodes;
using NUnit.Framework;

namespace FlyIo.LocalMachines.Tests;

/// <summary>Status codes, error bodies and JSON field names (fly-go's) of every endpoint. Runs against any base URL.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class ContractTests
{
    private Target _t = null!;

    [OneTimeSetUp]
    public async Task Start() => _t = await Target.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    [Test]
    public async Task Every_response_has_a_request_id_even_errors_and_unauthenticated_ones()
    {
        var ok = await _t.Get($"/v1/apps?org_slug={_t.Org}");
        var missing = await _t.Get("/v1/apps/no-such-app-" + Guid.NewGuid().ToString("N")[..8]);
        var unauth = await _t.SendAsync(HttpMethod.Get, "/v1/apps/anything", auth: null);
        var unknownRoute = await _t.Get("/v1/nothing/here");
        foreach (var r in new[] { ok, missing, unauth, unknownRoute })
            Assert.That(r.Headers.TryGetValues("fly-request-id", out var v) && v.Single().Length > 10, Is.True, r.ToString());
        Assert.That(ok.Code, Is.EqualTo(200));
        Assert.That(missing.Code, Is.EqualTo(404));
        Assert.That(missing.Error, Is.Not.Empty);
    }

    [Test]
    public async Task Auth_accepts_bearer_and_flyv1_and_rejects_others_with_401_and_an_error_body()
    {
        Assert.That((await _t.SendAsync(HttpMethod.Get, $"/v1/apps?org_slug={_t.Org}", auth: "Bearer " + _t.Token)).Code, Is.EqualTo(200));
        Assert.That((await _t.SendAsync(HttpMethod.Get, $"/v1/apps?org_slug={_t.Org}", auth: "FlyV1 " + _t.Token)).Code, Is.EqualTo(200));
        foreach (var auth in new string?[] { null, "Bearer wrong", "Basic " + _t.Token, _t.Token })
        {
            var r = await _t.SendAsync(HttpMethod.Get, $"/v1/apps?org_slug={_t.Org}", auth: auth);
            Assert.That(r.Code, Is.EqualTo(401), $"{auth}: {r}");
            Assert.That(r.Error, Is.Not.Empty);
        }
    }

    [Test]
    public async Task Apps_create_get_list_delete_and_name_taken()
    {
        var name = Target.UniqueName("lm-app");
        var created = await _t.Post("/v1/apps", new JsonObject { ["name"] = name, ["org_slug"] = _t.Org });
        Assert.That(created.Code, Is.EqualTo(201), created.ToString());
        var again = await _t.Post("/v1/apps", new JsonObject { ["name"] = name, ["org_slug"] = _t.Org });
        Assert.That(again.Code, Is.EqualTo(422), again.ToString());
        Assert.That(again.Body?["status"]?.GetValue<string>(), Is.EqualTo("name_taken"));
        var got = await _t.Get($"/v1/apps/{name}");
        Assert.That(got.Code, Is.EqualTo(200));
        var app = (JsonObject)got.Body!;
        foreach (var field in new[] { "id", "name", "status", "organization", "machine_count", "network" })
            Assert.That(app.ContainsKey(field), Is.True, $"app has {field}: {got}");
        Assert.That(app["name"]!.GetValue<string>(), Is.EqualTo(name));
        Assert.That(app["organization"]!["slug"]!.GetValue<string>(), Is.EqualTo(_t.Org));
        var list = await _t.Get($"/v1/apps?org_slug={_t.Org}");
        Assert.That(list.Body!["apps"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()), Does.Contain(name));
        var deleted = await _t.Delete($"/v1/apps/{name}");
        Assert.That(deleted.Code, Is.InRange(200, 299), deleted.ToString());
        var gone = await _t.Get($"/v1/apps/{name}");
        Assert.That(gone.Code, Is.EqualTo(404));
        Assert.That(gone.Error, Is.EqualTo("app not found"));
    }

    [Test]
    public async Task App_names_are_validated_with_422()
    {
        var r = await _t.Post("/v1/apps", new JsonObject { ["name"] = "Bad_Name!", ["org_slug"] = _t.Org });
        Assert.That(r.Code, Is.EqualTo(422), r.ToString());
        Assert.That(r.Error, Is.Not.Empty);
    }

    [Test]
    public async Task Ip_assignments_are_recorded()
    {
        var app = await _t.CreateAppAsync();
        var v6 = await _t.Post($"/v1/apps/{app}/ip_assignments", new JsonObject { ["type"] = "v6" });
        var v4 = await _t.Post($"/v1/apps/{app}/ip_assignments", new JsonObject { ["type"] = "shared_v4" });
        Assert.That(v6.Code, Is.EqualTo(200), v6.ToString());
        Assert.That(v4.Body!["shared"]!.GetValue<bool>(), Is.True);
        Assert.That(v6.Body!["ip"]!.GetValue<string>(), Does.Contain(":"));
        var list = await _t.Get($"/v1/apps/{app}/ip_assignments");
        Assert.That(list.Body!["ips"]!.AsArray(), Has.Count.EqualTo(2));
        var bad = await _t.Post($"/v1/apps/{app}/ip_assignments", new JsonObject { ["type"] = "v5" });
        Assert.That(bad.Code, Is.EqualTo(400));
    }

    [Test]
    public async Task Machine_object_has_fly_go_field_names()
    {
        var app = await _t.CreateAppAsync();
        var m = await _t.CreateMachineAsync(app);
        foreach (var field in new[] { "id", "name", "state", "region", "instance_id", "private_ip", "config", "image_ref", "created_at", "updated_at", "events" })
            Assert.That(m.ContainsKey(field), Is.True, $"machine has {field}: {m.ToJsonString()}");
        Assert.That(m["id"]!.GetValue<string>(), Does.Match("^[0-9a-f]{14}$"));
        Assert.That(m["image_ref"]!["repository"]!.GetValue<string>(), Is.EqualTo("test-app"));
        Assert.That(m["image_ref"]!["tag"]!.GetValue<string>(), Is.EqualTo("deployment-01"));
        Assert.That(m["config"]!["metadata"]!["fly_process_group"]!.GetValue<string>(), Is.EqualTo("app"));
        Assert.That(m["state"]!.GetValue<string>(), Is.EqualTo("created"));
    }

    [Test]
    public async Task Unknown_machine_is_404_with_an_error_body()
    {
        var app = await _t.CreateAppAsync();
        var r = await _t.Get($"/v1/apps/{app}/machines/0123456789abcd");
        Assert.That(r.Code, Is.EqualTo(404));
        Assert.That(r.Error, Is.Not.Empty);
        var noApp = await _t.Get($"/v1/apps/{Target.UniqueName("nope")}/machines");
        Assert.That(noApp.Code, Is.EqualTo(404));
    }

    [Test]
    public async Task Invalid_machine_configs_are_rejected_with_422()
    {
        var app = await _t.CreateAppAsync();
        var noImage = await _t.Post($"/v1/apps/{app}/machines", new JsonObject { ["config"] = new JsonObject() });
        Assert.That(noImage.Code, Is.EqualTo(422), noImage.ToString());
        var badMemory = await _t.Post($"/v1/apps/{app}/machines", new JsonObject { ["config"] = Target.Config(edit: c => c["guest"]!["memory_mb"] = 300) });
        Assert.That(badMemory.Code, Is.EqualTo(422), badMemory.ToString());
        var badPolicy = await _t.Post($"/v1/apps/{app}/machines", new JsonObject { ["config"] = Target.Config(edit: c => c["restart"] = new JsonObject { ["policy"] = "sometimes" }) });
        Assert.That(badPolicy.Code, Is.EqualTo(422), badPolicy.ToString());
        // A check interval is a Go duration: a bare number has no unit, which Go's time.ParseDuration refuses.
        var bareInterval = await _t.Post($"/v1/apps/{app}/machines", new JsonObject { ["config"] = Target.Config(edit: c => c["checks"] = new JsonObject { ["db"] = new JsonObject { ["type"] = "tcp", ["port"] = 5432, ["interval"] = "15" } }) });
        Assert.That(bareInterval.Code, Is.EqualTo(422), bareInterval.ToString());
        var badJson = await _t.SendAsync(HttpMethod.Post, $"/v1/apps/{app}/machines", JsonValue.Create("not an object"));
        Assert.That(badJson.Code, Is.EqualTo(400), badJson.ToString());
    }

    [Test]
    public async Task List_filters_by_state_region_metadata_and_include_deleted()
    {
        var app = await _t.CreateAppAsync();
        var a = await _t.CreateMachineAsync(app, edit: b => b["skip_launch"] = true);
        var b = await _t.CreateMachineAsync(app, Target.Config(edit: c => c["metadata"]!["fly_process_group"] = "worker"), edit: x => { x["skip_launch"] = true; x["region"] = "ams"; });
        var c = await _t.CreateMachineAsync(app, edit: x => x["skip_launch"] = true);
        var cid = c["id"]!.GetValue<string>();
        Assert.That((await _t.Delete($"/v1/apps/{app}/machines/{cid}")).Code, Is.EqualTo(200));
        async Task<string[]> Ids(string query) =>
            (await _t.Get($"/v1/apps/{app}/machines{query}")).Body!.AsArray().Select(m => m!["id"]!.GetValue<string>()).OrderBy(x => x).ToArray();
        string Id(JsonObject m) => m["id"]!.GetValue<string>();
        Assert.That(await Ids(""), Is.EquivalentTo(new[] { Id(a), Id(b) }));
        Assert.That(await Ids("?include_deleted=true"), Is.EquivalentTo(new[] { Id(a), Id(b), cid }));
        Assert.That(await Ids("?region=ams"), Is.EquivalentTo(new[] { Id(b) }));
        Assert.That(await Ids("?metadata.fly_process_group=app"), Is.EquivalentTo(new[] { Id(a) }));
        Assert.That(await Ids("?state=created"), Is.EquivalentTo(new[] { Id(a), Id(b) }));
        Assert.That(await Ids("?state=destroyed&include_deleted=true"), Is.EquivalentTo(new[] { cid }));
    }

    [Test]
    public async Task Metadata_get_set_delete()
    {
        var app = await _t.CreateAppAsync();
        var id = (await _t.CreateMachineAsync(app, edit: b => b["skip_launch"] = true))["id"]!.GetValue<string>();
        var set = await _t.Post($"/v1/apps/{app}/machines/{id}/metadata/release", new JsonObject { ["value"] = "v7" });
        Assert.That(set.Code, Is.InRange(200, 204), set.ToString());
        var got = await _t.Get($"/v1/apps/{app}/machines/{id}/metadata");
        Assert.That(got.Body!["release"]!.GetValue<string>(), Is.EqualTo("v7"));
        Assert.That(got.Body!["fly_platform_version"]!.GetValue<string>(), Is.EqualTo("v2"));
        Assert.That((await _t.Delete($"/v1/apps/{app}/machines/{id}/metadata/release")).Code, Is.InRange(200, 204));
        Assert.That((await _t.Get($"/v1/apps/{app}/machines/{id}/metadata")).Body!.AsObject().ContainsKey("release"), Is.False);
    }

    [Test]
    public async Task Secrets_set_and_unset_in_one_call_and_versions_increase()
    {
        var app = await _t.CreateAppAsync();
        var first = await _t.Post($"/v1/apps/{app}/secrets", new JsonObject { ["values"] = new JsonObject { ["A"] = "1", ["B"] = "2" } });
        Assert.That(first.Code, Is.EqualTo(200), first.ToString());
        var v1 = first.Body!["version"]!.GetValue<long>();
        var second = await _t.Post($"/v1/apps/{app}/secrets", new JsonObject { ["values"] = new JsonObject { ["A"] = "3", ["B"] = null } });
        Assert.That(second.Body!["version"]!.GetValue<long>(), Is.GreaterThan(v1));
        var list = await _t.Get($"/v1/apps/{app}/secrets");
        var secrets = list.Body!["secrets"]!.AsArray();
        Assert.That(secrets.Select(s => s!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "A" }));
        foreach (var field in new[] { "name", "digest", "created_at", "updated_at" })
            Assert.That(secrets[0]!.AsObject().ContainsKey(field), Is.True, field);
        Assert.That(list.Text, Does.Not.Contain("\"3\""), "values are never listed");
        var one = await _t.Post($"/v1/apps/{app}/secrets/C", new JsonObject { ["value"] = "x" });
        Assert.That(one.Code, Is.EqualTo(200), one.ToString());
        Assert.That((await _t.Get($"/v1/apps/{app}/secrets/C")).Body!["name"]!.GetValue<string>(), Is.EqualTo("C"));
        Assert.That((await _t.Delete($"/v1/apps/{app}/secrets/C")).Code, Is.EqualTo(200));
        Assert.That((await _t.Get($"/v1/apps/{app}/secrets/C")).Code, Is.EqualTo(404));
    }

    [Test]
    public async Task Volumes_create_list_get_extend_delete()
    {
        var app = await _t.CreateAppAsync();
        var created = await _t.Post($"/v1/apps/{app}/volumes", new JsonObject { ["name"] = "data", ["region"] = "iad", ["size_gb"] = 1, ["encrypted"] = true });
        Assert.That(created.Code, Is.EqualTo(200), created.ToString());
        var id = created.Body!["id"]!.GetValue<string>();
        Assert.That(id, Does.StartWith("vol_"));
        foreach (var field in new[] { "id", "name", "state", "size_gb", "region", "encrypted", "created_at" })
            Assert.That(created.Body!.AsObject().ContainsKey(field), Is.True, field);
        Assert.That((await _t.Get($"/v1/apps/{app}/volumes")).Body!.AsArray(), Has.Count.EqualTo(1));
        var extended = await _t.Put($"/v1/apps/{app}/volumes/{id}/extend", new JsonObject { ["size_gb"] = 3 });
        Assert.That(extended.Code, Is.EqualTo(200), extended.ToString());
        Assert.That(extended.Body!["volume"]!["size_gb"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That((await _t.Put($"/v1/apps/{app}/volumes/{id}/extend", new JsonObject { ["size_gb"] = 2 })).Code, Is.EqualTo(400));
        var machine = await _t.CreateMachineAsync(app, Target.Config(edit: c => c["mounts"] = new JsonArray(new JsonObject { ["volume"] = id, ["path"] = "/data" })), b => b["skip_launch"] = true);
        Assert.That((await _t.Get($"/v1/apps/{app}/volumes/{id}")).Body!["attached_machine_id"]!.GetValue<string>(), Is.EqualTo(machine["id"]!.GetValue<string>()));
        var second = await _t.Post($"/v1/apps/{app}/machines", new JsonObject { ["config"] = Target.Config(edit: c => c["mounts"] = new JsonArray(new JsonObject { ["volume"] = id, ["path"] = "/data" })) });
        Assert.That(second.Code, Is.EqualTo(422), "a volume attaches to one machine: " + second);
        Assert.That((await _t.Delete($"/v1/apps/{app}/machines/{machine["id"]}")).Code, Is.EqualTo(200));
        Assert.That((await _t.Delete($"/v1/apps/{app}/volumes/{id}")).Code, Is.EqualTo(200));
        Assert.That((await _t.Get($"/v1/apps/{app}/volumes/{id}")).Code, Is.EqualTo(404));
    }

    [Test]
    public async Task Leases_acquire_conflict_refresh_and_release()
    {
        var app = await _t.CreateAppAsync();
        var id = (await _t.CreateMachineAsync(app, edit: b => b["skip_launch"] = true))["id"]!.GetValue<string>();
        var path = $"/v1/apps/{app}/machines/{id}/lease";
        var acquired = await _t.Post(path, new JsonObject { ["ttl"] = 13, ["description"] = "deploy" });
        Assert.That(acquired.Code, Is.EqualTo(201), "Fly documents 201 Created: " + acquired);
        Assert.That(acquired.Body!["status"]!.GetValue<string>(), Is.EqualTo("success"));
        var data = acquired.Body!["data"]!;
        var nonce = data["nonce"]!.GetValue<string>();
        var expires = data["expires_at"]!.GetValue<long>();
        Assert.That(data["owner"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(expires, Is.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 10, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 14));

        var conflict = await _t.Post(path, new JsonObject { ["ttl"] = 13 });
        Assert.That(conflict.Code, Is.EqualTo(409), conflict.ToString());
        Assert.That(conflict.Error, Does.Contain("lease currently held by"));
        // Fly's documented 409 body for a held lease: {"status": "error", "message": ..., "code": "invalid"}, no "error".
        Assert.That(conflict.Body!["status"]!.GetValue<string>(), Is.EqualTo("error"), conflict.ToString());
        Assert.That(conflict.Body!["message"]!.GetValue<string>(), Does.Contain("lease currently held by"));
        Assert.That(conflict.Body!["code"]!.GetValue<string>(), Is.EqualTo("invalid"));
        Assert.That(conflict.Body!["error"], Is.Null);
        var wrong = await _t.Post(path, new JsonObject { ["ttl"] = 13 }, nonce: "000000000000");
        Assert.That(wrong.Code, Is.EqualTo(409), wrong.ToString());

        var refreshed = await _t.Post(path, new JsonObject { ["ttl"] = 60 }, nonce: nonce);
        Assert.That(refreshed.Code, Is.EqualTo(201), refreshed.ToString());
        Assert.That(refreshed.Body!["data"]!["nonce"]!.GetValue<string>(), Is.EqualTo(nonce));
        Assert.That(refreshed.Body!["data"]!["expires_at"]!.GetValue<long>(), Is.GreaterThan(expires + 30));

        // While held, mutating calls need the nonce.
        foreach (var (method, sub) in new[] { (HttpMethod.Post, "/start"), (HttpMethod.Post, "/cordon"), (HttpMethod.Delete, "") })
        {
            var r = await _t.SendAsync(method, $"/v1/apps/{app}/machines/{id}{sub}", method == HttpMethod.Post ? new JsonObject() : null);
            Assert.That(r.Code, Is.EqualTo(409), $"{method} {sub} without nonce: {r}");
            Assert.That(r.Error, Does.Contain("lease currently held by"));
        }
        var update = await _t.Post($"/v1/apps/{app}/machines/{id}", new JsonObject { ["config"] = Target.Config(), ["skip_launch"] = true });
        Assert.That(update.Code, Is.EqualTo(409), update.ToString());
        var updateWithNonce = await _t.Post($"/v1/apps/{app}/machines/{id}", new JsonObject { ["config"] = Target.Config(), ["skip_launch"] = true }, nonce: nonce);
        Assert.That(updateWithNonce.Code, Is.EqualTo(200), updateWithNonce.ToString());
        Assert.That((await _t.Get(path)).Body!["data"]!["nonce"]!.GetValue<string>(), Is.EqualTo(nonce));

        Assert.That((await _t.Delete(path, nonce: "000000000000")).Code, Is.EqualTo(409));
        var released = await _t.Delete(path, nonce: nonce);
        Assert.That(released.Code, Is.EqualTo(200), released.ToString());
        Assert.That(released.Body!["status"]!.GetValue<string>(), Is.EqualTo("success"));
        Assert.That(released.Body!["data"]!["ok"]!.GetValue<bool>(), Is.True, "Fly documents {status: success, data: {ok: true}}");
        Assert.That((await _t.Get(path)).Code, Is.EqualTo(404));
        Assert.That((await _t.Post($"/v1/apps/{app}/machines/{id}/cordon")).Code, Is.EqualTo(200));
    }

    [Test]
    public async Task Leases_expire_after_their_ttl()
    {
        var app = await _t.CreateAppAsync();
        var id = (await _t.CreateMachineAsync(app, edit: b => b["skip_launch"] = true))["id"]!.GetValue<string>();
        var path = $"/v1/apps/{app}/machines/{id}/lease";
        Assert.That((await _t.Post(path, new JsonObject { ["ttl"] = 1 })).Code, Is.EqualTo(201));
        Assert.That((await _t.Post(path, new JsonObject { ["ttl"] = 1 })).Code, Is.EqualTo(409));
        await Task.Delay(1300);
        Assert.That((await _t.Post(path, new JsonObject { ["ttl"] = 5 })).Code, Is.EqualTo(201), "expired lease no longer blocks");
    }

    [Test]
    public async Task Create_with_lease_ttl_returns_the_nonce_and_holds_the_lease()
    {
        var app = await _t.CreateAppAsync();
        var m = await _t.CreateMachineAsync(app, edit: b => { b["skip_launch"] = true; b["lease_ttl"] = 30; });
        var nonce = m["nonce"]?.GetValue<string>();
        Assert.That(nonce, Is.Not.Null.And.Not.Empty, m.ToJsonString());
        var id = m["id"]!.GetValue<string>();
        Assert.That((await _t.Post($"/v1/apps/{app}/machines/{id}/start")).Code, Is.EqualTo(409));
        Assert.That((await _t.Post($"/v1/apps/{app}/machines/{id}/start", nonce: nonce)).Code, Is.EqualTo(200));
    }

    [Test]
    public async Task Min_secrets_version_above_the_apps_is_rejected_with_412()
    {
        var app = await _t.CreateAppAsync();
        var set = await _t.Post($"/v1/apps/{app}/secrets", new JsonObject { ["values"] = new JsonObject { ["DB"] = "x" } });
        var version = set.Body!["version"]!.GetValue<long>();
        var tooNew = await _t.Post($"/v1/apps/{app}/machines", new JsonObject { ["config"] = Target.Config(), ["min_secrets_version"] = version + 1, ["skip_launch"] = true });
        Assert.That(tooNew.Code, Is.EqualTo(412), tooNew.ToString());
        Assert.That(tooNew.Error, Does.Contain("min_secrets_version"));
        var ok = await _t.Post($"/v1/apps/{app}/machines", new JsonObject { ["config"] = Target.Config(), ["min_secrets_version"] = version, ["skip_launch"] = true });
        Assert.That(ok.Code, Is.EqualTo(200), ok.ToString());
    }

    [Test]
    public async Task Update_replaces_the_whole_config_with_a_new_instance_id_and_checks_current_version()
    {
        var app = await _t.CreateAppAsync();
        var m = await _t.CreateMachineAsync(app, Target.Config(edit: c => c["env"] = new JsonObject { ["OLD"] = "1" }), b => b["skip_launch"] = true);
        var id = m["id"]!.GetValue<string>();
        var v1 = m["instance_id"]!.GetValue<string>();
        var stale = await _t.Post($"/v1/apps/{app}/machines/{id}", new JsonObject { ["config"] = Target.Config(), ["current_version"] = "01STALEVERSION000000000000", ["skip_launch"] = true });
        Assert.That(stale.Code, Is.EqualTo(412), stale.ToString());
        var updated = await _t.Post($"/v1/apps/{app}/machines/{id}", new JsonObject { ["config"] = Target.Config("registry.fly.io/test-app:deployment-02"), ["current_version"] = v1, ["skip_launch"] = true });
        Assert.That(updated.Code, Is.EqualTo(200), updated.ToString());
        var v2 = updated.Body!["instance_id"]!.GetValue<string>();
        Assert.That(v2, Is.Not.EqualTo(v1));
        var again = await _t.Post($"/v1/apps/{app}/machines/{id}", new JsonObject { ["config"] = Target.Config("registry.fly.io/test-app:deployment-02"), ["skip_launch"] = true });
        Assert.That(again.Body!["instance_id"]!.GetValue<string>(), Is.Not.EqualTo(v2), "every update is a new version, even with the same config");
        var got = await _t.MachineAsync(app, id);
        Assert.That(got["config"]!.AsObject().ContainsKey("env"), Is.False, "update replaces the config; it does not merge");
        Assert.That(got["image_ref"]!["tag"]!.GetValue<string>(), Is.EqualTo("deployment-02"));
    }
}
