namespace FlyIo.LocalMachines;

/// <summary>Real machines: image pulled over the OCI distribution API, unpacked to a root file system, run in its
/// own network namespace and chroot. Linux and root only.</summary>
public sealed class ProcessRuntime : IMachineRuntime
{
    private readonly ServerOptions _options;

    public ProcessRuntime(ServerOptions options)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the process runtime needs Linux");
        _options = options;
    }

    public string Name => "process";

    public Task<IMachineInstance> LaunchAsync(LaunchContext context, CancellationToken cancellationToken) =>
        throw new LaunchFailedException("the process runtime is not implemented yet");

    public Task DestroyAsync(string appName, string machineId) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
