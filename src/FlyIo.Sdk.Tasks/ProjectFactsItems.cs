using System;
using System.IO;
using System.Linq;
using FlyIo.FlyToml;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// The .NET project facts fly.toml is checked against, from the evaluated properties and Compile items a target
/// passes: one construction for FlyValidate and FlyLaunch, so the file FlyLaunch writes is judged by the same facts.
/// </summary>
internal static class ProjectFactsItems
{
    public static ProjectFacts Create(IBuildEngine engine, TaskLoggingHelper log, string projectDirectory, ITaskItem[] sourceFiles,
        bool isAspNetCore, string? serverGarbageCollection, string? concurrentGarbageCollection, string? targetFrameworks,
        ITaskItem[]? containerPorts = null, string? containerUser = null, ITaskItem[]? containerEnvironment = null) => new()
    {
        // The .NET SDK's container items as it reads them: ContainerPort's Include is the port number (an
        // unparsable one is the SDK's own error to report), ContainerEnvironmentVariable's Value metadata the value.
        ContainerPorts = (containerPorts ?? Array.Empty<ITaskItem>())
            .Select(i => int.TryParse(i.ItemSpec.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : 0)
            .Where(p => p is > 0 and <= 65535).Distinct().ToList(),
        ContainerUser = string.IsNullOrWhiteSpace(containerUser) ? null : containerUser!.Trim(),
        ContainerEnvironment = (containerEnvironment ?? Array.Empty<ITaskItem>())
            .GroupBy(i => i.ItemSpec, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().GetMetadata("Value"), StringComparer.Ordinal),
        ProjectDirectory = projectDirectory,
        // Read only when a check needs them (a validation without health-check paths does not).
        ReadSources = () => CSharpSourcesCache.Get(engine, log, sourceFiles
            .Select(item => item.GetMetadata("FullPath"))
            .Where(path => path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))),
        IsAspNetCore = isAspNetCore,
        ServerGarbageCollection = MsBuildValues.OptionalBool(serverGarbageCollection),
        ConcurrentGarbageCollection = MsBuildValues.OptionalBool(concurrentGarbageCollection),
        TargetFrameworkMajor = MsBuildValues.TargetFrameworkMajor(targetFrameworks),
    };
}
