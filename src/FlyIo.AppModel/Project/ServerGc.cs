using System;

namespace FlyIo.AppModel.Project;

/// <summary>
/// Whether the deployed app runs Server GC, decided once for the Dockerfile generator and the validator's warning.
/// Server GC sizes its heaps for many cores and plenty of RAM; on a small Fly VM it can grow until the Machine is
/// killed. Precedence is the runtime's: the Machine's [env] DOTNET_gcServer overrides the image's ENV, which
/// overrides the project's runtimeconfig (ServerGarbageCollection, on by default in ASP.NET Core apps).
/// </summary>
public static class ServerGc
{
    /// <summary>VMs of this much memory or less get workstation GC and a heap limit in the generated image.</summary>
    public const int SmallVmMegabytes = 512;

    public static bool IsSmallVm(int? memoryMb) => memoryMb is > 0 and <= SmallVmMegabytes;

    /// <summary>
    /// The generated image sets <c>ENV DOTNET_gcServer=0</c> when the smallest [[vm]] it runs on is small. fly.toml's
    /// [env] DOTNET_gcServer = "1" is how to keep Server GC there anyway.
    /// </summary>
    public static bool GeneratedImageTurnsOff(int? smallestVmMemoryMb) => IsSmallVm(smallestVmMemoryMb);

    /// <summary>
    /// On or off in a Machine: <paramref name="flyEnv"/> is fly.toml's [env] DOTNET_gcServer, <paramref name="imageEnv"/>
    /// the image's ENV DOTNET_gcServer (null when unset), <paramref name="projectSetting"/> the evaluated
    /// ServerGarbageCollection property.
    /// </summary>
    public static bool IsOn(string? flyEnv, string? imageEnv, bool? projectSetting, bool isAspNetCore) =>
        Parse(flyEnv) ?? Parse(imageEnv) ?? projectSetting ?? isAspNetCore;

    private static bool? Parse(string? value) => value?.Trim() switch
    {
        null or "" => null,
        "1" => true,
        "0" => false,
        var v when string.Equals(v, "true", StringComparison.OrdinalIgnoreCase) => true,
        var v when string.Equals(v, "false", StringComparison.OrdinalIgnoreCase) => false,
        _ => null,
    };
}
