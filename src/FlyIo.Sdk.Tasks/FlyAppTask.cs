using FlyIo.AppModel.Project;
using System;
using FlyIo.AppModel;
using System.IO;
using System.Linq;
using FlyIo.Dependencies.DotNet;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// What the tasks that look at the whole app share: the project, its fly.toml, and the facts MSBuild evaluated
/// about it and its ProjectReference graph (_FlyCollectProjectFacts), turned into one <see cref="DotNetAppFacts"/>.
/// </summary>
public abstract class FlyAppTask : FlyTask
{
    [Required]
    public string ProjectPath { get; set; } = "";

    [Required]
    public string ConfigFile { get; set; } = "";

    public bool Standalone { get; set; }

    /// <summary>_FlyCollectProjectFacts output: items with Kind = Project | Compile | Package | Framework | RestoreInput.</summary>
    public ITaskItem[] ProjectFacts { get; set; } = Array.Empty<ITaskItem>();

    public string? DockerfilePath { get; set; }

    public string? BaseImage { get; set; }

    public string? BuildContext { get; set; }

    public string? AppName { get; set; }

    public string? OutputType { get; set; }

    public string? TargetFrameworks { get; set; }

    public bool InvariantGlobalization { get; set; }

    public bool SelfContained { get; set; }

    public bool PublishAot { get; set; }

    public string? RuntimeIdentifier { get; set; }

    /// <summary>Set when the SDK compiles the DATABASE_URL helper into the app.</summary>
    public string? DatabaseUrlConnectionName { get; set; }

    /// <summary>fly.toml, as read once for this build.</summary>
    protected FlyConfig FlyConfig => _flyConfig ??= AppModelFiles.FlyConfig(BuildEngine, Log, ConfigFile);

    private FlyConfig? _flyConfig;

    protected string ProjectDirectory => Path.GetDirectoryName(Path.GetFullPath(ProjectPath)) ?? ".";

    /// <summary>The app's own (or an earlier generated) Dockerfile, as read once for the build; null when there is none yet.</summary>
    protected FlyIo.AppModel.Docker.Dockerfile? DockerfileModel => AppModelFiles.Dockerfile(BuildEngine, Log, DockerfilePath);

    protected string? ExistingDockerfile => !string.IsNullOrWhiteSpace(DockerfilePath) && File.Exists(DockerfilePath) ? DockerfilePath : null;

    protected DotNetAppFacts BuildAppFacts()
    {
        var facts = ProjectGraphFacts.From(ProjectFacts, ProjectPath);
        var projectDirectory = ProjectDirectory;
        // The folder walks (the repository root, NuGet.config and global.json above, local feeds' packages) are done
        // once per build for FlyCheckDependencies, FlyDockerfile and the image targets together.
        var kind = "Layout|" + BuildContext + "|" + string.Join(";", facts.Projects) + "|" + string.Join(";", facts.RestoreInputs);
        var layout = FileModelCache.Get(BuildEngine, kind, ProjectPath, project =>
        {
            Log.LogMessage(MessageImportance.Low, $"FlyIo.Sdk: found the build context and restore inputs of {project}.");
            var root = BuildContextRoot.Resolve(BuildContext, projectDirectory, facts.Projects);
            return Tuple.Create(root, RestoreFiles.All(facts.RestoreInputs, projectDirectory, facts.Projects, root));
        });
        var contextRoot = layout.Item1;
        return new DotNetAppFacts
        {
            ProjectPath = Path.GetFullPath(ProjectPath),
            ProjectClosure = facts.Projects,
            RestoreInputs = layout.Item2,
            SourceFiles = facts.SourceFiles,
            BuildContextRoot = contextRoot,
            DockerfilePath = ExistingDockerfile,
            BaseImage = string.IsNullOrWhiteSpace(BaseImage) ? null : BaseImage,
            IsAspNetCore = facts.FrameworkReferences.Contains("Microsoft.AspNetCore.App", StringComparer.OrdinalIgnoreCase),
            OutputType = string.IsNullOrWhiteSpace(OutputType) ? "Exe" : OutputType!,
            TargetFrameworkMajor = MsBuildValues.TargetFrameworkMajor(TargetFrameworks),
            InvariantGlobalization = InvariantGlobalization,
            SelfContained = SelfContained,
            PublishAot = PublishAot,
            RuntimeIdentifier = string.IsNullOrWhiteSpace(RuntimeIdentifier) ? null : RuntimeIdentifier,
            PackageReferences = facts.Packages,
            DatabaseUrlConnectionName = string.IsNullOrWhiteSpace(DatabaseUrlConnectionName) ? null : DatabaseUrlConnectionName,
        };
    }
}
