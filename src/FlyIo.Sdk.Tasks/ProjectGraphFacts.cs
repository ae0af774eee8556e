using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.AppModel.Project;
using FlyIo.Dependencies.DotNet;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>The project graph as MSBuild evaluated it, sorted out of the _FlyCollectProjectFacts items.</summary>
internal sealed class ProjectGraphFacts
{
    private ProjectGraphFacts(
        IReadOnlyList<string> projects,
        IReadOnlyList<string> sourceFiles,
        IReadOnlyList<string> restoreInputs,
        IReadOnlyList<PackageRef> packages,
        IReadOnlyList<string> frameworkReferences)
    {
        Projects = projects;
        SourceFiles = sourceFiles;
        RestoreInputs = restoreInputs;
        Packages = packages;
        FrameworkReferences = frameworkReferences;
    }

    /// <summary>The app's project first, then every project it references, transitively.</summary>
    public IReadOnlyList<string> Projects { get; }

    public IReadOnlyList<string> SourceFiles { get; }

    public IReadOnlyList<string> RestoreInputs { get; }

    public IReadOnlyList<PackageRef> Packages { get; }

    public IReadOnlyList<string> FrameworkReferences { get; }

    public static ProjectGraphFacts From(IEnumerable<ITaskItem> items, string appProject)
    {
        var byKind = items.ToLookup(i => i.GetMetadata("Kind"), StringComparer.Ordinal);
        var app = Path.GetFullPath(appProject);
        var projects = new[] { app }
            .Concat(byKind["Project"].Select(i => Path.GetFullPath(i.ItemSpec)).OrderBy(p => p, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var appOnly = byKind["Framework"].Where(i => SameFile(i.GetMetadata("Project"), app));
        return new ProjectGraphFacts(
            projects,
            DistinctPaths(byKind["Compile"]),
            DistinctPaths(byKind["RestoreInput"]),
            byKind["Package"]
                .Select(i => new PackageRef(i.ItemSpec, NullIfEmpty(i.GetMetadata("Version"))))
                .GroupBy(p => p.Id, StringComparer.OrdinalIgnoreCase)
                .Select(g => g.First())
                .OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase)
                .ToArray(),
            // The framework the image must carry is the app's own: a library's reference still lands in the app.
            byKind["Framework"].Concat(appOnly).Select(i => i.ItemSpec).Distinct(StringComparer.OrdinalIgnoreCase).ToArray());
    }

    private static string[] DistinctPaths(IEnumerable<ITaskItem> items) =>
        items.Select(i => Path.GetFullPath(i.ItemSpec)).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToArray();

    private static bool SameFile(string a, string b) =>
        a.Length > 0 && string.Equals(Path.GetFullPath(a), b, StringComparison.Ordinal);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
