using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FlyIo.Json;
using FlyIo.AppModel.Units;

namespace FlyIo.Machines;

/// <summary>A machine's config as the Machines API takes it. <see cref="ToJson"/> writes Fly's snake_case names.</summary>
public sealed class MachineConfig
{
    public string Image { get; set; } = "";
    public SortedDictionary<string, string> Env { get; } = new(StringComparer.Ordinal);
    public List<string>? InitCmd { get; set; }
    public List<string>? InitEntrypoint { get; set; }
    public List<string>? InitExec { get; set; }
    public int? SwapSizeMb { get; set; }
    public GuestConfig Guest { get; set; } = GuestConfig.Preset("shared-cpu-1x")!;
    public SortedDictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);
    public List<ServiceConfig> Services { get; } = new();
    public SortedDictionary<string, CheckConfig> Checks { get; } = new(StringComparer.Ordinal);
    public string? RestartPolicy { get; set; }
    public int? RestartMaxRetries { get; set; }
    public bool? AutoDestroy { get; set; }
    public bool? SkipDnsRegistration { get; set; }
    public string? StopSignal { get; set; }
    public TimeSpan? StopTimeout { get; set; }
    public List<MountConfig> Mounts { get; } = new();
    public List<FileConfig> Files { get; } = new();
    public List<StaticConfig> Statics { get; } = new();
    public int? MetricsPort { get; set; }
    public string? MetricsPath { get; set; }
    public bool? MetricsHttps { get; set; }

    public MachineConfig Clone() => FromJson(ToJson());

    public JsonObject ToJson()
    {
        var o = Js.Obj().Set("image", Image);
        if (Env.Count > 0)
        {
            var env = Js.Obj();
            foreach (var kv in Env)
            {
                env.Set(kv.Key, kv.Value);
            }

            o.Set("env", env);
        }

        if (InitCmd is not null || InitEntrypoint is not null || InitExec is not null || SwapSizeMb is not null)
        {
            o.Set("init", Js.Obj().Set("exec", Strings(InitExec)).Set("entrypoint", Strings(InitEntrypoint)).Set("cmd", Strings(InitCmd)).Set("swap_size_mb", SwapSizeMb));
        }

        o.Set("guest", Guest.ToJson());
        if (Metadata.Count > 0)
        {
            var meta = Js.Obj();
            foreach (var kv in Metadata)
            {
                meta.Set(kv.Key, kv.Value);
            }

            o.Set("metadata", meta);
        }

        if (Services.Count > 0)
        {
            o.Set("services", Js.Arr(Services.Select(s => (JsonNode)s.ToJson())));
        }

        if (Checks.Count > 0)
        {
            var checks = Js.Obj();
            foreach (var kv in Checks)
            {
                checks.Set(kv.Key, kv.Value.ToJson());
            }

            o.Set("checks", checks);
        }

        if (RestartPolicy is not null)
        {
            o.Set("restart", Js.Obj().Set("policy", RestartPolicy).Set("max_retries", RestartMaxRetries));
        }

        o.Set("auto_destroy", AutoDestroy);
        if (SkipDnsRegistration is not null)
        {
            o.Set("dns", Js.Obj().Set("skip_registration", SkipDnsRegistration));
        }

        if (StopSignal is not null || StopTimeout is not null)
        {
            o.Set("stop_config", Js.Obj().Set("signal", StopSignal).Set("timeout", StopTimeout is null ? null : GoDuration.FormatGo(StopTimeout.Value)));
        }

        if (Mounts.Count > 0)
        {
            o.Set("mounts", Js.Arr(Mounts.Select(m => (JsonNode)Js.Obj().Set("volume", m.Volume).Set("name", m.Name).Set("path", m.Path)
                .Set("extend_threshold_percent", m.ExtendThresholdPercent).Set("add_size_gb", m.AddSizeGb).Set("size_gb_limit", m.SizeGbLimit))));
        }

        if (Files.Count > 0)
        {
            o.Set("files", Js.Arr(Files.Select(f => (JsonNode)Js.Obj().Set("guest_path", f.GuestPath).Set("raw_value", f.RawValue).Set("secret_name", f.SecretName))));
        }

        if (Statics.Count > 0)
        {
            o.Set("statics", Js.Arr(Statics.Select(s => (JsonNode)Js.Obj().Set("guest_path", s.GuestPath).Set("url_prefix", s.UrlPrefix)
                .Set("tigris_bucket", s.TigrisBucket).Set("index_document", s.IndexDocument))));
        }

        if (MetricsPort is not null || MetricsPath is not null || MetricsHttps is not null)
        {
            o.Set("metrics", Js.Obj().Set("port", MetricsPort).Set("path", MetricsPath).Set("https", MetricsHttps));
        }

        return o;
    }

    public string ToJsonString() => Js.Write(ToJson());

    /// <summary>Reads the parts this model knows from a config the API returned (unknown members are dropped).</summary>
    public static MachineConfig FromJson(JsonObject o)
    {
        var c = new MachineConfig { Image = o.GetString("image") ?? "" };
        if (o.GetObject("env") is { } env)
        {
            foreach (var m in env.Members)
            {
                c.Env[m.Key] = (m.Value as JsonString)?.Value ?? Js.Write(m.Value);
            }
        }

        if (o.GetObject("init") is { } init)
        {
            c.InitCmd = StringList(init["cmd"]);
            c.InitEntrypoint = StringList(init["entrypoint"]);
            c.InitExec = StringList(init["exec"]);
            c.SwapSizeMb = (int?)init.GetLong("swap_size_mb");
        }

        c.Guest = GuestConfig.FromApi(o);

        if (o.GetObject("metadata") is { } meta)
        {
            foreach (var m in meta.Members)
            {
                c.Metadata[m.Key] = (m.Value as JsonString)?.Value ?? Js.Write(m.Value);
            }
        }

        foreach (var s in o.GetObjects("services"))
        {
            c.Services.Add(ServiceConfig.FromJson(s));
        }

        if (o.GetObject("checks") is { } checks)
        {
            foreach (var m in checks.Members)
            {
                if (m.Value is JsonObject check)
                {
                    c.Checks[m.Key] = CheckConfig.FromJson(check);
                }
            }
        }

        if (o.GetObject("restart") is { } restart)
        {
            c.RestartPolicy = restart.GetString("policy");
            c.RestartMaxRetries = (int?)restart.GetLong("max_retries");
        }

        c.AutoDestroy = o.GetBool("auto_destroy");
        c.SkipDnsRegistration = o.GetObject("dns")?.GetBool("skip_registration");
        if (o.GetObject("stop_config") is { } stop)
        {
            c.StopSignal = stop.GetString("signal");
            c.StopTimeout = GoDuration.TryParse(stop.GetString("timeout"));
        }

        foreach (var m in o.GetObjects("mounts"))
        {
            c.Mounts.Add(new MountConfig(m.GetString("volume"), m.GetString("name"), m.GetString("path") ?? "")
            {
                ExtendThresholdPercent = Positive(m.GetLong("extend_threshold_percent")),
                AddSizeGb = Positive(m.GetLong("add_size_gb")),
                SizeGbLimit = Positive(m.GetLong("size_gb_limit")),
            });
        }

        foreach (var f in o.GetObjects("files"))
        {
            c.Files.Add(new FileConfig(f.GetString("guest_path") ?? "", f.GetString("raw_value"), f.GetString("secret_name")));
        }

        foreach (var s in o.GetObjects("statics"))
        {
            c.Statics.Add(new StaticConfig(s.GetString("guest_path") ?? "", s.GetString("url_prefix") ?? "", s.GetString("tigris_bucket"), s.GetString("index_document")));
        }

        if (o.GetObject("metrics") is { } metrics)
        {
            c.MetricsPort = (int?)metrics.GetLong("port");
            c.MetricsPath = metrics.GetString("path");
            c.MetricsHttps = metrics.GetBool("https");
        }

        return c;
    }

    /// <summary>Fly returns 0 for an auto-extend setting never made: the same as absent.</summary>
    private static int? Positive(long? value) => value is > 0 ? (int)value : null;

    internal static JsonArray? Strings(IEnumerable<string>? items) => items is null ? null : Js.Arr(items.Select(s => (JsonNode)Js.Str(s)));

    internal static List<string>? StringList(JsonNode? node) => (node as JsonArray)?.Items.OfType<JsonString>().Select(s => s.Value).ToList();
}

public sealed class GuestConfig
{
    public GuestConfig(string cpuKind, int cpus, int memoryMb)
    {
        CpuKind = cpuKind;
        Cpus = cpus;
        MemoryMb = memoryMb;
    }

    public string CpuKind { get; }
    public int Cpus { get; }
    public int MemoryMb { get; }
    public string? GpuKind { get; init; }
    public int? Gpus { get; init; }
    public List<string>? KernelArgs { get; init; }
    public string? HostDedicationId { get; init; }
    /// <summary>never | restart | always (fly-go MachinePersistRootfs).</summary>
    public string? PersistRootfs { get; init; }

    public JsonObject ToJson() => Js.Obj().Set("cpu_kind", CpuKind).Set("cpus", Cpus).Set("memory_mb", MemoryMb)
        .Set("gpus", Gpus).Set("gpu_kind", GpuKind).Set("host_dedication_id", HostDedicationId)
        .Set("persist_rootfs", PersistRootfs).Set("kernel_args", MachineConfig.Strings(KernelArgs));

    /// <summary>
    /// The guest of a config as Fly returns it, made whole: Fly returns <c>cpu_kind: ""</c> (and zero counts) for
    /// machines created without them, and older machines carry only the legacy top-level <c>size</c> preset name
    /// and no <c>guest</c>. Empty values take the defaults Fly applies (shared, 1 CPU, 256 MB per shared CPU, 2048
    /// per performance CPU), so what is read can be sent back.
    /// </summary>
    public static GuestConfig FromApi(JsonObject config)
    {
        if (config.GetObject("guest") is not { } guest)
        {
            return (config.GetString("size") is { Length: > 0 } size ? Preset(size) : null) ?? Preset("shared-cpu-1x")!;
        }

        var kind = guest.GetString("cpu_kind") is { Length: > 0 } k ? k : "shared";
        var cpus = (int)(guest.GetLong("cpus") ?? 0);
        cpus = cpus > 0 ? cpus : 1;
        var memory = (int)(guest.GetLong("memory_mb") ?? 0);
        return new GuestConfig(kind, cpus, memory > 0 ? memory : cpus * (kind == "performance" ? 2048 : 256))
        {
            GpuKind = guest.GetString("gpu_kind") is { Length: > 0 } gpuKind ? gpuKind : null,
            Gpus = guest.GetLong("gpus") is > 0 and var gpus ? (int)gpus : null,
            KernelArgs = MachineConfig.StringList(guest["kernel_args"]),
            HostDedicationId = guest.GetString("host_dedication_id") is { Length: > 0 } hdid ? hdid : null,
            PersistRootfs = guest.GetString("persist_rootfs") is { Length: > 0 } persist ? persist : null,
        };
    }

    /// <summary>A rough size for "the largest machine": CPUs weighted by kind, then memory.</summary>
    public long Weight => (CpuKind == "performance" ? 16L : 1L) * Cpus * 1_000_000 + MemoryMb;

    /// <summary>A Fly size preset (<c>shared-cpu-2x</c>, <c>performance-1x</c>); null when unknown.</summary>
    public static GuestConfig? Preset(string name) =>
        VmSizes.Find(name) is { } size ? new GuestConfig(size.CpuKind, size.Cpus, size.MemoryMb) : null;

    public override string ToString() => $"{CpuKind}-{Cpus}x/{MemoryMb}MB";
}

public sealed class ServiceConfig
{
    public string Protocol { get; set; } = "tcp";
    public int InternalPort { get; set; }
    /// <summary>true/false or "off"/"stop"/"suspend"; null leaves it out.</summary>
    public string? Autostop { get; set; }
    public bool? Autostart { get; set; }
    public int? MinMachinesRunning { get; set; }
    public List<PortConfig> Ports { get; } = new();
    public string? ConcurrencyType { get; set; }
    public int? SoftLimit { get; set; }
    public int? HardLimit { get; set; }
    public List<CheckConfig> Checks { get; } = new();

    public JsonObject ToJson()
    {
        // Like flyctl (omitempty), a service without internal_port sends none rather than a made-up default.
        var o = Js.Obj().Set("protocol", Protocol).Set("internal_port", InternalPort == 0 ? null : InternalPort);
        if (Autostop is "true" or "false")
        {
            o.Set("autostop", Autostop == "true");
        }
        else
        {
            o.Set("autostop", Autostop);
        }

        o.Set("autostart", Autostart).Set("min_machines_running", MinMachinesRunning);
        if (Ports.Count > 0)
        {
            o.Set("ports", Js.Arr(Ports.Select(p => (JsonNode)p.ToJson())));
        }

        if (ConcurrencyType is not null || SoftLimit is not null || HardLimit is not null)
        {
            o.Set("concurrency", Js.Obj().Set("type", ConcurrencyType).Set("soft_limit", SoftLimit).Set("hard_limit", HardLimit));
        }

        if (Checks.Count > 0)
        {
            o.Set("checks", Js.Arr(Checks.Select(c => (JsonNode)c.ToJson())));
        }

        return o;
    }

    public static ServiceConfig FromJson(JsonObject o)
    {
        var s = new ServiceConfig
        {
            Protocol = o.GetString("protocol") ?? "tcp",
            InternalPort = (int)(o.GetLong("internal_port") ?? 0),
            Autostop = o["autostop"] is JsonLiteral { Value: { } b } ? (b ? "true" : "false") : o.GetString("autostop"),
            Autostart = o.GetBool("autostart"),
            MinMachinesRunning = (int?)o.GetLong("min_machines_running"),
        };
        foreach (var p in o.GetObjects("ports"))
        {
            s.Ports.Add(PortConfig.FromJson(p));
        }

        if (o.GetObject("concurrency") is { } c)
        {
            s.ConcurrencyType = c.GetString("type");
            s.SoftLimit = (int?)c.GetLong("soft_limit");
            s.HardLimit = (int?)c.GetLong("hard_limit");
        }

        foreach (var check in o.GetObjects("checks"))
        {
            s.Checks.Add(CheckConfig.FromJson(check));
        }

        return s;
    }
}

public sealed class PortConfig
{
    public PortConfig(int? port, List<string> handlers, bool? forceHttps)
    {
        Port = port;
        Handlers = handlers;
        ForceHttps = forceHttps;
    }

    public int? Port { get; }
    public List<string> Handlers { get; }
    public bool? ForceHttps { get; }
    public int? StartPort { get; set; }
    public int? EndPort { get; set; }
    public TlsOptions? TlsOptions { get; set; }
    public HttpOptions? HttpOptions { get; set; }
    public ProxyProtoOptions? ProxyProtoOptions { get; set; }

    public JsonObject ToJson() => Js.Obj().Set("port", Port).Set("start_port", StartPort).Set("end_port", EndPort)
        .Set("handlers", Handlers.Count == 0 ? null : MachineConfig.Strings(Handlers)).Set("force_https", ForceHttps)
        .Set("tls_options", TlsOptions?.ToJson()).Set("http_options", HttpOptions?.ToJson())
        .Set("proxy_proto_options", ProxyProtoOptions?.ToJson());

    public static PortConfig FromJson(JsonObject p) =>
        new((int?)p.GetLong("port"), MachineConfig.StringList(p["handlers"]) ?? new List<string>(), p.GetBool("force_https"))
        {
            StartPort = (int?)p.GetLong("start_port"),
            EndPort = (int?)p.GetLong("end_port"),
            TlsOptions = TlsOptions.FromJson(p.GetObject("tls_options")),
            HttpOptions = HttpOptions.FromJson(p.GetObject("http_options")),
            ProxyProtoOptions = ProxyProtoOptions.FromJson(p.GetObject("proxy_proto_options")),
        };
}

public sealed class CheckConfig
{
    public string Type { get; set; } = "tcp";
    public int? Port { get; set; }
    public TimeSpan? Interval { get; set; }
    public TimeSpan? Timeout { get; set; }
    public TimeSpan? GracePeriod { get; set; }
    public string? Method { get; set; }
    public string? Path { get; set; }
    public string? Protocol { get; set; }
    public bool? TlsSkipVerify { get; set; }
    public string? TlsServerName { get; set; }
    public List<HttpHeader>? Headers { get; set; }
    /// <summary>informational | readiness (top-level checks only).</summary>
    public string? Kind { get; set; }

    public JsonObject ToJson() => Js.Obj().Set("type", Type).Set("port", Port)
        .Set("interval", Interval is null ? null : GoDuration.FormatGo(Interval.Value))
        .Set("timeout", Timeout is null ? null : GoDuration.FormatGo(Timeout.Value))
        .Set("grace_period", GracePeriod is null ? null : GoDuration.FormatGo(GracePeriod.Value))
        .Set("method", Method).Set("path", Path).Set("protocol", Protocol).Set("tls_skip_verify", TlsSkipVerify)
        .Set("tls_server_name", TlsServerName)
        .Set("headers", Headers is null ? null : Js.Arr(Headers.Select(h => (JsonNode)Js.Obj().Set("name", h.Name).Set("values", MachineConfig.Strings(h.Values)))))
        .Set("kind", Kind);

    public static CheckConfig FromJson(JsonObject o) => new()
    {
        Type = o.GetString("type") ?? "tcp",
        Port = (int?)o.GetLong("port"),
        Interval = GoDuration.TryParse(o.GetString("interval")),
        Timeout = GoDuration.TryParse(o.GetString("timeout")),
        GracePeriod = GoDuration.TryParse(o.GetString("grace_period")),
        Method = o.GetString("method"),
        Path = o.GetString("path"),
        Protocol = o.GetString("protocol"),
        TlsSkipVerify = o.GetBool("tls_skip_verify"),
        TlsServerName = o.GetString("tls_server_name"),
        Headers = o["headers"] is JsonArray ? o.GetObjects("headers").Select(h => new HttpHeader(h.GetString("name") ?? "", MachineConfig.StringList(h["values"]) ?? new List<string>())).ToList() : null,
        Kind = o.GetString("kind"),
    };
}

/// <summary>A volume mount; <see cref="Volume"/> is the volume's id, which Fly requires.</summary>
public sealed record MountConfig(string? Volume, string? Name, string Path)
{
    /// <summary>fly.toml's auto_extend_size_threshold: the percentage used at which Fly grows the volume.</summary>
    public int? ExtendThresholdPercent { get; init; }
    /// <summary>auto_extend_size_increment, in GB.</summary>
    public int? AddSizeGb { get; init; }
    /// <summary>auto_extend_size_limit, in GB.</summary>
    public int? SizeGbLimit { get; init; }
}

public sealed record FileConfig(string GuestPath, string? RawValue, string? SecretName);

public sealed record StaticConfig(string GuestPath, string UrlPrefix, string? TigrisBucket = null, string? IndexDocument = null);
