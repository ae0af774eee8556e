using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Testing;

namespace FlyIo.Toml.Tests;

/// <summary>Case lists for the shared data, usable as TestCaseSource even when ../shared is absent.</summary>
public static class SharedCorpus
{
    /// <summary>Stands in for the case list when ../shared is absent, so the test reports Ignored instead of vanishing.</summary>
    public const string Absent = "(shared data absent)";

    public static string? SuiteRoot =>
        RepoPaths.SharedRoot is { } shared ? Path.Combine(shared, "data", "toml-test") : null;

    public static IEnumerable<string> ValidCases() => SuiteCases("valid/");

    public static IEnumerable<string> InvalidCases() => SuiteCases("invalid/");

    public static IEnumerable<string> FlyTomlFiles()
    {
        if (RepoPaths.SharedRoot is not { } shared)
        {
            return new[] { Absent };
        }

        var root = Path.Combine(shared, "data", "fly-toml");
        return Directory.GetFiles(root, "*.toml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .OrderBy(f => f, System.StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Full path of a case, or Ignored when ../shared is absent.</summary>
    public static string SuitePath(string relative) => RepoPaths.RequireShared("data", "toml-test", relative);

    public static string FlyTomlPath(string relative) => RepoPaths.RequireShared("data", "fly-toml", relative);

    private static IEnumerable<string> SuiteCases(string prefix)
    {
        if (SuiteRoot is not { } root)
        {
            return new[] { Absent };
        }

        return File.ReadAllLines(Path.Combine(root, "files-toml-1.0.0"))
            .Where(l => l.StartsWith(prefix, System.StringComparison.Ordinal) && l.EndsWith(".toml", System.StringComparison.Ordinal))
            .ToArray();
    }
}
