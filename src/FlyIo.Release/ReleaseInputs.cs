using System.Collections.Generic;
using FlyIo.AppModel;
using FlyIo.AppModel.CSharp;

namespace FlyIo.Release;

/// <summary>What the MSBuild task knows about the project; every property is optional except <see cref="ProjectDirectory"/>.</summary>
public sealed class ReleaseInputs
{
    /// <summary>The folder of the project (the app's sources, alembic.ini, manage.py, package.json, …).</summary>
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The project file, where diagnostics about MSBuild properties point.</summary>
    public string? ProjectFile { get; set; }

    /// <summary>Standalone mode (Python, Node): look for Alembic, Django and Prisma instead of EF Core.</summary>
    public bool Standalone { get; set; }

    /// <summary>fly.toml as read once for the build: its existing release_command is kept unless <see cref="ReleaseCommand"/> is set.</summary>
    public FlyConfig? Config { get; set; }

    public string? FlyTomlPath => Config?.Path;

    /// <summary>$(FlyReleaseCommand): the release command, which replaces the image's CMD.</summary>
    public string? ReleaseCommand { get; set; }

    /// <summary>$(FlyReleaseCommandTimeout): "5m", "300s", "00:05:00" or seconds.</summary>
    public string? ReleaseCommandTimeout { get; set; }

    /// <summary>$(FlyMigrationsDetection): "false" turns detection off.</summary>
    public string? MigrationsDetection { get; set; }

    /// <summary>$(FlyMigrationsMode): "host" (default: the app runs its own migrations) or "bundle" (efbundle).</summary>
    public string? MigrationsMode { get; set; }

    /// <summary>The Dockerfile, as read for the build, whose final stage gives ENTRYPOINT and CMD, when there is one.</summary>
    public FlyIo.AppModel.Docker.Dockerfile? Dockerfile { get; set; }

    /// <summary>The image's exec-form ENTRYPOINT when there is no Dockerfile (e.g. SDK container publishing: ["dotnet", "App.dll"]).</summary>
    public IReadOnlyList<string>? Entrypoint { get; set; }

    /// <summary>The project's C# sources (Compile items), already read and lexed: EF Core DbContexts and migrations are found in them.</summary>
    public CSharpSources Sources { get; set; } = CSharpSources.Empty;

    /// <summary>PackageReference names (to know whether Microsoft.EntityFrameworkCore.Design is there).</summary>
    public IReadOnlyList<string>? PackageReferences { get; set; }

    /// <summary>The folder holding the runtime sources (FlyDatabaseUrl.cs, Migrations/*.cs) in the package or repository.</summary>
    public string? RuntimeSourceDirectory { get; set; }
}
