using FlyIo.AppModel.Units;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

/// <summary>An API error: HTTP status plus Fly's <c>{"error", "status"?}</c> body.</summary>
public sealed class ApiException(int status, string message, string? code = null) : Exception(message)
{
    public int Status { get; } = status;
    public string? Code { get; } = code;

    /// <summary>
    /// Fly's lease endpoints answer errors as <c>{"status": "error", "message": …, "code": …}</c> rather than
    /// <c>{"error": …}</c>: such an error carries its <c>code</c> here.
    /// </summary>
    public string? LeaseErrorCode { get; init; }
}

/// <summary>All state, one lock, and the machine lifecycle (launch, exit, restart policy, auto_destroy, checks).</summary>
public sealed class MachineEngine : IAsyncDisposable
{
    public object Gate { get; } = new();
    public Dictionary<string, AppRecord> Apps { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// App names another organization owns: as on Fly, this token cannot see them (404) and cannot create them
    /// (422 "Name has already been taken"), because app names are global.
    /// </summary>
    public HashSet<string> ForeignAppNames { get; } = new(StringComparer.Ordinal);
    public IMachineRuntime Runtime { get; }
    public FaultInjector Faults { get; }
    public string LeaseOwner { get; }
    /// <summary>Machines' stdout and stderr, for the logs API.</summary>
    public AppLogs Logs { get; } = new();
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(30) };
    private int _ipCounter;
    private int _appCounter;
    private readonly CancellationTokenSource _shutdown = new();

    public MachineEngine(IMachineRuntime runtime, FaultInjector faults, string leaseOwner)
    {
        Runtime = runtime;
        Faults = faults;
        LeaseOwner = leaseOwner;
    }

    public int NextAppNumber() => Interlocked.Increment(ref _appCounter);

    public string NextPrivateIp()
    {
        var n = Interlocked.Increment(ref _ipCounter);
        return $"fdaa:0:1:a7b:{n / 65536:x}:{n % 65536:x}:0:2";
    }

    public AppRecord App(string name) =>
        Apps.TryGetValue(name, out var app) ? app : throw new ApiException(404, "app not found");

    public MachineRecord Machine(AppRecord app, string id) =>
        app.Machines.TryGetValue(id, out var m) ? m : throw new ApiException(404, "machine not found");

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>How long a launch (pull, unpack, start) may take before the machine is failed.</summary>
    public TimeSpan LaunchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public void AddEvent(MachineRecord m, string type, string status, string source, JsonObject? request = null) =>
        m.Events.Add(new MachineEvent(Ids.Ulid(), type, status, source, Now(), request));

    // ---------------------------------------------------------------- leases

    /// <summary>The lease in force on <paramref name="m"/> (a real one, or one a lease_held fault rule fakes).</summary>
    public LeaseRecord? ActiveLease(MachineRecord m)
    {
        if (m.Lease is not null && m.Lease.ExpiresAt <= DateTimeOffset.UtcNow) m.Lease = null;
        if (m.Lease is not null) return m.Lease;
        var held = Faults.HeldLease(m.AppName, m.Id, m.Config);
        return held is null ? null : new LeaseRecord
        {
            Nonce = "fault-" + held.Id, Owner = held.Owner, ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(held.TtlSeconds),
            Version = m.InstanceId, Description = "held by fault rule " + held.Id,
        };
    }

    /// <summary>Rejects a mutating call on a leased machine unless it carries the lease's nonce, as Fly does.</summary>
    public void CheckLease(MachineRecord m, string? nonce)
    {
        var lease = ActiveLease(m);
        if (lease is null || (nonce is not null && nonce == lease.Nonce && m.Lease is not null)) return;
        throw LeaseConflict(m, lease);
    }

    public static ApiException LeaseConflict(MachineRecord m, LeaseRecord lease) =>
        new(409, $"aborted: machine ID {m.Id} lease currently held by {lease.Owner}, expires at {Ids.Timestamp(lease.ExpiresAt)}");

    /// <summary>A held lease as the lease endpoints report it (Fly's documented 409 body).</summary>
    public static ApiException LeaseHeld(MachineRecord m, LeaseRecord lease) =>
        new(409, $"machine ID {m.Id} lease currently held by {lease.Owner}, expires at {Ids.Timestamp(lease.ExpiresAt)}") { LeaseErrorCode = "invalid" };

    // ---------------------------------------------------------------- lifecycle (call with Gate held)

    public void Launch(MachineRecord m, bool userStart)
    {
        var app = Apps[m.AppName];
        if (userStart) m.RestartCount = 0;
        m.StopRequested = false;
        m.Generation++;
        var generation = m.Generation;
        m.State = "starting";
        m.Pulse();
        var secrets = app.Secrets.ToDictionary(s => s.Key, s => s.Value.Value, StringComparer.Ordinal);
        var context = new LaunchContext(m.AppName, m.Id, m.InstanceId, m.Region, m.PrivateIp, (JsonObject)m.Config.DeepClone(), secrets, Faults,
            line => Logs.Append(m.AppName, m.Id, m.Region, line));
        _ = Task.Run(async () =>
        {
            IMachineInstance instance;
            var launching = Runtime.LaunchAsync(context, _shutdown.Token);
            try
            {
                instance = await launching.WaitAsync(LaunchTimeout, _shutdown.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // A launch that never finishes must not leave the machine "starting" forever: it fails, and a process
                // it starts late is stopped.
                _ = launching.ContinueWith(t => { if (t.IsCompletedSuccessfully) _ = t.Result.StopAsync(9, TimeSpan.Zero); }, TaskScheduler.Default);
                lock (Gate)
                {
                    if (m.Generation != generation) return;
                    m.State = "failed";
                    AddEvent(m, "launch", "failed", "flyd", new JsonObject { ["error"] = $"launch did not finish within {LaunchTimeout.TotalSeconds:0}s" });
                    m.Pulse();
                }
                return;
            }
            catch (Exception e)
            {
                // Any launch failure (not only the expected ones) ends in "failed" with its reason: a machine must
                // never sit in "starting" forever because a launch threw something unforeseen.
                lock (Gate)
                {
                    if (m.Generation != generation) return;
                    m.State = "failed";
                    AddEvent(m, "launch", "failed", "flyd", new JsonObject { ["error"] = e.Message });
                    m.Pulse();
                }
                return;
            }
            lock (Gate)
            {
                if (m.Generation != generation || m.State != "starting")
                {
                    _ = instance.StopAsync(9, TimeSpan.Zero);
                    return;
                }
                m.Instance = instance;
                m.ImageDigest = instance.ImageDigest ?? m.ImageDigest;
                Logs.Append(m.AppName, m.Id, m.Region, $" INFO Starting init (instance {m.InstanceId})");
                m.State = "started";
                AddEvent(m, "start", "started", "flyd");
                StartChecks(m, instance, generation);
                m.Pulse();
            }
            ExitInfo exit;
            try
            {
                exit = await instance.Exited.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The runtime lost track of how the process ended; it has ended all the same.
                exit = new ExitInfo(1, 0, false);
            }
            OnExit(m, generation, exit);
        });
    }

    private void OnExit(MachineRecord m, long generation, ExitInfo exit)
    {
        lock (Gate)
        {
            if (m.Generation != generation) return;
            StopChecks(m);
            m.Instance = null;
            var requested = m.StopRequested;
            var restart = (m.Config["restart"] as JsonObject) ?? new JsonObject();
            // No policy, or Fly's empty one (""), is the platform default.
            var policy = restart["policy"]?.GetValue<string>() is { Length: > 0 } p ? p : "on-failure";
            var maxRetries = restart["max_retries"]?.GetValue<int>() ?? 10;
            var autoDestroy = m.Config["auto_destroy"]?.GetValue<bool>() == true;
            var restarting = !requested && (policy == "always" || (policy == "on-failure" && exit.ExitCode != 0 && m.RestartCount < maxRetries));
            // The init's own lines, as Fly's logs show them next to the app's output.
            Logs.Append(m.AppName, m.Id, m.Region, exit.Signal != 0
                ? $" INFO Main child exited with signal (with signal '{exit.Signal}', core dumped? false)"
                : $" INFO Main child exited normally with code: {exit.ExitCode}");
            if (exit.OomKilled) Logs.Append(m.AppName, m.Id, m.Region, "Out of memory: Killed process (main child)");
            AddEvent(m, "exit", restarting ? "restarting" : "stopped", "flyd", ExitRequest(exit, requested, restarting, m.RestartCount));
            if (restarting)
            {
                m.RestartCount++;
                Launch(m, userStart: false);
                return;
            }
            if (autoDestroy)
            {
                DestroyNow(m);
                return;
            }
            m.State = "stopped";
            m.Pulse();
        }
    }

    /// <summary>
    /// An exit event's request, as Fly's docs show it: every field present (no signal is -1), the same exit_event under
    /// MonitorEvent and at top level. exited_at is a timestamp string, as fly-go reads it (the 2022 docs show
    /// milliseconds).
    /// </summary>
    private static JsonObject ExitRequest(ExitInfo exit, bool requested, bool restarting, int restartCount)
    {
        JsonObject Event() => new()
        {
            ["exit_code"] = exit.ExitCode,
            ["exited_at"] = DateTimeOffset.UtcNow.UtcDateTime.ToString("O"),
            ["guest_exit_code"] = 0,
            ["guest_signal"] = -1,
            ["oom_killed"] = exit.OomKilled,
            ["requested_stop"] = requested,
            ["restarting"] = restarting,
            ["signal"] = exit.Signal != 0 ? exit.Signal : -1,
        };
        return new JsonObject { ["exit_event"] = Event(), ["MonitorEvent"] = new JsonObject { ["exit_event"] = Event() }, ["restart_count"] = restartCount };
    }

    public void Stop(MachineRecord m, int signal, TimeSpan timeout)
    {
        if (m.State is not ("started" or "starting"))
            throw new ApiException(412, $"unable to stop machine, not currently started (state: '{m.State}')");
        m.StopRequested = true;
        m.StopSignal = signal;
        AddEvent(m, "stop", "stopping", "user");
        if (m.Instance is null)
        {
            // Still launching: abandon the launch.
            m.Generation++;
            m.State = "stopped";
            AddEvent(m, "exit", "stopped", "flyd", ExitRequest(new ExitInfo(0, 0, false), true, false, 0));
            m.Pulse();
            return;
        }
        m.State = "stopping";
        m.Pulse();
        var instance = m.Instance;
        _ = Task.Run(() => instance.StopAsync(signal, timeout));
    }

    /// <summary>Stops the current process without going through exit handling; then runs <paramref name="then"/>.</summary>
    public void Replace(MachineRecord m, string transient, Action<MachineRecord> then, int? stopSignal = null, TimeSpan? stopTimeout = null)
    {
        var instance = m.Instance;
        m.Generation++;
        StopChecks(m);
        m.Instance = null;
        m.State = transient;
        m.Pulse();
        var signal = stopSignal ?? Signals.Parse((m.Config["stop_config"] as JsonObject)?["signal"]?.GetValue<string>(), 15);
        var timeout = stopTimeout ?? Durations.Parse((m.Config["stop_config"] as JsonObject)?["timeout"]?.GetValue<string>(), TimeSpan.FromSeconds(5));
        _ = Task.Run(async () =>
        {
            try
            {
                if (instance is not null)
                {
                    await instance.StopAsync(signal, timeout).ConfigureAwait(false);
                    var exit = await instance.Exited.ConfigureAwait(false);
                    lock (Gate) AddEvent(m, "exit", "stopped", "flyd", ExitRequest(exit, true, transient == "restarting", 0));
                }
            }
            finally
            {
                // Whatever happened to the old process, the machine goes on to its next state: it must never stay
                // in "replacing" or "restarting".
                lock (Gate)
                {
                    if (m.State == transient) then(m);
                }
            }
        });
    }

    public void DestroyNow(MachineRecord m)
    {
        var instance = m.Instance;
        m.Generation++;
        StopChecks(m);
        m.Instance = null;
        m.Lease = null;
        m.State = "destroyed";
        AddEvent(m, "destroy", "destroyed", "user");
        foreach (var v in Apps[m.AppName].Volumes.Values.Where(v => v.AttachedMachineId == m.Id)) v.AttachedMachineId = null;
        m.Pulse();
        _ = Task.Run(async () =>
        {
            if (instance is not null)
            {
                await instance.StopAsync(9, TimeSpan.Zero).ConfigureAwait(false);
            }
            await Runtime.DestroyAsync(m.AppName, m.Id).ConfigureAwait(false);
        });
    }

    /// <summary>Destroys a volume no machine holds; the runtime may then delete the data it kept for it.</summary>
    public void DestroyVolume(VolumeRecord v)
    {
        v.State = "destroyed";
        _ = Task.Run(() => Runtime.DeleteVolumeAsync(v.Id));
    }

    // ---------------------------------------------------------------- checks

    private sealed record CheckSpec(string Name, string Type, int Port, TimeSpan Interval, TimeSpan Timeout, TimeSpan Grace, string Method, string Path);

    private static List<CheckSpec> CheckSpecs(JsonObject config)
    {
        var specs = new List<CheckSpec>();
        CheckSpec Make(string name, JsonObject c, int defaultPort) => new(
            name, c["type"]?.GetValue<string>() ?? "tcp",
            c["port"]?.GetValue<int>() ?? defaultPort,
            Durations.Parse(c["interval"]?.GetValue<string>(), TimeSpan.FromSeconds(15)),
            Durations.Parse(c["timeout"]?.GetValue<string>(), TimeSpan.FromSeconds(10)),
            Durations.Parse(c["grace_period"]?.GetValue<string>(), TimeSpan.Zero),
            c["method"]?.GetValue<string>() ?? "GET", c["path"]?.GetValue<string>() ?? "/");
        if (config["checks"] is JsonObject top)
            foreach (var (name, c) in top)
                if (c is JsonObject o) specs.Add(Make(name, o, 0));
        if (config["services"] is JsonArray services)
            foreach (var s in services.OfType<JsonObject>())
            {
                var port = s["internal_port"]?.GetValue<int>() ?? 0;
                if (s["checks"] is not JsonArray checks) continue;
                var i = 0;
                foreach (var c in checks.OfType<JsonObject>())
                {
                    var type = c["type"]?.GetValue<string>() ?? "tcp";
                    specs.Add(Make($"servicecheck-{i++:00}-{type}-{port}", c, port));
                }
            }
        return specs;
    }

    private void StartChecks(MachineRecord m, IMachineInstance instance, long generation)
    {
        var specs = CheckSpecs(m.Config);
        m.Checks = specs.Select(s => new CheckState { Name = s.Name }).ToList();
        if (specs.Count == 0) return;
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        m.ChecksCts = cts;
        var started = DateTimeOffset.UtcNow;
        foreach (var spec in specs)
        {
            var state = m.Checks.First(c => c.Name == spec.Name);
            _ = Task.Run(async () =>
            {
                try
                {
                    var wait = started + spec.Grace - DateTimeOffset.UtcNow;
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, cts.Token).ConfigureAwait(false);
                    while (!cts.IsCancellationRequested)
                    {
                        var (passing, output) = await ProbeAsync(m, instance, spec, cts.Token).ConfigureAwait(false);
                        lock (Gate)
                        {
                            if (m.Generation != generation) return;
                            var changed = state.Status != (passing ? "passing" : "critical");
                            state.Status = passing ? "passing" : "critical";
                            state.Output = output;
                            state.UpdatedAt = DateTimeOffset.UtcNow;
                            if (changed) m.Pulse();
                        }
                        await Task.Delay(spec.Interval, cts.Token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }
    }

    private async Task<(bool, string)> ProbeAsync(MachineRecord m, IMachineInstance instance, CheckSpec spec, CancellationToken ct)
    {
        JsonObject config;
        lock (Gate) config = m.Config;
        var fault = Faults.ForMachine("check_fail", m.AppName, m.Id, config, spec.Name);
        if (fault is not null) return (false, fault.Error ?? $"check failed (fault rule {fault.Id})");
        if (Runtime is SimulatedRuntime) return (true, spec.Type == "http" ? "200 OK (simulated)" : "connection succeeded (simulated)");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(spec.Timeout);
        try
        {
            if (spec.Type == "http")
            {
                using var request = new HttpRequestMessage(new HttpMethod(spec.Method), $"http://{instance.Address}:{spec.Port}{spec.Path}");
                using var response = await _probe.SendAsync(request, timeout.Token).ConfigureAwait(false);
                var code = (int)response.StatusCode;
                return (code is >= 200 and < 400, $"{code} {response.ReasonPhrase}");
            }
            using var client = new TcpClient();
            await client.ConnectAsync(instance.Address, spec.Port, timeout.Token).ConfigureAwait(false);
            return (true, "connection succeeded");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, $"timed out after {spec.Timeout.TotalSeconds}s");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException)
        {
            return (false, e.Message);
        }
    }

    private static void StopChecks(MachineRecord m)
    {
        m.ChecksCts?.Cancel();
        m.ChecksCts = null;
    }

    /// <summary>Kills every machine process (clean shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        _shutdown.Cancel();
        List<IMachineInstance> running;
        lock (Gate)
        {
            running = Apps.Values.SelectMany(a => a.Machines.Values).Where(m => m.Instance is not null).Select(m =>
            {
                m.Generation++;
                return m.Instance!;
            }).ToList();
        }
        await Task.WhenAll(running.Select(i => i.StopAsync(9, TimeSpan.Zero))).ConfigureAwait(false);
        await Runtime.DisposeAsync().ConfigureAwait(false);
        _probe.Dispose();
    }
}

/// <summary>A duration in a machine config or request body: a Go duration, as the Machines API reads it; absent is the fallback.</summary>
public static class Durations
{
    public static TimeSpan Parse(string? text, TimeSpan fallback) =>
        string.IsNullOrEmpty(text) ? fallback : GoDuration.TryParse(text) ?? throw new ArgumentException($"invalid duration '{text}': write a Go duration such as \"10s\"");
}
