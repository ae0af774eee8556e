using FlyIo.Diagnostics;
using static FlyIo.FlyToml.Schema.SchemaBuilders;

namespace FlyIo.FlyToml.Schema;

/// <summary>
/// Every key flyctl knows (internal/appconfig Config and its testdata/full-reference.toml), with the legacy spellings
/// its patches still migrate. Rules that need more than one key live in FlyIo.FlyToml.Rules.
/// </summary>
internal static class FlyTomlSchema
{
    public static readonly string[] KillSignals =
    {
        "SIGABRT", "SIGALRM", "SIGFPE", "SIGHUP", "SIGILL", "SIGINT", "SIGKILL", "SIGPIPE",
        "SIGQUIT", "SIGSEGV", "SIGTERM", "SIGTRAP", "SIGUSR1", "SIGUSR2",
    };

    public static readonly string[] DeployStrategies = { "rolling", "immediate", "canary", "bluegreen" };

    public static KeySpec Root { get; } = BuildRoot();

    private static KeySpec BuildRoot()
    {
        var vm = TableArray("vm", VmKeys());
        var mounts = TableArray("mounts",
            Str("source"), Str("destination"), Key("initial_size", ValueShape.VolumeSize),
            Int("snapshot_retention").Range(1, 60), Bool("scheduled_snapshots"),
            Int("auto_extend_size_threshold").Range(50, 99),
            Key("auto_extend_size_increment", ValueShape.VolumeSize), Key("auto_extend_size_limit", ValueShape.VolumeSize),
            Processes());
        var metrics = TableArray("metrics", PortKey("port"), Str("path"), Bool("https"), Processes());

        return Table("",
            Str("app"),
            Str("app_name").LegacyFor("app"),
            Str("primary_region"),
            Str("kill_signal").OneOf(KillSignals),
            Duration("kill_timeout", DurationUnit.Seconds).Range(0, 300),
            Int("swap_size_mb").Range(0, null),
            Str("console_command").Instead(FlyCodes.ConsoleOnly, "only 'fly console' runs this command; a deploy sends nothing for it"),
            Str("host_dedication_id"),
            Experimental(),
            Build(),
            Deploy(),
            Key("env", ValueShape.ScalarMap),
            Key("processes", ValueShape.ScalarMap),
            HttpService(),
            TableArray("services", ServiceKeys()),
            Named("checks", TopLevelCheckKeys()),
            MachineChecks(),
            vm,
            TableArray("compute", VmKeys()).LegacyFor("[[vm]]"),
            TableArray("computes", VmKeys()).LegacyFor("[[vm]]"),
            mounts,
            TableArray("mount", mounts.Children).LegacyFor("[[mounts]]"),
            metrics,
            TableArray("metric", metrics.Children).LegacyFor("[[metrics]]"),
            TableArray("restart", Str("policy").OneOf("always", "never", "on-failure", "no"), Int("retries").Range(0, null), Processes()),
            TableArray("files", Str("guest_path"), Str("local_path"), Str("secret_name"), Str("raw_value"), Processes()),
            TableArray("statics", Str("guest_path"), Str("url_prefix"), Str("tigris_bucket"), Str("index_document")));
    }

    private static KeySpec Experimental() => Table("experimental",
        Key("cmd", ValueShape.StringOrStringArray),
        Key("entrypoint", ValueShape.StringOrStringArray),
        Key("exec", ValueShape.StringOrStringArray),
        Bool("auto_rollback").NoEffect("Machines apps do not roll back automatically; remove it"),
        Bool("enable_consul").NoEffect("flyctl does not read it when deploying Machines; remove it"),
        Bool("enable_etcd").NoEffect("flyctl does not read it when deploying Machines; remove it"),
        Bool("lazy_load_images").NoEffect("Fly no longer supports lazy image loading (flyctl warns the same); remove it"),
        Bool("use_zstd"),
        Str("machine_config").Instead(FlyCodes.MachineConfigNotApplied,
            "this SDK does not merge a raw machine config into the Machines it deploys (flyctl does); set the same things with fly.toml keys, or deploy this app with flyctl"),
        Table("attached", Table("secrets", Key("export", ValueShape.ScalarMap)))
            .NoEffect("only 'fly launch' reads it, to export secrets of attached databases; a deploy sends nothing for it"),
        Key("private_network", ValueShape.Any).NoEffect("every Machines app has a private network; remove it"),
        Key("allowed_public_ports", ValueShape.Any).NoEffect("public ports come from [[services.ports]]; remove it"),
        Duration("kill_timeout", DurationUnit.Seconds).Range(0, 300).LegacyFor("top-level kill_timeout"),
        PortKey("metrics_port").LegacyFor("[[metrics]] port"),
        Str("metrics_path").LegacyFor("[[metrics]] path"));

    private static KeySpec Build() => Table("build",
        Str("builder").Instead(FlyCodes.BuilderNotUsed, BuilderReason),
        Key("buildpacks", ValueShape.StringArray).Instead(FlyCodes.BuilderNotUsed, BuilderReason),
        Key("args", ValueShape.ScalarMap),
        Str("image"),
        Str("dockerfile"),
        Str("ignorefile"),
        Str("build-target"),
        Str("build_target").LegacyFor("build-target"),
        Str("builtin").Instead(FlyCodes.BuilderNotUsed, BuilderReason),
        Key("settings", ValueShape.FreeTable).Instead(FlyCodes.BuilderNotUsed, BuilderReason),
        Str("compression").OneOf("gzip", "zstd"),
        Int("compression_level").Range(0, 22),
        Table("compose", Str("file")));

    private static KeySpec Deploy() => Table("deploy",
        Str("strategy").OneOf(DeployStrategies),
        Num("max_unavailable").Range(0, null, minExclusive: true),
        Duration("wait_timeout", DurationUnit.Nanoseconds),
        Str("release_command"),
        Duration("release_command_timeout", DurationUnit.Nanoseconds),
        Table("release_command_vm", VmKeys()),
        Str("seed_command"));

    private static KeySpec HttpService() => Table("http_service",
        PortKey("internal_port"),
        Bool("force_https"),
        Key("auto_stop_machines", ValueShape.BooleanOrEnum).OneOf("off", "stop", "suspend"),
        Bool("auto_start_machines"),
        Int("min_machines_running").Range(0, null),
        Processes(),
        Concurrency(),
        TableArray("checks", HttpCheckKeys()),
        MachineChecks(),
        TlsOptions(),
        HttpOptions());

    private static KeySpec[] ServiceKeys() => new[]
    {
        Str("protocol").OneOf("tcp", "udp"),
        PortKey("internal_port"),
        Key("auto_stop_machines", ValueShape.BooleanOrEnum).OneOf("off", "stop", "suspend"),
        Bool("auto_start_machines"),
        Int("min_machines_running").Range(0, null),
        Processes(),
        Concurrency(),
        TableArray("ports",
            PortKey("port"), PortKey("start_port"), PortKey("end_port"),
            Key("handlers", ValueShape.StringArray).OneOf("http", "tls", "pg_tls", "proxy_proto", "edge_http"),
            Bool("force_https"),
            TlsOptions(),
            HttpOptions(),
            Table("proxy_proto_options", Str("version").OneOf("v1", "v2"))),
        TableArray("tcp_checks", CheckTimingKeys(Int("restart_limit").NoEffect("Machines do not restart on failing service checks; remove it"))),
        TableArray("http_checks", HttpCheckKeys()),
        MachineChecks(),
        TableArray("script_checks").NoEffect("script checks are not run on Machines; remove it"),
    };

    private static KeySpec[] HttpCheckKeys() => CheckTimingKeys(
        Str("method").OneOfIgnoringCase("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
        Str("path"),
        Str("protocol").OneOf("http", "https"),
        Bool("tls_skip_verify"),
        Str("tls_server_name"),
        Key("headers", ValueShape.ScalarMap),
        Int("restart_limit").NoEffect("Machines do not restart on failing service checks; remove it"));

    // The check type is checked by TopLevelCheckRules (FLY1052), which also catches a missing type.
    private static KeySpec[] TopLevelCheckKeys() => CheckTimingKeys(
        Str("type"),
        PortKey("port"),
        Str("method").OneOfIgnoringCase("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
        Str("path"),
        Str("protocol").OneOf("http", "https"),
        Bool("tls_skip_verify"),
        Str("tls_server_name"),
        Key("headers", ValueShape.ScalarMap),
        Processes());

    private static KeySpec[] CheckTimingKeys(params KeySpec[] more)
    {
        var timing = new[]
        {
            Duration("interval", DurationUnit.Milliseconds),
            Duration("timeout", DurationUnit.Milliseconds),
            Duration("grace_period", DurationUnit.Milliseconds),
        };
        var all = new KeySpec[timing.Length + more.Length];
        timing.CopyTo(all, 0);
        more.CopyTo(all, timing.Length);
        return all;
    }

    private const string BuilderReason =
        "this SDK builds the image from the project (its Dockerfile, or the .NET SDK container build), never with a buildpack or builtin builder; remove it";

    /// <summary>Each entry runs in a one-shot test machine beside every machine the deploy brings up (DeployEngine.MachineChecks).</summary>
    private static KeySpec MachineChecks() => TableArray("machine_checks", MachineCheckKeys());

    private static KeySpec[] MachineCheckKeys() => new[]
    {
        Key("command", ValueShape.StringArray),
        Str("image"),
        Key("entrypoint", ValueShape.StringArray),
        Duration("kill_timeout", DurationUnit.Seconds).Range(0, 300),
        Str("kill_signal").OneOf(KillSignals),
    };

    private static KeySpec[] VmKeys() => new[]
    {
        Str("size"),
        Key("memory", ValueShape.MemorySize),
        Str("cpu_kind").OneOf("shared", "performance"),
        Int("cpus").Range(1, null),
        Int("memory_mb").Range(1, null),
        Int("gpus").Range(0, null),
        Str("gpu_kind"),
        Key("kernel_args", ValueShape.StringArray),
        Str("host_dedication_id"),
        Str("persist_rootfs").OneOf("never", "restart", "always"),
        Processes(),
    };

    private static KeySpec Concurrency() => Table("concurrency",
        Str("type").OneOf("connections", "requests"),
        Int("soft_limit").Range(0, null),
        Int("hard_limit").Range(0, null));

    private static KeySpec TlsOptions() => Table("tls_options",
        Key("alpn", ValueShape.StringArray),
        Key("versions", ValueShape.StringArray).OneOf("TLSv1.2", "TLSv1.3"),
        Bool("default_self_signed"));

    private static KeySpec HttpOptions() => Table("http_options",
        Bool("compress"),
        Bool("h2_backend"),
        Int("idle_timeout").Range(0, null),
        Table("response", Bool("pristine"), Key("headers", ValueShape.FreeTable)));

    private static KeySpec Processes() => Key("processes", ValueShape.StringArray);
}
