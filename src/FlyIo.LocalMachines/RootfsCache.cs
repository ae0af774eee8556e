using System.Collections.Concurrent;
using System.Diagnostics;

namespace FlyIo.LocalMachines;

/// <summary>
/// Image file systems unpacked once per image (its config digest, which names the layers' content) under the state
/// directory, and given to each machine as an overlay: the cached tree is the read-only lower layer, the machine's
/// writes land in an upper directory of its own, so no machine can change the cache or another machine's files.
/// </summary>
/// <remarks>
/// Why an overlay: measured on a 624 MB tree on ext4, <c>cp -a</c> took 8.2 s and <c>cp -a --reflink=auto</c> 3.8 s
/// (ext4 has no reflinks, so that is a plain copy too), both slower than unpacking the .NET image's layers (~2 s);
/// the overlay mount took 0.01 s. Hard links would be as fast but share inodes: a file written in place would change
/// the cache. The runtime runs as root already (network namespaces, chroot), so mounting needs no more privilege.
/// Where the kernel refuses the overlay (an overlay upper directory on overlayfs, say) the machine's tree is
/// unpacked from the layers as before: a copy would cost more than that.
/// </remarks>
public sealed class RootfsCache(string dir, Action<string>? log = null)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _trees = new(StringComparer.Ordinal);
    private int _unpacks;

    /// <summary>Image trees unpacked into the cache since start (the local API reports it on GET /__admin/rootfs-cache).</summary>
    public int Unpacks => Volatile.Read(ref _unpacks);

    /// <summary>The cached tree of <paramref name="digest"/>, unpacked with <paramref name="unpackInto"/> the first time only (concurrent launches of one image wait for one unpack).</summary>
    public async Task<string> TreeAsync(string digest, Func<string, Task> unpackInto)
    {
        var lazy = _trees.GetOrAdd(digest, d => new Lazy<Task<string>>(() => BuildAsync(d, unpackInto)));
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            _trees.TryRemove(digest, out _);
            throw;
        }
    }

    private async Task<string> BuildAsync(string digest, Func<string, Task> unpackInto)
    {
        var path = Path.Combine(dir, digest.Replace(':', '_'));
        // Complete or absent: a tree is renamed into place only once fully unpacked, so one left by an earlier run is whole.
        if (Directory.Exists(path)) return path;
        var temp = path + ".unpacking-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(temp);
        try
        {
            await unpackInto(temp).ConfigureAwait(false);
            Directory.Move(temp, path);
        }
        catch
        {
            try { Directory.Delete(temp, true); } catch (IOException) { }
            throw;
        }
        Interlocked.Increment(ref _unpacks);
        log?.Invoke($"unpacked image {digest} into the root file system cache");
        return path;
    }

    /// <summary>Mounts <paramref name="lower"/> (read-only) under the machine's own upper and work directories at <paramref name="target"/>; false when the kernel refuses.</summary>
    public static async Task<bool> TryMountAsync(string lower, string machineDir, string target)
    {
        var upper = Path.Combine(machineDir, "rootfs-upper");
        var work = Path.Combine(machineDir, "rootfs-work");
        // overlayfs splits its options on ',' and lowerdir on ':': a path holding either cannot be given to it.
        if (new[] { lower, upper, work }.Any(p => p.Contains(',') || p.Contains(':'))) return false;
        foreach (var d in new[] { upper, work, target }) Directory.CreateDirectory(d);
        return await RunAsync("mount", "-t", "overlay", "overlay", "-o", $"lowerdir={lower},upperdir={upper},workdir={work}", target).ConfigureAwait(false) == 0;
    }

    /// <summary>Unmounts a machine's overlay, when one is mounted there, and deletes its upper and work directories.</summary>
    public static async Task UnmountAsync(string machineDir, string target)
    {
        if (IsMountPoint(target))
        {
            // Lazy: a dying machine's namespace may still hold it; the host's view is gone at once.
            await RunAsync("umount", "-l", target).ConfigureAwait(false);
        }
        foreach (var d in new[] { "rootfs-upper", "rootfs-work" })
        {
            var path = Path.Combine(machineDir, d);
            try { if (Directory.Exists(path)) Directory.Delete(path, true); } catch (IOException) { }
        }
    }

    private static bool IsMountPoint(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        try
        {
            // mountinfo's fifth field is the mount point (spaces escaped as \040).
            return File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')).Any(f => f.Length > 4 && f[4].Replace("\\040", " ") == full);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<int> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        await p.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await p.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await p.WaitForExitAsync().ConfigureAwait(false);
        return p.ExitCode;
    }
}
