using System.IO;
using FlyIo.AppModel;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// fly.toml read once per build: the first target that needs it parses it, and every later one (FlyValidate,
/// FlyCheckDependencies, FlyDockerfile, FlySetReleaseCommand, FlyPushImage, FlyDeploy) gets the same model from
/// MSBuild's task-object registry. The key holds the file's length and write time, so the file read after
/// FlySetReleaseCommand edits it is the edited one.
/// </summary>
internal static class FlyConfigCache
{
    public static FlyConfig Get(IBuildEngine engine, TaskLoggingHelper log, string path)
    {
        var full = Path.GetFullPath(path);
        var file = new FileInfo(full);
        var key = file.Exists
            ? $"FlyIo.Sdk.FlyConfig|{full}|{file.Length}|{file.LastWriteTimeUtc.Ticks}"
            : $"FlyIo.Sdk.FlyConfig|{full}|absent";
        var registry = engine as IBuildEngine4;
        if (registry?.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is FlyConfig cached)
        {
            return cached;
        }

        var config = FlyConfig.Load(full);
        // Tests count these lines: one before the release-command edit, one after it.
        log.LogMessage(MessageImportance.Low, $"FlyIo.Sdk: read {full} ({config.Bytes?.Length ?? 0} bytes) into the app model.");
        registry?.RegisterTaskObject(key, config, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: true);
        return config;
    }
}
