using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

/// <summary>Real machines (Linux, root): the image is pulled over the OCI distribution API and unpacked into a
/// per-machine root file system; the main process runs chrooted (unshare --root) in its own network namespace with a
/// veth pair and a private /30 (172.30.x.y), in its own process group so stop signals reach all of it.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class ProcessRuntime : IMachineRuntime
{
    private readonly ServerOptions _options;
    private readonly OciPuller _puller;
    private readonly object _gate = new();
    private readonly Dictionary<string, MachineHost> _machines = new(StringComparer.Ordinal);
    private readonly HashSet<int> _used = new();
    private readonly List<Instance> _live = new();
    private readonly MemoryLimit _memory = new();

    /// <summary>What the runtime keeps for one machine across its launches.</summary>
    private sealed class MachineHost
    {
        /// <summary>The machine's /30 (-1 until its network exists).</summary>
        public int Slot = -1;

        public HostServiceRelay? Relay;

        /// <summary>One launch at a time: an update landing during a restart must not unpack under it.</summary>
        public readonly SemaphoreSlim LaunchLock = new(1, 1);

        /// <summary>The latest process, which a new launch waits out before clearing the root file system.</summary>
        public Instance? Latest;
    }

    private MachineHost Host(string machineId)
    {
        lock (_gate)
        {
            if (!_machines.TryGetValue(machineId, out var host)) _machines[machineId] = host = new MachineHost();
            return host;
        }
    }

    public ProcessRuntime(ServerOptions options)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the process runtime needs Linux");
        if (Environment.UserName != "root" && geteuid() != 0) throw new PlatformNotSupportedException("the process runtime needs root (network namespaces, chroot)");
        _options = options;
        var token = options.Token.StartsWith("FlyV1 ", StringComparison.Ordinal) ? options.Token[6..] : options.Token;
        RootfsCache = new RootfsCache(Path.Combine(options.DataDir, "rootfs-cache"), options.Quiet ? null : Console.WriteLine);
        _puller = new OciPuller(Path.Combine(options.DataDir, "cache"), options.RegistryPassword ?? token, options.InsecureRegistries, options.SendsCredentialsTo);
    }

    public string Name => "process";

    /// <summary>Image trees, unpacked once per image and shared read-only through overlays.</summary>
    public RootfsCache RootfsCache { get; }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    private string MachineDir(string id) => Path.Combine(_options.DataDir, "machines", id);

    private (string Ns, string HostIf, string GuestIf, string HostIp, string GuestIp) Net(string machineId, int slot)
    {
        var third = slot / 64;
        var fourth = slot % 64 * 4;
        var shortId = machineId[..8];
        return ($"fly-{machineId}", $"vh{shortId}", $"vm{shortId}", $"{_options.Subnet}.{third}.{fourth + 1}", $"{_options.Subnet}.{third}.{fourth + 2}");
    }

    /// <summary>A short host command (ip); a non-zero exit is a failed launch that carries the command's stderr.</summary>
    private static async Task Run(string file, params string[] args)
    {
        var result = await Cli.Wrap(file).WithArguments(args).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync().ConfigureAwait(false);
        if (result.ExitCode != 0) throw new LaunchFailedException($"{file} {string.Join(' ', args)}: {result.StandardError.Trim()}");
    }

    private async Task<string> EnsureNetwork(string machineId)
    {
        // Addresses already on the host (another server's machines, or ones a killed server never removed) are
        // skipped: a second route to the same /30 would send a machine's traffic to the wrong namespace.
        var hostAddresses = await HostAddressesAsync().ConfigureAwait(false);
        var host = Host(machineId);
        int slot;
        lock (_gate)
        {
            if (host.Slot < 0)
            {
                slot = 0;
                while (_used.Contains(slot) || hostAddresses.Contains(Net(machineId, slot).HostIp)) slot++;
                if (slot >= 64 * 256) throw new LaunchFailedException("no free machine subnet");
                _used.Add(slot);
                host.Slot = slot;
            }
            slot = host.Slot;
        }
        var n = Net(machineId, slot);
        if (File.Exists($"/run/netns/{n.Ns}")) return n.GuestIp;
        await Run("ip", "netns", "add", n.Ns).ConfigureAwait(false);
        await Run("ip", "link", "add", n.HostIf, "type", "veth", "peer", "name", n.GuestIf).ConfigureAwait(false);
        await Run("ip", "link", "set", n.GuestIf, "netns", n.Ns).ConfigureAwait(false);
        await Run("ip", "addr", "add", n.HostIp + "/30", "dev", n.HostIf).ConfigureAwait(false);
        await Run("ip", "link", "set", n.HostIf, "up").ConfigureAwait(false);
        await Run("ip", "-n", n.Ns, "addr", "add", n.GuestIp + "/30", "dev", n.GuestIf).ConfigureAwait(false);
        await Run("ip", "-n", n.Ns, "link", "set", n.GuestIf, "up").ConfigureAwait(false);
        await Run("ip", "-n", n.Ns, "link", "set", "lo", "up").ConfigureAwait(false);
        await Run("ip", "-n", n.Ns, "route", "add", "default", "via", n.HostIp).ConfigureAwait(false);
        return n.GuestIp;
    }

    private static async Task<HashSet<string>> HostAddressesAsync()
    {
        var output = (await Cli.Wrap("ip").WithArguments(new[] { "-o", "-4", "addr", "show" }).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync().ConfigureAwait(false)).StandardOutput;
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            var at = line.IndexOf(" inet ", StringComparison.Ordinal);
            if (at < 0) continue;
            var rest = line.Substring(at + 6).TrimStart();
            var end = rest.IndexOf('/');
            if (end > 0) addresses.Add(rest.Substring(0, end));
        }
        return addresses;
    }

    /// <summary>
    /// One launch at a time per machine: an update that lands while a restart is still unpacking would otherwise
    /// delete and unpack the same root file system under it.
    /// </summary>
    public async Task<IMachineInstance> LaunchAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var gate = Host(context.MachineId).LaunchLock;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await LaunchOneAsync(context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<IMachineInstance> LaunchOneAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var config = context.Config;
        var image = FlyIo.Machines.ImageReference.Parse(config["image"]!.GetValue<string>());
        var dir = MachineDir(context.MachineId);
        var rootfs = Path.Combine(dir, "rootfs");
        // The machine's previous process may still be dying (a stale launch is killed without waiting): it must be
        // gone before its root file system is, or it keeps writing into the directory being deleted.
        Instance? previous;
        lock (_gate) previous = Host(context.MachineId).Latest;
        if (previous is not null) await previous.StopAsync(9, TimeSpan.Zero).ConfigureAwait(false);
        // Each launch of a version starts from the image's file system (Fly machines have ephemeral root disks): an
        // overlay on the image's cached tree (unpacked once per image), or, where no overlay can be mounted, a fresh unpack.
        await RootfsCache.UnmountAsync(dir, rootfs).ConfigureAwait(false);
        await DeleteTreeAsync(rootfs).ConfigureAwait(false);
        ImageConfig imageConfig;
        try
        {
            var (resolved, manifest) = await _puller.ResolveAsync(image, cancellationToken).ConfigureAwait(false);
            imageConfig = resolved;
            // The unpack is not the launch's to cancel: other machines of the image may be waiting for the same tree.
            var tree = await RootfsCache.TreeAsync(resolved.Digest, into => _puller.UnpackLayersAsync(image, manifest, into, CancellationToken.None)).ConfigureAwait(false);
            if (!await RootfsCache.TryMountAsync(tree, dir, rootfs).ConfigureAwait(false))
            {
                await RootfsCache.UnmountAsync(dir, rootfs).ConfigureAwait(false);
                await _puller.UnpackLayersAsync(image, manifest, rootfs, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException e)
        {
            throw new LaunchFailedException($"failed to pull {image.Registry}/{image.Repository}:{image.Tag}: {e.Message}", e);
        }
        WriteFiles(config, context.Secrets, rootfs);
        var volumes = PrepareVolumes(config, rootfs);
        var address = await EnsureNetwork(context.MachineId).ConfigureAwait(false);
        var hostAddress = Net(context.MachineId, Host(context.MachineId).Slot).HostIp;
        EnsureHostServices(context.MachineId, hostAddress);
        WriteHosts(rootfs, context.MachineId, address, hostAddress);

        var init = config["init"] as JsonObject;
        string[] Strings(string key) => (init?[key] as JsonArray)?.Select(x => x!.GetValue<string>()).ToArray() ?? Array.Empty<string>();
        var exec = Strings("exec");
        var entrypoint = init?["entrypoint"] is JsonArray ? Strings("entrypoint") : imageConfig.Entrypoint;
        var cmd = init?["cmd"] is JsonArray ? Strings("cmd") : imageConfig.Cmd;
        var argv = exec.Length > 0 ? exec : entrypoint.Concat(cmd).ToArray();
        if (argv.Length == 0) throw new LaunchFailedException("the image has no entrypoint or cmd and init gives none");

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in imageConfig.Env)
        {
            var eq = kv.IndexOf('=');
            if (eq > 0) env[kv[..eq]] = kv[(eq + 1)..];
        }
        env.TryAdd("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        // The image's USER, as Fly runs it: an app that writes where only root may fails here as it would there.
        var user = ImageUser.Resolve(imageConfig.User, rootfs);
        if (user.Home is { Length: > 0 } home) env.TryAdd("HOME", home);
        if (config["env"] is JsonObject configEnv)
            foreach (var (k, v) in configEnv) env[k] = v?.ToString() ?? "";
        foreach (var (k, v) in context.Secrets) env[k] = v;
        var group = (config["metadata"] as JsonObject)?["fly_process_group"]?.GetValue<string>() ?? "app";
        env["FLY_APP_NAME"] = context.AppName;
        env["FLY_MACHINE_ID"] = context.MachineId;
        env["FLY_ALLOC_ID"] = context.MachineId;
        env["FLY_REGION"] = context.Region;
        env.TryAdd("PRIMARY_REGION", context.Region);
        env["FLY_PROCESS_GROUP"] = group;
        env["FLY_MACHINE_VERSION"] = context.InstanceId;
        env["FLY_IMAGE_REF"] = config["image"]!.GetValue<string>();
        env["FLY_PRIVATE_IP"] = address;
        env["FLY_PUBLIC_IP"] = address;
        if (group == "fly_app_release_command") env.TryAdd("RELEASE_COMMAND", "1");

        // guest.memory_mb as a hard limit (256 MB when the config names no guest, as Fly's shared-cpu-1x default).
        var memoryMb = (config["guest"] as JsonObject)?["memory_mb"]?.GetValue<int>() ?? 256;
        var memoryGroup = _options.MemoryLimits ? _memory.Create(context.MachineId, memoryMb) : null;
        // The machine's main process stays on Process, not CliWrap: it is signalled as a process group (kill -pgid with
        // Fly's kill_signal, any signal, SIGSTOP/SIGCONT for suspend), its exit is reported when the main process exits
        // while an escaped process may still hold the output pipes (CliWrap's run ends only when the pipes end), and
        // its environment starts empty (CliWrap can only add to or remove from the inherited one).
        var psi = new ProcessStartInfo(memoryGroup is null ? "ip" : "/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        if (memoryGroup is not null)
        {
            // Joins the memory group before anything of the machine starts, so every process it forks is counted.
            foreach (var a in new[] { "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", memoryGroup, "ip" }) psi.ArgumentList.Add(a);
        }
        psi.Environment.Clear();
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var workdir = imageConfig.WorkingDir.Length > 0 ? imageConfig.WorkingDir : "/";
        // A mount and PID namespace of its own with a fresh /proc, and the few device nodes programs expect (the
        // .NET runtime reads /dev/urandom): image layers carry no device nodes. The shell stays as the namespace's
        // PID 1 (as Fly's init does) rather than exec'ing the app: a PID 1 ignores signals it has no handler for,
        // so an app that is PID 1 cannot even abort() (an unhandled .NET exception became SIGSEGV, exit 139). The
        // mounts are made inside the machine's own mount namespace, so they go away with it instead of lingering on the host.
        const string setup =
            "root=\"$1\"; wd=\"$2\"; uid=\"$3\"; gid=\"$4\"; cg=\"$5\"; nv=\"$6\"; shift 6; mkdir -p \"$root/dev\" \"$root/proc\" && " +
            // The memory hierarchy, read-only, so the runtime in the machine finds its limit as it finds a VM's RAM.
            "case \"$cg\" in v1) mkdir -p \"$root/sys/fs/cgroup/memory\" && mount -t cgroup -o ro,memory cgroup \"$root/sys/fs/cgroup/memory\" ;; " +
            "v2) mkdir -p \"$root/sys/fs/cgroup\" && mount -t cgroup2 -o ro cgroup2 \"$root/sys/fs/cgroup\" ;; esac; " +
            "for d in null zero full random urandom tty; do [ -e \"$root/dev/$d\" ] || touch \"$root/dev/$d\"; mount --bind \"/dev/$d\" \"$root/dev/$d\" || exit 126; done && " +
            // The volumes: nv pairs of (volume directory, mount point in the root file system), given as arguments.
            "while [ \"$nv\" -gt 0 ]; do mount --bind \"$1\" \"$2\" || exit 126; shift 2; nv=$((nv - 1)); done && " +
            "mount -t proc proc \"$root/proc\" && unshare --root=\"$root\" --wd=\"$wd\" --setgid \"$gid\" --setuid \"$uid\" -- \"$@\"";
        // env --default-signal: a machine starts with every signal at its default disposition, as on Fly, whatever
        // the server inherited (started in the background by a script, it ignores SIGINT and SIGQUIT, and under
        // nohup SIGHUP; ignored signals survive exec, so without this an app could never be stopped by Fly's default
        // kill_signal, SIGINT).
        foreach (var a in new[] { "netns", "exec", Net(context.MachineId, Host(context.MachineId).Slot).Ns, "env", "--default-signal", "setsid", "unshare",
                     "--mount", "--propagation", "private", "--pid", "--fork", "/bin/sh", "-c", setup, "machine", rootfs, workdir,
                     user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), user.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     memoryGroup is null ? "" : _memory.Version, volumes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        foreach (var v in volumes)
        {
            psi.ArgumentList.Add(v.HostDir);
            psi.ArgumentList.Add(v.Target);
        }
        foreach (var a in argv) psi.ArgumentList.Add(a);
        var log = Path.Combine(dir, "machine.log");
        var process = Process.Start(psi) ?? throw new LaunchFailedException("could not start the machine process");
        var instance = new Instance(process, address, log, context.Output, () => _memory.OomKilled(memoryGroup)) { ImageDigest = imageConfig.ManifestDigest };
        lock (_gate)
        {
            _live.Add(instance);
            Host(context.MachineId).Latest = instance;
        }
        _ = instance.Exited.ContinueWith(_ => { lock (_gate) _live.Remove(instance); }, TaskScheduler.Default);
        return instance;
    }

    /// <summary>Deletes a directory tree, asking again briefly when something still being torn down holds a part of it.</summary>
    private static async Task DeleteTreeAsync(string path)
    {
        for (var attempt = 1; Directory.Exists(path); attempt++)
        {
            try
            {
                Directory.Delete(path, true);
            }
            catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && attempt < 10)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new LaunchFailedException($"could not clear the machine's previous root file system: {e.Message}", e);
            }
        }
    }

    private void EnsureHostServices(string machineId, string hostAddress)
    {
        if (_options.HostServices.Count == 0) return;
        var host = Host(machineId);
        lock (_gate)
        {
            if (host.Relay is not null) return;
            try
            {
                host.Relay = new HostServiceRelay(_options.HostServices, hostAddress);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new LaunchFailedException($"could not listen for the host services on {hostAddress}: {e.Message}", e);
            }
        }
    }

    /// <summary>/etc/hosts as a machine sees it: localhost, its own id, and the host services' names.</summary>
    private void WriteHosts(string rootfs, string machineId, string address, string hostAddress)
    {
        var lines = new List<string> { "127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback", $"{address}\t{machineId}" };
        lines.AddRange(HostServiceRelay.HostsLines(_options.HostServices, hostAddress));
        var path = OciPuller.Resolve(rootfs, "etc/hosts", followLast: false);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // An image's /etc/hosts may be a symbolic link; it is replaced, never followed out of the root file system.
        File.Delete(path);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
    }

    private static void WriteFiles(JsonObject config, IReadOnlyDictionary<string, string> secrets, string rootfs)
    {
        if (config["files"] is not JsonArray files) return;
        foreach (var f in files.OfType<JsonObject>())
        {
            var guestPath = f["guest_path"]?.GetValue<string>() ?? throw new LaunchFailedException("files[].guest_path is required");
            string? b64 = f["raw_value"]?.GetValue<string>();
            if (b64 is null && f["secret_name"]?.GetValue<string>() is { } secret)
                b64 = secrets.TryGetValue(secret, out var v) ? v : throw new LaunchFailedException($"secret {secret} not found for {guestPath}");
            var host = OciPuller.Resolve(rootfs, guestPath.TrimStart('/'), followLast: false);
            Directory.CreateDirectory(Path.GetDirectoryName(host)!);
            File.WriteAllBytes(host, Convert.FromBase64String(b64 ?? ""));
        }
    }

    public async Task DestroyAsync(string appName, string machineId)
    {
        MachineHost? host;
        lock (_gate) _machines.Remove(machineId, out host);
        host?.Relay?.Dispose();
        var slot = host?.Slot ?? -1;
        if (slot >= 0)
        {
            var n = Net(machineId, slot);
            try { await Run("ip", "netns", "del", n.Ns).ConfigureAwait(false); } catch (LaunchFailedException) { }
            try { await Run("ip", "link", "del", n.HostIf).ConfigureAwait(false); } catch (LaunchFailedException) { }
            lock (_gate) _used.Remove(slot);
        }
        MemoryLimit.Remove(_memory.GroupDir(machineId));
        var dir = MachineDir(machineId);
        await RootfsCache.UnmountAsync(dir, Path.Combine(dir, "rootfs")).ConfigureAwait(false);
        try { if (Directory.Exists(dir)) Directory.Delete(dir, true); } catch (IOException) { }
    }

    public async ValueTask DisposeAsync()
    {
        List<Instance> live;
        lock (_gate) live = _live.ToList();
        await Task.WhenAll(live.Select(i => i.StopAsync(9, TimeSpan.Zero))).ConfigureAwait(false);
        List<string> ids;
        lock (_gate) ids = _machines.Keys.ToList();
        foreach (var id in ids) await DestroyAsync("", id).ConfigureAwait(false);
        _puller.Dispose();
    }

    private sealed class Instance : IMachineInstance
    {
        private readonly Process _process;
        private readonly int _pgid;

        private readonly Func<bool> _oomKilled;

        public Instance(Process process, string address, string logPath, Action<string>? output, Func<bool> oomKilled)
        {
            _process = process;
            _oomKilled = oomKilled;
            _pgid = process.Id;
            Address = address;
            var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
            Task Pump(StreamReader r) => Task.Run(async () =>
            {
                while (await r.ReadLineAsync().ConfigureAwait(false) is { } line)
                {
                    // One lock for writing and closing: a line that arrives as the log closes is dropped, never
                    // written to a closed writer (which would fault the exit the engine waits for).
                    lock (log)
                    {
                        if (_logOpen) log.WriteLine(line);
                    }
                    output?.Invoke(line);
                }
            });
            var pumps = new[] { Pump(process.StandardOutput), Pump(process.StandardError) };
            process.StandardInput.Close();
            Exited = Wait(log, pumps);
        }

        private bool _logOpen = true;

        private async Task<ExitInfo> Wait(StreamWriter log, Task[] pumps)
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            var code = _process.ExitCode;
            // The session may hold other processes; none outlives its main process.
            kill(-_pgid, 9);
            // The last lines (a crash's stack trace) are read before the exit is reported, so the logs API has them
            // by the time a deploy asks why the machine died. Bounded: a pipe some escaped process holds open must
            // not hold the exit back.
            try
            {
                await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or IOException or ObjectDisposedException)
            {
            }
            lock (log)
            {
                _logOpen = false;
                log.Dispose();
            }
            var oom = _oomKilled();
            return code > 128 ? new ExitInfo(code, code - 128, oom) : new ExitInfo(code, 0, oom);
        }

        public Task<ExitInfo> Exited { get; }
        public string Address { get; }
        public string? ImageDigest { get; init; }

        public async Task StopAsync(int signal, TimeSpan timeout)
        {
            if (Exited.IsCompleted) return;
            kill(-_pgid, signal);
            if (signal != 9 && await Task.WhenAny(Exited, Task.Delay(timeout)).ConfigureAwait(false) != Exited) kill(-_pgid, 9);
            await Exited.ConfigureAwait(false);
        }

        public void Signal(int signal) => kill(-_pgid, signal);
        public void Suspend() => kill(-_pgid, 19);
        public void Resume() => kill(-_pgid, 18);
    }
}
