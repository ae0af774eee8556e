using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

/// <summary>
/// The volume rules of a machine's <c>mounts</c>. A volume attaches to one machine, in its region, when the machine is
/// created, and stays with it until the machine is destroyed: an update keeps the machine's volumes (it may move a
/// mount to another path) but cannot attach another volume or detach one. flyctl knows this and replaces the machine
/// instead (deploy's "Volumes attached to existing machines can't be swapped by other volumes").
/// </summary>
public static partial class Api
{
    private sealed record Mount(string VolumeId, string Path);

    /// <summary>A config's mounts, each with the volume and path Fly requires; a malformed one is a 422.</summary>
    private static List<Mount> Mounts(JsonObject config)
    {
        var mounts = new List<Mount>();
        switch (config["mounts"])
        {
            case null:
                return mounts;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is not JsonObject mount) throw new ApiException(422, $"invalid config: mounts[{i}] must be an object");
                    var volume = mount["volume"]?.GetValue<string>() is { Length: > 0 } v ? v : throw new ApiException(422, $"invalid config: mounts[{i}].volume is required");
                    var path = mount["path"]?.GetValue<string>() is { Length: > 0 } p ? p : throw new ApiException(422, $"invalid config: mounts[{i}].path is required");
                    if (!path.StartsWith('/')) throw new ApiException(422, $"invalid config: mounts[{i}].path '{path}' must be an absolute path");
                    // The auto-extend settings are numbers (a wrong type is a 400, as for any config member).
                    foreach (var key in new[] { "extend_threshold_percent", "add_size_gb", "size_gb_limit", "size_gb" }) mount[key]?.GetValue<int>();
                    if (mounts.Any(m => m.VolumeId == volume)) throw new ApiException(422, $"volume {volume} is mounted twice");
                    if (mounts.Any(m => m.Path == path)) throw new ApiException(422, $"two volumes are mounted at {path}");
                    mounts.Add(new Mount(volume, path));
                }
                return mounts;
            default:
                throw new ApiException(422, "invalid config: mounts must be a list");
        }
    }

    /// <summary>Checks a new machine's mounts and attaches every volume, or none: all are checked before the first is attached.</summary>
    private static void AttachVolumes(AppRecord a, MachineRecord m, string region)
    {
        var volumes = Mounts(m.Config).Select(mount => AttachableVolume(a, m, mount.VolumeId, region)).ToList();
        foreach (var vol in volumes) vol.AttachedMachineId = m.Id;
    }

    /// <summary>
    /// Checks an update's mounts against the machine's: the same volumes (paths may change). Called before anything
    /// of the machine changes, so a refused update leaves it as it was.
    /// </summary>
    private static void CheckMountsKept(AppRecord a, MachineRecord m, JsonObject newConfig)
    {
        var before = Mounts(m.Config).Select(x => x.VolumeId).ToHashSet(StringComparer.Ordinal);
        var after = Mounts(newConfig);
        foreach (var mount in after)
        {
            AttachableVolume(a, m, mount.VolumeId, m.Region);
            if (!before.Contains(mount.VolumeId))
                throw new ApiException(422, $"volume {mount.VolumeId} cannot be attached to existing machine {m.Id}: volumes attach when a machine is created; create a new machine with it (and destroy this one)");
        }
        foreach (var kept in before.Where(id => after.All(x => x.VolumeId != id)))
            throw new ApiException(422, $"volume {kept} cannot be detached from machine {m.Id} by an update: keep it in mounts, or destroy the machine to free it");
    }

    private static VolumeRecord AttachableVolume(AppRecord a, MachineRecord m, string volumeId, string region)
    {
        if (!a.Volumes.TryGetValue(volumeId, out var vol) || vol.State == "destroyed") throw new ApiException(404, $"volume {volumeId} not found");
        if (vol.AttachedMachineId is not null && vol.AttachedMachineId != m.Id) throw new ApiException(422, $"volume {volumeId} is already attached to machine {vol.AttachedMachineId}");
        if (vol.Region != region) throw new ApiException(422, $"volume {volumeId} is in region {vol.Region}, not {region}");
        return vol;
    }
}
