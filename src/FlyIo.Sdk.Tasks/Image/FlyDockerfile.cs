using System;
using System.IO;
using System.Linq;
using FlyIo.Dependencies.CSharp;
using FlyIo.Diagnostics;
using FlyIo.Images;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Writes a deterministic Dockerfile (LF, UTF-8, no BOM) and .dockerignore for a .NET app, from the same project
/// graph and base-image rules FlyCheckDependencies uses. A Dockerfile the user wrote is never overwritten silently:
/// it is used as it is unless FlyDockerfileOverwrite=true. With FlyDockerfileCheck=true nothing is written; the
/// committed file is compared with what would be generated and a difference fails with a diff (for CI).
/// </summary>
public sealed class FlyDockerfile : FlyAppTask
{
    public string? AssemblyName { get; set; }

    public bool Overwrite { get; set; }

    public bool Check { get; set; }

    public string? BaseImageRegistry { get; set; }

    public string? BaseImageFlavor { get; set; }

    public bool NuGetCacheMount { get; set; }

    public string? GcHeapHardLimit { get; set; }

    public int GcHeapHardLimitPercent { get; set; } = 75;

    public string? EntrypointScript { get; set; }

    protected override bool Run()
    {
        if (Standalone)
        {
            FlyLog.Progress("standalone apps bring their own Dockerfile; nothing to generate.");
            return true;
        }

        if (FlyIo.AppModel.FlyBuildSettings.Of(FlyConfig).Image is { } prebuilt)
        {
            FlyLog.Progress($"fly.toml [build] image = \"{prebuilt.Value}\" is deployed as it is; no Dockerfile to generate.");
            return true;
        }

        var target = Path.GetFullPath(DockerfilePath ?? Path.Combine(ProjectDirectory, "Dockerfile"));
        if (!Check && !Overwrite && AppModelFiles.Dockerfile(BuildEngine, Log, target) is { IsGenerated: false })
        {
            FlyLog.Progress(
                $"using your own {target}; it is never overwritten (FlyDockerfileOverwrite=true replaces it with a generated one).");
            return true;
        }

        var app = BuildAppFacts();
        var fly = FlyConfig;
        var generated = DockerfileGenerator.Generate(new DockerfileInputs(app)
        {
            TargetFrameworks = TargetFrameworks,
            AssemblyName = string.IsNullOrWhiteSpace(AssemblyName) ? null : AssemblyName,
            InternalPort = fly.InternalPort ?? 8080,
            HasMounts = fly.HasMounts,
            VmMemoryMb = fly.SmallestVmMemoryMb,
            BaseImageRegistry = Blank(BaseImageRegistry),
            BaseImageFlavor = Blank(BaseImageFlavor),
            LooksUpTimeZones = CSharpSourceScanner.LooksUpTimeZones(CSharpSourcesCache.Get(BuildEngine, Log, app.SourceFiles)),
            NuGetCacheMount = NuGetCacheMount,
            GcHeapHardLimit = Blank(GcHeapHardLimit),
            GcHeapHardLimitPercent = GcHeapHardLimitPercent,
            EntrypointScript = Blank(EntrypointScript),
            DockerfilePath = target,
        });
        foreach (var diagnostic in generated.Diagnostics)
        {
            FlyLog.Report(diagnostic);
        }

        // Generation is in-memory and the write is one rename: a cancel is honoured before the write.
        if (generated.HasErrors || Cancelled)
        {
            return false;
        }

        if (Check)
        {
            var comparison = DockerfileCheck.Compare(target, generated);
            foreach (var diagnostic in comparison.Diagnostics)
            {
                FlyLog.Report(diagnostic);
            }

            if (!comparison.UpToDate && comparison.Diff.Length > 0)
            {
                Log.LogMessage(MessageImportance.High, comparison.Diff);
            }

            return !Log.HasLoggedErrors;
        }

        var ignore = Path.Combine(app.BuildContextRoot, ".dockerignore");
        var written = DockerfileWriter.Write(generated, target, ignore, Overwrite);
        foreach (var diagnostic in written.Diagnostics)
        {
            FlyLog.Report(diagnostic);
        }

        FlyLog.Progress(written.DockerfileWritten
            ? $"wrote {target} (runtime image {generated.RuntimeImage}, build context {app.BuildContextRoot})."
            : $"{target} is up to date.");
        return !Log.HasLoggedErrors;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
