using System;
using System.Collections.Generic;
using FlyIo.AppModel.Docker;
using FlyIo.Release;

namespace FlyIo.Launch;

/// <summary>What every FlyLaunch plan starts from, .NET project or standalone folder: the properties the user set.</summary>
public class LaunchInputs
{
    /// <summary>The project file (a .csproj, or a standalone folder's .proj).</summary>
    public string ProjectPath { get; init; } = "";

    /// <summary>FlyApp; empty means the project name, made valid for Fly.</summary>
    public string? AppName { get; init; }

    /// <summary>FlyRegion; empty means <see cref="LaunchDefaults.Region"/>.</summary>
    public string? Region { get; init; }

    /// <summary>FlyVmMemory; empty means flyctl's <see cref="LaunchDefaults.Memory"/>.</summary>
    public string? VmMemory { get; init; }

    /// <summary>The project's own Dockerfile, when it has one (a generated one tells nothing the project does not).</summary>
    public Dockerfile? Dockerfile { get; init; }

    /// <summary>The release command FlySetReleaseCommand would set, planned from the same inputs.</summary>
    public ReleasePlan? Release { get; init; }

    /// <summary>Secret names the deploy will set: FlySecret items and FlySecretsFile.</summary>
    public IReadOnlyCollection<string> DeploySecretNames { get; init; } = Array.Empty<string>();

    /// <summary>The project file name, the name of everything a message points at.</summary>
    public string ProjectFileName => System.IO.Path.GetFileName(ProjectPath);

    public string ProjectDirectory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(ProjectPath)) ?? ".";
}
