using System.Globalization;

namespace FlyIo.LocalMachines;

/// <summary>
/// A machine's <c>guest.memory_mb</c> enforced with a memory cgroup, as Fly's VMs enforce it: an app that needs more
/// than its VM has is killed by the OOM killer here too, and its exit event says <c>oom_killed</c>. Uses cgroup v2
/// (memory.max, memory.swap.max, memory.events) or v1 (memory.limit_in_bytes, memory.memsw.limit_in_bytes,
/// memory.oom_control), whichever the host mounts; with neither, machines run unlimited and <see cref="Available"/>
/// says so.
/// </summary>
public sealed class MemoryLimit
{
    private const string V2Root = "/sys/fs/cgroup";
    private const string V1Root = "/sys/fs/cgroup/memory";
    private readonly bool _v2;
    private readonly string? _root;

    public MemoryLimit()
    {
        if (File.Exists(Path.Combine(V2Root, "cgroup.controllers")) && File.ReadAllText(Path.Combine(V2Root, "cgroup.controllers")).Split(' ', '\n').Contains("memory"))
        {
            _v2 = true;
            _root = V2Root;
        }
        else if (File.Exists(Path.Combine(V1Root, "memory.limit_in_bytes")))
        {
            _root = V1Root;
        }
    }

    public bool Available => _root is not null;

    /// <summary>"v1" or "v2" (the hierarchy a machine mounts to see its own limit), or "" when unavailable.</summary>
    public string Version => _root is null ? "" : _v2 ? "v2" : "v1";

    /// <summary>The group directory of a machine (whether or not it exists).</summary>
    public string? GroupDir(string machineId) => _root is null ? null : Path.Combine(_root, "flyio-" + machineId);

    /// <summary>A fresh group for one launch of the machine, limited to <paramref name="megabytes"/>; null when unavailable.</summary>
    public string? Create(string machineId, int megabytes)
    {
        if (_root is null) return null;
        var dir = GroupDir(machineId)!;
        Remove(dir);
        try
        {
            Directory.CreateDirectory(dir);
            var bytes = ((long)megabytes * 1024 * 1024).ToString(CultureInfo.InvariantCulture);
            if (_v2)
            {
                File.WriteAllText(Path.Combine(dir, "memory.max"), bytes);
                TryWrite(Path.Combine(dir, "memory.swap.max"), "0");
            }
            else
            {
                File.WriteAllText(Path.Combine(dir, "memory.limit_in_bytes"), bytes);
                // Memory plus swap at the same limit: no swap, as on a Fly VM without swap_size_mb.
                TryWrite(Path.Combine(dir, "memory.memsw.limit_in_bytes"), bytes);
            }
            return dir;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LaunchFailedException($"could not limit the machine's memory to {megabytes} MB ({dir}): {e.Message}", e);
        }
    }

    /// <summary>Whether the OOM killer killed a process of the group.</summary>
    public bool OomKilled(string? dir)
    {
        if (dir is null) return false;
        var file = Path.Combine(dir, _v2 ? "memory.events" : "memory.oom_control");
        try
        {
            foreach (var line in File.ReadAllLines(file))
            {
                var parts = line.Split(' ');
                if (parts.Length == 2 && parts[0] == "oom_kill" && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kills))
                    return kills > 0;
            }
        }
        catch (IOException)
        {
        }
        return false;
    }

    /// <summary>Removes a group whose processes have all ended.</summary>
    public static void Remove(string? dir)
    {
        if (dir is null || !Directory.Exists(dir)) return;
        // A cgroup directory is removed with rmdir, never recursively: its files are the kernel's.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                Directory.Delete(dir);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(25); // the last process is still being reaped
            }
        }
    }

    private static void TryWrite(string path, string value)
    {
        try
        {
            if (File.Exists(path)) File.WriteAllText(path, value);
        }
        catch (IOException)
        {
            // Swap accounting may be off in the kernel; the memory limit alone still holds.
        }
    }
}
