using FlyIo.AppModel.CSharp;

namespace FlyIo.FlyToml;

/// <summary>Evaluated facts about the .NET project, used to cross-check fly.toml against what the app really does.</summary>
public sealed class ProjectFacts
{
    public string ProjectDirectory { get; init; } = "";

    private System.Lazy<CSharpSources> _sources = new(() => CSharpSources.Empty);

    /// <summary>The project's C# Compile items, read and lexed.</summary>
    public CSharpSources Sources { get => _sources.Value; init => _sources = new(() => value); }

    /// <summary>Reads <see cref="Sources"/> only when a check needs them (a validation without health-check paths does not).</summary>
    public System.Func<CSharpSources> ReadSources { init => _sources = new(value); }

    /// <summary>True for the Web SDK or a Microsoft.AspNetCore.App framework reference.</summary>
    public bool IsAspNetCore { get; init; }

    /// <summary>The evaluated ServerGarbageCollection property; null when unset (the Web SDK then turns Server GC on).</summary>
    public bool? ServerGarbageCollection { get; init; }

    public bool? ConcurrentGarbageCollection { get; init; }

    /// <summary>8 for net8.0, and so on; null when unknown.</summary>
    public int? TargetFrameworkMajor { get; init; }

    /// <summary>The .NET SDK's ContainerPort items (the ports an SDK-built image exposes).</summary>
    public System.Collections.Generic.IReadOnlyList<int> ContainerPorts { get; init; } = System.Array.Empty<int>();

    /// <summary>The .NET SDK's ContainerUser property; null when unset.</summary>
    public string? ContainerUser { get; init; }

    /// <summary>The .NET SDK's ContainerEnvironmentVariable items: name and Value metadata.</summary>
    public System.Collections.Generic.IReadOnlyDictionary<string, string> ContainerEnvironment { get; init; } = new System.Collections.Generic.Dictionary<string, string>();
}
