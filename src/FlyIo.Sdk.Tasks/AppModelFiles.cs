using FlyIo.AppModel;
using FlyIo.AppModel.Docker;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// fly.toml and the Dockerfile, each read once per build and shared by every target (FlyValidate,
/// FlyCheckDependencies, FlyDockerfile, FlySetReleaseCommand, FlyPushImage, FlyDeploy).
/// </summary>
internal static class AppModelFiles
{
    public static FlyIo.AppModel.FlyConfig FlyConfig(IBuildEngine engine, TaskLoggingHelper log, string path) =>
        FileModelCache.Get(engine, "FlyConfig", path, full =>
        {
            var config = FlyIo.AppModel.FlyConfig.Load(full);
            // Tests count these lines: one before the release-command edit, one after it.
            log.LogMessage(MessageImportance.Low, $"FlyIo.Sdk: read {full} ({config.Bytes?.Length ?? 0} bytes) into the app model.");
            return config;
        });

    /// <summary>The Dockerfile at <paramref name="path"/>; null when there is none (yet).</summary>
    public static Dockerfile? Dockerfile(IBuildEngine engine, TaskLoggingHelper log, string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || !System.IO.File.Exists(path))
        {
            return null;
        }

        return FileModelCache.Get(engine, "Dockerfile", path!, full =>
        {
            log.LogMessage(MessageImportance.Low, $"FlyIo.Sdk: read {full} into the app model.");
            return FlyIo.AppModel.Docker.Dockerfile.Load(full);
        });
    }
}
