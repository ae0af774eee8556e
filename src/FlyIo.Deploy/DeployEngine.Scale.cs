using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.AppModel.Units;
using FlyIo.Diagnostics;
using FlyIo.Json;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>
/// FlyScale, as `fly scale count | vm | memory` do it: machines of one process group added (clones of the group's
/// newest machine, each with a volume like its own when it mounts one) or destroyed (flyctl's picks), and resized
/// rolling. Only machines deploys manage are touched; every new or resized machine is healthy before success.
/// </summary>
public sealed partial class DeployEngine
{
    /// <summary>
    /// Scales one group. <paramref name="onPlan"/> sees the plan before anything changes (empty: nothing to do, and
    /// nothing is done). Volumes are settled first, then surplus machines are destroyed, the rest resized (rolling,
    /// each healthy), and new machines created and waited for. A failure rolls back what was resized or created.
    /// </summary>
    public async Task<DeployResult> ScaleAsync(ScaleRequest request, Action<ScalePlan> onPlan, CancellationToken cancellationToken = default)
    {
        var requestsAtStart = _client.RequestCount;
        var (machines, notManaged) = await ManagedInListOrderAsync(cancellationToken).ConfigureAwait(false);
        SayNotManaged(notManaged);
        var group = ChooseGroup(machines, request.Group);
        var members = machines.Where(m => m.ProcessGroup == group).ToList();
        // The group's current config: its newest release, then its newest machine.
        var template = members.OrderByDescending(m => ReleaseNumber(m)).ThenByDescending(m => m.Json.GetString("created_at"), StringComparer.Ordinal).First();
        var guest = TargetGuest(GuestConfig.FromApi(template.Config), request);
        var plan = new ScalePlan { App = _app, Group = group, Current = members.Count };

        // flyctl's convergeGroupCounts over the regions asked for, else those the app's machines are in (list order).
        var regions = request.Regions.Count > 0 ? request.Regions.ToList()
            : machines.Select(m => m.Region).Distinct(StringComparer.Ordinal).DefaultIfEmpty(_config.PrimaryRegion ?? template.Region).ToList();
        var destroy = new List<Machine>();
        var creates = new List<NewMachine>();
        if (request.Count is { } count)
        {
            foreach (var (region, delta) in ConvergeCounts(count, members.GroupBy(m => m.Region).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal), regions))
            {
                // flyctl destroys the region's first machines as the Machines API lists them.
                destroy.AddRange(members.Where(m => m.Region == region).Take(Math.Max(0, -delta)));
                creates.AddRange(Enumerable.Range(0, Math.Max(0, delta)).Select(_ => new NewMachine(group, region, null)));
            }
        }

        var resize = members.Except(destroy).Where(m => !SameSize(GuestConfig.FromApi(m.Config), guest)).ToList();
        var templateMount = MountOf(template.Config);
        var templateVolume = templateMount is null ? null
            : (await _client.ListVolumesAsync(_app, cancellationToken).ConfigureAwait(false)) is var volumes
                ? volumes.FirstOrDefault(v => v.Id == templateMount.Volume) ?? volumes.Where(v => v.Name == templateMount.Name).OrderByDescending(v => v.SizeGb).FirstOrDefault()
                : null;
        plan.Steps.AddRange(destroy.Select(m => new ScaleStep(ScaleStepKind.Destroy, m.Id, group, m.Region, SizeOf(GuestConfig.FromApi(m.Config)), MountOf(m.Config)?.Volume)));
        plan.Steps.AddRange(resize.Select(m => new ScaleStep(ScaleStepKind.Resize, m.Id, group, m.Region, $"{SizeOf(GuestConfig.FromApi(m.Config))} → {SizeOf(guest)}", MountOf(m.Config)?.Volume)));
        plan.Steps.AddRange(creates.Select(c => new ScaleStep(ScaleStepKind.Create, null, group, c.Region!, SizeOf(guest),
            templateMount is null ? null : $"new '{templateVolume?.Name ?? templateMount.Name}' ({templateVolume?.SizeGb ?? FlyMount.DefaultSizeGb} GB) or an unattached one")));
        onPlan(plan);

        var result = new DeployResult { App = _app, Strategy = "rolling", Image = template.Image };
        if (plan.Steps.Count == 0)
        {
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            return result;
        }

        var run = new Run(this, result);
        try
        {
            if (creates.Count > 0 && templateMount is not null)
            {
                var inRegion = creates.GroupBy(c => c.Region).ToDictionary(g => g.Key!, g => g.Count() + members.Except(destroy).Count(m => m.Region == g.Key), StringComparer.Ordinal);
                await run.Phase("volumes", () => AssignVolumesAsync(creates, template.Image, true, true, cancellationToken, c =>
                    (new CreateVolumeRequest(templateVolume?.Name ?? templateMount.Name ?? "", c.Region, templateVolume?.SizeGb ?? FlyMount.DefaultSizeGb)
                    {
                        SnapshotRetention = templateVolume?.SnapshotRetention,
                        AutoBackupEnabled = templateVolume?.AutoBackupEnabled,
                        // flyctl: more than one machine of the group in the region spreads their volumes over hosts.
                        RequireUniqueZone = inRegion[c.Region!] > 1,
                        ComputeRequirements = guest,
                        ComputeImage = template.Image,
                    }, templateMount.Path))).ConfigureAwait(false);
            }

            await run.Phase("destroy", () => run.ForEachAsync(destroy, m => DestroyLeasedAsync(m, result, cancellationToken), cancellationToken)).ConfigureAwait(false);
            if (resize.Count > 0)
            {
                var targets = resize.ToDictionary(m => m.Id, m => WithGuest(m.Config, guest), StringComparer.Ordinal);
                await run.Phase("resize", () => run.RollingAsync(resize, targets, cancellationToken)).ConfigureAwait(false);
            }

            await run.Phase("create", () => run.ForEachAsync(creates, async c =>
            {
                var created = await run.CreateAsync(CloneConfig(template.Config, guest, c.Volume?.Id), c.Region, false, cancellationToken).ConfigureAwait(false);
                c.Id = created.Id;
                Say($"Created {created.Id} [{group}, {created.Region}] from {template.Id}'s config{(c.Volume is null ? "" : $" with volume {c.Volume.Id}")}; healthy");
            }, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            throw new DeployException(FlyCodes.DeployCancelled, $"Scaling group '{group}' of {_app} was cancelled; every lease was released. Machines now: {string.Join("; ", result.Machines)}", result);
        }
        catch (Exception e) when (e is MachinesApiException or AmbiguousFailureException or LeaseHeldException
                                      || (e is DeployException d && d.Descriptor != FlyCodes.VolumeNotReady))
        {
            var rollback = await run.RollbackAfterFailureAsync(e.Message).ConfigureAwait(false);
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            throw new DeployException(rollback.Code ?? (e is LeaseHeldException ? FlyCodes.LeaseHeld : FlyCodes.ScaleIncomplete),
                $"Scaling group '{group}' of {_app} failed: {e.Message} {rollback.Report}".TrimEnd(), result, e);
        }

        await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// flyctl keeps the size a machine has when fly.toml sizes no VM for its group (toMachineGuest returns nil), so
    /// what FlyScale set outlives the next deploy; a [[vm]] for the group sizes it anew.
    /// </summary>
    private void KeepScaledGuest(MachineConfig config, string group, JsonObject? previous)
    {
        if (previous is not null && _config.VmFor(group) is null)
        {
            config.Guest = GuestConfig.FromApi(previous);
        }
    }

    /// <summary>
    /// The group to act on: the one named (it must have machines deploys manage), else the app's only one. Several and
    /// none named, or none at all, is FLY5035 naming them.
    /// </summary>
    private string ChooseGroup(IReadOnlyList<Machine> machines, string? named)
    {
        var groups = machines.Select(m => m.ProcessGroup).Distinct(StringComparer.Ordinal).OrderBy(g => g, StringComparer.Ordinal).ToList();
        var listed = groups.Count == 0 ? "none" : string.Join(", ", groups.Select(g => $"'{g}'"));
        if (named is not null)
        {
            return groups.Contains(named) ? named
                : throw new DeployException(FlyCodes.ProcessGroupUnclear, $"FlyProcessGroup is '{named}', but no machine of {_app} that deploys manage is in that group; its groups: {listed}.");
        }

        return groups.Count switch
        {
            1 => groups[0],
            0 => throw new DeployException(FlyCodes.ProcessGroupUnclear, $"{_app} has no machines that deploys manage: run FlyDeploy first."),
            _ => throw new DeployException(FlyCodes.ProcessGroupUnclear, $"{_app} has several process groups ({listed}): name one with -p:FlyProcessGroup=<group>."),
        };
    }

    /// <summary>flyctl's convergeGroupCounts (no per-region maximum): additions round robin from the first region, removals from the second.</summary>
    internal static List<(string Region, int Delta)> ConvergeCounts(int expected, IReadOnlyDictionary<string, int> current, IReadOnlyList<string> regionList)
    {
        var regions = (regionList.Count > 0 ? regionList : current.Keys.ToList()).Distinct(StringComparer.Ordinal).ToList();
        var diffs = regions.ToDictionary(r => r, _ => 0, StringComparer.Ordinal);
        int Now(string r) => current.TryGetValue(r, out var n) ? n : 0;
        var diff = expected - regions.Sum(Now);
        for (var i = 0; diff > 0; i++, diff--)
        {
            diffs[regions[i % regions.Count]]++;
        }

        for (var i = 1; diff < 0; i++)
        {
            var region = regions[i % regions.Count];
            if (Now(region) + diffs[region] > 0)
            {
                diffs[region]--;
                diff++;
            }
        }

        return regions.Where(r => diffs[r] != 0).Select(r => (r, diffs[r])).ToList();
    }

    /// <summary>The guest after FlyVmSize (the preset, as fly scale vm sets it) and FlyVmMemory; FLY5036 when Fly would refuse it.</summary>
    private static GuestConfig TargetGuest(GuestConfig now, ScaleRequest request)
    {
        var preset = request.VmSize is null ? null : VmSizes.Find(request.VmSize)
            ?? throw new DeployException(FlyCodes.VmSizeInvalid, $"FlyVmSize is '{request.VmSize}', which is not a Fly VM size; use one of {string.Join(", ", VmSizes.All.Select(s => s.Name))}.");
        var (kind, cpus, memory) = preset is null ? (now.CpuKind, now.Cpus, now.MemoryMb) : (preset.CpuKind, preset.Cpus, preset.MemoryMb);
        memory = request.MemoryMb ?? memory;
        if (VmSizes.MemoryProblem(kind, cpus, memory) is { } problem)
        {
            throw new DeployException(FlyCodes.VmSizeInvalid, $"FlyVmMemory asks for {memory} MB: {problem}, so Fly would refuse it. Pick another memory size, or a larger FlyVmSize.");
        }

        return new GuestConfig(kind, cpus, memory)
        {
            GpuKind = now.GpuKind, Gpus = now.Gpus, KernelArgs = now.KernelArgs, HostDedicationId = now.HostDedicationId, PersistRootfs = now.PersistRootfs,
        };
    }

    private static bool SameSize(GuestConfig a, GuestConfig b) => a.CpuKind == b.CpuKind && a.Cpus == b.Cpus && a.MemoryMb == b.MemoryMb;

    /// <summary>As flyctl names a guest: the preset, else kind and CPUs, then the memory.</summary>
    internal static string SizeOf(GuestConfig g) =>
        (VmSizes.All.FirstOrDefault(s => s.CpuKind == g.CpuKind && s.Cpus == g.Cpus)?.Name ?? $"{g.CpuKind}-{g.Cpus}x") + $" {g.MemoryMb}MB";

    private static JsonObject WithGuest(JsonObject config, GuestConfig guest) => Js.Clone(config).Set("guest", guest.ToJson());

    /// <summary>
    /// A new machine of the group: the template's config (metadata included, so deploys and rollbacks treat it as
    /// one of theirs) with the new guest and volume, and never a standby of another machine (flyctl drops them).
    /// </summary>
    private static JsonObject CloneConfig(JsonObject template, GuestConfig guest, string? volumeId)
    {
        var config = WithGuest(template, guest);
        config.Members.RemoveAll(m => m.Key == "standbys");
        config.GetObject("env")?.Members.RemoveAll(m => m.Key == "FLY_STANDBY_FOR");
        if (volumeId is not null)
        {
            SetVolume(config, volumeId);
            // The previous release's config names the template's volume: a rollback of this machine must keep its own.
            var meta = config.GetObject("metadata");
            if (DecodePrevious(meta?.GetString(PreviousConfigKey)) is { } previous)
            {
                SetVolume(previous, volumeId);
                meta!.Set(PreviousConfigKey, EncodePrevious(previous));
            }
        }

        return config;
    }

    private static void SetVolume(JsonObject config, string volumeId)
    {
        if (config.GetObjects("mounts").FirstOrDefault() is { } mount)
        {
            mount.Set("volume", volumeId);
        }
    }

    private static int ReleaseNumber(Machine m) => int.TryParse(m.Metadata("fly_release_version"), out var v) ? v : 0;

    /// <summary>Destroys a machine under its lease, as flyctl's scale does (kill=true).</summary>
    private async Task DestroyLeasedAsync(Machine m, DeployResult result, CancellationToken ct)
    {
        var lease = await HeldLease.AcquireAsync(_client, _app, m.Id, _options, ct).ConfigureAwait(false);
        try
        {
            await _client.DeleteMachineAsync(_app, m.Id, lease.Nonce, true, ct).ConfigureAwait(false);
        }
        finally
        {
            await lease.ReleaseAsync().ConfigureAwait(false);
        }

        lock (result)
        {
            result.Destroyed.Add(m.Id);
        }

        Say($"Destroyed {m.Id} [{m.ProcessGroup}, {m.Region}]" + (MountOf(m.Config) is { } mount ? $"; its volume {mount.Volume} stays, unattached" : ""));
    }

    /// <summary>
    /// The machines deploys manage, in the order the Machines API lists them (flyctl restarts and picks machines to
    /// destroy in that order), and those no deploy may touch.
    /// </summary>
    private async Task<(List<Machine> Managed, List<Machine> NotManaged)> ManagedInListOrderAsync(CancellationToken ct)
    {
        var (managed, notManaged) = await MachineSetAsync(ct).ConfigureAwait(false);
        var listed = (await _client.ListMachinesAsync(_app, null, ct).ConfigureAwait(false)).Select((m, i) => (m.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        return (managed.OrderBy(m => listed.TryGetValue(m.Id, out var i) ? i : int.MaxValue).ToList(), notManaged);
    }
}
