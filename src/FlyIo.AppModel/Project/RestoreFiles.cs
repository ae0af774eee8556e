using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace FlyIo.AppModel.Project;

/// <summary>
/// Restore inputs that MSBuild does not import and so cannot report: NuGet.config (read by NuGet from the project
/// folder upwards) and global.json (read by the dotnet host from the working folder upwards).
/// </summary>
public static class RestoreFiles
{
    private static readonly string[] Names = { "nuget.config", "global.json" };

    /// <summary>
    /// Every file the restore in the image reads: MSBuild's own restore inputs, the NuGet.config and global.json
    /// files above the projects, and the packages of local feeds inside the build context; sorted, no repeats.
    /// </summary>
    public static string[] All(IEnumerable<string> msbuildInputs, string projectDirectory, IEnumerable<string> projects, string contextRoot)
    {
        var inputs = msbuildInputs.Concat(FindAbove(projectDirectory, projects)).ToList();
        return inputs.Concat(LocalFeeds.PackagesIn(inputs, contextRoot))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();
    }

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
