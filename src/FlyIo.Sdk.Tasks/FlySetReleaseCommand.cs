using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.AppModel.CSharp;
using FlyIo.Diagnostics;
using FlyIo.Release;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Sets fly.toml's [deploy] release_command (and release_command_timeout) so migrations run before traffic moves:
/// from FlyReleaseCommand, else the existing value, else detection (EF Core migrations, Alembic, Django, Prisma).
/// The command is checked against the image's ENTRYPOINT, because Fly's release command replaces CMD only. fly.toml
/// is edited in place, keeping every other byte, atomically, and not rewritten when nothing changes.
/// </summary>
public sealed class FlySetReleaseCommand : FlyTask
{
    [Required]
    public string ConfigFile { get; set; } = "";

    [Required]
    public string ProjectPath { get; set; } = "";

    public bool Standalone { get; set; }

    public string? ReleaseCommand { get; set; }

    public string? ReleaseCommandTimeout { get; set; }

    public string? MigrationsDetection { get; set; }

    public string? MigrationsMode { get; set; }

    public string? DockerfilePath { get; set; }

    /// <summary>The app's assembly name: without a Dockerfile, the image's ENTRYPOINT is ["dotnet", "&lt;name&gt;.dll"].</summary>
    public string? AssemblyName { get; set; }

    public ITaskItem[] SourceFiles { get; set; } = Array.Empty<ITaskItem>();

    public ITaskItem[] PackageReferences { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>False turns the fly.toml write off: the plan is only reported (FlyPlan, CI dry runs).</summary>
    public bool WriteConfig { get; set; } = true;

    /// <summary>The release command in effect after this task, for the deploy that follows.</summary>
    [Output]
    public string? EffectiveReleaseCommand { get; private set; }

    protected override bool Run()
    {
        var dockerfile = AppModelFiles.Dockerfile(BuildEngine, Log, DockerfilePath);
        var config = AppModelFiles.FlyConfig(BuildEngine, Log, ConfigFile);
        var plan = ReleaseCommandPlanner.Plan(new ReleaseInputs
        {
            ProjectDirectory = Path.GetDirectoryName(Path.GetFullPath(ProjectPath)) ?? ".",
            ProjectFile = ProjectPath,
            Standalone = Standalone,
            Config = config,
            ReleaseCommand = NullIfBlank(ReleaseCommand),
            ReleaseCommandTimeout = NullIfBlank(ReleaseCommandTimeout),
            MigrationsDetection = NullIfBlank(MigrationsDetection),
            MigrationsMode = NullIfBlank(MigrationsMode),
            Dockerfile = dockerfile,
            Entrypoint = dockerfile is null && !Standalone && !string.IsNullOrWhiteSpace(AssemblyName)
                ? new[] { "dotnet", AssemblyName + ".dll" }
                : null,
            Sources = Standalone ? CSharpSources.Empty : CSharpSourcesCache.Get(BuildEngine, Log,
                SourceFiles.Select(i => i.GetMetadata("FullPath")).Where(p => p.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))),
            PackageReferences = PackageReferences.Select(i => i.ItemSpec).ToArray(),
        });

        foreach (var diagnostic in plan.Diagnostics)
        {
            FlyLog.Report(diagnostic);
        }

        // Planning is quick and the write is one atomic rename: a cancel is honoured between the two.
        if (plan.HasErrors || Cancelled)
        {
            return false;
        }

        EffectiveReleaseCommand = plan.Command;
        if (WriteConfig && plan.Command is not null)
        {
            var written = FlyTomlReleaseWriter.Apply(config, plan);
            foreach (var diagnostic in written.Diagnostics)
            {
                FlyLog.Report(diagnostic);
            }

            FlyLog.Progress(written.Changed
                ? $"{ConfigFile}: release_command = \"{plan.Command}\"."
                : $"{ConfigFile} already has release_command = \"{plan.Command}\"; unchanged.");
        }
        else if (plan.Command is null)
        {
            FlyLog.Progress($"no release command set or detected; {ConfigFile} unchanged.");
        }

        return !Log.HasLoggedErrors;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
