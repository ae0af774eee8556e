using System;
using System.Collections.Generic;

namespace FlyIo.Dependencies;

/// <summary>What the platform gives the app at run time: fly.toml [env] and, when a token is available, secret names.</summary>
public sealed class FlyEnvironment
{
    /// <summary>The fly.toml the [env] table came from; diagnostics about missing variables point here.</summary>
    public string FlyTomlPath { get; init; } = "fly.toml";

    /// <summary>fly.toml [env], values as strings.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The app's secret names (never values); null when no token was available to read them.</summary>
    public IReadOnlyCollection<string>? SecretNames { get; init; }

    /// <summary>Secrets the deploy itself sets (FlySecret items, FlySecretsFile): provided whether or not the app's
    /// current secret names could be read.</summary>
    public IReadOnlyCollection<string> DeploySecretNames { get; init; } = Array.Empty<string>();

    /// <summary>The app name, for the `fly secrets set` command a message suggests.</summary>
    public string? AppName { get; init; }

    /// <summary>fly.toml's <c>[deploy] release_command</c>, when it has one.</summary>
    public string? ReleaseCommand { get; init; }
}
