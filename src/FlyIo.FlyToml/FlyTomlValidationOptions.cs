namespace FlyIo.FlyToml;

/// <summary>What the caller knows beyond fly.toml itself.</summary>
public sealed class FlyTomlValidationOptions
{
    /// <summary>Unknown keys are warnings by default and errors when strict (as <c>fly config validate --strict</c>).</summary>
    public bool Strict { get; init; }

    /// <summary>The FlyApp MSBuild property; when set, fly.toml may omit <c>app</c>.</summary>
    public string? AppName { get; init; }

    /// <summary>Facts about the .NET project being deployed; null for standalone (non-.NET) apps.</summary>
    public ProjectFacts? Project { get; init; }

    /// <summary>An existing Dockerfile whose EXPOSE lines are cross-checked against internal_port, if any.</summary>
    public string? DockerfilePath { get; init; }
}
