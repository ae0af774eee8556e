using FlyIo.AppModel;
using FlyIo.Json;
using FlyIo.Machines;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Deploy.Tests;

/// <summary>
/// FlyAppConfig.Build against flyctl's own expectations: the tomachine-*.toml files of flyctl's
/// internal/appconfig/testdata (read in place from ../shared), with the expected values of the named tests in
/// flyctl's internal/appconfig/machines_test.go encoded by hand.
/// </summary>
[TestFixture]
public sealed class FlyAppConfigBuildTests
{
    private const string Image = "registry.fly.io/foo:1";

    private static FlyAppConfig Load(string name) =>
        FlyAppConfig.From(FlyConfig.Load(RepoPaths.RequireShared("data", "fly-toml", "flyctl", name)));

    private static JsonObject Json(MachineConfig config) => (JsonObject)JsonReader.Parse(config.ToJsonString());

    // flyctl: TestToMachineConfig
    [Test]
    public void Tomachine_sends_env_services_metrics_statics_checks_stop_swap_and_restart()
    {
        var config = Load("tomachine.toml").Build("app", Image);

        Assert.That(config.Env, Is.EquivalentTo(new Dictionary<string, string> { ["FOO"] = "BAR", ["PRIMARY_REGION"] = "mia", ["FLY_PROCESS_GROUP"] = "app" }));
        var ports = config.Services.Single().Ports;
        Assert.That(ports.Select(p => (p.Port, string.Join(",", p.Handlers), p.ForceHttps)),
            Is.EqualTo(new[] { ((int?)80, "http", (bool?)true), (443, "http,tls", null) }));
        Assert.That(config.Services.Single().InternalPort, Is.EqualTo(8080));
        Assert.That((config.MetricsPort, config.MetricsPath), Is.EqualTo(((int?)9999, "/metrics")));
        Assert.That(config.Statics.Single(), Is.EqualTo(new StaticConfig("/guest/path", "/url/prefix", "example-bucket", "index.html")));
        Assert.That(config.Checks["listening"].ToJson().ToString(), Is.EqualTo(new CheckConfig { Type = "tcp", Port = 8080 }.ToJson().ToString()));
        var status = config.Checks["status"];
        Assert.That((status.Type, status.Port, status.Interval, status.Timeout, status.Path),
            Is.EqualTo(("http", (int?)8080, (TimeSpan?)TimeSpan.FromSeconds(10), (TimeSpan?)TimeSpan.FromSeconds(1), "/status")));
        Assert.That((config.StopSignal, config.StopTimeout), Is.EqualTo(("SIGTERM", (TimeSpan?)TimeSpan.FromSeconds(10))));
        Assert.That(config.SwapSizeMb, Is.EqualTo(512));
        Assert.That(Json(config).GetObject("init")!.GetLong("swap_size_mb"), Is.EqualTo(512));
        Assert.That(config.RestartPolicy, Is.EqualTo("always"));
    }

    // flyctl: TestToReleaseMachineConfig (the release machine's guest)
    [Test]
    public void Release_command_vm_is_sized_like_a_vm()
    {
        var vm = Load("tomachine.toml").ReleaseCommandVm!;
        Assert.That((vm.CpuKind, vm.Cpus, vm.MemoryMb), Is.EqualTo(("performance", 2, 4096)));
    }

    // flyctl: TestToMachineConfig_Experimental
    [Test]
    public void Experimental_cmd_entrypoint_and_exec_go_to_init()
    {
        var init = Json(Load("tomachine-experimental.toml").Build("app", Image)).GetObject("init")!;
        Assert.That(Js.Write(init["cmd"]), Is.EqualTo("[\"/call\",\"me\"]"));
        Assert.That(Js.Write(init["entrypoint"]), Is.EqualTo("[\"/IgoFirst\"]"));
        Assert.That(Js.Write(init["exec"]), Is.EqualTo("[\"ignore\",\"others\"]"));
    }

    // flyctl: TestToMachineConfig_multiProcessGroups
    [TestCase("app", "run-nginx", new[] { 8080, 1111 }, true)]
    [TestCase("vpn", "run-tailscale", new[] { 9999, 1111 }, false)]
    [TestCase("foo", "keep me alive", new[] { 1111 }, true)]
    public void Each_group_gets_its_command_services_and_checks(string group, string command, int[] servicePorts, bool hasListeningCheck)
    {
        var config = Load("tomachine-processgroups.toml").Build(group, Image);
        Assert.That(config.Metadata["fly_process_group"], Is.EqualTo(group));
        Assert.That(string.Join(" ", config.InitCmd!), Is.EqualTo(command));
        Assert.That(config.Services.Select(s => s.InternalPort), Is.EqualTo(servicePorts));
        Assert.That(config.Checks.ContainsKey("listening"), Is.EqualTo(hasListeningCheck));
    }

    // flyctl: TestToMachineConfig_defaultV2flytoml
    [Test]
    public void A_top_level_check_without_port_takes_the_http_service_port()
    {
        var alive = Load("tomachine-default-for-new-apps.toml").Build("app", Image).Checks["alive"];
        Assert.That((alive.Type, alive.Port, alive.Interval, alive.Timeout, alive.GracePeriod),
            Is.EqualTo(("tcp", (int?)8080, (TimeSpan?)TimeSpan.FromSeconds(15), (TimeSpan?)TimeSpan.FromSeconds(2), (TimeSpan?)TimeSpan.FromSeconds(5))));
    }

    // flyctl: TestToMachineConfig_compute
    [TestCase("app", "shared", 2, 512, null, null)]
    [TestCase("worker", "shared", 2, 512, null, null)]
    [TestCase("whisper", "performance", 8, 65536, "a100-pcie-40gb", null)]
    [TestCase("isolated", "shared", 1, 256, null, "lookma-iamsolo")]
    public void Vm_sections_size_each_group_as_flyctl(string group, string kind, int cpus, int memory, string? gpuKind, string? hostDedication)
    {
        var guest = Load("tomachine-compute.toml").Build(group, Image).Guest;
        Assert.That((guest.CpuKind, guest.Cpus, guest.MemoryMb, guest.GpuKind, guest.HostDedicationId), Is.EqualTo((kind, cpus, memory, gpuKind, hostDedication)));
    }

    // flyctl: TestToMachineConfig_hostdedicationid (flyctl sends no guest for "front"; this SDK's default guest is the engine's choice)
    [TestCase("back", "shared", 1, 256, "specific")]
    [TestCase("other", "shared", 4, 1024, "toplevel")]
    public void Host_dedication_id_comes_from_the_vm_else_the_top_level(string group, string kind, int cpus, int memory, string hostDedication)
    {
        var guest = Load("tomachine-hostdedicationid.toml").Build(group, Image).Guest;
        Assert.That((guest.CpuKind, guest.Cpus, guest.MemoryMb, guest.HostDedicationId), Is.EqualTo((kind, cpus, memory, hostDedication)));
        Assert.That(Json(Load("tomachine-hostdedicationid.toml").Build(group, Image)).GetObject("guest")!.GetString("host_dedication_id"), Is.EqualTo(hostDedication));
    }

    // flyctl: TestToMachineConfig_services
    [Test]
    public void Autostart_and_autostop_are_sent_as_written()
    {
        var services = Load("tomachine-services.toml").Build("app", Image).Services;
        Assert.That(services.Select(s => (s.InternalPort, s.Autostart, s.Autostop)), Is.EqualTo(new[]
        {
            (8080, (bool?)true, "stop"), (1000, true, "stop"), (1001, false, "off"), (1002, false, null), (1003, null, "stop"), (1004, null, (string?)null),
        }));
    }

    [Test]
    public void Files_send_raw_value_and_local_path_base64_and_a_secret_by_name()
    {
        var dir = Directory.CreateTempSubdirectory("flyfiles").FullName;
        File.WriteAllText(Path.Combine(dir, "config.yaml"), "a: 1\n");
        var toml = "app = \"a\"\n[[files]]\nguest_path = \"/raw\"\nraw_value = \"hello\"\n[[files]]\nguest_path = \"/secret\"\nsecret_name = \"S\"\n"
            + "[[files]]\nguest_path = \"/local\"\nlocal_path = \"config.yaml\"\n";
        var files = FlyAppConfig.From(FlyConfig.Parse(toml, Path.Combine(dir, "fly.toml"))).Build("app", Image).Files;
        Assert.That(files, Is.EqualTo(new[]
        {
            new FileConfig("/raw", Convert.ToBase64String("hello"u8.ToArray()), null),
            new FileConfig("/secret", null, "S"),
            new FileConfig("/local", Convert.ToBase64String("a: 1\n"u8.ToArray()), null),
        }));
    }

    [Test]
    public void A_missing_local_path_is_a_clear_error_not_a_dropped_file()
    {
        var toml = "app = \"a\"\n[[files]]\nguest_path = \"/local\"\nlocal_path = \"nope.yaml\"\n";
        var config = FlyAppConfig.From(FlyConfig.Parse(toml, Path.Combine(Path.GetTempPath(), "no-such-dir", "fly.toml")));
        var e = Assert.Throws<FileNotFoundException>(() => config.Build("app", Image))!;
        Assert.That(e.Message, Does.Contain("nope.yaml").And.Contain("/local"));
    }

    [Test]
    public void Port_options_check_headers_and_guest_fields_round_trip_through_json()
    {
        var toml = """
            app = "a"
            [[services]]
            internal_port = 8080
            [[services.ports]]
            start_port = 100
            end_port = 200
            handlers = ["proxy_proto"]
            [services.ports.proxy_proto_options]
            version = "v2"
            [services.ports.tls_options]
            alpn = ["h2"]
            [services.ports.http_options]
            h2_backend = true
            headers_read_timeout = 5
            [services.ports.http_options.response]
            pristine = true
            [services.ports.http_options.response.headers]
            x-drop = false
            x-many = ["a", "b"]
            [[services.http_checks]]
            tls_skip_verify = true
            tls_server_name = "sni"
            [services.http_checks.headers]
            X-Check = "1"
            [[vm]]
            gpus = 2
            gpu_kind = "l40s"
            kernel_args = ["quiet"]
            persist_rootfs = "always"
            """;
        var config = FlyAppConfig.From(FlyConfig.Parse(toml)).Build("app", Image);
        var json = config.ToJsonString();
        Assert.That(MachineConfig.FromJson((JsonObject)JsonReader.Parse(json)).ToJsonString(), Is.EqualTo(json));
        var port = Json(config).GetObjects("services").Single().GetObjects("ports").Single();
        Assert.That((port.GetLong("start_port"), port.GetLong("end_port")), Is.EqualTo(((long?)100, (long?)200)));
        Assert.That(port.GetObject("proxy_proto_options")!.GetString("version"), Is.EqualTo("v2"));
        Assert.That(Js.Write(port.GetObject("http_options")), Does.Contain("\"x-drop\":false").And.Contain("\"pristine\":true"));
        var check = Json(config).GetObjects("services").Single().GetObjects("checks").Single();
        Assert.That(Js.Write(check["headers"]), Is.EqualTo("[{\"name\":\"X-Check\",\"values\":[\"1\"]}]"));
        var guest = Json(config).GetObject("guest")!;
        Assert.That((guest.GetLong("gpus"), guest.GetString("gpu_kind"), guest.GetString("persist_rootfs"), guest.GetLong("cpus"), guest.GetLong("memory_mb")),
            Is.EqualTo(((long?)2, "l40s", "always", (long?)8, (long?)16384)), "gpu_kind without size starts from performance-8x, as flyctl");
    }
}
