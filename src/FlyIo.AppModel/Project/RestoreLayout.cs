using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace FlyIo.AppModel.Project;

/// <summary>The files <c>dotnet restore</c> needs inside the image, and the COPY lines that bring them in.</summary>
public static class RestoreLayout
{
    /// <summary>
    /// Every project of the closure and every restore input, relative to the build context with '/' separators, sorted
    /// ordinally. A file outside the context starts with <c>../</c>.
    /// </summary>
    public static IReadOnlyList<string> FilesNeededForRestore(DotNetAppFacts app)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in app.ProjectClosure.Concat(app.RestoreInputs))
        {
            if (!string.IsNullOrEmpty(file))
            {
                set.Add(RelativeToContext(app.BuildContextRoot, file));
            }
        }

        return set.ToList();
    }

    /// <summary><paramref name="path"/> relative to <paramref name="contextRoot"/>, '/' separated.</summary>
    public static string RelativeToContext(string contextRoot, string path)
    {
        var root = Path.GetFullPath(contextRoot).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var full = Path.GetFullPath(path);
        var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (full.StartsWith(root + Path.DirectorySeparatorChar, comparison))
        {
            return full.Substring(root.Length + 1).Replace('\\', '/');
        }

        // Outside: walk up from the root until it is an ancestor.
        var ups = 0;
        var ancestor = root;
        while (true)
        {
            var parent = Path.GetDirectoryName(ancestor);
            ups++;
            if (parent is null)
            {
                return full.Replace('\\', '/');
            }

            ancestor = parent.TrimEnd(Path.DirectorySeparatorChar);
            if (full.StartsWith(ancestor + Path.DirectorySeparatorChar, comparison) || ancestor.Length == 0)
            {
                var rest = ancestor.Length == 0 ? full.TrimStart(Path.DirectorySeparatorChar) : full.Substring(ancestor.Length + 1);
                return string.Concat(Enumerable.Repeat("../", ups)) + rest.Replace('\\', '/');
            }
        }
    }

    public static bool IsOutsideContext(string relativePath) =>
        relativePath.StartsWith("../", StringComparison.Ordinal) || relativePath.StartsWith("/", StringComparison.Ordinal) || relativePath == "..";

    /// <summary>
    /// The COPY line that puts <paramref name="relativePath"/> at the same relative place under <paramref name="layoutRoot"/>
    /// (an absolute folder in the image), written relative to <paramref name="workdir"/> when possible.
    /// </summary>
    public static string CopyLine(string relativePath, string layoutRoot = "/src", string? workdir = null)
    {
        var slash = relativePath.LastIndexOf('/');
        var dir = slash < 0 ? string.Empty : relativePath.Substring(0, slash);
        var target = AppModel.Docker.DockerPaths.Resolve(layoutRoot, dir.Length == 0 ? "." : dir).TrimEnd('/');
        if (target.Length == 0)
        {
            target = "/";
        }

        var wd = (workdir ?? layoutRoot).TrimEnd('/');
        string dest;
        if (target == wd || (wd.Length == 0 && target == "/"))
        {
            dest = "./";
        }
        else if (wd.Length == 0 || target.StartsWith(wd + "/", StringComparison.Ordinal))
        {
            dest = target.Substring(wd.Length + 1) + "/";
        }
        else
        {
            dest = target + "/";
        }

        return "COPY " + relativePath + " " + dest;
    }

    /// <summary>The COPY lines for every file <c>dotnet restore</c> needs, for a layout rooted at the WORKDIR.</summary>
    public static IReadOnlyList<string> CopyLinesForRestore(DotNetAppFacts app, string workdir = "/src") =>
        FilesNeededForRestore(app).Where(f => !IsOutsideContext(f)).Select(f => CopyLine(f, workdir, workdir)).ToList();
}
