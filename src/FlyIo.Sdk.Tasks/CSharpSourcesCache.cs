using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.AppModel.CSharp;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// The app's C# sources read and lexed once per build: FlyValidate (routes), FlyCheckDependencies (configuration
/// reads, native needs), FlyDockerfile (time-zone lookups) and FlySetReleaseCommand (EF Core) share the files through
/// MSBuild's task-object registry. Each file is keyed by its path, length and write time, so tasks handed different
/// lists (the app's Compile items, or the whole project graph's) still lex a file only once, and an edited file is
/// read again.
/// </summary>
internal static class CSharpSourcesCache
{
    public static CSharpSources Get(IBuildEngine engine, TaskLoggingHelper log, IEnumerable<string> paths)
    {
        var registry = engine as IBuildEngine4;
        var ordered = paths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Where(File.Exists).ToList();
        var keys = ordered.ToDictionary(p => p, p => FileModelCache.KeyOf("CSharpSource", p), StringComparer.Ordinal);
        var files = keys.ToDictionary(k => k.Key, k => registry?.GetRegisteredTaskObject(k.Value, RegisteredTaskObjectLifetime.Build) as CSharpSourceFile);
        var unread = files.Where(f => f.Value is null).Select(f => f.Key).ToList();
        if (unread.Count > 0)
        {
            var scanned = CSharpSources.Read(unread).Files;
            foreach (var file in scanned)
            {
                files[file.Path] = file;
                registry?.RegisterTaskObject(keys[file.Path], file, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: true);
            }

            // Tests count these lines: however many targets look at the sources, each file is lexed in one of them.
            log.LogMessage(MessageImportance.Low, $"FlyIo.Sdk: scanned {scanned.Count} C# source files into the app model.");
        }

        return new CSharpSources(ordered.Select(p => files[p]).OfType<CSharpSourceFile>());
    }
}
