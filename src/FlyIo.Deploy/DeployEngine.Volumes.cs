using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Diagnostics;
using FlyIo.Json;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>
/// [[mounts]]: every machine of a group with a mount has a volume of its own in its region. A machine keeps its volume
/// across deploys; a new machine gets an unattached volume of the mount's name in its region, or one created for it
/// (initial_size, snapshot_retention, scheduled_snapshots), as flyctl does on a first deploy. All of it is settled
/// before any machine changes, so a volume that cannot be had stops the deploy with nothing half-done.
/// </summary>
public sealed partial class DeployEngine
{
    /// <summary>Refuses machines whose volume fly.toml no longer describes: a volume cannot be swapped on a machine.</summary>
    private void CheckMountedVolumes(IEnumerable<Machine> machines)
    {
        var problems = new List<string>();
        foreach (var m in machines.Where(m => _config.Groups.Contains(m.ProcessGroup)))
        {
            var want = _config.MountFor(m.ProcessGroup);
            var have = MountOf(m.Config);
            if (want is null && have is not null)
            {
                problems.Add($"machine {m.Id} [{m.ProcessGroup}] has volume {have.Volume} ('{have.Name}') mounted at {have.Path}, but fly.toml mounts no volume for group '{m.ProcessGroup}'. " +
                             "Add the [[mounts]] back, or destroy the machine to take the group off volumes (the volume and its data stay)");
            }
            else if (want is not null && have is null)
            {
                problems.Add($"machine {m.Id} [{m.ProcessGroup}] has no volume, but fly.toml mounts '{want.Source}' at {want.Destination} for group '{m.ProcessGroup}'; " +
                             "Fly cannot attach a volume to an existing machine. Destroy the machine: the next deploy creates one with its volume");
            }
            else if (want is not null && have is not null && !string.IsNullOrEmpty(have.Name) && have.Name != want.Source)
            {
                problems.Add($"machine {m.Id} [{m.ProcessGroup}] has volume {have.Volume} named '{have.Name}', but fly.toml mounts '{want.Source}'; " +
                             "a machine's volume cannot be swapped. Set source = \"" + have.Name + "\", or destroy the machine");
            }
        }

        if (problems.Count > 0)
        {
            throw new DeployException(FlyCodes.VolumeNotReady, "The app's volumes do not match fly.toml's [[mounts]], so no machine was changed: " + string.Join("; ", problems) + ".");
        }
    }

    /// <summary>
    /// Gives each new machine that mounts a volume one: an unattached volume of the mount's name in its region, else
    /// a new one (when <paramref name="create"/>). Returns the volumes it created (or would create). What a machine
    /// mounts comes from fly.toml's [[mounts]], unless <paramref name="volumeFor"/> says (FlyScale: like the volume of
    /// the machine it clones).
    /// </summary>
    private async Task<List<CreateVolumeRequest>> AssignVolumesAsync(IReadOnlyList<NewMachine> creates, string image, bool create, bool appExists, CancellationToken ct,
        Func<NewMachine, (CreateVolumeRequest Request, string Path)?>? volumeFor = null)
    {
        volumeFor ??= c => _config.MountFor(c.Group) is { } mount
            ? (mount.ToCreateRequest(c.Region ?? _config.PrimaryRegion, _config.Build(c.Group, image).Guest, image), mount.Destination)
            : null;
        var wanted = creates.Select(c => (Machine: c, Volume: volumeFor(c))).Where(x => x.Volume is not null).ToList();
        var toCreate = new List<CreateVolumeRequest>();
        if (wanted.Count == 0)
        {
            return toCreate;
        }

        var free = appExists
            ? (await _client.ListVolumesAsync(_app, ct).ConfigureAwait(false)).Where(v => !v.Attached).OrderBy(v => v.Id, StringComparer.Ordinal).ToList()
            : new List<FlyVolume>();
        foreach (var (machine, volume) in wanted)
        {
            var (request, path) = volume!.Value;
            var region = request.Region;
            var reuse = free.FirstOrDefault(v => v.Name == request.Name && (region is null || v.Region == region));
            if (reuse is not null)
            {
                free.Remove(reuse);
                machine.Volume = reuse;
                Say($"Using unattached volume {reuse} for a new machine in group '{machine.Group}'");
                continue;
            }

            toCreate.Add(request);
            if (!create)
            {
                continue;
            }

            try
            {
                machine.Volume = await _client.CreateVolumeAsync(_app, request, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MachinesApiException or AmbiguousFailureException)
            {
                var made = creates.Where(c => c.Volume is not null && c != machine).Select(c => c.Volume!.Id).ToList();
                throw new DeployException(FlyCodes.VolumeNotReady,
                    $"Could not create the {request.SizeGb} GB volume '{request.Name}' in {region ?? "the default region"} for a new machine in group '{machine.Group}', so no machine was changed: {e.Message}" +
                    (made.Count > 0 ? $" Volumes already made for this deploy stay unattached and are used by the next one: {string.Join(", ", made)}." : ""),
                    inner: e);
            }

            Say($"Created volume {machine.Volume} for a new machine in group '{machine.Group}' (mounted at {path})");
        }

        return toCreate;
    }

    /// <summary>The first mount of a machine config as Fly returned it, or null.</summary>
    private static MountConfig? MountOf(JsonObject? config) =>
        config?.GetObjects("mounts").Select(m => new MountConfig(m.GetString("volume"), m.GetString("name"), m.GetString("path") ?? "")).FirstOrDefault();
}
