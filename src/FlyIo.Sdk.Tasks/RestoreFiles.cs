using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Restore inputs that MSBuild does not import and so cannot report: NuGet.config (read by NuGet from the project
/// folder upwards) and global.json (read by the dotnet host from the working folder upwards).
/// </summary>
internal static class RestoreFiles
{
    private static readonly string[] Names = { "nuget.config", "global.json" };

    public static IEnumerable<string> FindAbove(string projectDirectory, IEnumerable<string> projects)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var start in projects.Select(Path.GetDirectoryName).Append(projectDirectory))
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!dir.Exists)
                {
                    continue;
                }

                // NuGet matches nuget.config case-insensitively; list what is really on disk.
                foreach (var file in dir.EnumerateFiles())
                {
                    if (Names.Contains(file.Name, StringComparer.OrdinalIgnoreCase))
                    {
                        found.Add(file.FullName);
                    }
                }
            }
        }

        return found;
    }
}
