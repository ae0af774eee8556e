using System.Text.Json.Nodes;
using NUnit.Framework;

namespace FlyIo.LocalMachines.Tests;

/// <summary>Volumes as Fly's Volumes resource documents them, and the volume rules of a machine's mounts on create and update.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class VolumeContractTests
{
    private Target _t = null!;

    [OneTimeSetUp]
    public async Task Start() => _t = await Target.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private async Task<string> CreateVolumeAsync(string app, string region = "iad")
    {
        var r = await _t.Post($"/v1/apps/{app}/volumes", new JsonObject { ["name"] = "data", ["region"] = region, ["size_gb"] = 1 });
        Assert.That(r.Code, Is.EqualTo(200), r.ToString());
        return r.Body!["id"]!.GetValue<string>();
    }

    private static JsonObject WithMounts(params (string Volume, string Path)[] mounts) => Target.Config(edit: c =>
        c["mounts"] = new JsonArray(mounts.Select(m => (JsonNode)new JsonObject { ["volume"] = m.Volume, ["path"] = m.Path, ["name"] = "data" }).ToArray()));

    private Task<Reply> UpdateAsync(string app, string machine, JsonObject config) =>
        _t.Post($"/v1/apps/{app}/machines/{machine}", new JsonObject { ["config"] = config, ["skip_launch"] = true });

    [Test]
    public async Task A_create_with_only_a_name_gets_Flys_documented_defaults()
    {
        var app = await _t.CreateAppAsync("vol-defaults");
        var r = await _t.Post($"/v1/apps/{app}/volumes", new JsonObject { ["name"] = "data" });

        Assert.That(r.Code, Is.EqualTo(200), r.ToString());
        var v = r.Body!;
        Assert.That(v["size_gb"]!.GetValue<int>(), Is.EqualTo(3), "size_gb defaults to 3");
        Assert.That(v["snapshot_retention"]!.GetValue<int>(), Is.EqualTo(5), "snapshot_retention defaults to 5 days");
        Assert.That(v["auto_backup_enabled"]!.GetValue<bool>(), Is.True);
        Assert.That(v["encrypted"]!.GetValue<bool>(), Is.True);
        Assert.That(v["fstype"]!.GetValue<string>(), Is.EqualTo("ext4"));
        Assert.That(v["region"]!.GetValue<string>(), Is.Not.Empty, "the region defaults to the server's");
        Assert.That(v["attached_machine_id"], Is.Null);
    }

    [Test]
    public async Task A_create_with_fly_gos_full_request_keeps_the_values_and_null_members_mean_defaults()
    {
        var app = await _t.CreateAppAsync("vol-fields");
        // fly-go's CreateVolumeRequest sends its unset pointers as null.
        var r = await _t.Post($"/v1/apps/{app}/volumes", new JsonObject
        {
            ["name"] = "pg_data", ["region"] = "ord", ["size_gb"] = 10, ["encrypted"] = false, ["require_unique_zone"] = false,
            ["unique_zone_app_wide"] = null, ["snapshot_retention"] = 14, ["auto_backup_enabled"] = false, ["fstype"] = null,
            ["snapshot_id"] = null, ["source_volume_id"] = null,
            ["compute"] = new JsonObject { ["cpu_kind"] = "shared", ["cpus"] = 1, ["memory_mb"] = 256 }, ["compute_image"] = "registry.fly.io/app:deployment-1",
        });

        Assert.That(r.Code, Is.EqualTo(200), r.ToString());
        var id = r.Body!["id"]!.GetValue<string>();
        var got = (await _t.Get($"/v1/apps/{app}/volumes/{id}")).Body!;
        foreach (var v in new[] { r.Body!, got, (await _t.Get($"/v1/apps/{app}/volumes")).Body!.AsArray().Single()! })
        {
            Assert.That(v["name"]!.GetValue<string>(), Is.EqualTo("pg_data"));
            Assert.That(v["region"]!.GetValue<string>(), Is.EqualTo("ord"));
            Assert.That(v["size_gb"]!.GetValue<int>(), Is.EqualTo(10));
            Assert.That(v["encrypted"]!.GetValue<bool>(), Is.False);
            Assert.That(v["snapshot_retention"]!.GetValue<int>(), Is.EqualTo(14));
            Assert.That(v["auto_backup_enabled"]!.GetValue<bool>(), Is.False);
            Assert.That(v["fstype"]!.GetValue<string>(), Is.EqualTo("ext4"));
        }
    }

    [TestCase("{\"name\":\"Data\"}", 400, "volume name")]
    [TestCase("{\"name\":\"has-dash\"}", 400, "volume name")]
    [TestCase("{\"name\":\"a_name_that_is_longer_than_thirty\"}", 400, "volume name")]
    [TestCase("{\"region\":\"iad\"}", 400, "volume name")]
    [TestCase("{\"name\":\"data\",\"size_gb\":0}", 400, "size_gb")]
    [TestCase("{\"name\":\"data\",\"size_gb\":501}", 400, "size_gb")]
    [TestCase("{\"name\":\"data\",\"snapshot_retention\":0}", 400, "snapshot_retention")]
    [TestCase("{\"name\":\"data\",\"snapshot_retention\":61}", 400, "snapshot_retention")]
    [TestCase("{\"name\":\"data\",\"fstype\":\"xfs\"}", 400, "fstype")]
    [TestCase("{\"name\":\"data\",\"size_gb\":\"ten\"}", 400, "")]
    [TestCase("{\"name\":\"data\",\"snapshot_id\":\"vs_none\"}", 404, "snapshot")]
    public async Task A_create_Fly_would_refuse_is_refused_and_creates_nothing(string body, int status, string mentions)
    {
        var app = await _t.CreateAppAsync("vol-bad");
        var r = await _t.Post($"/v1/apps/{app}/volumes", JsonNode.Parse(body));

        Assert.That(r.Code, Is.EqualTo(status), r.ToString());
        Assert.That(r.Error, Does.Contain(mentions));
        Assert.That((await _t.Get($"/v1/apps/{app}/volumes")).Body!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task An_update_persists_snapshot_retention_and_auto_backup_and_leaves_out_members_alone()
    {
        var app = await _t.CreateAppAsync("vol-update");
        var id = await CreateVolumeAsync(app);

        var r = await _t.Put($"/v1/apps/{app}/volumes/{id}", new JsonObject { ["snapshot_retention"] = 30, ["auto_backup_enabled"] = false });
        Assert.That(r.Code, Is.EqualTo(200), r.ToString());
        Assert.That(r.Body!["snapshot_retention"]!.GetValue<int>(), Is.EqualTo(30));
        var partial = await _t.Put($"/v1/apps/{app}/volumes/{id}", new JsonObject { ["snapshot_retention"] = 7, ["auto_backup_enabled"] = null });
        Assert.That(partial.Code, Is.EqualTo(200), partial.ToString());

        var got = (await _t.Get($"/v1/apps/{app}/volumes/{id}")).Body!;
        Assert.That(got["snapshot_retention"]!.GetValue<int>(), Is.EqualTo(7), "the update is kept, not just echoed");
        Assert.That(got["auto_backup_enabled"]!.GetValue<bool>(), Is.False, "a null member keeps the value");
        var bad = await _t.Put($"/v1/apps/{app}/volumes/{id}", new JsonObject { ["snapshot_retention"] = 90 });
        Assert.That(bad.Code, Is.EqualTo(400), bad.ToString());
        Assert.That((await _t.Get($"/v1/apps/{app}/volumes/{id}")).Body!["snapshot_retention"]!.GetValue<int>(), Is.EqualTo(7));
    }

    [Test]
    public async Task A_machine_create_checks_each_mount_and_attaches_its_volume()
    {
        var app = await _t.CreateAppAsync("vol-mount");
        var id = await CreateVolumeAsync(app);
        var elsewhere = await CreateVolumeAsync(app, "ord");

        async Task Refused(JsonObject config, int status, string mentions)
        {
            var r = await _t.Post($"/v1/apps/{app}/machines", new JsonObject { ["config"] = config, ["region"] = "iad", ["skip_launch"] = true });
            Assert.That(r.Code, Is.EqualTo(status), r.ToString());
            Assert.That(r.Error, Does.Contain(mentions), r.ToString());
        }
        await Refused(Target.Config(edit: c => c["mounts"] = new JsonArray(new JsonObject { ["path"] = "/data" })), 422, "volume is required");
        await Refused(Target.Config(edit: c => c["mounts"] = new JsonArray(new JsonObject { ["volume"] = id })), 422, "path is required");
        await Refused(WithMounts((id, "data")), 422, "absolute");
        await Refused(WithMounts(("vol_doesnotexist00", "/data")), 404, "not found");
        await Refused(WithMounts((elsewhere, "/data")), 422, "region ord");
        await Refused(WithMounts((id, "/data"), (id, "/more")), 422, "mounted twice");
        Assert.That((await _t.Get($"/v1/apps/{app}/machines")).Body!.AsArray(), Is.Empty, "no refused create left a machine");
        Assert.That((await _t.Get($"/v1/apps/{app}/volumes/{id}")).Body!["attached_machine_id"], Is.Null);

        var m = await _t.CreateMachineAsync(app, WithMounts((id, "/data")), b => b["skip_launch"] = true);
        Assert.That((await _t.Get($"/v1/apps/{app}/volumes/{id}")).Body!["attached_machine_id"]!.GetValue<string>(), Is.EqualTo(m["id"]!.GetValue<string>()));
        await Refused(WithMounts((id, "/data")), 422, "already attached");
        var delete = await _t.Delete($"/v1/apps/{app}/volumes/{id}");
        Assert.That(delete.Code, Is.EqualTo(412), "an attached volume cannot be deleted: " + delete);
    }

    [Test]
    public async Task An_update_keeps_the_machines_volume_may_move_its_path_and_cannot_swap_add_or_drop_one()
    {
        var app = await _t.CreateAppAsync("vol-mount-update");
        var id = await CreateVolumeAsync(app);
        var other = await CreateVolumeAsync(app);
        var m = await _t.CreateMachineAsync(app, WithMounts((id, "/data")), b => b["skip_launch"] = true);
        var mid = m["id"]!.GetValue<string>();

        var same = await UpdateAsync(app, mid, WithMounts((id, "/data")).Also(c => c["env"] = new JsonObject { ["V"] = "2" }));
        Assert.That(same.Code, Is.EqualTo(200), "same volume, new config: " + same);
        var moved = await UpdateAsync(app, mid, WithMounts((id, "/var/lib/data")));
        Assert.That(moved.Code, Is.EqualTo(200), "the mount path may change: " + moved);
        Assert.That(moved.Body!["config"]!["mounts"]![0]!["path"]!.GetValue<string>(), Is.EqualTo("/var/lib/data"));
        var version = moved.Body!["instance_id"]!.GetValue<string>();

        var swapped = await UpdateAsync(app, mid, WithMounts((other, "/data")));
        Assert.That(swapped.Code, Is.EqualTo(422), swapped.ToString());
        Assert.That(swapped.Error, Does.Contain("cannot be attached to existing machine"));
        var added = await UpdateAsync(app, mid, WithMounts((id, "/data"), (other, "/more")));
        Assert.That(added.Code, Is.EqualTo(422), added.ToString());
        var dropped = await UpdateAsync(app, mid, Target.Config());
        Assert.That(dropped.Code, Is.EqualTo(422), dropped.ToString());
        Assert.That(dropped.Error, Does.Contain("cannot be detached"));
        var malformed = await UpdateAsync(app, mid, Target.Config(edit: c => c["mounts"] = new JsonArray(new JsonObject { ["volume"] = id })));
        Assert.That(malformed.Code, Is.EqualTo(422), malformed.ToString());

        var after = await _t.MachineAsync(app, mid);
        Assert.That(after["instance_id"]!.GetValue<string>(), Is.EqualTo(version), "a refused update changes nothing");
        Assert.That(after["config"]!["mounts"]![0]!["volume"]!.GetValue<string>(), Is.EqualTo(id));
        Assert.That((await _t.Get($"/v1/apps/{app}/volumes/{other}")).Body!["attached_machine_id"], Is.Null);
    }

    [Test]
    public async Task A_machine_without_a_volume_cannot_get_one_by_update()
    {
        var app = await _t.CreateAppAsync("vol-add");
        var id = await CreateVolumeAsync(app);
        var m = await _t.CreateMachineAsync(app, Target.Config(), b => b["skip_launch"] = true);

        var r = await UpdateAsync(app, m["id"]!.GetValue<string>(), WithMounts((id, "/data")));

        Assert.That(r.Code, Is.EqualTo(422), r.ToString());
        Assert.That((await _t.Get($"/v1/apps/{app}/volumes/{id}")).Body!["attached_machine_id"], Is.Null);
    }

    [Test]
    public async Task Destroying_the_machine_frees_its_volume_for_a_new_machine_and_for_deletion()
    {
        var app = await _t.CreateAppAsync("vol-free");
        var id = await CreateVolumeAsync(app);
        var first = await _t.CreateMachineAsync(app, WithMounts((id, "/data")), b => b["skip_launch"] = true);

        Assert.That((await _t.Delete($"/v1/apps/{app}/machines/{first["id"]}")).Code, Is.EqualTo(200));
        Assert.That((await _t.Get($"/v1/apps/{app}/volumes/{id}")).Body!["attached_machine_id"], Is.Null);
        var second = await _t.CreateMachineAsync(app, WithMounts((id, "/data")), b => b["skip_launch"] = true);
        Assert.That((await _t.Get($"/v1/apps/{app}/volumes/{id}")).Body!["attached_machine_id"]!.GetValue<string>(), Is.EqualTo(second["id"]!.GetValue<string>()));
        Assert.That((await _t.Delete($"/v1/apps/{app}/machines/{second["id"]}")).Code, Is.EqualTo(200));

        var deleted = await _t.Delete($"/v1/apps/{app}/volumes/{id}");
        Assert.That(deleted.Code, Is.EqualTo(200), deleted.ToString());
        Assert.That(deleted.Body!["state"]!.GetValue<string>(), Is.EqualTo("destroyed"));
        var third = await _t.Post($"/v1/apps/{app}/machines", new JsonObject { ["config"] = WithMounts((id, "/data")), ["region"] = "iad" });
        Assert.That(third.Code, Is.EqualTo(404), "a destroyed volume cannot be mounted: " + third);
    }
}

internal static class JsonObjectEditing
{
    /// <summary>The object after <paramref name="edit"/>, for configs built inline.</summary>
    public static JsonObject Also(this JsonObject o, Action<JsonObject> edit)
    {
        edit(o);
        return o;
    }
}
