using System;
using System.Collections.Generic;

namespace FlyIo.Launch;

/// <summary>
/// What FlyLaunch will write into fly.toml, each value with the reason it has that value. The writer turns the reasons
/// into comments, so a user reading the file sees where every line came from.
/// </summary>
public sealed class LaunchPlan
{
    public string App { get; init; } = "";

    public string AppReason { get; init; } = "";

    public string Region { get; init; } = LaunchDefaults.Region;

    public string RegionReason { get; init; } = "";

    /// <summary>What the plan was made from, for the file's first comment: "WebApp.csproj", "the app folder api".</summary>
    public string MadeFrom { get; init; } = "";

    /// <summary>[http_service]; null when nothing in the app serves HTTP (then <see cref="NoHttpReason"/> says why).</summary>
    public LaunchHttpService? Http { get; init; }

    public string? NoHttpReason { get; init; }

    public LaunchVm Vm { get; init; } = new(LaunchDefaults.Memory, LaunchDefaults.CpuKind, LaunchDefaults.Cpus, "");

    /// <summary>[deploy] release_command, when migrations were found.</summary>
    public string? ReleaseCommand { get; init; }

    public string? ReleaseReason { get; init; }

    /// <summary>[env] values FlyLaunch knows, e.g. the port variable the app listens on.</summary>
    public IReadOnlyList<LaunchEnvVar> Env { get; init; } = Array.Empty<LaunchEnvVar>();

    /// <summary>Variables the app reads with no fallback that nothing provides yet: [env] settings or secrets.</summary>
    public IReadOnlyList<LaunchVariable> Variables { get; init; } = Array.Empty<LaunchVariable>();
}

/// <summary>[http_service]: the port and why, and the health check path and why (or why there is none).</summary>
public sealed record LaunchHttpService(int InternalPort, string PortReason, string? HealthPath, string HealthReason);

/// <summary>[[vm]]: memory as flyctl writes it ("1gb", "512mb"), CPU kind and count.</summary>
public sealed record LaunchVm(string Memory, string CpuKind, int Cpus, string Reason);

/// <summary>An [env] entry FlyLaunch writes, with why.</summary>
public sealed record LaunchEnvVar(string Name, string Value, string Reason);

/// <summary>
/// A variable the app reads and nothing provides. A secret-looking one (a password, token, key or connection URL) is
/// named in a comment, never given a value in fly.toml; another is a commented [env] line for the user to fill in.
/// <paramref name="ProvidedBy"/> names what will set it at deploy (a FlySecret item), when something will.
/// </summary>
public sealed record LaunchVariable(string Name, string ReadAt, bool IsSecret, string? ProvidedBy);
