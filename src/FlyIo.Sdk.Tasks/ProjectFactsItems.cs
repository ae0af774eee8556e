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
        bool isAspNetCore, string? serverGarbageCollection, string? concurrentGarbageCollection, string? targetFrameworks) => new()
    {
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
