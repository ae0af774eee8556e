using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.AppModel;
using FlyIo.Json;
using FlyIo.Machines;
using FlyIo.Toml;

namespace FlyIo.Deploy;

/// <summary>
/// fly.toml's [http_service], [[services]] and their checks and port options as flyctl's toMachineService writes
/// them (internal/appconfig/service.go): http_service becomes ports 80 (http) and 443 (http, tls) that both carry
/// its http_options, with its tls_options on 443.
/// </summary>
internal static class FlyServices
{
    public static ServiceConfig FromHttpService(TomlTable http)
    {
        var s = new ServiceConfig { Protocol = "tcp", InternalPort = (int)(Int(http, "internal_port") ?? 0) };
        Common(s, http);
        var httpOptions = HttpOptions(TomlRead.Table(http, "http_options"));
        s.Ports.Add(new PortConfig(80, new List<string> { "http" }, Bool(http, "force_https") == true ? true : null) { HttpOptions = httpOptions });
        s.Ports.Add(new PortConfig(443, new List<string> { "http", "tls" }, null)
        {
            HttpOptions = HttpOptions(TomlRead.Table(http, "http_options")),
            TlsOptions = TlsOptions(TomlRead.Table(http, "tls_options")),
        });
        foreach (var check in TomlRead.Tables(http, "checks"))
        {
            s.Checks.Add(HttpCheck(check));
        }

        return s;
    }

    public static ServiceConfig FromService(TomlTable svc)
    {
        var s = new ServiceConfig { Protocol = TomlRead.String(svc, "protocol") ?? "tcp", InternalPort = (int)(Int(svc, "internal_port") ?? 0) };
        Common(s, svc);
        foreach (var p in TomlRead.Tables(svc, "ports"))
        {
            s.Ports.Add(new PortConfig((int?)Int(p, "port"), Strings(p, "handlers"), Bool(p, "force_https") == true ? true : null)
            {
                StartPort = (int?)Int(p, "start_port"),
                EndPort = (int?)Int(p, "end_port"),
                TlsOptions = TlsOptions(TomlRead.Table(p, "tls_options")),
                HttpOptions = HttpOptions(TomlRead.Table(p, "http_options")),
                ProxyProtoOptions = TomlRead.Table(p, "proxy_proto_options") is { } ppo ? new ProxyProtoOptions { Version = TomlRead.String(ppo, "version") } : null,
            });
        }

        // flyctl sends a service's TCP checks, then its HTTP checks; a TCP check carries only its timings.
        foreach (var check in TomlRead.Tables(svc, "tcp_checks"))
        {
            s.Checks.Add(new CheckConfig { Type = "tcp", Interval = Duration(check, "interval"), Timeout = Duration(check, "timeout"), GracePeriod = Duration(check, "grace_period") });
        }

        foreach (var check in TomlRead.Tables(svc, "http_checks"))
        {
            s.Checks.Add(HttpCheck(check));
        }

        return s;
    }

    /// <summary>A top-level [checks.NAME]: flyctl upper-cases its method and sends the port as written (null: see the caller).</summary>
    public static CheckConfig TopLevelCheck(TomlTable t)
    {
        var check = HttpCheck(t);
        check.Type = TomlRead.String(t, "type") ?? "tcp";
        check.Port = (int?)Int(t, "port");
        check.Method = check.Method?.ToUpperInvariant();
        check.Kind = TomlRead.String(t, "kind");
        return check;
    }

    private static CheckConfig HttpCheck(TomlTable t) => new()
    {
        Type = "http",
        Interval = Duration(t, "interval"),
        Timeout = Duration(t, "timeout"),
        GracePeriod = Duration(t, "grace_period"),
        Method = TomlRead.String(t, "method"),
        Path = TomlRead.String(t, "path"),
        Protocol = TomlRead.String(t, "protocol"),
        TlsSkipVerify = Bool(t, "tls_skip_verify"),
        TlsServerName = TomlRead.String(t, "tls_server_name"),
        Headers = TomlRead.Table(t, "headers") is { Count: > 0 } headers
            ? headers.Select(e => new HttpHeader(e.Key, new[] { FlyConfig.EnvString(e.Value) })).ToList()
            : null,
    };

    private static void Common(ServiceConfig s, TomlTable t)
    {
        if (t.TryGetValue("auto_stop_machines", out var stop))
        {
            s.Autostop = stop is TomlBoolean b ? (b.Value ? "true" : "false") : (stop as TomlString)?.Value;
        }

        s.Autostart = Bool(t, "auto_start_machines");
        s.MinMachinesRunning = (int?)Int(t, "min_machines_running");
        if (TomlRead.Table(t, "concurrency") is { } conc)
        {
            s.ConcurrencyType = TomlRead.String(conc, "type");
            s.SoftLimit = (int?)Int(conc, "soft_limit");
            s.HardLimit = (int?)Int(conc, "hard_limit");
        }
    }

    private static TlsOptions? TlsOptions(TomlTable? t) => t is null ? null : new TlsOptions
    {
        Alpn = TomlRead.Get(t, "alpn") is null ? null : Strings(t, "alpn"),
        Versions = TomlRead.Get(t, "versions") is null ? null : Strings(t, "versions"),
        DefaultSelfSigned = Bool(t, "default_self_signed"),
    };

    private static HttpOptions? HttpOptions(TomlTable? t)
    {
        if (t is null)
        {
            return null;
        }

        var response = TomlRead.Table(t, "response");
        return new HttpOptions
        {
            Compress = Bool(t, "compress"),
            H2Backend = Bool(t, "h2_backend"),
            IdleTimeout = Int(t, "idle_timeout"),
            HeadersReadTimeout = Int(t, "headers_read_timeout"),
            ResponsePristine = response is null ? null : Bool(response, "pristine"),
            ResponseHeaders = TomlRead.Table(response, "headers")?.Select(e => new KeyValuePair<string, JsonNode>(e.Key, Json(e.Value))).ToList(),
        };
    }

    /// <summary>A response header value as Fly takes it: a string, a list of strings, or false (drop the header).</summary>
    private static JsonNode Json(TomlValue value) => value switch
    {
        TomlBoolean b => Js.Bool(b.Value),
        TomlArray a => Js.Arr(a.Select(Json)),
        TomlInteger i => Js.Num(i.Value),
        TomlFloat f => Js.Num(f.Value),
        _ => Js.Str(FlyConfig.EnvString(value)),
    };

    internal static long? Int(TomlTable t, string key) => TomlRead.Integer(TomlRead.Get(t, key));

    internal static bool? Bool(TomlTable t, string key) => (TomlRead.Get(t, key) as TomlBoolean)?.Value;

    internal static List<string> Strings(TomlTable t, string key) => TomlRead.Strings(t, key).Select(s => s.Value).ToList();

    /// <summary>A Go duration string, or a number of seconds (as kill_timeout and wait_timeout read one).</summary>
    internal static TimeSpan? Duration(TomlTable t, string key) =>
        TomlRead.DurationSeconds(TomlRead.Get(t, key), 1) is double seconds ? TimeSpan.FromSeconds(seconds) : null;
}
