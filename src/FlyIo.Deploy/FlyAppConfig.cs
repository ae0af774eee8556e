using FlyIo.AppModel;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FlyIo.AppModel.Units;
using FlyIo.Machines;
using FlyIo.Toml;

namespace FlyIo.Deploy;

/// <summary>
/// The parts of fly.toml a deploy needs, read with FlyIo.Toml, and the machine config each process group gets.
/// Validation is FlyValidate's job: here unreadable values fall back to flyctl's defaults.
/// </summary>
public sealed class FlyAppConfig
{
    public string? App { get; private set; }
    public string? PrimaryRegion { get; private set; }
    public SortedDictionary<string, string> Env { get; } = new(StringComparer.Ordinal);
    /// <summary>Process group → command line ([processes]); empty means the single group "app".</summary>
    public SortedDictionary<string, string> Processes { get; } = new(StringComparer.Ordinal);
    public string Strategy { get; private set; } = "rolling";
    public double MaxUnavailable { get; private set; } = 0.33;
    public TimeSpan WaitTimeout { get; private set; } = TimeSpan.FromMinutes(5);
    public string? ReleaseCommand { get; private set; }
    public TimeSpan ReleaseCommandTimeout { get; private set; } = TimeSpan.FromMinutes(5);
    public GuestConfig? ReleaseCommandVm { get; private set; }
    public string? KillSignal { get; private set; }
    public TimeSpan? KillTimeout { get; private set; }
    public List<string>? ExperimentalCmd { get; private set; }
    public List<string>? ExperimentalEntrypoint { get; private set; }

    private readonly List<(ServiceConfig Service, List<string>? Processes)> _services = new();
    private readonly List<(string Name, CheckConfig Check, List<string>? Processes)> _checks = new();
    private readonly List<FlyVm> _vms = new();
    private readonly List<(string Policy, int? MaxRetries, List<string>? Processes)> _restarts = new();
    private readonly List<(string Source, string Destination, List<string>? Processes)> _mounts = new();
    private readonly List<(int Port, string Path, List<string>? Processes)> _metrics = new();

    public IReadOnlyList<string> Groups => Processes.Count == 0 ? new[] { "app" } : Processes.Keys.ToArray();

    public bool HasMounts => _mounts.Count > 0;

    public bool HasPublicServices => _services.Any(s => s.Service.Ports.Count > 0);

    /// <summary>fly.toml configures a health check somewhere (<see cref="FlyConfig.HasHealthChecks"/>).</summary>
    public bool HasHealthChecks { get; private set; }

    public static FlyAppConfig Parse(string tomlText) => From(FlyConfig.Parse(tomlText));

    /// <summary>The deploy's view of fly.toml as read once for the build; throws the parse error of a malformed file.</summary>
    public static FlyAppConfig From(FlyConfig config)
    {
        if (config.Error is { } error)
        {
            throw error;
        }

        var root = config.Root;
        var c = new FlyAppConfig
        {
            App = Str(root, "app"),
            PrimaryRegion = Str(root, "primary_region"),
            KillSignal = Str(root, "kill_signal"),
            KillTimeout = Duration(root, "kill_timeout", seconds: true),
            HasHealthChecks = config.HasHealthChecks,
        };
        foreach (var e in config.Env)
        {
            c.Env[e.Key] = e.Value;
        }

        if (Table(root, "processes") is { } processes)
        {
            foreach (var e in processes.Entries)
            {
                c.Processes[e.Key] = e.Value is TomlString s ? s.Value : "";
            }
        }

        if (Table(root, "experimental") is { } experimental)
        {
            c.ExperimentalCmd = Words(experimental, "cmd");
            c.ExperimentalEntrypoint = Words(experimental, "entrypoint");
        }

        if (Table(root, "deploy") is { } deploy)
        {
            c.Strategy = Str(deploy, "strategy") ?? "rolling";
            if (deploy.TryGetValue("max_unavailable", out var mu))
            {
                c.MaxUnavailable = mu is TomlInteger i ? i.Value : mu is TomlFloat f ? f.Value : 0.33;
            }

            c.WaitTimeout = Duration(deploy, "wait_timeout", seconds: true) ?? c.WaitTimeout;
            c.ReleaseCommand = Str(deploy, "release_command");
            c.ReleaseCommandTimeout = Duration(deploy, "release_command_timeout", seconds: true) ?? c.ReleaseCommandTimeout;
            if (Table(deploy, "release_command_vm") is { } vm)
            {
                c.ReleaseCommandVm = Guest(FlyVm.From(vm));
            }
        }

        if (Table(root, "http_service") is { } http)
        {
            var s = new ServiceConfig { Protocol = "tcp", InternalPort = (int)(Int(http, "internal_port") ?? 8080) };
            ServiceCommon(s, http);
            var forceHttps = Bool(http, "force_https");
            s.Ports.Add(new PortConfig(80, new List<string> { "http" }, forceHttps == true ? true : null));
            s.Ports.Add(new PortConfig(443, new List<string> { "tls", "http" }, null));
            foreach (var check in Tables(http, "checks"))
            {
                s.Checks.Add(Check(check, "http"));
            }

            c._services.Add((s, List(http, "processes")));
        }

        foreach (var svc in Tables(root, "services"))
        {
            var s = new ServiceConfig { Protocol = Str(svc, "protocol") ?? "tcp", InternalPort = (int)(Int(svc, "internal_port") ?? 8080) };
            ServiceCommon(s, svc);
            foreach (var p in Tables(svc, "ports"))
            {
                s.Ports.Add(new PortConfig((int?)Int(p, "port"), List(p, "handlers") ?? new List<string>(), Bool(p, "force_https")));
            }

            foreach (var check in Tables(svc, "tcp_checks"))
            {
                s.Checks.Add(Check(check, "tcp"));
            }

            foreach (var check in Tables(svc, "http_checks"))
            {
                s.Checks.Add(Check(check, "http"));
            }

            c._services.Add((s, List(svc, "processes")));
        }

        if (Table(root, "checks") is { } checks)
        {
            foreach (var e in checks.Entries)
            {
                if (e.Value is TomlTable t)
                {
                    var check = Check(t, "tcp");
                    check.Kind = Str(t, "kind");
                    c._checks.Add((e.Key, check, List(t, "processes")));
                }
            }
        }

        c._vms.AddRange(config.Vms);

        foreach (var r in Tables(root, "restart"))
        {
            c._restarts.Add((Str(r, "policy") ?? "on-failure", (int?)Int(r, "retries") ?? (int?)Int(r, "max_retries"), List(r, "processes")));
        }

        foreach (var m in Tables(root, "mounts"))
        {
            c._mounts.Add((Str(m, "source") ?? "", Str(m, "destination") ?? "", List(m, "processes")));
        }

        foreach (var m in Tables(root, "metrics"))
        {
            c._metrics.Add(((int)(Int(m, "port") ?? 9091), Str(m, "path") ?? "/metrics", List(m, "processes")));
        }

        return c;
    }

    /// <summary>The machine config of one process group running <paramref name="image"/> (metadata set by the engine).</summary>
    public MachineConfig Build(string group, string image)
    {
        bool For(List<string>? processes) => processes is null || processes.Count == 0 || processes.Contains(group);
        var config = new MachineConfig { Image = image };
        foreach (var kv in Env)
        {
            config.Env[kv.Key] = kv.Value;
        }

        if (PrimaryRegion is not null)
        {
            config.Env["PRIMARY_REGION"] = PrimaryRegion;
        }

        if (Processes.TryGetValue(group, out var command) && command.Length > 0)
        {
            config.InitCmd = ShellWords.Split(command).Words.ToList();
        }
        else if (ExperimentalCmd is not null)
        {
            config.InitCmd = ExperimentalCmd;
        }

        config.InitEntrypoint = ExperimentalEntrypoint;
        var vm = _vms.LastOrDefault(v => v.Processes.Count > 0 && v.Processes.Contains(group)) ?? _vms.LastOrDefault(v => v.Processes.Count == 0);
        if (vm is not null)
        {
            config.Guest = Guest(vm);
        }

        config.Metadata["fly_platform_version"] = "v2";
        config.Metadata["fly_process_group"] = group;
        foreach (var s in _services.Where(s => For(s.Processes)))
        {
            config.Services.Add(ServiceConfig.FromJson(s.Service.ToJson()));
        }

        foreach (var check in _checks.Where(ch => For(ch.Processes)))
        {
            config.Checks[check.Name] = check.Check;
        }

        var restart = _restarts.LastOrDefault(r => For(r.Processes));
        if (restart.Policy is not null)
        {
            config.RestartPolicy = ApiRestartPolicy(restart.Policy);
            config.RestartMaxRetries = restart.MaxRetries;
        }

        config.StopSignal = KillSignal;
        config.StopTimeout = KillTimeout;
        foreach (var m in _mounts.Where(m => For(m.Processes)))
        {
            config.Mounts.Add(new MountConfig(null, m.Source, m.Destination));
        }

        var metrics = _metrics.LastOrDefault(m => For(m.Processes));
        if (metrics.Path is not null)
        {
            config.MetricsPort = metrics.Port;
            config.MetricsPath = metrics.Path;
        }

        return config;
    }

    private static void ServiceCommon(ServiceConfig s, TomlTable t)
    {
        if (t.TryGetValue("auto_stop_machines", out var stop))
        {
            s.Autostop = stop is TomlBoolean b ? (b.Value ? "true" : "false") : (stop as TomlString)?.Value;
        }

        s.Autostart = Bool(t, "auto_start_machines");
        s.MinMachinesRunning = (int?)Int(t, "min_machines_running");
        if (Table(t, "concurrency") is { } conc)
        {
            s.ConcurrencyType = Str(conc, "type");
            s.SoftLimit = (int?)Int(conc, "soft_limit");
            s.HardLimit = (int?)Int(conc, "hard_limit");
        }
    }

    private static CheckConfig Check(TomlTable t, string defaultType) => new()
    {
        Type = Str(t, "type") ?? defaultType,
        Port = (int?)Int(t, "port"),
        Interval = Duration(t, "interval", seconds: false),
        Timeout = Duration(t, "timeout", seconds: false),
        GracePeriod = Duration(t, "grace_period", seconds: false),
        Method = Str(t, "method"),
        Path = Str(t, "path"),
        Protocol = Str(t, "protocol"),
    };

    private static GuestConfig Guest(FlyVm vm) => new(vm.CpuKind, vm.Cpus, vm.MemoryMb ?? VmSizes.Default.MemoryMb);

    private static TomlTable? Table(TomlTable t, string key) => t.TryGetValue(key, out var v) ? v as TomlTable : null;

    private static IEnumerable<TomlTable> Tables(TomlTable t, string key) =>
        !t.TryGetValue(key, out var v) ? Enumerable.Empty<TomlTable>() : v is TomlArray a ? a.OfType<TomlTable>() : v is TomlTable one ? new[] { one } : Enumerable.Empty<TomlTable>();

    private static string? Str(TomlTable t, string key) => t.TryGetValue(key, out var v) ? (v as TomlString)?.Value : null;

    private static long? Int(TomlTable t, string key) => t.TryGetValue(key, out var v) ? v is TomlInteger i ? i.Value : v is TomlFloat f ? (long)f.Value : null : null;

    private static bool? Bool(TomlTable t, string key) => t.TryGetValue(key, out var v) ? (v as TomlBoolean)?.Value : null;

    private static List<string>? List(TomlTable t, string key) =>
        !t.TryGetValue(key, out var v) ? null : v is TomlArray a ? a.OfType<TomlString>().Select(s => s.Value).ToList() : v is TomlString s1 ? new List<string> { s1.Value } : null;

    private static List<string>? Words(TomlTable t, string key) =>
        !t.TryGetValue(key, out var v) ? null : v is TomlArray a ? a.OfType<TomlString>().Select(s => s.Value).ToList() : v is TomlString s1 ? ShellWords.Split(s1.Value).Words.ToList() : null;

    /// <summary>A Go duration string, or a number (seconds when <paramref name="seconds"/>, as kill_timeout reads it).</summary>
    private static TimeSpan? Duration(TomlTable t, string key, bool seconds)
    {
        if (!t.TryGetValue(key, out var v))
        {
            return null;
        }

        return v switch
        {
            TomlString s => GoDuration.TryParse(s.Value),
            TomlInteger i when seconds => TimeSpan.FromSeconds(i.Value),
            TomlInteger i => TimeSpan.FromSeconds(i.Value),
            _ => null,
        };
    }

    internal static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// fly.toml's <c>[[restart]] policy</c> as the Machines API takes it (no, always, on-failure): fly.toml spells
    /// "no" as "never", and flyctl maps it so before sending.
    /// </summary>
    internal static string ApiRestartPolicy(string policy) => policy.ToLowerInvariant() switch
    {
        "never" or "no" => "no",
        "always" => "always",
        "on-failure" or "on_failure" => "on-failure",
        _ => policy,
    };
}
