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

        /// <summary>Creates a machine and waits until it is healthy; a standby (<paramref name="skipLaunch"/>) is created stopped, as flyctl creates it.</summary>
        public async Task<Machine> CreateAsync(JsonObject config, string? region, bool skipRegistration, CancellationToken ct, bool skipLaunch = false)
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

            if (!skipLaunch)
            {
                await WaitHealthyAsync(m.Id, m.InstanceId, config.GetString("image") ?? "", ct).ConfigureAwait(false);
                if (!IsRollback)
                {
                    await _e.RunMachineChecksAsync(m.Id, SecretsVersion, ct).ConfigureAwait(false);
                }
            }

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
                    if (!IsRollback)
                    {
                        await _e.RunMachineChecksAsync(m.Id, SecretsVersion, ct).ConfigureAwait(false);
                    }

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
        /// the whole timeout) when it exits non-zero or keeps restarting, or when its checks never report; then
        /// confirms it runs the new instance and image.
        /// </summary>
        /// <param name="eventsAfter">For a restart, which keeps the instance: only events newer than this (the machine's
        /// newest event before it) count, so an older crash is not taken for one of the restarted process.</param>
        public async Task WaitHealthyAsync(string id, string instanceId, string image, CancellationToken ct, long? eventsAfter = null)
        {
            var deadline = DateTime.UtcNow + _e.WaitTimeout;
            DateTime? startedAt = null;
            while (true)
            {
                var m = await Client.GetMachineAsync(App, id, ct).ConfigureAwait(false);
                if (m.InstanceId != instanceId)
                {
                    throw new DeployException(FlyCodes.MachineWrongVersion, $"Machine {id} runs instance {m.InstanceId} ({m.Image}), not the deployed instance {instanceId} ({image}): it did not keep the new version.");
                }

                var events = (await Client.GetEventsAsync(App, id, 20, ct).ConfigureAwait(false)).Where(e => eventsAfter is null || e.Timestamp > eventsAfter).ToList();
                var exits = NewInstanceExits(events);
                var crash = exits.FirstOrDefault(e => e.ExitCode is not null and not 0);
                if (crash is not null || m.State is "failed" or "destroyed" || (m.State == "stopped" && exits.Count > 0))
                {
                    var lastLines = await MachineLogTail.ReadAsync(Client, App, id, TimeSpan.FromSeconds(3), ct).ConfigureAwait(false);
                    var exit = crash ?? exits.FirstOrDefault();
                    var how = exit is not null
                        ? $"exited with code {exit.ExitCode ?? 0}{(exit.OomKilled ? " (out of memory)" : "")} after the update{(exits.Count > 1 ? $" ({exits.Count} exits: it keeps restarting)" : "")}"
                        : "did not start after the update" + (events.FirstOrDefault(e => e.Type == "launch" && e.Status == "failed")?.Error is { Length: > 0 } error ? $": {error}" : "");
                    throw new DeployException(FlyCodes.MachineUnhealthy, $"Machine {id} ({image}) {how}; state {m.State}.", logTail: lastLines);
                }

                if (m.State == "started")
                {
                    startedAt ??= DateTime.UtcNow;
                    var expected = ExpectedChecks(m.Config);
                    var allPassing = m.Checks.Count >= expected && m.Checks.All(c => c.Status == "passing");
                    if (DateTime.UtcNow - startedAt >= Options.SmokeCheckWindow && allPassing)
                    {
                        if (!ImageReference.Same(m.Image, image))
                        {
                            throw new DeployException(FlyCodes.MachineWrongVersion, $"Machine {id} passed its checks but runs {m.Image}, not {image}.");
                        }

                        return;
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
                    var checks = m.Checks.Count == 0 ? "no check results" : string.Join("; ", m.Checks.Where(c => c.Status != "passing").Select(c => $"{c.Name} is {c.Status}: {c.Output}"));
                    throw new DeployException(FlyCodes.MachineUnhealthy, $"Machine {id} ({image}) was not healthy within wait_timeout = {GoDuration.FormatGo(_e.WaitTimeout)}: state {m.State}; {checks}.");
                }

                await Task.Delay(Options.PollInterval, ct).ConfigureAwait(false);
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
