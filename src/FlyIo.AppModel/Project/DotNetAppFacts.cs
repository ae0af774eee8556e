using System;
using System.Collections.Generic;

namespace FlyIo.AppModel.Project;

/// <summary>
/// What MSBuild evaluation knows about the app being deployed. Every path is absolute. The MSBuild task fills this
/// from evaluated properties and items; nothing here is read from project text.
/// </summary>
public sealed class DotNetAppFacts
{
    /// <summary>The app's project file.</summary>
    public string ProjectPath { get; init; } = string.Empty;

    /// <summary>The app's project file and every ProjectReference, transitively.</summary>
    public IReadOnlyList<string> ProjectClosure { get; init; } = Array.Empty<string>();

    /// <summary>Directory.Build.props/.targets, Directory.Packages.props, NuGet.config and global.json files that affect restore.</summary>
    public IReadOnlyList<string> RestoreInputs { get; init; } = Array.Empty<string>();

    /// <summary>Compile items (.cs) of the whole closure; their read and lexed content is a <see cref="CSharp.CSharpSources"/>.</summary>
    public IReadOnlyList<string> SourceFiles { get; init; } = Array.Empty<string>();

    /// <summary>The Docker build context folder.</summary>
    public string BuildContextRoot { get; init; } = string.Empty;

    /// <summary>A hand-written Dockerfile, or null when the SDK generates the image.</summary>
    public string? DockerfilePath { get; init; }

    /// <summary>The FlyBaseImage property (used when there is no hand-written Dockerfile).</summary>
    public string? BaseImage { get; init; }

    /// <summary>The project has a FrameworkReference to Microsoft.AspNetCore.App.</summary>
    public bool IsAspNetCore { get; init; }

    public string OutputType { get; init; } = "Exe";

    public int? TargetFrameworkMajor { get; init; }

    public bool InvariantGlobalization { get; init; }

    public bool SelfContained { get; init; }

    public bool PublishAot { get; init; }

    public string? RuntimeIdentifier { get; init; }

    /// <summary>PackageReferences of the closure, versions as evaluated (central versions applied).</summary>
    public IReadOnlyList<PackageRef> PackageReferences { get; init; } = Array.Empty<PackageRef>();

    /// <summary>
    /// When the SDK compiles its DATABASE_URL helper (FlyDatabaseUrl.cs) into the app, the connection name it fills:
    /// a set DATABASE_URL then provides <c>ConnectionStrings__&lt;name&gt;</c>. Null when the helper is not compiled in.
    /// </summary>
    public string? DatabaseUrlConnectionName { get; init; }

    /// <summary>
    /// JSON configuration files the app reads in production (appsettings.json, appsettings.Production.json). Null means
    /// "those two beside the project file, when they exist".
    /// </summary>
    public IReadOnlyList<string>? ConfigurationFiles { get; init; }

    /// <summary>The project folder.</summary>
    public string ProjectDirectory => System.IO.Path.GetDirectoryName(ProjectPath) ?? string.Empty;

    /// <summary>Self-contained or native AOT: the image needs no .NET runtime.</summary>
    public bool NeedsNoRuntime => SelfContained || PublishAot;

    public bool HasPackage(string id)
    {
        foreach (var p in PackageReferences)
        {
            if (string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A PackageReference: its id and evaluated version (null when none was resolved).</summary>
public sealed record PackageRef(string Id, string? Version);
