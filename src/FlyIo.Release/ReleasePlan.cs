using System.Collections.Generic;
using System.Linq;
using FlyIo.Diagnostics;

namespace FlyIo.Release;

/// <summary>Where the release command comes from.</summary>
public enum ReleaseCommandSource
{
    None,
    Property,
    FlyToml,
    EfCore,
    EfBundle,
    Alembic,
    Django,
    Prisma,
}

/// <summary>The release command and timeout to write into fly.toml, with what was found on the way.</summary>
public sealed class ReleasePlan
{
    internal ReleasePlan(string? command, string? timeout, ReleaseCommandSource source, IReadOnlyList<string>? wouldRun,
        IReadOnlyList<FlyDiagnostic> diagnostics, IReadOnlyList<string> runtimeSources)
    {
        Command = command;
        Timeout = timeout;
        Source = source;
        WouldRun = wouldRun;
        Diagnostics = diagnostics;
        RuntimeSourcesToCompile = runtimeSources;
    }

    /// <summary>[deploy] release_command, or null to leave fly.toml without one.</summary>
    public string? Command { get; }

    /// <summary>[deploy] release_command_timeout as a Go duration ("5m"), or null to leave it as it is.</summary>
    public string? Timeout { get; }

    public ReleaseCommandSource Source { get; }

    /// <summary>The full command line the release machine runs (ENTRYPOINT + release command), when the image is known.</summary>
    public IReadOnlyList<string>? WouldRun { get; }

    public IReadOnlyList<FlyDiagnostic> Diagnostics { get; }

    /// <summary>C# files the SDK compiles into the app (the migration runner and FlyDatabaseUrl) — empty when none is needed.</summary>
    public IReadOnlyList<string> RuntimeSourcesToCompile { get; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
