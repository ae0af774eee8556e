using System;
using System.IO;
using NUnit.Framework;

namespace FlyIo.Testing;

/// <summary>
/// Finds the repository root and the shared test data that sits beside it (../shared). Shared data is read in place,
/// never copied; a test that needs it is skipped with a reason when it is absent.
/// </summary>
public static class RepoPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepoRoot => Root.Value;

    /// <summary>The ../shared folder beside the repository, or null when this checkout has none.</summary>
    public static string? SharedRoot
    {
        get
        {
            var candidate = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
            return Directory.Exists(Path.Combine(candidate, "data")) ? candidate : null;
        }
    }

    /// <summary>A path below ../shared, or an NUnit "ignored" result when ../shared is absent.</summary>
    public static string RequireShared(params string[] relative)
    {
        var shared = SharedRoot;
        if (shared is null)
        {
            Assert.Ignore("../shared is not present beside the repository; shared test data is read in place only.");
        }

        var parts = new string[relative.Length + 1];
        parts[0] = shared!;
        Array.Copy(relative, 0, parts, 1, relative.Length);
        return Path.Combine(parts);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlyIo.Sdk.sln")))
            {
                return dir.FullName;
            }

            dir = dir.Parent;
        }

        throw new InvalidOperationException("FlyIo.Sdk.sln was not found above " + AppContext.BaseDirectory);
    }
}
