using FlyIo.AppModel.Project;
using System;
using System.Collections.Generic;

namespace FlyIo.Images;

/// <summary>
/// Everything the Dockerfile generator reads: the app as MSBuild evaluated it, the parts of fly.toml that shape the
/// image, and the SDK properties that override the defaults. Nothing here is read from the environment or the clock.
/// </summary>
public sealed class DockerfileInputs
{
    public DockerfileInputs(DotNetAppFacts app)
    {
        App = app ?? throw new ArgumentNullException(nameof(app));
    }

    /// <summary>The app: project, project closure, restore inputs, build context, base image kind.</summary>
    public DotNetAppFacts App { get; }

    /// <summary>$(TargetFramework) or $(TargetFrameworks), e.g. <c>net10.0</c> or <c>net8.0;net10.0</c>; the lowest .NET one wins.</summary>
    public string? TargetFrameworks { get; init; }

    /// <summary>$(AssemblyName); the project file name when null.</summary>
    public string? AssemblyName { get; init; }

    /// <summary>fly.toml's internal_port ([http_service] or the first [[services]]); 8080 when fly.toml has none.</summary>
    public int InternalPort { get; init; } = 8080;

    /// <summary>fly.toml has [mounts]: the app stays root so it can write to the root-owned volume.</summary>
    public bool HasMounts { get; init; }

    /// <summary>The least memory a [[vm]] in fly.toml gives (FlyConfig.SmallestVmMemoryMb); null without [[vm]].</summary>
    public int? VmMemoryMb { get; init; }

    /// <summary>FlyBaseImageRegistry: replaces <c>mcr.microsoft.com</c> (a mirror serving <c>dotnet/sdk</c>, <c>dotnet/aspnet</c> ...).</summary>
    public string? BaseImageRegistry { get; init; }

    /// <summary>FlyBaseImageFlavor: the tag suffix, e.g. <c>noble-chiseled</c>; empty for the default Debian image.</summary>
    public string? BaseImageFlavor { get; init; }

    /// <summary>The app looks up system time zones (TimeZoneInfo.FindSystemTimeZoneById): chiseled images need -extra.</summary>
    public bool LooksUpTimeZones { get; init; }

    /// <summary>FlyDockerfileNuGetCache: mount a build cache on /root/.nuget/packages for restore and publish.</summary>
    public bool NuGetCacheMount { get; init; }

    /// <summary>
    /// FlyGcHeapHardLimit: null = automatic (<see cref="GcHeapHardLimitPercent"/> of a VM of 512 MB or less);
    /// <c>none</c> or empty = no limit; otherwise a byte count (decimal, or hex with 0x) written as hex.
    /// </summary>
    public string? GcHeapHardLimit { get; init; }

    /// <summary>FlyGcHeapHardLimitPercent: share of the VM memory the GC heap may use on small VMs (default 75).</summary>
    public int GcHeapHardLimitPercent { get; init; } = 75;

    /// <summary>
    /// FlyEntrypointScript: a shell script that becomes the ENTRYPOINT (absolute, or relative to the project folder).
    /// Null = <c>entrypoint.sh</c> or <c>docker-entrypoint.sh</c> beside the project when one exists; empty = none.
    /// </summary>
    public string? EntrypointScript { get; init; }

    /// <summary>Other shell scripts the image runs (copied to /app, CR stripped, made executable).</summary>
    public IReadOnlyList<string> ExtraScripts { get; init; } = Array.Empty<string>();

    /// <summary>Where the Dockerfile is written (for the header's fly deploy hint); the project folder's Dockerfile when null.</summary>
    public string? DockerfilePath { get; init; }

    /// <summary>The publish configuration.</summary>
    public string Configuration { get; init; } = "Release";
}
