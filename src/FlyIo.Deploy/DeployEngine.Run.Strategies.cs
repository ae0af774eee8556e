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
    }
}
