using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.Toml;

namespace FlyIo.AppModel;

/// <summary>
/// fly.toml's [build] keys that say how the image is made, as flyctl reads them (appconfig.Build): dockerfile and
/// ignorefile relative to fly.toml's folder, build-target (the legacy build_target is patched to it), [build.args],
/// and image (a prebuilt image: nothing to build). Each value keeps its TOML position, so a setting that cannot be
/// honoured is reported at its key. Empty strings count as unset, as flyctl's omitempty fields do.
/// </summary>
public sealed class FlyBuildSettings
{
    private FlyBuildSettings(FlyConfig config)
    {
        var build = TomlRead.Table(config.Root, "build");
        ConfigDirectory = System.IO.Path.GetDirectoryName(config.Path) ?? ".";
        Dockerfile = NonEmpty(build, "dockerfile");
        Ignorefile = NonEmpty(build, "ignorefile");
        Target = NonEmpty(build, "build-target") ?? NonEmpty(build, "build_target");
        Image = NonEmpty(build, "image");
        Args = (TomlRead.Table(build, "args")?.Entries ?? Array.Empty<TomlEntry>())
            .Where(e => TomlRead.IsScalar(e.Value))
            .Select(e => new FlyBuildArg(e.Key, FlyConfig.EnvString(e.Value), e.KeyPosition))
            .ToList();
    }

    /// <summary>The folder fly.toml is in: flyctl resolves dockerfile and ignorefile against it.</summary>
    public string ConfigDirectory { get; }

    public TomlString? Dockerfile { get; }

    public TomlString? Ignorefile { get; }

    /// <summary>build-target, else the legacy build_target.</summary>
    public TomlString? Target { get; }

    public TomlString? Image { get; }

    /// <summary>[build.args] in file order; values written as flyctl turns scalars into strings.</summary>
    public IReadOnlyList<FlyBuildArg> Args { get; }

    /// <summary>[build] dockerfile as an absolute path; null when unset. A URL is returned as written.</summary>
    public string? DockerfilePath => Dockerfile is null ? null : Resolve(Dockerfile.Value);

    /// <summary>[build] ignorefile as an absolute path; null when unset.</summary>
    public string? IgnorefilePath => Ignorefile is null ? null : Resolve(Ignorefile.Value);

    /// <summary>Whether [build] dockerfile is an http(s) URL (flyctl downloads those).</summary>
    public bool DockerfileIsUrl => Dockerfile is not null
        && (Dockerfile.Value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || Dockerfile.Value.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    public static FlyBuildSettings Of(FlyConfig config) => new(config ?? throw new ArgumentNullException(nameof(config)));

    private string Resolve(string path) =>
        DockerfileIsUrl && ReferenceEquals(path, Dockerfile?.Value) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(ConfigDirectory, path));

    private static TomlString? NonEmpty(TomlTable? table, string key) =>
        TomlRead.Get(table, key) is TomlString { Value.Length: > 0 } value ? value : null;
}

/// <summary>One [build.args] entry and where its key is written.</summary>
public sealed record FlyBuildArg(string Name, string Value, TomlPosition Position);
