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

    private readonly List<(ServiceConfig Service, List<string> Processes)> _services = new();
    private readonly List<(string Name, CheckConfig Check, List<string> Processes)> _checks = new();
    private readonly List<FlyVm> _vms = new();
    private readonly List<(string Policy, int? MaxRetries, List<string> Processes)> _restarts = new();
    private readonly List<FlyMount> _mounts = new();
    private readonly List<(int Port, string Path, List<string> Processes)> _metrics = new();

    public IReadOnlyList<string> Groups => Processes.Count == 0 ? new[] { "app" } : Processes.Keys.ToArray();

    public bool HasMounts => _mounts.Count > 0;

    /// <summary>The machine checks (<see cref="FlyMachineCheck"/>) flyctl runs against each machine a deploy brings up.</summary>
    public IReadOnlyList<FlyMachineCheck> MachineChecks { get; private set; } = Array.Empty<FlyMachineCheck>();

    /// <summary>The volume mount of <paramref name="group"/>'s machines, if fly.toml gives it one (flyctl uses the first).</summary>
    public FlyMount? MountFor(string group) => _mounts.FirstOrDefault(m => m.AppliesTo(group));

    public bool HasPublicServices => _services.Any(s => s.Service.Ports.Count > 0);

    /// <summary>Whether <paramref name="group"/>'s machines get a service ([http_service] or [[services]]).</summary>
    public bool HasServicesFor(string group) => _services.Any(s => s.Processes.Count == 0 || s.Processes.Contains(group));

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
            KillTimeout = Duration(root, "kill_timeout"),
            HasHealthChecks = config.HasHealthChecks,
            MachineChecks = FlyMachineCheck.ReadAll(config.Root),
        };
        foreach (var e in config.Env)
        {
            c.Env[e.Key] = e.Value;
        }

        if (TomlRead.Table(root, "processes") is { } processes)
        {
            foreach (var e in processes.Entries)
            {
                c.Processes[e.Key] = e.Value is TomlString s ? s.Value : "";
            }
        }

        if (TomlRead.Table(root, "experimental") is { } experimental)
        {
            c.ExperimentalCmd = Words(experimental, "cmd");
            c.ExperimentalEntrypoint = Words(experimental, "entrypoint");
        }

        if (TomlRead.Table(root, "deploy") is { } deploy)
        {
            c.Strategy = Str(deploy, "strategy") ?? "rolling";
            if (deploy.TryGetValue("max_unavailable", out var mu))
            {
                c.MaxUnavailable = mu is TomlInteger i ? i.Value : mu is TomlFloat f ? f.Value : 0.33;
            }

            c.WaitTimeout = Duration(deploy, "wait_timeout") ?? c.WaitTimeout;
            c.ReleaseCommand = Str(deploy, "release_command");
            c.ReleaseCommandTimeout = Duration(deploy, "release_command_timeout") ?? c.ReleaseCommandTimeout;
            if (TomlRead.Table(deploy, "release_command_vm") is { } vm)
            {
                c.ReleaseCommandVm = Guest(FlyVm.From(vm));
            }
        }

        if (TomlRead.Table(root, "http_service") is { } http)
        {
            var s = new ServiceConfig { Protocol = "tcp", InternalPort = (int)(Int(http, "internal_port") ?? 8080) };
            ServiceCommon(s, http);
            var forceHttps = Bool(http, "force_https");
            s.Ports.Add(new PortConfig(80, new List<string> { "http" }, forceHttps == true ? true : null));
            s.Ports.Add(new PortConfig(443, new List<string> { "tls", "http" }, null));
            foreach (var check in TomlRead.Tables(http, "checks"))
            {
                s.Checks.Add(Check(check, "http"));
            }

            c._services.Add((s, List(http, "processes")));
        }

        foreach (var svc in TomlRead.Tables(root, "services"))
        {
            var s = new ServiceConfig { Protocol = Str(svc, "protocol") ?? "tcp", InternalPort = (int)(Int(svc, "internal_port") ?? 8080) };
            ServiceCommon(s, svc);
            foreach (var p in TomlRead.Tables(svc, "ports"))
            {
                s.Ports.Add(new PortConfig((int?)Int(p, "port"), List(p, "handlers"), Bool(p, "force_https")));
            }

            foreach (var check in TomlRead.Tables(svc, "tcp_checks"))
            {
                s.Checks.Add(Check(check, "tcp"));
            }

            foreach (var check in TomlRead.Tables(svc, "http_checks"))
            {
                s.Checks.Add(Check(check, "http"));
            }

            c._services.Add((s, List(svc, "processes")));
        }

        if (TomlRead.Table(root, "checks") is { } checks)
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

        foreach (var r in TomlRead.Tables(root, "restart"))
        {
            c._restarts.Add((Str(r, "policy") ?? "on-failure", (int?)Int(r, "retries") ?? (int?)Int(r, "max_retries"), List(r, "processes")));
        }

        foreach (var m in TomlRead.Tables(root, "mounts"))
        {
            c._mounts.Add(FlyMount.From(m, List(m, "processes")));
        }

        foreach (var m in TomlRead.Tables(root, "metrics"))
        {
            c._metrics.Add(((int)(Int(m, "port") ?? 9091), Str(m, "path") ?? "/metrics", List(m, "processes")));
        }

        return c;
    }

    /// <summary>The machine config of one process group running <paramref name="image"/> (metadata set by the engine).</summary>
    public MachineConfig Build(string group, string image)
    {
        bool For(List<string> processes) => processes.Count == 0 || processes.Contains(group);
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
        // One volume per machine (the validator refuses two mounts for a group): its id is the deploy's to fill in.
        if (MountFor(group) is { } mount)
        {
            config.Mounts.Add(mount.ToMount(null));
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
        if (TomlRead.Table(t, "concurrency") is { } conc)
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
        Interval = Duration(t, "interval"),
        Timeout = Duration(t, "timeout"),
        GracePeriod = Duration(t, "grace_period"),
        Method = Str(t, "method"),
        Path = Str(t, "path"),
        Protocol = Str(t, "protocol"),
    };

    private static GuestConfig Guest(FlyVm vm) => new(vm.CpuKind, vm.Cpus, vm.MemoryMb ?? VmSizes.Default.MemoryMb);

    private static string? Str(TomlTable t, string key) => TomlRead.String(t, key);

    private static long? Int(TomlTable t, string key) => TomlRead.Integer(TomlRead.Get(t, key));

    private static bool? Bool(TomlTable t, string key) => (TomlRead.Get(t, key) as TomlBoolean)?.Value;

    private static List<string> List(TomlTable t, string key) => TomlRead.Strings(t, key).Select(s => s.Value).ToList();

    private static List<string>? Words(TomlTable t, string key) => TomlRead.Get(t, key) switch
    {
        TomlArray a => a.OfType<TomlString>().Select(s => s.Value).ToList(),
        TomlString one => ShellWords.Split(one.Value).Words.ToList(),
        _ => null,
    };

    /// <summary>A Go duration string, or a number of seconds (as kill_timeout and wait_timeout read one).</summary>
    private static TimeSpan? Duration(TomlTable t, string key) =>
        TomlRead.DurationSeconds(TomlRead.Get(t, key), 1) is double seconds ? TimeSpan.FromSeconds(seconds) : null;

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
