using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FlyIo.LocalMachines;

/// <summary>
/// Volumes of real machines: each volume is a directory on the host, <c>&lt;data dir&gt;/volumes/&lt;volume id&gt;</c>,
/// made on first use and kept apart from the machine's directory, so it outlives every launch (the root file system
/// is unpacked afresh each time) and the machine itself, until the volume is destroyed.
/// </summary>
public sealed partial class ProcessRuntime
{
    /// <summary>The volume directory and the directory in the root file system it is bind-mounted on.</summary>
    private sealed record VolumeBind(string HostDir, string Target);

    [GeneratedRegex("^vol_[a-z0-9]+$")]
    private static partial Regex VolumeId();

    private string VolumeDir(string volumeId) =>
        VolumeId().IsMatch(volumeId) ? Path.Combine(_options.DataDir, "volumes", volumeId) : throw new LaunchFailedException($"invalid volume id '{volumeId}'");

    /// <summary>
    /// Makes each mount's volume directory and its mount point in <paramref name="rootfs"/>. The mount point is
    /// resolved inside the root file system (an image's symbolic link is followed there, never out to the host).
    /// </summary>
    private List<VolumeBind> PrepareVolumes(JsonObject config, string rootfs)
    {
        var binds = new List<VolumeBind>();
        if (config["mounts"] is not JsonArray mounts) return binds;
        foreach (var mount in mounts.OfType<JsonObject>())
        {
            var volume = mount["volume"]?.GetValue<string>() ?? throw new LaunchFailedException("mounts[].volume is required");
            var path = mount["path"]?.GetValue<string>() ?? throw new LaunchFailedException("mounts[].path is required");
            var hostDir = VolumeDir(volume);
            Directory.CreateDirectory(hostDir);
            var target = OciPuller.Resolve(rootfs, path.TrimStart('/'), followLast: true);
            try
            {
                Directory.CreateDirectory(target);
            }
            catch (IOException e)
            {
                throw new LaunchFailedException($"cannot mount volume {volume} at {path}: {e.Message}", e);
            }
            binds.Add(new VolumeBind(hostDir, target));
        }
        return binds;
    }

    public Task DeleteVolumeAsync(string volumeId)
    {
        if (!VolumeId().IsMatch(volumeId)) return Task.CompletedTask;
        var dir = Path.Combine(_options.DataDir, "volumes", volumeId);
        // A machine destroyed with the volume (an app deleted) may still be dying and writing; what is left stays.
        try { if (Directory.Exists(dir)) Directory.Delete(dir, true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
