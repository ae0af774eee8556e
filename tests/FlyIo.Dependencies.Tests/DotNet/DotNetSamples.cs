using FlyIo.AppModel.CSharp;
using FlyIo.AppModel.Project;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Dependencies.DotNet;
using FlyIo.Diagnostics;
using FlyIo.Testing;

namespace FlyIo.Dependencies.Tests.DotNet;

/// <summary>
/// The sample apps under tests/samples/deps/dotnet, with the facts MSBuild evaluation would give for each (written by
/// hand here; the SDK's integration tests evaluate them for real).
/// </summary>
public static class DotNetSamples
{
    public static string Root => Path.Combine(RepoPaths.RepoRoot, "tests", "samples", "deps", "dotnet");

    public static string Folder(string name) => Path.Combine(Root, name);

    /// <summary>Facts of a one-project sample: its csproj, its .cs files, its folder as build context and its Dockerfile.</summary>
    public static DotNetAppFacts Single(
        string name,
        bool aspNet = true,
        bool invariant = false,
        bool selfContained = false,
        string? rid = null,
        string? dockerfile = "Dockerfile",
        string? baseImage = null,
        int tfm = 10,
        string? databaseUrlConnectionName = null,
        params PackageRef[] packages)
    {
        var folder = Folder(name);
        var project = Directory.GetFiles(folder, "*.csproj").Single();
        return new DotNetAppFacts
        {
            ProjectPath = project,
            ProjectClosure = new[] { project },
            RestoreInputs = Array.Empty<string>(),
            SourceFiles = SourcesUnder(folder),
            BuildContextRoot = folder,
            DockerfilePath = dockerfile is null ? null : Path.Combine(folder, dockerfile),
            BaseImage = baseImage,
            IsAspNetCore = aspNet,
            OutputType = "Exe",
            TargetFrameworkMajor = tfm,
            InvariantGlobalization = invariant,
            SelfContained = selfContained,
            RuntimeIdentifier = rid,
            PackageReferences = packages,
            DatabaseUrlConnectionName = databaseUrlConnectionName,
        };
    }

    /// <summary>The multi-project solution: src/Api -> src/Shared, central packages, NuGet.config, global.json.</summary>
    public static DotNetAppFacts MultiProject(string dockerfile = "Dockerfile", string? contextRelative = null)
    {
        var root = Folder("multi-project");
        var context = contextRelative is null ? root : Path.Combine(root, contextRelative);
        return new DotNetAppFacts
        {
            ProjectPath = Path.Combine(root, "src", "Api", "Api.csproj"),
            ProjectClosure = new[] { Path.Combine(root, "src", "Api", "Api.csproj"), Path.Combine(root, "src", "Shared", "Shared.csproj") },
            RestoreInputs = new[] { "Directory.Build.props", "Directory.Packages.props", "NuGet.config", "global.json" }.Select(f => Path.Combine(root, f)).ToList(),
            SourceFiles = SourcesUnder(Path.Combine(root, "src")),
            BuildContextRoot = context,
            DockerfilePath = Path.Combine(context, dockerfile),
            IsAspNetCore = true,
            OutputType = "Exe",
            TargetFrameworkMajor = 10,
            PackageReferences = new[] { new PackageRef("Npgsql", "10.0.0") },
        };
    }

    /// <summary>The dependency check, with the app's sources read and lexed as the build task shares them.</summary>
    public static IReadOnlyList<FlyDiagnostic> Check(DotNetAppFacts app, FlyEnvironment env) =>
        DotNetDependencyChecker.Check(app, env, CSharpSources.Read(app.SourceFiles));

    public static IReadOnlyList<string> SourcesUnder(string folder) =>
        Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => f.IndexOf(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal) < 0 &&
                        f.IndexOf(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) < 0)
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    public static FlyEnvironment Env(string name, IReadOnlyCollection<string>? secrets = null, params (string Key, string Value)[] env) => new()
    {
        FlyTomlPath = Path.Combine(Folder(name), "fly.toml"),
        AppName = name,
        Env = env.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
        SecretNames = secrets,
    };

    /// <summary>[env] keys of a sample's fly.toml, read with the repository's TOML reader.</summary>
    public static FlyEnvironment EnvFromFlyToml(string folder, IReadOnlyCollection<string>? secrets)
    {
        var path = Path.Combine(folder, "fly.toml");
        var doc = FlyIo.Toml.TomlParser.ParseFile(path);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (doc.Root.TryGetValue("env", out var value) && value is FlyIo.Toml.TomlTable table)
        {
            foreach (var entry in table.Entries)
            {
                env[entry.Key] = entry.Value.ToString() ?? string.Empty;
            }
        }

        return new FlyEnvironment { FlyTomlPath = path, Env = env, SecretNames = secrets, AppName = Path.GetFileName(folder) };
    }

    public static string Describe(IEnumerable<FlyDiagnostic> diagnostics)
    {
        var list = diagnostics.ToList();
        return list.Count == 0 ? "(no diagnostics)" : string.Join(Environment.NewLine, list.Select(d => d.ToString()));
    }
}
