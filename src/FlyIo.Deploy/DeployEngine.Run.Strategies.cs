using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;
using FlyIo.Machines;

namespace FlyIo.Deploy;

public sealed partial class DeployEngine
{
    /// <summary>The four strategies, as the reference describes them.</summary>
    private sealed partial class Run
    {
        public async Task ImmediateAsync(List<Machine> machines, Dictionary<string, JsonObject> targets, CancellationToken ct)
        {
            try
            {
                await ForEachAsync(machines, m => UpdateOneAsync(m, targets[m.Id], false, ct), ct).ConfigureAwait(false);
            }
            finally
            {
                await DrainLeaseReleasesAsync().ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Per group, by id: stopped machines together, then the first started one alone, then the rest with at most
        /// max_unavailable of them being updated at any moment: as flyctl's pool does it
        /// (internal/command/deploy/machines_deploymachinesapp.go, updateEntriesGroup), each slot takes the next machine
        /// as soon as its previous one is confirmed, rather than a whole batch waiting for its slowest machine.
        /// </summary>
        public async Task RollingAsync(List<Machine> machines, Dictionary<string, JsonObject> targets, CancellationToken ct)
        {
            try
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

                    if (started.Count == 0)
                    {
                        continue;
                    }

                    await UpdateOneAsync(started[0], targets[started[0].Id], true, ct).ConfigureAwait(false);
                    await ForEachAsync(started.Skip(1), m => UpdateOneAsync(m, targets[m.Id], true, ct), ct, limit: RollingPoolSize(started.Count)).ConfigureAwait(false);
                }
            }
            finally
            {
                await DrainLeaseReleasesAsync().ConfigureAwait(false);
            }
        }

        /// <summary>How many started machines of a group may be down at once: max_unavailable, a count or a fraction of the group (flyctl's getPoolSize).</summary>
        internal int RollingPoolSize(int startedInGroup)
        {
            var mu = _e._config.MaxUnavailable;
            return mu < 1 ? Math.Max(1, (int)Math.Ceiling(mu * startedInGroup)) : Math.Max(1, (int)mu);
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

        /// <summary>
        /// Green machines beside the blue ones; once all are healthy, green goes live and blue is destroyed. Greens are
        /// created min(ceil(n/3), max-concurrent) at a time, as flyctl launches them (strategy_bluegreen.go,
        /// CreateGreenMachines: a burst of creates races for host resources), and then all confirmed together: a
        /// wait costs the API nothing while it blocks, and holding a create slot through it would serialise the boots.
        /// </summary>
        public async Task BlueGreenAsync(List<Machine> blue, Dictionary<string, JsonObject> targets, CancellationToken ct)
        {
            var green = new ConcurrentBag<Machine>();
            var created = new ConcurrentBag<(Machine Green, JsonObject Config, string Blue)>();
            var createAtOnce = Math.Max(1, Math.Min((int)Math.Ceiling(blue.Count / 3.0), Math.Min(8, Options.MaxConcurrency)));
            await ForEachAsync(blue, async b =>
            {
                var g = await CreateAsync(targets[b.Id], b.Region, true, ct, waitHealthy: false).ConfigureAwait(false);
                created.Add((g, targets[b.Id], b.Id));
            }, ct, createAtOnce).ConfigureAwait(false);
            await ForEachAsync(created, async c =>
            {
                await ConfirmCreatedAsync(c.Green, c.Config, ct).ConfigureAwait(false);
                green.Add(c.Green);
                _e.Say($"Green {c.Green.Id} is healthy (for blue {c.Blue})");
            }, ct, created.Count).ConfigureAwait(false);
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
    }
}
