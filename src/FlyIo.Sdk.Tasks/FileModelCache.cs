using System;
using System.IO;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// A model read from one file, once per build: the first task that needs it reads it, and every later one gets the
/// same object from MSBuild's task-object registry. The key holds the file's length and write time, so a file a
/// target rewrites (fly.toml after FlySetReleaseCommand, a Dockerfile FlyDockerfile generates) is read again.
/// </summary>
internal static class FileModelCache
{
    /// <param name="kind">Keeps models of different kinds of the same path apart.</param>
    /// <param name="read">Reads the model; called at most once per version of the file.</param>
    public static T Get<T>(IBuildEngine engine, string kind, string path, Func<string, T> read) where T : class
    {
        var full = Path.GetFullPath(path);
        var key = KeyOf(kind, full);
        var registry = engine as IBuildEngine4;
        if (registry?.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is T cached)
        {
            return cached;
        }

        var model = read(full);
        registry?.RegisterTaskObject(key, model, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: true);
        return model;
    }

    /// <summary>The registry key of one version of a file: its path, length and write time.</summary>
    public static string KeyOf(string kind, string fullPath)
    {
        var file = new FileInfo(fullPath);
        return file.Exists ? $"FlyIo.Sdk.{kind}|{fullPath}|{file.Length}|{file.LastWriteTimeUtc.Ticks}" : $"FlyIo.Sdk.{kind}|{fullPath}|absent";
    }
}
