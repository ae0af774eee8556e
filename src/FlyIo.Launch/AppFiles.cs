using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace FlyIo.Launch;

/// <summary>File helpers for reading an app folder: relative names for reasons, and reads that never throw.</summary>
internal static class AppFiles
{
    /// <summary>Folders that hold installed packages or caches, never the app's own code: the dependency checks' own lists.</summary>
    private static readonly HashSet<string> NotAppFolders = new(
        FlyIo.Dependencies.Python.PythonDependencyChecker.NotAppFolders.Concat(FlyIo.Dependencies.Node.NodeDependencyChecker.NotAppFolders),
        StringComparer.OrdinalIgnoreCase);

    /// <summary><paramref name="path"/> relative to <paramref name="folder"/>, '/' separated (both .NET runtimes; no GetRelativePath on net472).</summary>
    public static string Relative(string folder, string path)
    {
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(path);
        var relative = full.StartsWith(root, StringComparison.Ordinal) ? full.Substring(root.Length) : "../" + Path.GetFileName(full);
        return relative.Replace('\\', '/');
    }

    /// <summary>
    /// A path a command names, inside <paramref name="folder"/>; null when it is absolute (an image path, not one on this
    /// machine) or not a valid path, so a scan never reads files outside the app.
    /// </summary>
    public static string? InFolder(string folder, string relative)
    {
        if (relative.Length == 0 || relative.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || Path.IsPathRooted(relative))
        {
            return null;
        }

        return Path.Combine(folder, relative);
    }

    /// <summary>The file's text, or null when it cannot be read: a scan reports what it can tell, it does not fail.</summary>
    public static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Files matching <paramref name="pattern"/> directly in <paramref name="folder"/>, sorted so scans are repeatable.</summary>
    public static IEnumerable<string> TopLevel(string folder, string pattern) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, pattern).OrderBy(f => f, StringComparer.Ordinal)
            : Enumerable.Empty<string>();

    /// <summary>Sub-folders of <paramref name="folder"/> that may hold app code (not virtual environments, caches or packages).</summary>
    public static IEnumerable<string> CodeFolders(string folder) =>
        Directory.GetDirectories(folder)
            .Where(d => !NotAppFolders.Contains(Path.GetFileName(d)) && !Path.GetFileName(d).StartsWith(".", StringComparison.Ordinal))
            .OrderBy(d => d, StringComparer.Ordinal);
}
