using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace FlyIo.AppModel.Project;

/// <summary>
/// The Docker build context: the FlyBuildContext property when set; otherwise the repository root (the nearest
/// folder above the project that holds .git), so ProjectReferences such as ../Shared are inside it; otherwise the
/// deepest folder that holds every project of the graph.
/// </summary>
public static class BuildContextRoot
{
    public static string Resolve(string? property, string projectDirectory, IReadOnlyList<string> projects)
    {
        if (!string.IsNullOrWhiteSpace(property))
        {
            return Path.GetFullPath(Path.Combine(projectDirectory, property!));
        }

        for (var dir = new DirectoryInfo(projectDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return dir.FullName;
            }
        }

        return CommonAncestor(projects.Select(p => Path.GetDirectoryName(Path.GetFullPath(p)) ?? projectDirectory).Append(projectDirectory));
    }

    /// <summary>The deepest folder that holds every one of <paramref name="directories"/>.</summary>
    public static string CommonAncestor(IEnumerable<string> directories)
    {
        var split = directories.Select(d => d.TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar)).ToList();
        var length = split.Min(s => s.Length);
        var count = 0;
        while (count < length && split.All(s => string.Equals(s[count], split[0][count], StringComparison.Ordinal)))
        {
            count++;
        }

        var root = string.Join(Path.DirectorySeparatorChar.ToString(), split[0].Take(count));
        return root.Length == 0 ? Path.DirectorySeparatorChar.ToString() : root;
    }
}
