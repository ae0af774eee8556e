using System;
using FlyIo.Diagnostics;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>FlyStatus and FlyRollback.</summary>
public sealed partial class DeployEngine
{
    /// <summary>Every app machine's state, version, region and checks (like <c>fly status</c> + <c>fly checks list</c>).</summary>
    public async Task<IReadOnlyList<MachineStatus>> StatusAsync(CancellationToken cancellationToken = default)
    {
        var (managed, notManaged) = await MachineSetAsync(cancellationToken).ConfigureAwait(false);
        return managed.Select(m => new MachineStatus(m.Id, m.ProcessGroup, m.Region, m.State, m.InstanceId, m.Image, m.Metadata("fly_release_version"), m.Checks))
            .Concat(notManaged.Select(m => new MachineStatus(m.Id, m.Metadata("fly_process_group") ?? "-", m.Region, m.State, m.InstanceId, m.Image, null, m.Checks) { Managed = false }))
            .ToArray();
    }

    /// <summary>The app's volumes (like `fly volumes list`): name, size, region, state and the machine each is attached to.</summary>
    public Task<IReadOnlyList<FlyVolume>> VolumesAsync(CancellationToken cancellationToken = default) =>
        _client.ListVolumesAsync(_app, cancellationToken);

    /// <summary>
    /// Redeploys the previous release: every machine gets back the image and config it had before the last deploy
    /// (kept in its metadata), rolling, with the same health waits. Fly records it as a new release (its next version),
    /// as a deploy of the previous image would be.
    /// </summary>
    public async Task<DeployResult> RollbackAsync(CancellationToken cancellationToken = default)
    {
        var result = new DeployResult { App = _app, Strategy = "rolling" };
        var requestsAtStart = _client.RequestCount;
        var machines = await AppMachinesAsync(cancellationToken).ConfigureAwait(false);
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
            meta.Set(PreviousConfigKey, EncodePrevious(m.Config));
            targets[m.Id] = previous;
            result.Image = previous.GetString("image") ?? "";
        }

        if (targets.Count == 0)
        {
            throw new DeployException(FlyCodes.NoPreviousRelease, $"No machine of {_app} records a previous release (fly_previous_config metadata): nothing to roll back to.", result);
        }

        var what = $"the rollback of {_app} to {result.Image}";
        var release = await OpenReleaseAsync(what, result.Image, "rolling", result, cancellationToken).ConfigureAwait(false);
        foreach (var target in targets.Values)
        {
            WithRelease(target, release);
        }

        Say($"Rolling back {_app}: {targets.Count} machine(s) to {result.Image} as release v{release.Version} (Fly release {release.Id})");
        var run = new Run(this, result) { IsRollback = true };
        try
        {
            await run.Phase("rollback", () => run.RollingAsync(machines.Where(m => targets.ContainsKey(m.Id)).ToList(), targets, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            throw await FailReleaseAsync(release, new DeployException(FlyCodes.DeployCancelled, "The rollback was cancelled; machines now: " + string.Join("; ", result.Machines), result), interrupted: true).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            var failure = e as DeployException ?? new DeployException(FlyCodes.RollbackIncomplete, $"The rollback of {_app} failed: {e.Message} Machines now: {string.Join("; ", result.Machines)}", result, e);
            throw await FailReleaseAsync(release, failure).ConfigureAwait(false);
        }

        await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
        await CompleteReleaseAsync(release, $"The rollback of {_app} to {result.Image}", result).ConfigureAwait(false);
        return result;
    }
}
