using System.Text.Json.Nodes;
using NUnit.Framework;

namespace FlyIo.LocalMachines.Tests;

/// <summary>
/// A volume on real machines: what a machine writes to its volume is there after an update, a restart, a stop and
/// start, a rollback, and for the next machine it is attached to, while the root file system starts afresh each time.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class VolumeProcessTests
{
    /// <summary>
    /// Prints what the machine finds (its volume's note and history, and a file left in the root file system by an
    /// earlier launch), then adds this launch to the history and keeps running.
    /// </summary>
    private const string Script =
        "note=$(busybox cat /data/note 2>/dev/null || echo none); scratch=$(busybox cat /scratch 2>/dev/null || echo none); " +
        "[ -f /data/note ] || echo first-$PHASE > /data/note; echo $PHASE >> /data/history; echo $PHASE > /scratch; " +
        "h=''; while read l; do h=\"$h$l,\"; done < /data/history; " +
        "echo \"phase=$PHASE note=$note scratch=$scratch history=$h\"; exec busybox sleep 3600";

    private static JsonObject Config(string image, string volume, string phase) => Target.Config(image, c =>
    {
        c["init"] = new JsonObject { ["exec"] = new JsonArray("/bin/busybox", "sh", "-c", Script) };
        c["env"] = new JsonObject { ["PHASE"] = phase };
        c["mounts"] = new JsonArray(new JsonObject { ["volume"] = volume, ["path"] = "/data", ["name"] = "data" });
    });

    /// <summary>Waits for the machine to print <paramref name="expected"/> (its logs lag its output a little).</summary>
    private static async Task ExpectLineAsync(Target t, string app, string machine, string expected)
    {
        var lines = new List<string>();
        for (var i = 0; i < 100 && !lines.Contains(expected); i++)
        {
            if (i > 0) await Task.Delay(100);
            var page = await t.Get($"/api/v1/apps/{app}/logs?instance={machine}");
            Assert.That(page.Code, Is.EqualTo(200), page.ToString());
            lines = page.Body!["data"]!.AsArray().Select(d => d!["attributes"]!["message"]!.GetValue<string>()).Where(l => l.StartsWith("phase=", StringComparison.Ordinal)).ToList();
        }
        Assert.That(lines, Does.Contain(expected), "the machine's reports so far:\n" + string.Join("\n", lines));
    }

    private static async Task<string> UpdateAsync(Target t, string app, string machine, JsonObject config)
    {
        var r = await t.Post($"/v1/apps/{app}/machines/{machine}", new JsonObject { ["config"] = config });
        Assert.That(r.Code, Is.EqualTo(200), r.ToString());
        var version = r.Body!["instance_id"]!.GetValue<string>();
        await t.WaitAsync(app, machine, "started", version, 60);
        return version;
    }

    [Test]
    public async Task A_volume_keeps_its_files_across_update_restart_stop_start_rollback_and_a_new_machine()
    {
        var (registry, password) = ProcessRuntimeTests.RequireRealMachines();
        var image = await ProcessRuntimeTests.PushBusyboxImage(registry, password, "flyio-local-machines-test/httpd", "t" + Environment.ProcessId);
        var data = Path.Combine(Path.GetTempPath(), "lm-process-" + Guid.NewGuid().ToString("N")[..8]);
        await using var t = await Target.StartAsync(o => { o.Runtime = "process"; o.RegistryPassword = password; o.DataDir = data; o.Subnet = "172.20"; });
        var app = await t.CreateAppAsync("lm-volume");
        var created = await t.Post($"/v1/apps/{app}/volumes", new JsonObject { ["name"] = "data", ["region"] = "iad", ["size_gb"] = 1 });
        Assert.That(created.Code, Is.EqualTo(200), created.ToString());
        var volume = created.Body!["id"]!.GetValue<string>();

        var m = await t.CreateMachineAsync(app, Config(image, volume, "v1"));
        var id = m["id"]!.GetValue<string>();
        await t.WaitAsync(app, id, "started", m["instance_id"]!.GetValue<string>(), 60);
        await ExpectLineAsync(t, app, id, "phase=v1 note=none scratch=none history=v1,");
        Assert.That(File.ReadAllText(Path.Combine(data, "volumes", volume, "note")), Is.EqualTo("first-v1\n"), "the volume is a directory on the host");

        // A new version: the root file system is the image's again (scratch=none), the volume is not.
        await UpdateAsync(t, app, id, Config(image, volume, "v2"));
        await ExpectLineAsync(t, app, id, "phase=v2 note=first-v1 scratch=none history=v1,v2,");

        var restart = await t.Post($"/v1/apps/{app}/machines/{id}/restart");
        Assert.That(restart.Code, Is.EqualTo(200), restart.ToString());
        await ExpectLineAsync(t, app, id, "phase=v2 note=first-v1 scratch=none history=v1,v2,v2,");

        var version = (await t.MachineAsync(app, id))["instance_id"]!.GetValue<string>();
        Assert.That((await t.Post($"/v1/apps/{app}/machines/{id}/stop")).Code, Is.EqualTo(200));
        await t.WaitAsync(app, id, "stopped", version, 30);
        Assert.That((await t.Post($"/v1/apps/{app}/machines/{id}/start")).Code, Is.EqualTo(200));
        await ExpectLineAsync(t, app, id, "phase=v2 note=first-v1 scratch=none history=v1,v2,v2,v2,");

        // A rollback: an update back to the first config, with the same volume.
        await UpdateAsync(t, app, id, Config(image, volume, "v1"));
        await ExpectLineAsync(t, app, id, "phase=v1 note=first-v1 scratch=none history=v1,v2,v2,v2,v1,");

        // The machine goes (its own directory with it); its volume is free for a new machine, files and all.
        Assert.That((await t.Delete($"/v1/apps/{app}/machines/{id}?force=true")).Code, Is.EqualTo(200));
        var next = await t.CreateMachineAsync(app, Config(image, volume, "v3"));
        var nextId = next["id"]!.GetValue<string>();
        await t.WaitAsync(app, nextId, "started", next["instance_id"]!.GetValue<string>(), 60);
        await ExpectLineAsync(t, app, nextId, "phase=v3 note=first-v1 scratch=none history=v1,v2,v2,v2,v1,v3,");
        Assert.That(Directory.Exists(Path.Combine(data, "machines", id)), Is.False, "the destroyed machine's directory is gone, its volume is not");

        // Destroying the volume deletes its directory.
        Assert.That((await t.Delete($"/v1/apps/{app}/machines/{nextId}?force=true")).Code, Is.EqualTo(200));
        var deleted = await t.Delete($"/v1/apps/{app}/volumes/{volume}");
        Assert.That(deleted.Code, Is.EqualTo(200), deleted.ToString());
        var volumeDir = Path.Combine(data, "volumes", volume);
        for (var i = 0; i < 50 && Directory.Exists(volumeDir); i++) await Task.Delay(100);
        Assert.That(Directory.Exists(volumeDir), Is.False);
        try { Directory.Delete(data, true); } catch (IOException) { }
    }
}
