using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.FlyToml;
using FlyIo.Json;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>
/// Deploys an image to a Fly app through the Machines API as <c>fly deploy</c> does, plus what flyctl lacks:
/// automatic rollback, fast failure on crashing machines, a version check after health checks, plan, rollback.
/// </summary>
public sealed class DeployEngine
{
    public const string ReleaseCommandGroup = "fly_app_release_command";
    internal const string PreviousConfigKey = "fly_previous_config";
    internal static readonly string[] ReleaseKeys = { "fly_release_id", "fly_release_version", PreviousConfigKey };

    private readonly MachinesApiClient _client;
    private readonly FlyAppConfig _config;
    private readonly DeployOptions _options;
    private readonly string _app;

    public DeployEngine(MachinesApiClient client, FlyAppConfig config, DeployOptions options)
    {
        _client = client;
        _config = config;
        _options = options;
        _app = options.App ?? config.App ?? throw new DeployException(DeployCodes.InvalidSettings, "No app name: set 'app' in fly.toml or FlyApp.");
    }

    private string Strategy => (_options.Strategy ?? _config.Strategy).ToLowerInvariant();

    private TimeSpan WaitTimeout => _options.WaitTimeout ?? _config.WaitTimeout;

    private void Say(string line) => _options.Progress?.Invoke(line);

    // =====================================================================================  deploy

    public async Task<DeployResult> DeployAsync(string image, CancellationToken cancellationToken = default)
    {
        var result = new DeployResult { App = _app, Image = image, Strategy = Strategy };
        var requestsAtStart = _client.RequestCount;
        var run = new Run(this, result);
        try
        {
            Validate();
            await run.Phase("app", async () =>
            {
                if (await _client.GetAppAsync(_app, cancellationToken).ConfigureAwait(false) is null)
                {
                    if (string.IsNullOrEmpty(_options.Org))
                    {
                        throw new DeployException(DeployCodes.InvalidSettings, $"The app '{_app}' does not exist; set FlyOrg to the organization to create it in.", result);
                    }

                    Say($"Creating app {_app} in {_options.Org}");
                    await _client.CreateAppAsync(_app, _options.Org!, null, cancellationToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);

            var machines = await AppMachinesAsync(cancellationToken).ConfigureAwait(false);
            result.ReleaseVersion = NextReleaseVersion(machines);
            var releaseId = Guid.NewGuid().ToString("N").Substring(0, 16);
            Say($"Deploying {image} to {_app} as release v{result.ReleaseVersion} ({Strategy}); {machines.Count} machine(s) now");

            if (machines.Count == 0 && _config.HasPublicServices)
            {
                await run.Phase("ips", async () =>
                {
                    var ips = await _client.ListIpAssignmentsAsync(_app, cancellationToken).ConfigureAwait(false);
                    foreach (var type in new[] { "v6", "shared_v4" })
                    {
                        if (!ips.Any(ip => ip.Type == type || (type == "shared_v4" && ip.Shared)))
                        {
                            var ip = await _client.AssignIpAsync(_app, type, null, cancellationToken).ConfigureAwait(false);
                            Say($"Allocated {type} address {ip.Ip}");
                        }
                    }
                }).ConfigureAwait(false);
            }

            long? secretsVersion = null;
            if (_options.Secrets.Count > 0)
            {
                await run.Phase("secrets", async () =>
                {
                    secretsVersion = await _client.UpdateSecretsAsync(_app, _options.Secrets, cancellationToken).ConfigureAwait(false);
                    Say($"Secrets updated: {string.Join(", ", _options.Secrets.Keys.OrderBy(k => k, StringComparer.Ordinal))} (secrets version {secretsVersion?.ToString(CultureInfo.InvariantCulture) ?? "?"})");
                }).ConfigureAwait(false);
            }

            run.SecretsVersion = secretsVersion;
            if (!string.IsNullOrWhiteSpace(_config.ReleaseCommand))
            {
                await run.Phase("release_command", () => RunReleaseCommandAsync(image, machines, result, secretsVersion, cancellationToken)).ConfigureAwait(false);
            }

            var targets = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var m in machines.Where(m => _config.Groups.Contains(m.ProcessGroup)))
            {
                targets[m.Id] = TargetConfig(m.ProcessGroup, image, result.ReleaseVersion, releaseId, m.Config);
            }

            if (Strategy == "canary" && machines.Count > 0)
            {
                await run.Phase("canary", () => run.CanaryAsync(machines.First(m => targets.ContainsKey(m.Id)), targets, cancellationToken)).ConfigureAwait(false);
            }

            await run.Phase("machines", async () =>
            {
                foreach (var removed in machines.Where(m => !_config.Groups.Contains(m.ProcessGroup)))
                {
                    Say($"Destroying {removed.Id}: process group '{removed.ProcessGroup}' is no longer in fly.toml");
                    await _client.DeleteMachineAsync(_app, removed.Id, null, true, cancellationToken).ConfigureAwait(false);
                    result.Destroyed.Add(removed.Id);
                }

                var regions = _options.Regions.Count > 0 ? _options.Regions.ToArray() : new[] { _config.PrimaryRegion };
                var creates = new List<(string Group, string? Region)>();
                foreach (var group in _config.Groups.Where(g => machines.All(m => m.ProcessGroup != g)))
                {
                    for (var i = 0; i < Math.Max(1, _options.MachineCount); i++)
                    {
                        creates.Add((group, regions[i % regions.Length]));
                    }
                }

                await run.ForEachAsync(creates, async c =>
                {
                    var created = await run.CreateAsync(TargetConfig(c.Group, image, result.ReleaseVersion, releaseId, null), c.Region, false, cancellationToken).ConfigureAwait(false);
                    Say($"Created {created.Id} [{c.Group}, {created.Region}]");
                }, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);

            var toUpdate = machines.Where(m => targets.ContainsKey(m.Id)).ToList();
            if (toUpdate.Count > 0)
            {
                await run.Phase("update", () => Strategy switch
                {
                    "immediate" => run.ImmediateAsync(toUpdate, targets, cancellationToken),
                    "bluegreen" => run.BlueGreenAsync(toUpdate, targets, cancellationToken),
                    _ => run.RollingAsync(toUpdate, targets, cancellationToken),
                }).ConfigureAwait(false);
            }

            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            Say($"Deployed release v{result.ReleaseVersion}: {result.Summary()}");
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            var where = string.Join("; ", result.Machines.Select(m => m.ToString()));
            Say("Deploy cancelled; machines now: " + where);
            throw new DeployException(DeployCodes.Cancelled, $"The deploy of {image} to {_app} was cancelled; every lease was released. Machines now: {where}", result);
        }
        catch (Exception e) when (e is not DeployException)
        {
            var failure = e is MachinesApiException or AmbiguousFailureException or LeaseHeldException ? e : e;
            var code = e is LeaseHeldException ? DeployCodes.LeaseHeld : DeployCodes.ApiFailed;
            var rollback = await run.RollbackAfterFailureAsync(e.Message).ConfigureAwait(false);
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            throw new DeployException(rollback.Code ?? code, $"Deploy of {image} to {_app} failed: {failure.Message} {rollback.Report}".TrimEnd(), result, e);
        }
        catch (DeployException e) when (e.Code is DeployCodes.MachineUnhealthy or DeployCodes.WrongVersion)
        {
            var rollback = await run.RollbackAfterFailureAsync(e.Message).ConfigureAwait(false);
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            throw new DeployException(rollback.Code ?? e.Code, $"Deploy of {image} to {_app} failed: {e.Message} {rollback.Report}".TrimEnd(), result, e);
        }
        catch (DeployException e) when (e.Result is null)
        {
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            throw new DeployException(e.Code, e.Message, result, e.InnerException, e.LogTail);
        }
    }

    private void Validate()
    {
        if (Strategy is not ("rolling" or "immediate" or "canary" or "bluegreen"))
        {
            throw new DeployException(DeployCodes.InvalidSettings, $"Unknown deploy strategy '{Strategy}': use rolling, immediate, canary or bluegreen.");
        }

        if (Strategy == "canary" && _config.HasMounts)
        {
            throw new DeployException(DeployCodes.InvalidSettings, "The canary strategy cannot be used with [mounts]: a volume belongs to one machine. Use rolling.");
        }

        if (Strategy == "bluegreen" && !_config.Groups.All(_config.HasChecks))
        {
            throw new DeployException(DeployCodes.InvalidSettings, "The bluegreen strategy needs at least one health check per process group ([checks] or service checks) to know when green machines are ready.");
        }
    }

    private async Task FinishAsync(DeployResult result, long requestsAtStart)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            result.Machines.Clear();
            result.Machines.AddRange((await AppMachinesAsync(cts.Token).ConfigureAwait(false)).Select(Version));
        }
        catch (Exception)
        {
            // The summary then lacks the final machine list; the error says what happened.
        }

        result.ApiRequests = _client.RequestCount - requestsAtStart;
    }

    internal static MachineVersion Version(Machine m) => new(m.Id, m.ProcessGroup, m.Region, m.State, m.InstanceId, m.Image, m.Metadata("fly_release_version"));

    /// <summary>The app's machines without release-command and canary machines.</summary>
    private async Task<List<Machine>> AppMachinesAsync(CancellationToken ct) =>
        (await _client.ListMachinesAsync(_app, null, ct).ConfigureAwait(false))
        .Where(m => m.ProcessGroup != ReleaseCommandGroup && m.Metadata("fly_canary") != "true" && m.State != "destroyed" && m.State != "destroying")
        .OrderBy(m => m.Id, StringComparer.Ordinal).ToList();

    private static int NextReleaseVersion(IEnumerable<Machine> machines) =>
        machines.Select(m => int.TryParse(m.Metadata("fly_release_version"), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0).DefaultIfEmpty(0).Max() + 1;

    /// <summary>The config a group's machines get: fly.toml's, plus release metadata and the previous config (for rollback).</summary>
    private JsonObject TargetConfig(string group, string image, int release, string releaseId, JsonObject? previous)
    {
        var config = _config.Build(group, image);
        config.Metadata["fly_release_id"] = releaseId;
        config.Metadata["fly_release_version"] = release.ToString(CultureInfo.InvariantCulture);
        if (previous is not null)
        {
            config.Metadata[PreviousConfigKey] = EncodePrevious(previous);
        }

        return config.ToJson();
    }

    internal static string EncodePrevious(JsonObject previous)
    {
        var copy = Js.Clone(previous);
        copy.GetObject("metadata")?.Members.RemoveAll(m => m.Key == PreviousConfigKey);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(Js.Write(copy)));
    }

    internal static JsonObject? DecodePrevious(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
        {
            return null;
        }

        try
        {
            return JsonReader.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded!))) as JsonObject;
        }
        catch (Exception)
        {
            return null;
        }
    }

    // =====================================================================================  release command

    private async Task RunReleaseCommandAsync(string image, IReadOnlyList<Machine> machines, DeployResult result, long? secretsVersion, CancellationToken ct)
    {
        var words = ShellWords.Split(_config.ReleaseCommand!);
        if (!words.Success)
        {
            throw new DeployException(DeployCodes.InvalidSettings, $"release_command '{_config.ReleaseCommand}' does not split like a shell line: {words.Error}.");
        }

        var config = ReleaseCommandConfig(image, words.Words.ToList(), machines, result.ReleaseVersion);
        var timeout = _config.ReleaseCommandTimeout;
        Say($"Running release command: {string.Join(" ", words.Words)} (timeout {GoDurations.Format(timeout)})");
        var machine = await _client.CreateMachineAsync(_app, new CreateMachineRequest(config.ToJson())
        {
            Region = _config.PrimaryRegion,
            SkipLaunch = true,
            SkipServiceRegistration = true,
            MinSecretsVersion = secretsVersion,
        }, ct).ConfigureAwait(false);
        var began = Stopwatch.StartNew();
        try
        {
            await _client.StartMachineAsync(_app, machine.Id, null, ct).ConfigureAwait(false);
            var state = await _client.WaitForStateAsync(_app, machine.Id, new[] { "started", "destroyed", "failed" }, machine.InstanceId, timeout, ct).ConfigureAwait(false);
            if (state == "started")
            {
                state = await _client.WaitForStateAsync(_app, machine.Id, new[] { "destroyed", "failed" }, machine.InstanceId, timeout - began.Elapsed, ct).ConfigureAwait(false);
            }

            if (state is null)
            {
                Say($"Release command machine {machine.Id} still running after {GoDurations.Format(timeout)}: destroying it");
                var lastLines = await MachineLogTail.ReadAsync(_client, _app, machine.Id, TimeSpan.Zero, ct).ConfigureAwait(false);
                await DestroyQuietlyAsync(machine.Id).ConfigureAwait(false);
                throw new DeployException(DeployCodes.ReleaseCommandTimedOut,
                    $"The release command '{_config.ReleaseCommand}' (machine {machine.Id}) did not finish within release_command_timeout = {GoDurations.Format(timeout)}; it was stopped and destroyed. No app machine was changed. Raise [deploy] release_command_timeout if it needs longer.", logTail: lastLines);
            }

            var events = await _client.GetEventsAsync(_app, machine.Id, null, ct).ConfigureAwait(false);
            var code = MachineEvent.LatestExitCode(events) ?? 0;
            var exit = events.FirstOrDefault(e => e.Type == "exit");
            result.ReleaseCommandExitCode = code;
            if (state == "failed")
            {
                await DestroyQuietlyAsync(machine.Id).ConfigureAwait(false);
            }

            if (code != 0)
            {
                var lastLines = await MachineLogTail.ReadAsync(_client, _app, machine.Id, TimeSpan.FromSeconds(3), ct).ConfigureAwait(false);
                throw new DeployException(DeployCodes.ReleaseCommandFailed,
                    $"The release command '{_config.ReleaseCommand}' (machine {machine.Id}, image {image}) exited with code {code}{(exit?.OomKilled == true ? " (killed: out of memory; raise [deploy.release_command_vm] memory)" : "")} after {began.Elapsed.TotalSeconds:0.0}s. No app machine was changed.", logTail: lastLines);
            }

            Say($"Release command finished with exit code 0 in {began.Elapsed.TotalSeconds:0.0}s");
        }
        catch (OperationCanceledException)
        {
            await DestroyQuietlyAsync(machine.Id).ConfigureAwait(false);
            throw;
        }
    }

    private MachineConfig ReleaseCommandConfig(string image, List<string> words, IReadOnlyList<Machine> machines, int release)
    {
        var config = new MachineConfig { Image = image, InitCmd = words, RestartPolicy = "no", AutoDestroy = true, SkipDnsRegistration = true };
        foreach (var kv in _config.Env)
        {
            config.Env[kv.Key] = kv.Value;
        }

        config.Env["RELEASE_COMMAND"] = "1";
        config.Env["FLY_PROCESS_GROUP"] = ReleaseCommandGroup;
        if (_config.PrimaryRegion is not null)
        {
            config.Env["PRIMARY_REGION"] = _config.PrimaryRegion;
        }

        config.Guest = _config.ReleaseCommandVm
            ?? machines.Select(m => MachineConfig.FromJson(m.Config).Guest).OrderByDescending(g => g.Weight).FirstOrDefault()
            ?? GuestConfig.Preset("shared-cpu-2x")!;
        config.Metadata["fly_platform_version"] = "v2";
        config.Metadata["fly_process_group"] = ReleaseCommandGroup;
        config.Metadata["fly_release_version"] = release.ToString(CultureInfo.InvariantCulture);
        return config;
    }

    private async Task DestroyQuietlyAsync(string id)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _client.DeleteMachineAsync(_app, id, null, true, cts.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Reported by the caller's message; the machine has auto_destroy anyway.
        }
    }

    // =====================================================================================  plan, status, rollback

    /// <summary>What <see cref="DeployAsync"/> would do, changing nothing.</summary>
    public async Task<DeployPlan> PlanAsync(string image, CancellationToken cancellationToken = default)
    {
        Validate();
        var plan = new DeployPlan { App = _app, Strategy = Strategy };
        var app = await _client.GetAppAsync(_app, cancellationToken).ConfigureAwait(false);
        plan.CreatesApp = app is null;
        var machines = app is null ? new List<Machine>() : await AppMachinesAsync(cancellationToken).ConfigureAwait(false);
        if (machines.Count == 0 && _config.HasPublicServices)
        {
            var ips = app is null ? Array.Empty<IpAssignment>() : await _client.ListIpAssignmentsAsync(_app, cancellationToken).ConfigureAwait(false);
            plan.IpsToAllocate.AddRange(new[] { "v6", "shared_v4" }.Where(t => !ips.Any(ip => ip.Type == t || (t == "shared_v4" && ip.Shared))));
        }

        var existingSecrets = app is null ? Array.Empty<string>() : await _client.GetSecretNamesAsync(_app, cancellationToken).ConfigureAwait(false);
        plan.SecretsToSet.AddRange(_options.Secrets.Where(kv => kv.Value is not null).Select(kv => kv.Key).OrderBy(k => k, StringComparer.Ordinal));
        plan.SecretsToRemove.AddRange(_options.Secrets.Where(kv => kv.Value is null && existingSecrets.Contains(kv.Key)).Select(kv => kv.Key).OrderBy(k => k, StringComparer.Ordinal));
        if (!string.IsNullOrWhiteSpace(_config.ReleaseCommand))
        {
            plan.ReleaseCommand = ShellWords.Split(_config.ReleaseCommand!).Words.ToList();
        }

        var release = NextReleaseVersion(machines);
        foreach (var m in machines.Where(m => !_config.Groups.Contains(m.ProcessGroup)))
        {
            plan.Changes.Add(new PlannedChange(MachineChangeKind.Destroy, m.Id, m.ProcessGroup, m.Region, Array.Empty<string>()));
        }

        foreach (var m in machines.Where(m => _config.Groups.Contains(m.ProcessGroup)))
        {
            var target = TargetConfig(m.ProcessGroup, image, release, "(new)", null);
            plan.Changes.Add(new PlannedChange(MachineChangeKind.Update, m.Id, m.ProcessGroup, m.Region, Diff(m.Config, target)));
        }

        var regions = _options.Regions.Count > 0 ? _options.Regions.ToArray() : new[] { _config.PrimaryRegion };
        foreach (var group in _config.Groups.Where(g => machines.All(m => m.ProcessGroup != g)))
        {
            for (var i = 0; i < Math.Max(1, _options.MachineCount); i++)
            {
                var target = TargetConfig(group, image, release, "(new)", null);
                plan.Changes.Add(new PlannedChange(MachineChangeKind.Create, null, group, regions[i % regions.Length], Diff(null, target)));
            }
        }

        return plan;
    }

    /// <summary>Config differences by JSON path ("path: old → new"), ignoring the release bookkeeping metadata.</summary>
    public static IReadOnlyList<string> Diff(JsonObject? before, JsonObject after)
    {
        static bool Bookkeeping(string path) => ReleaseKeys.Any(k => path == "metadata." + k);
        var a = before is null ? new SortedDictionary<string, string>(StringComparer.Ordinal) : Js.Flatten(before);
        var b = Js.Flatten(after);
        var lines = new List<string>();
        foreach (var path in a.Keys.Union(b.Keys).Distinct().OrderBy(p => p, StringComparer.Ordinal))
        {
            if (Bookkeeping(path))
            {
                continue;
            }

            var hasA = a.TryGetValue(path, out var va);
            var hasB = b.TryGetValue(path, out var vb);
            if (before is null)
            {
                lines.Add($"{path}: {vb}");
            }
            else if (!hasA)
            {
                lines.Add($"{path}: (none) → {vb}");
            }
            else if (!hasB)
            {
                lines.Add($"{path}: {va} → (removed)");
            }
            else if (va != vb)
            {
                lines.Add($"{path}: {va} → {vb}");
            }
        }

        return lines;
    }

    /// <summary>Every app machine's state, version, region and checks (like <c>fly status</c> + <c>fly checks list</c>).</summary>
    public async Task<IReadOnlyList<MachineStatus>> StatusAsync(CancellationToken cancellationToken = default)
    {
        var machines = await AppMachinesAsync(cancellationToken).ConfigureAwait(false);
        return machines.Select(m => new MachineStatus(m.Id, m.ProcessGroup, m.Region, m.State, m.InstanceId, m.Image, m.Metadata("fly_release_version"), m.Checks)).ToArray();
    }

    /// <summary>
    /// Redeploys the previous release: every machine gets back the image and config it had before the last deploy
    /// (kept in its metadata), rolling, with the same health waits. The result's release version is a new number.
    /// </summary>
    public async Task<DeployResult> RollbackAsync(CancellationToken cancellationToken = default)
    {
        var result = new DeployResult { App = _app, Strategy = "rolling" };
        var requestsAtStart = _client.RequestCount;
        var machines = await AppMachinesAsync(cancellationToken).ConfigureAwait(false);
        var release = NextReleaseVersion(machines);
        result.ReleaseVersion = release;
        var releaseId = Guid.NewGuid().ToString("N").Substring(0, 16);
        var targets = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var m in machines)
        {
            var previous = DecodePrevious(m.Metadata(PreviousConfigKey));
            if (previous is null)
            {
                continue;
            }

            var meta = previous.GetObject("metadata") ?? Js.Obj();
            previous.Set("metadata", meta);
            meta.Set("fly_release_id", releaseId).Set("fly_release_version", release.ToString(CultureInfo.InvariantCulture)).Set(PreviousConfigKey, EncodePrevious(m.Config));
            targets[m.Id] = previous;
            result.Image = previous.GetString("image") ?? "";
        }

        if (targets.Count == 0)
        {
            throw new DeployException(DeployCodes.NoPreviousRelease, $"No machine of {_app} records a previous release (fly_previous_config metadata): nothing to roll back to.", result);
        }

        Say($"Rolling back {_app}: {targets.Count} machine(s) to {result.Image} as release v{release}");
        var run = new Run(this, result) { IsRollback = true };
        try
        {
            await run.Phase("rollback", () => run.RollingAsync(machines.Where(m => targets.ContainsKey(m.Id)).ToList(), targets, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            throw new DeployException(DeployCodes.Cancelled, "The rollback was cancelled; machines now: " + string.Join("; ", result.Machines), result);
        }
        catch (Exception e) when (e is not DeployException)
        {
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            throw new DeployException(DeployCodes.RollbackIncomplete, $"The rollback of {_app} failed: {e.Message} Machines now: {string.Join("; ", result.Machines)}", result, e);
        }

        await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
        return result;
    }

    // =====================================================================================  one run

    /// <summary>The state of one deploy: what changed (for rollback) and the per-machine work.</summary>
    private sealed class Run
    {
        private readonly DeployEngine _e;
        private readonly DeployResult _result;
        private readonly ConcurrentDictionary<string, (JsonObject OldConfig, bool WasRunning)> _changed = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, byte> _created = new(StringComparer.Ordinal);

        public Run(DeployEngine engine, DeployResult result)
        {
            _e = engine;
            _result = result;
        }

        public long? SecretsVersion { get; set; }

        public bool IsRollback { get; set; }

        private MachinesApiClient Client => _e._client;

        private string App => _e._app;

        private DeployOptions Options => _e._options;

        public async Task Phase(string name, Func<Task> body)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                await body().ConfigureAwait(false);
            }
            finally
            {
                _result.Phases.Add((name, watch.Elapsed));
            }
        }

        public async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> body, CancellationToken ct)
        {
            using var gate = new SemaphoreSlim(Math.Max(1, Math.Min(8, Options.MaxConcurrency)));
            using var failFast = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var tasks = items.Select(async item =>
            {
                await gate.WaitAsync(failFast.Token).ConfigureAwait(false);
                try
                {
                    await body(item).ConfigureAwait(false);
                }
                catch
                {
                    failFast.Cancel();
                    throw;
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch
            {
                // Prefer the first real failure over the cancellations it caused in its siblings.
                var real = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(x => x is not OperationCanceledException);
                if (real is not null && !ct.IsCancellationRequested)
                {
                    throw real;
                }

                throw;
            }
        }

        public async Task<Machine> CreateAsync(JsonObject config, string? region, bool skipRegistration, CancellationToken ct)
        {
            var m = await Client.CreateMachineAsync(App, new CreateMachineRequest(config)
            {
                Region = region,
                SkipServiceRegistration = skipRegistration,
                MinSecretsVersion = SecretsVersion,
            }, ct).ConfigureAwait(false);
            _created[m.Id] = 0;
            lock (_result)
            {
                _result.Created.Add(m.Id);
            }

            await WaitHealthyAsync(m.Id, m.InstanceId, config.GetString("image") ?? "", ct).ConfigureAwait(false);
            return m;
        }

        /// <summary>Updates one machine under a lease and waits until it runs the new version healthily.</summary>
        public async Task UpdateOneAsync(Machine m, JsonObject target, bool wait, CancellationToken ct)
        {
            var lease = await HeldLease.AcquireAsync(Client, App, m.Id, Options, ct).ConfigureAwait(false);
            try
            {
                var running = m.State is "started" or "starting";
                _changed.TryAdd(m.Id, (m.Config, running));
                var updated = await Client.UpdateMachineAsync(App, m.Id, new UpdateMachineRequest(target)
                {
                    SkipLaunch = !running,
                    MinSecretsVersion = SecretsVersion,
                }, lease.Nonce, ct).ConfigureAwait(false);
                lock (_result)
                {
                    _result.Updated.Add(m.Id);
                }

                _e.Say($"{(IsRollback ? "Restored" : "Updated")} {m.Id} [{m.ProcessGroup}, {m.Region}] → instance {updated.InstanceId}{(running ? "" : " (stays stopped)")}");
                if (running && wait)
                {
                    await WaitHealthyAsync(m.Id, updated.InstanceId, target.GetString("image") ?? "", ct).ConfigureAwait(false);
                    _e.Say($"{m.Id} is up on the new version and healthy");
                }
            }
            finally
            {
                await lease.ReleaseAsync().ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Waits for the new instance to start and pass its checks within wait_timeout; fails fast (without waiting
        /// the whole timeout) when it exits non-zero or keeps restarting; then confirms it runs the new instance and image.
        /// </summary>
        public async Task WaitHealthyAsync(string id, string instanceId, string image, CancellationToken ct)
        {
            var deadline = DateTime.UtcNow + _e.WaitTimeout;
            DateTime? startedAt = null;
            while (true)
            {
                var m = await Client.GetMachineAsync(App, id, ct).ConfigureAwait(false);
                if (m.InstanceId != instanceId)
                {
                    throw new DeployException(DeployCodes.WrongVersion, $"Machine {id} runs instance {m.InstanceId} ({m.Image}), not the deployed instance {instanceId} ({image}): it did not keep the new version.");
                }

                var events = await Client.GetEventsAsync(App, id, 20, ct).ConfigureAwait(false);
                var sinceUpdate = events.TakeWhile(e => !(e.Type is "update" or "launch" && e.Status is "replacing" or "created")).ToList();
                var crash = sinceUpdate.FirstOrDefault(e => e.Type == "exit" && e.ExitCode is not null and not 0);
                if (crash is not null || m.State is "failed" or "destroyed" || (m.State == "stopped" && sinceUpdate.Any(e => e.Type == "exit")))
                {
                    var restarts = sinceUpdate.Count(e => e.Type == "exit");
                    var lastLines = await MachineLogTail.ReadAsync(Client, App, id, TimeSpan.FromSeconds(3), ct).ConfigureAwait(false);
                    throw new DeployException(DeployCodes.MachineUnhealthy,
                        $"Machine {id} ({image}) exited with code {crash?.ExitCode ?? MachineEvent.LatestExitCode(events) ?? 0}{(crash?.OomKilled == true ? " (out of memory)" : "")} after the update" +
                        $"{(restarts > 1 ? $" ({restarts} exits: it keeps restarting)" : "")}; state {m.State}.", logTail: lastLines);
                }

                if (m.State == "started")
                {
                    startedAt ??= DateTime.UtcNow;
                    var expected = ExpectedChecks(m.Config);
                    var allPassing = m.Checks.Count >= expected && m.Checks.All(c => c.Status == "passing");
                    if (DateTime.UtcNow - startedAt >= Options.SmokeCheckWindow && allPassing)
                    {
                        if (m.Image != image)
                        {
                            throw new DeployException(DeployCodes.WrongVersion, $"Machine {id} passed its checks but runs {m.Image}, not {image}.");
                        }

                        return;
                    }
                }

                if (DateTime.UtcNow > deadline)
                {
                    var checks = m.Checks.Count == 0 ? "no check results" : string.Join("; ", m.Checks.Where(c => c.Status != "passing").Select(c => $"{c.Name} is {c.Status}: {c.Output}"));
                    throw new DeployException(DeployCodes.MachineUnhealthy, $"Machine {id} ({image}) was not healthy within wait_timeout = {GoDurations.Format(_e.WaitTimeout)}: state {m.State}; {checks}.");
                }

                await Task.Delay(Options.PollInterval, ct).ConfigureAwait(false);
            }
        }

        private static int ExpectedChecks(JsonObject config) =>
            (config.GetObject("checks")?.Members.Select(m => m.Key).Distinct().Count() ?? 0) + config.GetObjects("services").Sum(s => s.GetObjects("checks").Count());

        public Task ImmediateAsync(List<Machine> machines, Dictionary<string, JsonObject> targets, CancellationToken ct) =>
            ForEachAsync(machines, m => UpdateOneAsync(m, targets[m.Id], false, ct), ct);

        /// <summary>Per group, by id: stopped machines together, then the first started one alone, then batches of max_unavailable.</summary>
        public async Task RollingAsync(List<Machine> machines, Dictionary<string, JsonObject> targets, CancellationToken ct)
        {
            foreach (var group in machines.GroupBy(m => m.ProcessGroup).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var sorted = group.OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
                var stopped = sorted.Where(m => m.State is not ("started" or "starting")).ToList();
                var started = sorted.Where(m => m.State is "started" or "starting").ToList();
                if (stopped.Count > 0)
                {
                    await ForEachAsync(stopped, m => UpdateOneAsync(m, targets[m.Id], true, ct), ct).ConfigureAwait(false);
                }

                var mu = _e._config.MaxUnavailable;
                var batch = mu < 1 ? Math.Max(1, (int)Math.Ceiling(mu * started.Count)) : Math.Max(1, (int)mu);
                var index = 0;
                var first = true;
                while (index < started.Count)
                {
                    var size = first ? 1 : batch;
                    var slice = started.Skip(index).Take(size).ToList();
                    await ForEachAsync(slice, m => UpdateOneAsync(m, targets[m.Id], true, ct), ct).ConfigureAwait(false);
                    index += slice.Count;
                    first = false;
                }
            }
        }

        /// <summary>An extra machine on the new version (fly_canary, no service registration, no DNS): healthy, then destroyed.</summary>
        public async Task CanaryAsync(Machine model, Dictionary<string, JsonObject> targets, CancellationToken ct)
        {
            var config = Js.Clone(targets[model.Id]);
            config.GetObject("metadata")!.Set("fly_canary", "true").Members.RemoveAll(m => m.Key == PreviousConfigKey);
            config.Set("dns", Js.Obj().Set("skip_registration", true));
            var canary = await Client.CreateMachineAsync(App, new CreateMachineRequest(config) { Region = model.Region, SkipServiceRegistration = true, MinSecretsVersion = SecretsVersion }, ct).ConfigureAwait(false);
            _e.Say($"Canary {canary.Id} created [{model.ProcessGroup}, {canary.Region}]");
            try
            {
                await WaitHealthyAsync(canary.Id, canary.InstanceId, config.GetString("image") ?? "", ct).ConfigureAwait(false);
                _e.Say($"Canary {canary.Id} is healthy");
            }
            finally
            {
                await _e.DestroyQuietlyAsync(canary.Id).ConfigureAwait(false);
            }
        }

        /// <summary>Green machines beside the blue ones; once all are healthy, green goes live and blue is destroyed.</summary>
        public async Task BlueGreenAsync(List<Machine> blue, Dictionary<string, JsonObject> targets, CancellationToken ct)
        {
            var green = new ConcurrentBag<Machine>();
            await ForEachAsync(blue, async b =>
            {
                var g = await CreateAsync(targets[b.Id], b.Region, true, ct).ConfigureAwait(false);
                green.Add(g);
                _e.Say($"Green {g.Id} is healthy (for blue {b.Id})");
            }, ct).ConfigureAwait(false);
            await ForEachAsync(green, g => Client.UncordonAsync(App, g.Id, null, ct), ct).ConfigureAwait(false);
            // Green is live from here: a failure below no longer destroys it.
            _created.Clear();
            await ForEachAsync(blue, async b =>
            {
                var lease = await HeldLease.AcquireAsync(Client, App, b.Id, Options, ct).ConfigureAwait(false);
                try
                {
                    await Client.CordonAsync(App, b.Id, lease.Nonce, ct).ConfigureAwait(false);
                    await Client.StopMachineAsync(App, b.Id, lease.Nonce, null, null, ct).ConfigureAwait(false);
                    await Client.DeleteMachineAsync(App, b.Id, lease.Nonce, true, ct).ConfigureAwait(false);
                }
                finally
                {
                    await lease.ReleaseAsync().ConfigureAwait(false);
                }

                lock (_result)
                {
                    _result.Destroyed.Add(b.Id);
                }

                _e.Say($"Blue {b.Id} destroyed");
            }, ct).ConfigureAwait(false);
        }

        /// <summary>Restores every changed machine's previous config and destroys created ones; returns a report.</summary>
        public async Task<(string? Code, string Report)> RollbackAfterFailureAsync(string reason)
        {
            if (_changed.IsEmpty && _created.IsEmpty)
            {
                return (null, "No machine had been changed.");
            }

            if (!Options.RollbackOnFailure || _e.Strategy == "immediate" || IsRollback)
            {
                return (null, $"Automatic rollback is off: {_changed.Count} machine(s) were changed ({string.Join(", ", _changed.Keys.OrderBy(k => k, StringComparer.Ordinal))}) and {_created.Count} created; run FlyRollback to restore the previous release.");
            }

            _e.Say($"Rolling back {_changed.Count} updated and {_created.Count} created machine(s): {reason}");
            var watch = Stopwatch.StartNew();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(60, _e.WaitTimeout.TotalSeconds * 2)));
            var failures = new ConcurrentBag<string>();
            var restored = new ConcurrentBag<string>();
            var work = _changed.Select(kv => (Func<Task>)(async () =>
            {
                try
                {
                    var current = await Client.GetMachineAsync(App, kv.Key, cts.Token).ConfigureAwait(false);
                    var lease = await HeldLease.AcquireAsync(Client, App, kv.Key, Options, cts.Token).ConfigureAwait(false);
                    try
                    {
                        var back = await Client.UpdateMachineAsync(App, kv.Key, new UpdateMachineRequest(kv.Value.OldConfig) { SkipLaunch = !kv.Value.WasRunning }, lease.Nonce, cts.Token).ConfigureAwait(false);
                        if (kv.Value.WasRunning)
                        {
                            var state = await Client.WaitForStateAsync(App, kv.Key, new[] { "started" }, back.InstanceId, _e.WaitTimeout, cts.Token).ConfigureAwait(false);
                            if (state != "started")
                            {
                                throw new TimeoutException($"not started within {GoDurations.Format(_e.WaitTimeout)}");
                            }
                        }
                    }
                    finally
                    {
                        await lease.ReleaseAsync().ConfigureAwait(false);
                    }

                    restored.Add(kv.Key);
                    _e.Say($"Restored {kv.Key} to {kv.Value.OldConfig.GetString("image")} (was {current.Image})");
                }
                catch (Exception x)
                {
                    failures.Add($"{kv.Key}: {x.Message}");
                }
            })).Concat(_created.Keys.Select(id => (Func<Task>)(async () =>
            {
                try
                {
                    await Client.DeleteMachineAsync(App, id, null, true, cts.Token).ConfigureAwait(false);
                    lock (_result)
                    {
                        _result.Destroyed.Add(id);
                    }

                    _e.Say($"Destroyed new machine {id}");
                }
                catch (Exception x)
                {
                    failures.Add($"{id} (created): {x.Message}");
                }
            })));
            await ForEachAsync(work, f => f(), CancellationToken.None).ConfigureAwait(false);
            lock (_result)
            {
                _result.RolledBack.AddRange(restored.OrderBy(x => x, StringComparer.Ordinal));
                _result.Phases.Add(("rollback", watch.Elapsed));
            }

            if (!failures.IsEmpty)
            {
                return (DeployCodes.RollbackIncomplete, $"Automatic rollback INCOMPLETE: restored {restored.Count}, failed {failures.Count}: {string.Join("; ", failures)}.");
            }

            return (null, $"Rolled back automatically: {restored.Count} machine(s) restored to their previous version ({string.Join(", ", restored.OrderBy(x => x, StringComparer.Ordinal))}) and {_created.Count} new machine(s) destroyed in {watch.Elapsed.TotalSeconds:0.0}s; the previous release is running.");
        }
    }
}
