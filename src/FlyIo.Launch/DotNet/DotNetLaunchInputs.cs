using FlyIo.FlyToml;

namespace FlyIo.Launch.DotNet;

/// <summary>A .NET project's launch inputs: the same project facts FlyValidate cross-checks fly.toml against.</summary>
public sealed class DotNetLaunchInputs : LaunchInputs
{
    public ProjectFacts Facts { get; init; } = new();

    /// <summary>The connection name FlyIo.Sdk's DATABASE_URL helper fills, when the helper is compiled into the app.</summary>
    public string? DatabaseUrlConnectionName { get; init; }
}
