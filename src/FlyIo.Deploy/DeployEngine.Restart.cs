using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.AppModel.Units;
using FlyIo.Diagnostics;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>One machine FlyRestart restarted: its new start event (Fly keeps the instance_id, so that is the proof).</summary>
public sealed record RestartedMachine(string Id, string Group, string Region, string InstanceId, long StartedAt);

public sealed class RestartResult
{
    public string App { get; internal set; } = "";
    public List<RestartedMachine> Restarted { get; } = new();
    /// <summary>Managed machines left as they were because they were not started (stopped ones, standbys): "id (state)".</summary>
    public List<string> NotStarted { get; } = new();
}

/// <summary>
/// FlyRestart, as `fly apps restart` does it: the leases of every machine taken first, then each started machine
/// restarted in the order the Machines API lists them, one at a time, and waited for (a start event newer than the
/// restart, then the deploy's health wait) before the next. The first that does not come back stops it.
/// </summary>
public sealed partial class DeployEngine
{
    public async Task<RestartResult> RestartAsync(string? group, CancellationToken cancellationToken = default)
    {
        var (machines, notManaged) = await ManagedInListOrderAsync(cancellationToken).ConfigureAwait(false);
        SayNotManaged(notManaged);
        var chosen = group is null ? null : ChooseGroup(machines, group);
        var targets = chosen is null ? machines : machines.Where(m => m.ProcessGroup == chosen).ToList();
        if (targets.Count == 0)
        {
            ChooseGroup(targets, null); // FLY5035: nothing deploys manage
        }

        var restart = new RestartResult { App = _app };
        // flyctl restarts only started machines, so a standby or a stopped machine is not started by a restart.
        restart.NotStarted.AddRange(targets.Where(m => m.State != "started").Select(m => $"{m.Id} ({m.State})"));
        var started = targets.Where(m => m.State == "started").ToList();
        Say($"Restarting {started.Count} machine(s) of {_app} one at a time" + (restart.NotStarted.Count > 0 ? $"; not started, left as they are: {string.Join(", ", restart.NotStarted)}" : ""));
        var leases = new List<HeldLease>();
        var run = new Run(this, new DeployResult { App = _app, Strategy = "rolling" });
        try
        {
            foreach (var m in started)
            {
                leases.Add(await HeldLease.AcquireAsync(_client, _app, m.Id, _options, cancellationToken).ConfigureAwait(false));
            }

            for (var i = 0; i < started.Count; i++)
            {
                var m = started[i];
                var lease = leases[i];
                try
                {
                    // Server time only: the restart is proven by a start event newer than every event before it.
                    var before = (await _client.GetEventsAsync(_app, m.Id, 1, cancellationToken).ConfigureAwait(false)).Select(e => e.Timestamp).DefaultIfEmpty(0).Max();
                    Say($"Restarting {m.Id} [{m.ProcessGroup}, {m.Region}]");
                    await _client.RestartMachineAsync(_app, m.Id, lease.Nonce, cancellationToken: cancellationToken).ConfigureAwait(false);
                    var startedAt = await WaitRestartedAsync(m, before, cancellationToken).ConfigureAwait(false);
                    await run.WaitHealthyAsync(m.Id, m.InstanceId, m.Image, cancellationToken, eventsAfter: before).ConfigureAwait(false);
                    restart.Restarted.Add(new RestartedMachine(m.Id, m.ProcessGroup, m.Region, m.InstanceId, startedAt));
                    Say($"{m.Id} restarted and healthy");
                }
                catch (DeployException e) when (e.Descriptor == FlyCodes.MachineUnhealthy || e.Descriptor == FlyCodes.ChecksNotReported ||
                                                e.Descriptor == FlyCodes.MachineWrongVersion || e.Descriptor == FlyCodes.RestartFailed)
                {
                    var untouched = started.Skip(i + 1).Select(x => x.Id).ToList();
                    throw new DeployException(FlyCodes.RestartFailed,
                        $"Machine {m.Id} [{m.ProcessGroup}, {m.Region}] did not come back healthy after its restart: {e.Message} " +
                        $"Restarted and healthy before it: {(restart.Restarted.Count == 0 ? "none" : string.Join(", ", restart.Restarted.Select(r => r.Id)))}; " +
                        $"not restarted: {(untouched.Count == 0 ? "none" : string.Join(", ", untouched))}.", null, e, e.LogTail);
                }
            }
        }
        finally
        {
            foreach (var lease in leases)
            {
                await lease.ReleaseAsync().ConfigureAwait(false);
            }
        }

        return restart;
    }

    /// <summary>
    /// Waits for the restarted process's start event (newer than <paramref name="before"/>) and returns its time;
    /// fails at once when the machine failed, was destroyed, or stopped with an exit after the restart.
    /// </summary>
    private async Task<long> WaitRestartedAsync(Machine machine, long before, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + WaitTimeout;
        while (true)
        {
            var m = await _client.GetMachineAsync(_app, machine.Id, ct).ConfigureAwait(false);
            var events = (await _client.GetEventsAsync(_app, machine.Id, 20, ct).ConfigureAwait(false)).Where(e => e.Timestamp > before).ToList();
            if (events.FirstOrDefault(e => e.Type == "start") is { } start)
            {
                return start.Timestamp;
            }

            if (m.State is "failed" or "destroyed" || (m.State == "stopped" && events.Any(e => e.Type == "exit")))
            {
                var error = events.FirstOrDefault(e => e.Type == "launch" && e.Status == "failed")?.Error;
                throw new DeployException(FlyCodes.RestartFailed, $"it is {m.State} and did not start again{(error is { Length: > 0 } ? ": " + error : "")}.");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new DeployException(FlyCodes.RestartFailed, $"no start event within wait_timeout = {GoDuration.FormatGo(WaitTimeout)} (state {m.State}).");
            }

            await Task.Delay(_options.PollInterval, ct).ConfigureAwait(false);
        }
    }
}
