using FlyIo.AppModel;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using FlyIo.AppModel.Units;
using FlyIo.Machines;
using FlyIo.Toml;

namespace FlyIo.Deploy;

/// <summary>
/// The parts of fly.toml a deploy needs, read with FlyIo.Toml, and the machine config each process group gets.
/// Validation is FlyValidate's job: here unreadable values fall back to flyctl's defaults.
/// Build follows flyctl's Config.Flatten + updateMachineConfig (internal/appconfig): a section with a processes list
/// goes to those groups; one without goes only to the default group ("app", else the first group by name), except
/// [[vm]], which goes to every group that has no [[vm]] of its own, and [[statics]], which has no processes.
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
    public List<string>? ExperimentalExec { get; private set; }
    public int? SwapSizeMb { get; private set; }
    public string? HostDedicationId { get; private set; }

    /// <summary>fly.toml's folder: [[files]] local_path is read relative to it.</summary>
    public string Directory { get; private set; } = "";

    /// <summary>The whole of fly.toml as JSON: the <c>definition</c> of the Fly releases deploys record (see <see cref="FlyDefinition"/>).</summary>
    public FlyIo.Json.JsonObject Definition { get; private set; } = Js.Obj();

    private readonly List<(ServiceConfig Service, List<string> Processes)> _services = new();
    private readonly List<(string Name, CheckConfig Check, List<string> Processes)> _checks = new();
    private readonly List<FlyVm> _vms = new();
    private readonly List<(string Policy, int? MaxRetries, List<string> Processes)> _restarts = new();
    private readonly List<(FlyFile File, List<string> Processes)> _files = new();
    private readonly List<StaticConfig> _statics = new();
    private readonly List<FlyMount> _mounts = new();
    private (int Port, List<string> Processes)? _httpServicePort;
    private readonly List<(int? Port, string? Path, bool? Https, List<string> Processes)> _metrics = new();

    public IReadOnlyList<string> Groups => Processes.Count == 0 ? new[] { "app" } : Processes.Keys.ToArray();

    /// <summary>The group sections without a processes list go to (flyctl's DefaultProcessName).</summary>
    public string DefaultGroup => Groups.Contains("app") ? "app" : Groups[0];

    public bool HasMounts => _mounts.Count > 0;

    /// <summary>The [[mounts]] entries in file order.</summary>
    public IReadOnlyList<FlyMount> Mounts => _mounts;

    /// <summary>The machine checks (<see cref="FlyMachineCheck"/>) flyctl runs against each machine a deploy brings up.</summary>
    public IReadOnlyList<FlyMachineCheck> MachineChecks { get; private set; } = Array.Empty<FlyMachineCheck>();

    /// <summary>The volume mount of <paramref name="group"/>'s machines, if fly.toml gives it one (flyctl uses the first).</summary>
    public FlyMount? MountFor(string group) => _mounts.FirstOrDefault(m => InGroup(m.Processes, group));

    public bool HasPublicServices => _services.Any(s => s.Service.Ports.Count > 0);

    /// <summary>Whether <paramref name="group"/>'s machines get a service ([http_service] or [[services]]).</summary>
    public bool HasServicesFor(string group) => _services.Any(s => InGroup(s.Processes, group));

    /// <summary>
    /// flyctl's Flatten: a section naming processes goes to those groups; one naming none goes to the default group
    /// only (app, else the first group).
    /// </summary>
    private bool InGroup(IReadOnlyList<string> processes, string group) => processes.Count == 0 ? group == DefaultGroup : processes.Contains(group);

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
            SwapSizeMb = (int?)Int(root, "swap_size_mb"),
            HostDedicationId = Str(root, "host_dedication_id") is { Length: > 0 } hdid ? hdid : null,
            HasHealthChecks = config.HasHealthChecks,
            MachineChecks = FlyMachineCheck.ReadAll(config.Root),
            Directory = Path.GetDirectoryName(config.Path) ?? "",
            Definition = FlyDefinition.From(root),
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
            c.ExperimentalExec = Words(experimental, "exec");
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
                c.ReleaseCommandVm = FlyGuest.From(FlyVm.From(vm), c.HostDedicationId);
            }
        }

        if (TomlRead.Table(root, "http_service") is { } http)
        {
            c._services.Add((FlyServices.FromHttpService(http), List(http, "processes")));
            c._httpServicePort = ((int)(Int(http, "internal_port") ?? 0), List(http, "processes"));
        }

        foreach (var svc in TomlRead.Tables(root, "services"))
        {
            c._services.Add((FlyServices.FromService(svc), List(svc, "processes")));
        }

        if (TomlRead.Table(root, "checks") is { } checks)
        {
            foreach (var e in checks.Entries)
            {
                if (e.Value is TomlTable t)
                {
                    c._checks.Add((e.Key, FlyServices.TopLevelCheck(t), List(t, "processes")));
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
            c._metrics.Add(((int?)Int(m, "port"), Str(m, "path"), Bool(m, "https"), List(m, "processes")));
        }

        foreach (var f in TomlRead.Tables(root, "files"))
        {
            c._files.Add((new FlyFile(Str(f, "guest_path") ?? "", Str(f, "local_path"), Str(f, "secret_name"), Str(f, "raw_value")), List(f, "processes")));
        }

        foreach (var st in TomlRead.Tables(root, "statics"))
        {
            c._statics.Add(new StaticConfig(Str(st, "guest_path") ?? "", Str(st, "url_prefix") ?? "", Str(st, "tigris_bucket"), Str(st, "index_document")));
        }

        return c;
    }

    /// <summary>The machine config of one process group running <paramref name="image"/> (metadata set by the engine).</summary>
    /// <exception cref="FileNotFoundException">A [[files]] local_path of this group does not exist.</exception>
    public MachineConfig Build(string group, string image)
    {
        var config = new MachineConfig { Image = image };
        foreach (var kv in Env)
        {
            config.Env[kv.Key] = kv.Value;
        }

        config.Env["FLY_PROCESS_GROUP"] = group;
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
        config.InitExec = ExperimentalExec;
        config.SwapSizeMb = SwapSizeMb;
        if (VmFor(group) is { } vm)
        {
            config.Guest = FlyGuest.From(vm, HostDedicationId);
        }

        config.Metadata["fly_platform_version"] = "v2";
        config.Metadata["fly_process_group"] = group;
        foreach (var s in _services.Where(s => InGroup(s.Processes, group)))
        {
            config.Services.Add(ServiceConfig.FromJson(s.Service.ToJson()));
        }

        var httpServiceInGroup = _httpServicePort is { } hs && InGroup(hs.Processes, group);
        foreach (var check in _checks.Where(ch => InGroup(ch.Processes, group)))
        {
            var copy = CheckConfig.FromJson(check.Check.ToJson());

            // flyctl gives a check without a port the group's http_service internal_port.
            copy.Port ??= httpServiceInGroup && _httpServicePort!.Value.Port > 0 ? _httpServicePort.Value.Port : null;
            config.Checks[check.Name] = copy;
        }

        // flyctl applies every matching [[restart]] in turn, so the last one wins.
        var restart = _restarts.LastOrDefault(r => InGroup(r.Processes, group));
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

        foreach (var f in _files.Where(f => InGroup(f.Processes, group)))
        {
            config.Files.Add(f.File.ToMachineFile(Directory));
        }

        config.Statics.AddRange(_statics);

        // flyctl sends the first [[metrics]] of the group.
        var metrics = _metrics.FirstOrDefault(m => InGroup(m.Processes, group));
        if (metrics.Processes is not null)
        {
            config.MetricsPort = metrics.Port;
            config.MetricsPath = metrics.Path;
            config.MetricsHttps = metrics.Https == true ? true : null;
        }

        return config;
    }

    /// <summary>
    /// flyctl's ComputeForGroup: the last [[vm]] naming the group, else the first without processes. Null means fly.toml
    /// sizes no VM for the group, and a deploy keeps the size a machine has (flyctl's toMachineGuest).
    /// </summary>
    public FlyVm? VmFor(string group) =>
        _vms.LastOrDefault(v => v.Processes.Contains(group)) ?? _vms.FirstOrDefault(v => v.Processes.Count == 0);

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
