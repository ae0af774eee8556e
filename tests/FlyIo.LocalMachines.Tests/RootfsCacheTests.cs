using System.Text.Json.Nodes;
using NUnit.Framework;

namespace FlyIo.LocalMachines.Tests;

/// <summary>
/// The process runtime unpacks an image once and gives each machine an overlay on it: two machines of one image cost
/// one unpack, and what one machine writes (a new file, or a file of the image changed in place) is seen neither by the
/// other machine nor in the cached tree.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RootfsCacheTests
{
    [Test]
    public async Task Two_machines_of_one_image_share_one_unpack_and_neither_can_change_the_cache_or_the_other()
    {
        var (registry, password) = ProcessRuntimeTests.RequireRealMachines();
        var image = await ProcessRuntimeTests.PushBusyboxImage(registry, password, "flyio-local-machines-test/httpd", "cache" + Environment.ProcessId);
        var data = Path.Combine(Path.GetTempPath(), "lm-cache-" + Guid.NewGuid().ToString("N")[..8]);
        await using var t = await Target.StartAsync(o => { o.Runtime = "process"; o.RegistryPassword = password; o.DataDir = data; o.Subnet = "172.27"; });
        var app = await t.CreateAppAsync("lm-cache");
        // Each machine writes its id into a new file and over a file the image carries, then stays up.
        var config = Target.Config(image, c => c["init"] = new JsonObject
        {
            ["exec"] = new JsonArray("/bin/sh", "-c", "echo $FLY_MACHINE_ID > /www/mine && echo $FLY_MACHINE_ID > /www/healthz && exec /bin/busybox sleep 600"),
        });
        var ids = new List<string>();
        foreach (var _ in new[] { 1, 2 })
        {
            var m = await t.CreateMachineAsync(app, (JsonObject)config.DeepClone());
            ids.Add(m["id"]!.GetValue<string>());
            await t.WaitAsync(app, ids[^1], "started", m["instance_id"]!.GetValue<string>(), 60);
        }

        string Root(string id, string file) => Path.Combine(data, "machines", id, "rootfs", "www", file);
        for (var i = 0; i < 100 && !ids.All(id => File.Exists(Root(id, "mine"))); i++) await Task.Delay(100);
        var status = await t.Get("/__admin/rootfs-cache");
        Assert.That(status.Body?["unpacks"]?.GetValue<int>(), Is.EqualTo(1), status.Text);
        var tree = Directory.GetDirectories(Path.Combine(data, "rootfs-cache")).Single();
        Assert.Multiple(() =>
        {
            foreach (var id in ids)
            {
                Assert.That(File.ReadAllText(Root(id, "mine")).Trim(), Is.EqualTo(id), "each machine sees its own new file");
                Assert.That(File.ReadAllText(Root(id, "healthz")).Trim(), Is.EqualTo(id), "each machine sees its own change to the image's file");
                Assert.That(File.Exists(Path.Combine(data, "machines", id, "rootfs-upper", "www", "healthz")), Is.True, "the write went to the machine's overlay upper directory");
            }

            Assert.That(File.Exists(Path.Combine(tree, "www", "mine")), Is.False, "a machine's new file is not in the cache");
            Assert.That(File.ReadAllText(Path.Combine(tree, "www", "healthz")), Is.EqualTo("ok\n"), "the cached file is unchanged");
        });

        // Relaunching a machine (a restart) starts again from the image's tree, without another unpack.
        var again = await t.Post($"/v1/apps/{app}/machines/{ids[0]}/restart");
        Assert.That(again.Code, Is.EqualTo(200), again.Text);
        for (var i = 0; i < 100; i++)
        {
            if (File.Exists(Root(ids[0], "mine"))) break;
            await Task.Delay(100);
        }

        Assert.That((await t.Get("/__admin/rootfs-cache")).Body?["unpacks"]?.GetValue<int>(), Is.EqualTo(1));
    }
}
