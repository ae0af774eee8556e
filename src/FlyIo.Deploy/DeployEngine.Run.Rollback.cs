using System;
using FlyIo.Diagnostics;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Machines;
using FlyIo.AppModel.Units;

namespace FlyIo.Deploy;

public sealed partial class DeployEngine
{
    /// <summary>Automatic rollback after a failed rolling, canary or bluegreen deploy.</summary>
    private sealed partial class Run
    {
        /// <summary>Restores every changed machine's previous config and destroys created ones; returns a report.</summary>
        public async Task<(DiagnosticDescriptor? Code, string Report)> RollbackAfterFailureAsync(string reason)
        {
            // The rollback leases the machines the deploy just let go of: their releases must have landed first.
            await DrainLeaseReleasesAsync().ConfigureAwait(false);
            if (_changed.IsEmpty && _created.IsEmpty)
            {
                RestoredEverything = true;
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
                            await WaitRestartedAsync(kv.Key, back.InstanceId, cts.Token).ConfigureAwait(false);
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
                return (FlyCodes.RollbackIncomplete, $"Automatic rollback INCOMPLETE: restored {restored.Count}, failed {failures.Count}: {string.Join("; ", failures)}.");
            }

            RestoredEverything = true;
            return (null, $"Rolled back automatically: {restored.Count} machine(s) restored to their previous version ({string.Join(", ", restored.OrderBy(x => x, StringComparer.Ordinal))}) and {_created.Count} new machine(s) destroyed in {watch.Elapsed.TotalSeconds:0.0}s; the previous release is running.");
        }

        /// <summary>
        /// Polls a restored machine until it runs <paramref name="instanceId"/>; a launch that fails (or a machine that
        /// disappears) ends the wait at once with the platform's reason, rather than after the whole wait_timeout.
        /// </summary>
        private async Task WaitRestartedAsync(string id, string instanceId, CancellationToken ct)
        {
            var deadline = DateTime.UtcNow + _e.WaitTimeout;
            while (true)
            {
                var m = await Client.GetMachineAsync(App, id, ct).ConfigureAwait(false);
                if (m.InstanceId == instanceId && m.State == "started")
                {
                    return;
                }

                if (m.State is "failed" or "destroyed")
                {
                    var events = await Client.GetEventsAsync(App, id, 10, ct).ConfigureAwait(false);
                    var reason = events.Where(e => e.Type == "launch" && e.Status == "failed")
                        .Select(e => (e.Json.GetObject("request"))?.GetString("error")).FirstOrDefault(r => !string.IsNullOrEmpty(r));
                    throw new InvalidOperationException($"its launch {m.State}{(reason is null ? "" : ": " + reason)}");
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"not started within {GoDuration.FormatGo(_e.WaitTimeout)} (state {m.State})");
                }

                await Task.Delay(Options.PollInterval, ct).ConfigureAwait(false);
            }
        }
    }
}
