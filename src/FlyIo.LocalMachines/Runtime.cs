using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

public sealed record ExitInfo(int ExitCode, int Signal, bool OomKilled);

public sealed record LaunchContext(
    string AppName, string MachineId, string InstanceId, string Region, string PrivateIp, JsonObject Config,
    IReadOnlyDictionary<string, string> Secrets, FaultInjector Faults, Action<string>? Output = null);

/// <summary>A launched machine's main process.</summary>
public interface IMachineInstance
{
    Task<ExitInfo> Exited { get; }
    /// <summary>The digest of the image manifest the machine runs, when the runtime resolved one.</summary>
    string? ImageDigest => null;
    /// <summary>The address checks and the edge proxy reach the machine on.</summary>
    string Address { get; }
    /// <summary>Sends <paramref name="signal"/>, then SIGKILL when the process outlives <paramref name="timeout"/>.</summary>
    Task StopAsync(int signal, TimeSpan timeout);
    void Signal(int signal);
    void Suspend();
    void Resume();
}

public interface IMachineRuntime : IAsyncDisposable
{
    string Name { get; }
    /// <summary>Throws <see cref="LaunchFailedException"/> when the machine cannot be launched at all.</summary>
    Task<IMachineInstance> LaunchAsync(LaunchContext context, CancellationToken cancellationToken);
    Task DestroyAsync(string appName, string machineId);
    /// <summary>Deletes what the runtime keeps of a destroyed volume (its data, for runtimes that keep any).</summary>
    Task DeleteVolumeAsync(string volumeId);
}

public sealed class LaunchFailedException(string message, Exception? inner = null) : Exception(message, inner);

public static class Signals
{
    public static int Parse(string? name, int fallback)
    {
        if (string.IsNullOrEmpty(name)) return fallback;
        if (int.TryParse(name, out var n)) return n;
        return name.ToUpperInvariant().Replace("SIG", "") switch
        {
            "HUP" => 1, "INT" => 2, "QUIT" => 3, "KILL" => 9, "USR1" => 10, "USR2" => 12, "TERM" => 15,
            _ => throw new ArgumentException($"invalid signal '{name}'; use SIGHUP, SIGINT, SIGQUIT, SIGKILL, SIGUSR1, SIGUSR2 or SIGTERM"),
        };
    }
}

/// <summary>Machines without processes: "running" is a timer, exits come from fault rules. Runs on any OS.</summary>
public sealed class SimulatedRuntime(TimeSpan startDelay) : IMachineRuntime
{
    public string Name => "simulated";

    public async Task<IMachineInstance> LaunchAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var config = context.Config;
        var faults = context.Faults;
        if (faults.ForMachine("launch_hang", context.AppName, context.MachineId, config) is { } hang)
            await Task.Delay(TimeSpan.FromSeconds(hang.Seconds), cancellationToken).ConfigureAwait(false);
        await Task.Delay(startDelay, cancellationToken).ConfigureAwait(false);
        if (faults.ForMachine("launch_fail", context.AppName, context.MachineId, config) is { } fail)
            throw new LaunchFailedException(fail.Error ?? "failed to launch VM: injected fault " + fail.Id);
        var instance = new SimulatedInstance(context.PrivateIp);
        FaultRule? rule;
        if ((rule = faults.ForMachine("start_fail", context.AppName, context.MachineId, config)) is not null)
        {
            instance.Exit(new ExitInfo(rule.ExitCode, 0, rule.OomKilled), TimeSpan.FromMilliseconds(10));
        }
        else if ((rule = faults.ForMachine("crash_after", context.AppName, context.MachineId, config)) is not null
                 || (rule = faults.ForMachine("exit", context.AppName, context.MachineId, config)) is not null)
        {
            var delay = rule.Seconds > 0 ? TimeSpan.FromSeconds(rule.Seconds) : TimeSpan.FromMilliseconds(Math.Max(rule.DelayMs, 10));
            instance.Exit(new ExitInfo(rule.ExitCode, 0, rule.OomKilled), delay);
        }
        else if (IsOneShot(config))
        {
            // A one-shot job (restart policy "no" + auto_destroy, as flyctl's release command machines) has no
            // program to run here: it succeeds shortly after starting. Fault rules above override this.
            instance.Exit(new ExitInfo(0, 0, false), TimeSpan.FromMilliseconds(200));
        }
        instance.IgnoreStopSignal = faults.ForMachine("ignore_stop_signal", context.AppName, context.MachineId, config) is not null;
        return instance;
    }

    private static bool IsOneShot(JsonObject config) =>
        config["auto_destroy"]?.GetValue<bool>() == true && (config["restart"] as JsonObject)?["policy"]?.GetValue<string>() == "no";

    public Task DestroyAsync(string appName, string machineId) => Task.CompletedTask;

    public Task DeleteVolumeAsync(string volumeId) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class SimulatedInstance(string address) : IMachineInstance
    {
        private readonly TaskCompletionSource<ExitInfo> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool IgnoreStopSignal { get; set; }
        public Task<ExitInfo> Exited => _exited.Task;
        public string Address => address;

        public void Exit(ExitInfo info, TimeSpan after) => _ = Task.Delay(after).ContinueWith(_ => _exited.TrySetResult(info), TaskScheduler.Default);

        public async Task StopAsync(int signal, TimeSpan timeout)
        {
            if (signal != 9 && !IgnoreStopSignal)
            {
                Exit(new ExitInfo(0, 0, false), TimeSpan.FromMilliseconds(20));
            }
            else if (signal != 9)
            {
                await Task.WhenAny(_exited.Task, Task.Delay(timeout)).ConfigureAwait(false);
                _exited.TrySetResult(new ExitInfo(128 + 9, 9, false));
            }
            else
            {
                _exited.TrySetResult(new ExitInfo(128 + 9, 9, false));
            }
            await _exited.Task.ConfigureAwait(false);
        }

        public void Signal(int signal)
        {
            if (signal == 9 || (!IgnoreStopSignal && signal is 1 or 2 or 3 or 15)) _exited.TrySetResult(new ExitInfo(128 + signal, signal, false));
        }

        public void Suspend() { }
        public void Resume() { }
    }
}
