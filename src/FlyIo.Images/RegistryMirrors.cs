using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FlyIo.Diagnostics;

namespace FlyIo.Images;

/// <summary>One FlyRegistryMirror entry: images a Dockerfile names on <see cref="Registry"/> are pulled from <see cref="Mirror"/>.</summary>
public sealed class RegistryMirror
{
    public RegistryMirror(string registry, string mirror)
    {
        Registry = registry ?? throw new ArgumentNullException(nameof(registry));
        Mirror = mirror ?? throw new ArgumentNullException(nameof(mirror));
    }

    /// <summary>The registry as image references name it, e.g. <c>docker.io</c> (what <c>FROM python:3.12</c> means).</summary>
    public string Registry { get; }

    /// <summary>Host[:port][/path] serving the same repositories, e.g. <c>127.0.0.1:55000</c> or <c>mirror.example.com/hub</c>.</summary>
    public string Mirror { get; }

    /// <summary>The mirror's host[:port], the key its credentials are stored under.</summary>
    public string MirrorHost => Mirror.Split('/')[0];

    public override string ToString() => Registry + "=" + Mirror;
}

/// <summary>
/// FlyRegistryMirror: <c>registry=mirror</c> pairs, and the containers-registries.conf(5) file that makes buildah and
/// podman pull through the mirrors. The file is the builder's whole registry configuration for that build, so it
/// also says what a short name (<c>FROM debian:bookworm-slim</c>) means: Docker Hub, as it does for Docker.
/// </summary>
public static class RegistryMirrors
{
    /// <summary>Names Docker Hub goes by; containers/image knows it as docker.io.</summary>
    private static readonly HashSet<string> DockerHubNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com",
    };

    /// <summary>
    /// Parses entries such as <c>docker.io=127.0.0.1:55000</c>. A malformed entry is FLY3036 (error) and left out;
    /// a registry named twice keeps its first mirror.
    /// </summary>
    public static IReadOnlyList<RegistryMirror> Parse(IEnumerable<string>? entries, List<FlyDiagnostic> diagnostics, string? projectFile = null)
    {
        var result = new List<RegistryMirror>();
        foreach (var raw in entries ?? Array.Empty<string>())
        {
            var entry = (raw ?? string.Empty).Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            var equals = entry.IndexOf('=');
            var registry = equals < 0 ? string.Empty : Normalize(entry.Substring(0, equals));
            var mirror = equals < 0 ? string.Empty : entry.Substring(equals + 1).Trim().TrimEnd('/');
            if (registry.Length == 0 || mirror.Length == 0 || !IsLocation(registry) || !IsLocation(mirror) || registry.Contains('/'))
            {
                diagnostics.Add(FlyCodes.RegistryMirrorInvalid.Create(
                    $"FlyRegistryMirror entry '{entry}' is not registry=mirror, e.g. docker.io=127.0.0.1:55000 (a registry host, '=', a mirror host[:port][/path]).",
                    projectFile));
                continue;
            }

            if (result.Any(m => string.Equals(m.Registry, registry, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            result.Add(new RegistryMirror(registry, mirror));
        }

        return result;
    }

    /// <summary>
    /// registries.conf (version 2) sending each registry's pulls to its mirror; the original registry stays as the
    /// fallback, as with Docker's registry-mirrors. <paramref name="isInsecure"/> says which mirrors speak plain HTTP.
    /// </summary>
    public static string RegistriesConf(IEnumerable<RegistryMirror> mirrors, Func<string, bool> isInsecure, IEnumerable<string>? insecureRegistries = null)
    {
        var text = new StringBuilder();
        text.Append("# Written by FlyIo.Sdk for one image build (FlyRegistryMirror, plain-HTTP registries).\n");
        // Dockerfiles mean Docker Hub by a short name; with a single search registry nothing is ambiguous.
        text.Append("unqualified-search-registries = [\"docker.io\"]\n");
        var mirrorList = mirrors.ToList();
        // A registry pulled from directly over plain HTTP (a loopback stand-in for Fly's registry or a base image mirror).
        foreach (var registry in (insecureRegistries ?? Enumerable.Empty<string>()).Where(r => mirrorList.All(m => !string.Equals(m.Registry, r, StringComparison.OrdinalIgnoreCase))))
        {
            text.Append('\n');
            text.Append("[[registry]]\n");
            text.Append("location = ").Append(Quote(registry)).Append('\n');
            text.Append("insecure = true\n");
        }

        foreach (var mirror in mirrorList)
        {
            text.Append('\n');
            text.Append("[[registry]]\n");
            text.Append("prefix = ").Append(Quote(mirror.Registry)).Append('\n');
            text.Append("location = ").Append(Quote(mirror.Registry)).Append('\n');
            text.Append("\n[[registry.mirror]]\n");
            text.Append("location = ").Append(Quote(mirror.Mirror)).Append('\n');
            if (isInsecure(mirror.MirrorHost))
            {
                text.Append("insecure = true\n");
            }
        }

        return text.ToString();
    }

    private static string Normalize(string registry)
    {
        var trimmed = registry.Trim().TrimEnd('/');
        return DockerHubNames.Contains(trimmed) ? "docker.io" : trimmed;
    }

    /// <summary>host[:port][/path]: no scheme, spaces or characters a TOML basic string or a reference cannot hold.</summary>
    private static bool IsLocation(string text) =>
        text.IndexOf("://", StringComparison.Ordinal) < 0 &&
        text.All(c => char.IsLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '/' || c == '[' || c == ']');

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
