using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.LocalMachines.Tests;

/// <summary>Machines run for real: a busybox httpd image this test builds from Debian's busybox-static, pushed to the
/// local registry (build/registry.sh), run in its own network namespace, checked, proxied, stopped.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ProcessRuntimeTests
{
    private static string Sh(string script)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{script}: {error}");
        return output.Trim();
    }

    /// <summary>Skips unless real machines can run here; starts the local registry and returns it with its password.</summary>
    internal static (string Registry, string Password) RequireRealMachines()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root") Assert.Ignore("needs Linux and root (network namespaces, chroot)");
        if (!File.Exists("/bin/busybox")) Assert.Ignore("needs Debian's busybox-static (/bin/busybox)");
        var script = Path.Combine(RepoPaths.RepoRoot, "build", "registry.sh");
        return (Sh($"'{script}' start | tail -1"), Sh($"'{script}' password"));
    }

    private static string Digest(byte[] data) => "sha256:" + Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();

    /// <summary>Pushes a one-layer OCI image: /bin/busybox, /www/healthz; entrypoint busybox httpd on 8080.</summary>
    internal static async Task<string> PushBusyboxImage(string registry, string password, string repository, string tag, string? user = null)
    {
        var layerTar = new MemoryStream();
        using (var writer = new TarWriter(layerTar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)0b111_101_101 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "www/") { Mode = (UnixFileMode)0b111_101_101 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = (UnixFileMode)0b111_101_101, DataStream = File.OpenRead("/bin/busybox") });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox" });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "www/healthz") { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(Encoding.UTF8.GetBytes("ok\n")) });
            if (user is not null)
            {
                // An account "app" (1654:1654) that owns its home, as the .NET images' app user does.
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "etc/") { Mode = (UnixFileMode)0b111_101_101 });
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/passwd") { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(Encoding.UTF8.GetBytes("root:x:0:0:root:/root:/bin/sh\napp:x:1654:1654::/home/app:/bin/sh\n")) });
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/group") { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(Encoding.UTF8.GetBytes("root:x:0:\napp:x:1654:\n")) });
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "home/") { Mode = (UnixFileMode)0b111_101_101 });
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "home/app/") { Mode = (UnixFileMode)0b111_101_101, Uid = 1654, Gid = 1654 });
            }
        }
        var tar = layerTar.ToArray();
        var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(tar);
        var layer = gz.ToArray();
        var config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "amd64", ["os"] = "linux",
            ["config"] = new JsonObject
            {
                ["Entrypoint"] = new JsonArray("/bin/busybox"),
                ["Cmd"] = new JsonArray("httpd", "-f", "-p", "8080", "-h", "/www"),
                ["Env"] = new JsonArray("PATH=/bin"),
                ["User"] = user ?? "",
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(Digest(tar)) },
        }.ToJsonString());
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + password)));
        foreach (var blob in new[] { layer, config })
        {
            var start = await http.PostAsync($"v2/{repository}/blobs/uploads/", null);
            Assert.That((int)start.StatusCode, Is.EqualTo(202), await start.Content.ReadAsStringAsync());
            var location = start.Headers.Location!.ToString();
            var put = await http.PutAsync(location + (location.Contains('?') ? "&" : "?") + "digest=" + Uri.EscapeDataString(Digest(blob)), new ByteArrayContent(blob));
            Assert.That((int)put.StatusCode, Is.EqualTo(201), await put.Content.ReadAsStringAsync());
        }
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2, ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = Digest(config), ["size"] = config.Length },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip", ["digest"] = Digest(layer), ["size"] = layer.Length }),
        }.ToJsonString();
        var content = new StringContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        var pushed = await http.PutAsync($"v2/{repository}/manifests/{tag}", content);
        Assert.That((int)pushed.StatusCode, Is.EqualTo(201), await pushed.Content.ReadAsStringAsync());
        return $"{registry}/{repository}:{tag}";
    }

    [Test]
    public async Task A_busybox_httpd_machine_runs_in_its_namespace_passes_checks_is_proxied_and_stops()
    {
        var (registry, password) = RequireRealMachines();
        var image = await PushBusyboxImage(registry, password, "flyio-local-machines-test/httpd", "t" + Environment.ProcessId);

        var data = Path.Combine(Path.GetTempPath(), "lm-process-" + Guid.NewGuid().ToString("N")[..8]);
        await using var t = await Target.StartAsync(o => { o.Runtime = "process"; o.RegistryPassword = password; o.DataDir = data; o.Subnet = "172.30"; });
        var app = await t.CreateAppAsync("lm-proc");
        var config = Target.Config(image, c =>
        {
            c["env"] = new JsonObject { ["GREETING"] = "hello" };
            c["services"] = new JsonArray(new JsonObject
            {
                ["protocol"] = "tcp", ["internal_port"] = 8080,
                ["ports"] = new JsonArray(new JsonObject { ["port"] = 80, ["handlers"] = new JsonArray("http") }),
                ["checks"] = new JsonArray(new JsonObject { ["type"] = "http", ["path"] = "/healthz", ["interval"] = "300ms", ["timeout"] = "1s" }),
            });
            c["checks"] = new JsonObject { ["missing"] = new JsonObject { ["type"] = "tcp", ["port"] = 9999, ["interval"] = "300ms", ["timeout"] = "1s" } };
        });
        var m = await t.CreateMachineAsync(app, config);
        var id = m["id"]!.GetValue<string>();
        await t.WaitAsync(app, id, "started", m["instance_id"]!.GetValue<string>(), 60);
        JsonArray checks = new();
        for (var i = 0; i < 50; i++)
        {
            checks = (JsonArray)(await t.MachineAsync(app, id))["checks"]!;
            // The first probe may come before httpd listens; wait for the service check to turn passing.
            if (checks.Any(c => c!["name"]!.GetValue<string>().StartsWith("servicecheck-") && c!["status"]!.GetValue<string>() == "passing")
                && checks.All(c => c!["status"]!.GetValue<string>() != "warning")) break;
            await Task.Delay(100);
        }
        var status = checks.ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["status"]!.GetValue<string>());
        Assert.That(status["servicecheck-00-http-8080"], Is.EqualTo("passing"), checks.ToJsonString());
        Assert.That(status["missing"], Is.EqualTo("critical"), "nothing listens on 9999 in the machine's namespace");
        Assert.That(Sh($"ip netns list | grep -c fly-{id} || true"), Is.EqualTo("1"));

        // The edge proxy routes to healthy machines only: with a critical check there is no target.
        var proxy = await t.Post($"/__admin/proxy/{app}");
        Assert.That(proxy.Body!["targets"]!.AsArray(), Is.Empty, proxy.ToString());
        var updated = await t.Post($"/v1/apps/{app}/machines/{id}", new JsonObject { ["config"] = Target.Config(image, c => c["services"] = config["services"]!.DeepClone()) });
        var v2 = updated.Body!["instance_id"]!.GetValue<string>();
        await t.WaitAsync(app, id, "started", v2, 60);
        string? body = null;
        for (var i = 0; i < 50 && body is null; i++)
        {
            var targets = (await t.Post($"/__admin/proxy/{app}")).Body!;
            if (targets["targets"]!.AsArray().Count == 1)
            {
                using var http = new HttpClient();
                body = await http.GetStringAsync(targets["url"]!.GetValue<string>() + "/healthz");
            }
            else await Task.Delay(100);
        }
        Assert.That(body, Is.EqualTo("ok\n"), "served through the edge proxy from the machine's namespace");

        Assert.That((await t.Post($"/v1/apps/{app}/machines/{id}/stop", new JsonObject { ["signal"] = "SIGTERM", ["timeout"] = "3s" })).Code, Is.EqualTo(200));
        await t.WaitAsync(app, id, "stopped", v2, 30);
        Assert.That((await t.Delete($"/v1/apps/{app}/machines/{id}")).Code, Is.EqualTo(200));
        await t.WaitAsync(app, id, "destroyed");
        for (var i = 0; i < 30 && Sh($"ip netns list | grep -c fly-{id} || true") != "0"; i++) await Task.Delay(100);
        Assert.That(Sh($"ip netns list | grep -c fly-{id} || true"), Is.EqualTo("0"), "destroy removes the namespace");
        try { Directory.Delete(data, true); } catch (IOException) { }
    }

    [Test]
    public async Task A_machine_reaches_a_host_service_by_name_and_what_it_prints_is_served_by_the_logs_API()
    {
        var (registry, password) = RequireRealMachines();
        var image = await PushBusyboxImage(registry, password, "flyio-local-machines-test/httpd", "t" + Environment.ProcessId);

        // A service on the host's loopback only, as the test's PostgreSQL is.
        using var service = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        service.Start();
        var port = ((System.Net.IPEndPoint)service.LocalEndpoint).Port;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await service.AcceptTcpClientAsync();
                using var stream = client.GetStream();
                // One read is the whole request line and headers of a tiny GET; the reply does not depend on it.
                _ = await stream.ReadAsync(new byte[4096]);
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.0 200 OK\r\nContent-Length: 20\r\n\r\nhello from the host\n"));
            }
        });

        var data = Path.Combine(Path.GetTempPath(), "lm-process-" + Guid.NewGuid().ToString("N")[..8]);
        await using var t = await Target.StartAsync(o =>
        {
            o.Runtime = "process"; o.RegistryPassword = password; o.DataDir = data; o.Subnet = "172.26";
            o.HostServices.Add(HostService.Parse($"db.flycast:5432=127.0.0.1:{port}"));
        });
        var app = await t.CreateAppAsync("lm-hostsvc");
        var config = Target.Config(image, c =>
        {
            c["init"] = new JsonObject { ["exec"] = new JsonArray("/bin/busybox", "sh", "-c",
                "echo machine up; cat /etc/hosts; /bin/busybox wget -q -O - http://db.flycast:5432/ || echo wget failed; echo machine done") };
            c["restart"] = new JsonObject { ["policy"] = "no" };
        });
        var m = await t.CreateMachineAsync(app, config);
        var id = m["id"]!.GetValue<string>();
        await t.WaitAsync(app, id, "stopped", m["instance_id"]!.GetValue<string>(), 60);

        var messages = new List<string>();
        const string exited = " INFO Main child exited normally with code: 0";
        for (var i = 0; i < 20 && !messages.Contains(exited); i++)
        {
            var page = await t.Get($"/api/v1/apps/{app}/logs?instance={id}");
            Assert.That(page.Code, Is.EqualTo(200), page.ToString());
            messages = page.Body!["data"]!.AsArray().Select(d => d!["attributes"]!["message"]!.GetValue<string>()).ToList();
            if (!messages.Contains(exited)) await Task.Delay(100);
        }
        Assert.That(messages, Does.Contain("machine up"));
        Assert.That(messages, Does.Contain("hello from the host"), string.Join("\n", messages));
        Assert.That(messages.SkipWhile(l => l != "machine done").ToList(), Is.EqualTo(new[] { "machine done", exited }), "in order, the init's exit line last");

        // Paging: after the last token nothing is new; another app's logs are its own.
        var first = await t.Get($"/api/v1/apps/{app}/logs");
        var token = first.Body!["meta"]!["next_token"]!.GetValue<string>();
        var next = await t.Get($"/api/v1/apps/{app}/logs?next_token={token}");
        Assert.That(next.Body!["data"]!.AsArray(), Is.Empty);
        var other = await t.CreateAppAsync("lm-hostsvc-other");
        Assert.That((await t.Get($"/api/v1/apps/{other}/logs")).Body!["data"]!.AsArray(), Is.Empty);
        Assert.That((await t.Get("/api/v1/apps/no-such-app/logs")).Code, Is.EqualTo(404));
        try { Directory.Delete(data, true); } catch (IOException) { }
    }

    [Test]
    public async Task A_machine_in_a_crash_loop_takes_an_update_and_starts_the_good_version()
    {
        // What a deploy's rollback does: the new version keeps crashing (restart policy on-failure), and the update
        // back to the old config lands while a relaunch is in flight.
        var (registry, password) = RequireRealMachines();
        var image = await PushBusyboxImage(registry, password, "flyio-local-machines-test/httpd", "t" + Environment.ProcessId);
        var data = Path.Combine(Path.GetTempPath(), "lm-process-" + Guid.NewGuid().ToString("N")[..8]);
        await using var t = await Target.StartAsync(o => { o.Runtime = "process"; o.RegistryPassword = password; o.DataDir = data; o.Subnet = "172.25"; });
        var app = await t.CreateAppAsync("lm-crashloop");
        var crashing = Target.Config(image, c => c["init"] = new JsonObject { ["exec"] = new JsonArray("/bin/busybox", "sh", "-c", "echo crashing; exit 3") });
        var m = await t.CreateMachineAsync(app, crashing);
        var id = m["id"]!.GetValue<string>();
        for (var i = 0; i < 100 && (await t.Get($"/v1/apps/{app}/machines/{id}/events")).Body!.AsArray().Count(e => e!["type"]!.GetValue<string>() == "exit") < 2; i++)
            await Task.Delay(50);

        var good = Target.Config(image);
        var updated = await t.Post($"/v1/apps/{app}/machines/{id}", new JsonObject { ["config"] = good });
        Assert.That(updated.Code, Is.EqualTo(200), updated.ToString());
        var version = updated.Body!["instance_id"]!.GetValue<string>();
        try
        {
            await t.WaitAsync(app, id, "started", version, 30);
        }
        catch (AssertionException)
        {
            TestContext.Out.WriteLine((await t.MachineAsync(app, id)).ToJsonString());
            TestContext.Out.WriteLine((await t.Get($"/v1/apps/{app}/machines/{id}/events")).Body!.ToJsonString());
            throw;
        }
        await Task.Delay(1000);
        var after = await t.MachineAsync(app, id);
        Assert.That(after["state"]!.GetValue<string>(), Is.EqualTo("started"), "the good version stays up");
        Assert.That(after["instance_id"]!.GetValue<string>(), Is.EqualTo(version));
        var exits = (await t.Get($"/v1/apps/{app}/machines/{id}/events")).Body!.AsArray()
            .Where(e => e!["type"]!.GetValue<string>() == "exit").Select(e => e!["request"]!["exit_event"]!["exit_code"]?.GetValue<int>() ?? 0).ToList();
        Assert.That(exits, Has.Some.EqualTo(3), "the crashing version's own exit code is reported");
        try { Directory.Delete(data, true); } catch (IOException) { }
    }

    [Test]
    public async Task The_app_is_not_its_namespaces_pid_1_so_a_signal_has_its_default_effect()
    {
        // As on Fly, where init is PID 1: an app that abort()s must die of SIGABRT, not survive it as a PID 1 would.
        var (registry, password) = RequireRealMachines();
        var image = await PushBusyboxImage(registry, password, "flyio-local-machines-test/httpd", "t" + Environment.ProcessId);
        var data = Path.Combine(Path.GetTempPath(), "lm-process-" + Guid.NewGuid().ToString("N")[..8]);
        await using var t = await Target.StartAsync(o => { o.Runtime = "process"; o.RegistryPassword = password; o.DataDir = data; o.Subnet = "172.24"; });
        var app = await t.CreateAppAsync("lm-pid1");
        var config = Target.Config(image, c =>
        {
            c["init"] = new JsonObject { ["exec"] = new JsonArray("/bin/busybox", "sh", "-c", "kill -ABRT $$; sleep 5; exit 0") };
            c["restart"] = new JsonObject { ["policy"] = "no" };
        });
        var m = await t.CreateMachineAsync(app, config);
        var id = m["id"]!.GetValue<string>();
        await t.WaitAsync(app, id, "stopped", m["instance_id"]!.GetValue<string>(), 30);

        var exit = (await t.Get($"/v1/apps/{app}/machines/{id}/events")).Body!.AsArray().First(e => e!["type"]!.GetValue<string>() == "exit")!["request"]!["exit_event"]!;
        Assert.That(exit["signal"]?.GetValue<int>(), Is.EqualTo(6), exit.ToJsonString());
        try { Directory.Delete(data, true); } catch (IOException) { }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "signal")]
    private static extern nint SetSignalHandler(int signal, nint handler);

    [Test]
    public async Task A_machine_starts_with_default_signal_dispositions_even_when_the_server_ignores_SIGINT()
    {
        // A server started in the background by a script ignores SIGINT and SIGQUIT; ignored signals survive exec.
        // On Fly a machine's app gets SIGINT (the default kill_signal) with its default effect.
        var (registry, password) = RequireRealMachines();
        var image = await PushBusyboxImage(registry, password, "flyio-local-machines-test/httpd", "t" + Environment.ProcessId);
        var data = Path.Combine(Path.GetTempPath(), "lm-process-" + Guid.NewGuid().ToString("N")[..8]);
        await using var t = await Target.StartAsync(o => { o.Runtime = "process"; o.RegistryPassword = password; o.DataDir = data; o.Subnet = "172.21"; });
        var app = await t.CreateAppAsync("lm-sigint");
        var config = Target.Config(image, c =>
        {
            c["init"] = new JsonObject { ["exec"] = new JsonArray("/bin/busybox", "sh", "-c", "grep SigIgn /proc/self/status; kill -INT $$; sleep 5; exit 0") };
            c["restart"] = new JsonObject { ["policy"] = "no" };
        });
        const int SIGINT = 2;
        var previous = SetSignalHandler(SIGINT, 1 /* SIG_IGN */);
        JsonNode m;
        try
        {
            m = (await t.CreateMachineAsync(app, config))!;
            var id = m["id"]!.GetValue<string>();
            await t.WaitAsync(app, id, "stopped", m["instance_id"]!.GetValue<string>(), 30);
        }
        finally
        {
            SetSignalHandler(SIGINT, previous);
        }

        var id2 = m["id"]!.GetValue<string>();
        var exit = (await t.Get($"/v1/apps/{app}/machines/{id2}/events")).Body!.AsArray().First(e => e!["type"]!.GetValue<string>() == "exit")!["request"]!["exit_event"]!;
        Assert.That(exit["signal"]?.GetValue<int>(), Is.EqualTo(SIGINT), "SIGINT must end a shell that has no handler for it: " + exit.ToJsonString());
        try { Directory.Delete(data, true); } catch (IOException) { }
    }

    [Test]
    public async Task The_app_runs_as_the_images_user_who_owns_what_the_image_gave_it()
    {
        var (registry, password) = RequireRealMachines();
        var image = await PushBusyboxImage(registry, password, "flyio-local-machines-test/httpd-user", "t" + Environment.ProcessId, user: "app");
        var data = Path.Combine(Path.GetTempPath(), "lm-process-" + Guid.NewGuid().ToString("N")[..8]);
        await using var t = await Target.StartAsync(o => { o.Runtime = "process"; o.RegistryPassword = password; o.DataDir = data; o.Subnet = "172.23"; });
        var app = await t.CreateAppAsync("lm-user");
        var config = Target.Config(image, c =>
        {
            c["init"] = new JsonObject { ["exec"] = new JsonArray("/bin/busybox", "sh", "-c",
                "echo uid=$(busybox id -u) gid=$(busybox id -g) home=$HOME; busybox touch /home/app/x && echo home-writable; busybox touch /www/x 2>/dev/null || echo www-read-only") };
            c["restart"] = new JsonObject { ["policy"] = "no" };
        });
        var m = await t.CreateMachineAsync(app, config);
        var id = m["id"]!.GetValue<string>();
        await t.WaitAsync(app, id, "stopped", m["instance_id"]!.GetValue<string>(), 30);

        var lines = (await t.Get($"/api/v1/apps/{app}/logs?instance={id}")).Body!["data"]!.AsArray().Select(d => d!["attributes"]!["message"]!.GetValue<string>()).ToList();
        Assert.That(lines.Where(l => !l.StartsWith(" INFO ", StringComparison.Ordinal)), Is.EqualTo(new[] { "uid=1654 gid=1654 home=/home/app", "home-writable", "www-read-only" }));
        Assert.That(lines.Last(), Is.EqualTo(" INFO Main child exited normally with code: 0"), "the init's line follows the app's own");

        // A USER the image does not define fails the launch with the runtime's message, as on Fly.
        var missing = await PushBusyboxImage(registry, password, "flyio-local-machines-test/httpd-user", "nouser" + Environment.ProcessId, user: "nobody-here");
        var bad = await t.CreateMachineAsync(app, Target.Config(missing));
        var badId = bad["id"]!.GetValue<string>();
        await t.WaitAsync(app, badId, "failed", bad["instance_id"]!.GetValue<string>(), 30);
        var launch = (await t.Get($"/v1/apps/{app}/machines/{badId}/events")).Body!.AsArray().First(e => e!["type"]!.GetValue<string>() == "launch")!;
        Assert.That(launch.ToJsonString(), Does.Contain("unable to find user nobody-here"));
        try { Directory.Delete(data, true); } catch (IOException) { }
    }

    [Test]
    public async Task A_machine_that_needs_more_memory_than_its_guest_has_is_oom_killed_as_on_fly()
    {
        var (registry, password) = RequireRealMachines();
        if (!new MemoryLimit().Available) Assert.Ignore("needs a memory cgroup (v1 or v2) the server can write");
        var image = await PushBusyboxImage(registry, password, "flyio-local-machines-test/httpd", "t" + Environment.ProcessId);
        var data = Path.Combine(Path.GetTempPath(), "lm-process-" + Guid.NewGuid().ToString("N")[..8]);
        await using var t = await Target.StartAsync(o => { o.Runtime = "process"; o.RegistryPassword = password; o.DataDir = data; o.Subnet = "172.22"; });
        var app = await t.CreateAppAsync("lm-oom");

        // dd with a 384 MB block allocates and fills a 384 MB buffer.
        async Task<JsonNode> RunWith(int memoryMb)
        {
            var config = Target.Config(image, c =>
            {
                c["guest"] = new JsonObject { ["cpu_kind"] = "shared", ["cpus"] = 1, ["memory_mb"] = memoryMb };
                c["init"] = new JsonObject { ["exec"] = new JsonArray("/bin/busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=384M", "count=1") };
                c["restart"] = new JsonObject { ["policy"] = "no" };
            });
            var m = await t.CreateMachineAsync(app, config);
            var id = m["id"]!.GetValue<string>();
            await t.WaitAsync(app, id, "stopped", m["instance_id"]!.GetValue<string>(), 60);
            return (await t.Get($"/v1/apps/{app}/machines/{id}/events")).Body!.AsArray().First(e => e!["type"]!.GetValue<string>() == "exit")!["request"]!["exit_event"]!;
        }

        var small = await RunWith(256);
        var large = await RunWith(1024);

        Assert.That(small["oom_killed"]?.GetValue<bool>(), Is.True, small.ToJsonString());
        Assert.That(small["signal"]?.GetValue<int>(), Is.EqualTo(9), small.ToJsonString());
        Assert.That(large["oom_killed"]!.GetValue<bool>(), Is.False, "1024 MB is enough: " + large.ToJsonString());
        Assert.That(large["exit_code"]!.GetValue<int>(), Is.EqualTo(0), "exit code 0: " + large.ToJsonString());

        // The machine sees its own limit, read-only, where runtimes (.NET among them) look for it.
        var look = Target.Config(image, c =>
        {
            c["guest"] = new JsonObject { ["cpu_kind"] = "shared", ["cpus"] = 1, ["memory_mb"] = 256 };
            c["init"] = new JsonObject { ["exec"] = new JsonArray("/bin/busybox", "sh", "-c",
                "cat /sys/fs/cgroup/memory/flyio-$FLY_MACHINE_ID/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/flyio-$FLY_MACHINE_ID/memory.max; " +
                "echo 1 > /sys/fs/cgroup/memory/flyio-$FLY_MACHINE_ID/memory.limit_in_bytes 2>/dev/null || echo read-only") };
            c["restart"] = new JsonObject { ["policy"] = "no" };
        });
        var seen = await t.CreateMachineAsync(app, look);
        var seenId = seen["id"]!.GetValue<string>();
        await t.WaitAsync(app, seenId, "stopped", seen["instance_id"]!.GetValue<string>(), 60);
        var lines = (await t.Get($"/api/v1/apps/{app}/logs?instance={seenId}")).Body!["data"]!.AsArray().Select(d => d!["attributes"]!["message"]!.GetValue<string>()).ToList();
        Assert.That(lines, Does.Contain("268435456"), string.Join("\n", lines));
        Assert.That(lines, Does.Contain("read-only"), string.Join("\n", lines));
        try { Directory.Delete(data, true); } catch (IOException) { }
    }
}
