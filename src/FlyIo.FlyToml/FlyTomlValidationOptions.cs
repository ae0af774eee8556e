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

    /// <summary>The app's Dockerfile as read for the build (EXPOSE against internal_port, its GC setting); null when there is none yet.</summary>
    public FlyIo.AppModel.Docker.Dockerfile? Dockerfile { get; init; }
}
