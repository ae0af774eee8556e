using System;
using FlyIo.Diagnostics;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;
using FlyIo.Machines;
using FlyIo.AppModel.Units;

namespace FlyIo.Deploy;

public sealed partial class DeployEngine
{
    /// <summary>The state of one deploy: what changed (for rollback) and the per-machine work.</summary>
    private sealed partial class Run
    {
        private readonly DeployEngine _e;
        private readonly DeployResult _result;
        private readonly ConcurrentDictionary<string, (JsonObject OldConfig, bool WasRunning)> _changed = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, byte> _created = new(StringComparer.Ordinal);
        private readonly List<Task> _releases = new();

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

        /// <param name="limit">At most this many at once; by default <see cref="DeployOptions.MaxConcurrency"/> (at most 8).</param>
        public async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> body, CancellationToken ct, int? limit = null)
        {
            using var gate = new SemaphoreSlim(Math.Max(1, limit ?? Math.Min(8, Options.MaxConcurrency)));
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

        /// <summary>Creates a machine and waits until it is healthy; a standby (<paramref name="skipLaunch"/>) is created stopped, as flyctl creates it.</summary>
        /// <param name="waitHealthy">False: return once created, for a caller that waits with <see cref="ConfirmCreatedAsync"/> itself.</param>
        public async Task<Machine> CreateAsync(JsonObject config, string? region, bool skipRegistration, CancellationToken ct, bool skipLaunch = false, bool waitHealthy = true)
        {
            var m = await Client.CreateMachineAsync(App, new CreateMachineRequest(config)
            {
                Region = region,
                SkipServiceRegistration = skipRegistration,
                SkipLaunch = skipLaunch,
                MinSecretsVersion = SecretsVersion,
            }, ct).ConfigureAwait(false);
            _created[m.Id] = 0;
            lock (_result)
            {
                _result.Created.Add(m.Id);
            }

            if (!skipLaunch && waitHealthy)
            {
                await ConfirmCreatedAsync(m, config, ct).ConfigureAwait(false);
            }

            return m;
        }

        /// <summary>Waits until a created machine is healthy on its config's image, then runs the machine checks.</summary>
        public async Task ConfirmCreatedAsync(Machine m, JsonObject config, CancellationToken ct)
        {
            var healthy = await WaitHealthyAsync(m.Id, m.InstanceId, config.GetString("image") ?? "", ct).ConfigureAwait(false);
            if (!IsRollback)
            {
                await _e.RunMachineChecksAsync(healthy, SecretsVersion, ct).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Updates one machine under a lease and waits until it runs the new version healthily. The lease is acquired
        /// once and released in the background once the machine is confirmed (or failed): the next machine need not
        /// wait for that call. <see cref="DrainLeaseReleasesAsync"/> waits for those releases.
        /// </summary>
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
                    var healthy = await WaitHealthyAsync(m.Id, updated.InstanceId, target.GetString("image") ?? "", ct).ConfigureAwait(false);
                    if (!IsRollback)
                    {
                        await _e.RunMachineChecksAsync(healthy, SecretsVersion, ct).ConfigureAwait(false);
                    }

                    _e.Say($"{m.Id} is up on the new version and healthy");
                }
            }
            finally
            {
                lock (_releases)
                {
                    _releases.Add(lease.ReleaseAsync());
                }
            }
        }

        /// <summary>Waits until every lease <see cref="UpdateOneAsync"/> let go of is released (each release has its own timeout and never throws).</summary>
        public async Task DrainLeaseReleasesAsync()
        {
            Task[] pending;
            lock (_releases)
            {
                pending = _releases.ToArray();
                _releases.Clear();
            }

            await Task.WhenAll(pending).ConfigureAwait(false);
        }

        /// <summary>How long one wait call may block before the machine is read to see whether it failed to launch (Fly's wait has no "failed" state).</summary>
        private static readonly TimeSpan StartWaitSlice = TimeSpan.FromSeconds(2);

        /// <summary>The longest a crash inside the smoke window goes unseen: one GET per step, so a long window costs a few calls, not one per poll.</summary>
        private static readonly TimeSpan SmokeStep = TimeSpan.FromSeconds(2);

        /// <summary>
        /// Waits for the new instance to start and pass its checks within wait_timeout; fails fast (without waiting
        /// the whole timeout) when it exits non-zero or keeps restarting, or when its checks never report; then
        /// confirms it runs the new instance and image. Returns that confirming read of the machine.
        /// </summary>
        /// <remarks>
        /// The calls, in the usual case three: Fly's wait for <c>started</c> on the new instance (it answers the moment
        /// the machine has started, so no polling delay falls between the start and the smoke window); the smoke window
        /// (a GET per <see cref="SmokeStep"/> inside it, none for a shorter window); one GET that proves all of it at once,
        /// since Fly's machine GET carries its state, instance, image, check results and recent events.
        /// </remarks>
        /// <param name="eventsAfter">For a restart, which keeps the instance: only events newer than this (the machine's
        /// newest event before it) count, so an older crash is not taken for one of the restarted process.</param>
        public async Task<Machine> WaitHealthyAsync(string id, string instanceId, string image, CancellationToken ct, long? eventsAfter = null)
        {
            var deadline = DateTime.UtcNow + _e.WaitTimeout;
            while (true)
            {
                var remaining = deadline - DateTime.UtcNow;
                if (remaining > TimeSpan.Zero && await Client.WaitForStateAsync(App, id, "started", instanceId, remaining < StartWaitSlice ? remaining : StartWaitSlice, ct).ConfigureAwait(false))
                {
                    break;
                }

                // Not started within the slice: a launch that failed, or a crash, ends the wait here, not at wait_timeout.
                var m = await Client.GetMachineAsync(App, id, ct).ConfigureAwait(false);
                await ThrowIfNotTheNewInstanceAsync(m, instanceId, image, eventsAfter, ct).ConfigureAwait(false);
                if (m.State == "started")
                {
                    break;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw NotHealthyInTime(m, image);
                }
            }

            var startedAt = DateTime.UtcNow;
            for (var seen = SmokeStep; seen < Options.SmokeCheckWindow; seen += SmokeStep)
            {
                await Task.Delay(SmokeStep, ct).ConfigureAwait(false);
                await ThrowIfNotTheNewInstanceAsync(await Client.GetMachineAsync(App, id, ct).ConfigureAwait(false), instanceId, image, eventsAfter, ct).ConfigureAwait(false);
            }

            var rest = startedAt + Options.SmokeCheckWindow - DateTime.UtcNow;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, ct).ConfigureAwait(false);
            }

            while (true)
            {
                var m = await Client.GetMachineAsync(App, id, ct).ConfigureAwait(false);
                await ThrowIfNotTheNewInstanceAsync(m, instanceId, image, eventsAfter, ct).ConfigureAwait(false);
                if (m.State == "started")
                {
                    var expected = ExpectedChecks(m.Config);
                    if (m.Checks.Count >= expected && m.Checks.All(c => c.Status == "passing"))
                    {
                        if (!ImageReference.Same(m.Image, image))
                        {
                            throw new DeployException(FlyCodes.MachineWrongVersion, $"Machine {id} passed its checks but runs {m.Image}, not {image}.");
                        }

                        return m;
                    }

                    // Fly lists a machine's check results in its GET once the checks have run. None at all, long after
                    // the first should have run, is not a slow check: the health of this version cannot be known.
                    var reportWithin = ChecksReportWithin(m.Config);
                    if (expected > 0 && m.Checks.Count == 0 && DateTime.UtcNow - startedAt > reportWithin)
                    {
                        throw new DeployException(FlyCodes.ChecksNotReported,
                            $"Machine {id} ({image}) has {expected} health check(s) configured but reported no check results {GoDuration.FormatGo(reportWithin)} after it started " +
                            "(the first should have run after its grace_period plus one interval); its health cannot be confirmed.");
                    }
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw NotHealthyInTime(m, image);
                }

                await Task.Delay(Options.PollInterval, ct).ConfigureAwait(false);
            }
        }

        private DeployException NotHealthyInTime(Machine m, string image)
        {
            var checks = m.Checks.Count == 0 ? "no check results" : string.Join("; ", m.Checks.Where(c => c.Status != "passing").Select(c => $"{c.Name} is {c.Status}: {c.Output}"));
            return new DeployException(FlyCodes.MachineUnhealthy, $"Machine {m.Id} ({image}) was not healthy within wait_timeout = {GoDuration.FormatGo(_e.WaitTimeout)}: state {m.State}; {checks}.");
        }

        /// <summary>
        /// Throws when the machine no longer runs <paramref name="instanceId"/>, or its new instance exited non-zero,
        /// failed, or stopped after running; judged from the machine's GET alone, whose recent events Fly includes.
        /// </summary>
        private async Task ThrowIfNotTheNewInstanceAsync(Machine m, string instanceId, string image, long? eventsAfter, CancellationToken ct)
        {
            if (m.InstanceId != instanceId)
            {
                throw new DeployException(FlyCodes.MachineWrongVersion, $"Machine {m.Id} runs instance {m.InstanceId} ({m.Image}), not the deployed instance {instanceId} ({image}): it did not keep the new version.");
            }

            var events = m.Events.Where(e => eventsAfter is null || e.Timestamp > eventsAfter).OrderByDescending(e => e.Timestamp).ToList();
            var exits = NewInstanceExits(events);
            var crash = exits.FirstOrDefault(e => e.ExitCode is not null and not 0);
            if (crash is not null || m.State is "failed" or "destroyed" || (m.State == "stopped" && exits.Count > 0))
            {
                var lastLines = await MachineLogTail.ReadAsync(Client, App, m.Id, TimeSpan.FromSeconds(3), ct).ConfigureAwait(false);
                var exit = crash ?? exits.FirstOrDefault();
                var how = exit is not null
                    ? $"exited with code {exit.ExitCode ?? 0}{(exit.OomKilled ? " (out of memory)" : "")} after the update{(exits.Count > 1 ? $" ({exits.Count} exits: it keeps restarting)" : "")}"
                    : "did not start after the update" + (events.FirstOrDefault(e => e.Type == "launch" && e.Status == "failed")?.Error is { Length: > 0 } error ? $": {error}" : "");
                throw new DeployException(FlyCodes.MachineUnhealthy, $"Machine {m.Id} ({image}) {how}; state {m.State}.", logTail: lastLines);
            }
        }

        /// <summary>
        /// The exits of the new instance, newest first: those after the update (or create) and after a start that
        /// followed it, never a requested stop. The old instance's exit when the update stopped it (requested_stop,
        /// often signal 9 and code 137) may be recorded after the update event, and is not a crash of the new one.
        /// </summary>
        internal static List<MachineEvent> NewInstanceExits(IReadOnlyList<MachineEvent> newestFirst)
        {
            var sinceUpdate = newestFirst.TakeWhile(e => !(e.Type is "update" or "launch" && e.Status is "replacing" or "created")).Reverse();
            var started = false;
            var exits = new List<MachineEvent>();
            foreach (var e in sinceUpdate)
            {
                started |= e.Type == "start";
                if (e.Type == "exit" && started && !e.RequestedStop)
                {
                    exits.Insert(0, e);
                }
            }

            return exits;
        }

        /// <summary>When every configured check should have reported once: the longest grace period plus the longest interval, plus a margin.</summary>
        private TimeSpan ChecksReportWithin(JsonObject config)
        {
            var specs = (config.GetObject("checks")?.Members.Select(m => m.Value as JsonObject) ?? Enumerable.Empty<JsonObject?>())
                .Concat(config.GetObjects("services").SelectMany(s => s.GetObjects("checks")))
                .Where(c => c is not null).ToList();
            TimeSpan Longest(string key, TimeSpan fallback) =>
                specs.Select(c => GoDuration.TryParse(c!.GetString(key)) ?? fallback).DefaultIfEmpty(TimeSpan.Zero).Max();
            return Longest("grace_period", TimeSpan.Zero) + Longest("interval", TimeSpan.FromSeconds(15)) + Options.ChecksReportMargin;
        }

        private static int ExpectedChecks(JsonObject config) =>
            (config.GetObject("checks")?.Members.Select(m => m.Key).Distinct().Count() ?? 0) + config.GetObjects("services").Sum(s => s.GetObjects("checks").Count());
    }
}
