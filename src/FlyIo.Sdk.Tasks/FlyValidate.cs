using System;
using System.IO;
using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.FlyToml;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Validates fly.toml against everything flyctl knows, plus cross-checks with the project flyctl cannot see
/// (the port the app listens on, routes its checks probe, GC settings on small VMs). Every finding is a located
/// FLY0xxx/FLY1xxx diagnostic.
/// </summary>
public sealed class FlyValidate : FlyTask
{
    /// <summary>The fly.toml to validate.</summary>
    [Required]
    public string ConfigFile { get; set; } = "";

    /// <summary>The FlyApp property: when set, fly.toml need not name the app.</summary>
    public string? AppName { get; set; }

    /// <summary>Unknown keys become errors instead of warnings (FlyStrict).</summary>
    public bool Strict { get; set; }

    /// <summary>A Dockerfile whose EXPOSE is cross-checked with internal_port, when one exists.</summary>
    public string? DockerfilePath { get; set; }

    /// <summary>True for .NET projects; false in standalone mode (Python, Node, ... apps).</summary>
    public bool IsDotNetProject { get; set; }

    public string? ProjectDirectory { get; set; }

    /// <summary>The project's C# Compile items, scanned lexically for routes.</summary>
    public ITaskItem[] SourceFiles { get; set; } = Array.Empty<ITaskItem>();

    public bool IsAspNetCore { get; set; }

    public string? ServerGarbageCollection { get; set; }

    public string? ConcurrentGarbageCollection { get; set; }

    /// <summary>$(TargetFramework) or $(TargetFrameworks).</summary>
    public string? TargetFrameworks { get; set; }

    /// <summary>The .NET SDK's ContainerPort items, cross-checked with internal_port (FlyCodes.ContainerPortMismatch).</summary>
    public ITaskItem[] ContainerPorts { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The .NET SDK's ContainerUser, cross-checked with [mounts] (FlyCodes.ContainerUserWithVolume).</summary>
    public string? ContainerUser { get; set; }

    /// <summary>The .NET SDK's ContainerEnvironmentVariable items, cross-checked with [env] (FlyCodes.ContainerEnvironmentMismatch).</summary>
    public ITaskItem[] ContainerEnvironmentVariables { get; set; } = Array.Empty<ITaskItem>();

    protected override bool Run()
    {
        var options = new FlyTomlValidationOptions
        {
            Strict = Strict,
            AppName = string.IsNullOrWhiteSpace(AppName) ? null : AppName,
            Dockerfile = AppModelFiles.Dockerfile(BuildEngine, Log, DockerfilePath),
            Project = IsDotNetProject ? CollectProjectFacts() : null,
        };

        var result = FlyTomlValidator.Validate(AppModelFiles.FlyConfig(BuildEngine, Log, ConfigFile), options);
        foreach (var diagnostic in result.Diagnostics)
        {
            // Validation reads only fly.toml and the project's sources; a cancel stops the reporting.
            if (Cancelled)
            {
                break;
            }

            FlyLog.Report(diagnostic);
        }

        var errors = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        FlyLog.Progress($"{ConfigFile}: {errors} error(s), {warnings} warning(s).");
        return !Log.HasLoggedErrors;
    }

    private ProjectFacts CollectProjectFacts() => ProjectFactsItems.Create(BuildEngine, Log,
        string.IsNullOrWhiteSpace(ProjectDirectory) ? Path.GetDirectoryName(ConfigFile) ?? "" : ProjectDirectory!,
        SourceFiles, IsAspNetCore, ServerGarbageCollection, ConcurrentGarbageCollection, TargetFrameworks,
        ContainerPorts, ContainerUser, ContainerEnvironmentVariables);
}
