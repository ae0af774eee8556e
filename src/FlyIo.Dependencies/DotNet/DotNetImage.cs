using System;
using System.Collections.Generic;
using System.Globalization;

namespace FlyIo.Dependencies.DotNet;

/// <summary>
/// A container image reference taken apart: registry, repository, tag, digest, and for Microsoft's .NET images the
/// kind (aspnet, runtime, runtime-deps, sdk), the .NET version and the OS flavour (alpine, chiseled, distroless, extra).
/// Registry overrides (a mirror serving <c>dotnet/aspnet</c>) are recognised by the repository path.
/// </summary>
public sealed class DotNetImage
{
    private static readonly HashSet<string> Kinds = new(StringComparer.Ordinal) { "aspnet", "runtime", "runtime-deps", "sdk" };

    private DotNetImage(string reference)
    {
        Reference = reference;
    }

    /// <summary>The reference as given.</summary>
    public string Reference { get; }

    public string? Registry { get; private set; }

    /// <summary>The repository path without registry, e.g. <c>dotnet/aspnet</c>.</summary>
    public string Repository { get; private set; } = string.Empty;

    public string? Tag { get; private set; }

    public string? Digest { get; private set; }

    /// <summary>aspnet, runtime, runtime-deps or sdk for a .NET image; null otherwise.</summary>
    public string? Kind { get; private set; }

    /// <summary>The .NET major version from the tag (10 for <c>10.0-alpine</c>); null when the tag names none.</summary>
    public int? Major { get; private set; }

    public int? Minor { get; private set; }

    /// <summary>The tag after the version, e.g. <c>noble-chiseled-extra</c>; empty for the default (Debian) tag.</summary>
    public string Flavor { get; private set; } = string.Empty;

    public bool IsAlpine { get; private set; }

    public bool IsChiseled { get; private set; }

    public bool IsDistroless { get; private set; }

    /// <summary>The <c>-extra</c> variant of a chiseled/distroless image: ICU and tzdata included.</summary>
    public bool IsExtra { get; private set; }

    /// <summary>A Microsoft .NET image (kind known).</summary>
    public bool IsDotNetImage => Kind is not null;

    /// <summary>musl C library (Alpine); otherwise glibc.</summary>
    public bool IsMusl => IsAlpine;

    /// <summary>Chiseled or distroless without -extra: no ICU, no tzdata, no shell, no package manager.</summary>
    public bool IsMinimalWithoutExtra => (IsChiseled || IsDistroless) && !IsExtra;

    /// <summary>The reference still holds an unresolved $VARIABLE.</summary>
    public bool IsUnresolved => Reference.IndexOf('$') >= 0 || Reference.Length == 0;

    public static DotNetImage Parse(string reference)
    {
        var image = new DotNetImage(reference.Trim());
        var rest = image.Reference;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            image.Digest = rest.Substring(at + 1);
            rest = rest.Substring(0, at);
        }

        var slash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > slash)
        {
            image.Tag = rest.Substring(colon + 1);
            rest = rest.Substring(0, colon);
        }

        var parts = rest.Split('/');
        var first = 0;
        if (parts.Length > 1 && (parts[0].IndexOf('.') >= 0 || parts[0].IndexOf(':') >= 0 || parts[0] == "localhost"))
        {
            image.Registry = parts[0];
            first = 1;
        }

        image.Repository = string.Join("/", parts, first, parts.Length - first);
        var last = parts[parts.Length - 1];
        if (Kinds.Contains(last) && Array.IndexOf(parts, "dotnet", first) >= first && Array.IndexOf(parts, "dotnet", first) < parts.Length - 1)
        {
            image.Kind = last;
        }

        if (string.Equals(last, "alpine", StringComparison.OrdinalIgnoreCase))
        {
            image.IsAlpine = true;
        }

        if (image.Tag is not null)
        {
            image.ReadTag(image.Tag);
        }

        return image;
    }

    private void ReadTag(string tag)
    {
        var segments = tag.Split('-');
        var start = 0;
        var version = segments[0].Split('.');
        if (version.Length >= 1 && int.TryParse(version[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) && IsDotNetImage)
        {
            Major = major;
            if (version.Length >= 2 && int.TryParse(version[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            {
                Minor = minor;
            }

            start = 1;

            // Preview tags: 10.0-preview, 10.0.0-preview.7-alpine, 10.0-rc.1-noble.
            while (start < segments.Length && (segments[start].StartsWith("preview", StringComparison.OrdinalIgnoreCase) ||
                                               segments[start].StartsWith("rc", StringComparison.OrdinalIgnoreCase)))
            {
                start++;
            }
        }

        var flavor = new List<string>();
        for (var i = start; i < segments.Length; i++)
        {
            var s = segments[i].ToLowerInvariant();
            flavor.Add(s);
            if (s.StartsWith("alpine", StringComparison.Ordinal))
            {
                IsAlpine = true;
            }
            else if (s == "chiseled")
            {
                IsChiseled = true;
            }
            else if (s == "distroless")
            {
                IsDistroless = true;
            }
            else if (s == "extra")
            {
                IsExtra = true;
            }
        }

        Flavor = string.Join("-", flavor);
    }

    /// <summary>The same image with another tag flavour, e.g. for a message: <c>mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra</c>.</summary>
    public string WithFlavor(string flavor)
    {
        var prefix = Registry is null ? Repository : Registry + "/" + Repository;
        var version = Major is null ? "latest" : Major.Value.ToString(CultureInfo.InvariantCulture) + "." + (Minor ?? 0).ToString(CultureInfo.InvariantCulture);
        return prefix + ":" + (flavor.Length == 0 ? version : version + "-" + flavor);
    }

    /// <summary>The same repository path with another kind (aspnet -> runtime ...).</summary>
    public string WithKind(string kind, int? major)
    {
        var repo = Repository.Substring(0, Repository.Length - (Kind ?? string.Empty).Length) + kind;
        var prefix = Registry is null ? repo : Registry + "/" + repo;
        var m = major ?? Major;
        var version = m is null ? "latest" : m.Value.ToString(CultureInfo.InvariantCulture) + ".0";
        return prefix + ":" + (Flavor.Length == 0 || m is null ? version : version + "-" + Flavor);
    }

    public override string ToString() => Reference;
}
