using System;
using System.IO;
using FlyIo.AppModel;
using FlyIo.Diagnostics;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Decides, once per build, the two [build] facts every other target shares: which Dockerfile (FlyDockerfile when
/// the project sets it, else fly.toml's [build] dockerfile relative to fly.toml's folder, else the project's
/// Dockerfile) and which prebuilt image (FlyImage when given, else fly.toml's [build] image). A property that
/// overrides a different fly.toml value is FLY3041, so neither is dropped without a word.
/// </summary>
public sealed class FlyResolveBuildSettings : FlyTask
{
    [Required]
    public string ProjectPath { get; set; } = "";

    [Required]
    public string ConfigFile { get; set; } = "";

    /// <summary>The Dockerfile as FlyDockerfile names it (or the default), as a full path.</summary>
    [Required]
    public string DockerfilePath { get; set; } = "";

    /// <summary>Whether the project (or -p:) set FlyDockerfile itself, rather than leaving the default.</summary>
    public bool DockerfileSetByProject { get; set; }

    /// <summary>FlyImage as given before anything was built.</summary>
    public string? Image { get; set; }

    [Output]
    public string ResolvedDockerfilePath { get; private set; } = "";

    [Output]
    public string? ResolvedImage { get; private set; }

    /// <summary>True when the image to deploy is fly.toml's [build] image: nothing to build or push.</summary>
    [Output]
    public bool ImageFromConfig { get; private set; }

    protected override bool Run()
    {
        var config = AppModelFiles.FlyConfig(BuildEngine, Log, ConfigFile);
        var build = FlyBuildSettings.Of(config);
        ResolvedDockerfilePath = Path.GetFullPath(DockerfilePath);
        if (build.Dockerfile is { } dockerfile)
        {
            var at = dockerfile.Position;
            if (DockerfileSetByProject)
            {
                if (!string.Equals(build.DockerfilePath, ResolvedDockerfilePath, StringComparison.Ordinal))
                {
                    FlyLog.Report(FlyCodes.BuildSettingOverridden.Create(
                        $"FlyDockerfile ({ResolvedDockerfilePath}) overrides [build] dockerfile = \"{dockerfile.Value}\"; flyctl would build {build.DockerfilePath}. Remove one of them.",
                        config.Path, at.Line, at.Column));
                }
            }
            else if (build.DockerfileIsUrl)
            {
                FlyLog.Report(FlyCodes.BuildSettingNotHonoured.Create(
                    $"[build] dockerfile = \"{dockerfile.Value}\" is a URL; FlyIo.Sdk builds from a Dockerfile on disk. Save it in the repository and name its path (relative to fly.toml's folder).",
                    config.Path, at.Line, at.Column));
                return false;
            }
            else
            {
                ResolvedDockerfilePath = build.DockerfilePath!;
                Log.LogMessage(MessageImportance.Low, $"FlyIo.Sdk: the Dockerfile is {ResolvedDockerfilePath} (fly.toml [build] dockerfile).");
            }
        }

        ResolvedImage = string.IsNullOrWhiteSpace(Image) ? null : Image!.Trim();
        if (build.Image is { } image)
        {
            if (ResolvedImage is null)
            {
                ResolvedImage = image.Value;
                ImageFromConfig = true;
            }
            else if (!string.Equals(ResolvedImage, image.Value, StringComparison.Ordinal))
            {
                FlyLog.Report(FlyCodes.BuildSettingOverridden.Create(
                    $"FlyImage ({ResolvedImage}) overrides [build] image = \"{image.Value}\", as flyctl's --image flag does. Remove one of them.",
                    config.Path, image.Position.Line, image.Position.Column));
            }
        }

        return !Log.HasLoggedErrors;
    }
}
