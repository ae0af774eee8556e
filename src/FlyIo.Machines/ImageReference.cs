using System;

namespace FlyIo.Machines;

/// <summary>
/// An image reference, registry/repository:tag@digest, with Docker Hub's defaults made explicit: Fly returns
/// <c>config.image</c> as given in one response and normalised in another (<c>nginx</c> from GET, <c>library/nginx:latest</c>
/// in a list), so references are compared in this form.
/// </summary>
public sealed record ImageReference(string Registry, string Repository, string Tag, string? Digest)
{
    public const string DockerHub = "docker.io";

    public static ImageReference Parse(string image)
    {
        string? digest = null;
        var at = image.IndexOf('@');
        if (at >= 0)
        {
            digest = image.Substring(at + 1);
            image = image.Substring(0, at);
        }

        // The first part is a registry only when it looks like a host (a dot, a port, or localhost), as Docker reads it.
        var slash = image.IndexOf('/');
        var registry = DockerHub;
        if (slash > 0)
        {
            var first = image.Substring(0, slash);
            if (first.IndexOf('.') >= 0 || first.IndexOf(':') >= 0 || first == "localhost")
            {
                registry = first == "index.docker.io" || first == "registry-1.docker.io" ? DockerHub : first;
                image = image.Substring(slash + 1);
            }
        }

        if (registry == DockerHub && image.IndexOf('/') < 0)
        {
            image = "library/" + image;
        }

        var tag = digest is null ? "latest" : "";
        var colon = image.LastIndexOf(':');
        if (colon > 0)
        {
            tag = image.Substring(colon + 1);
            image = image.Substring(0, colon);
        }

        return new ImageReference(registry, image, tag, digest);
    }

    /// <summary>True when both name the same image once Docker Hub's defaults are filled in.</summary>
    public static bool Same(string? a, string? b) =>
        string.Equals(a, b, StringComparison.Ordinal) || (a is not null && b is not null && Parse(a).Equals(Parse(b)));

    public override string ToString() =>
        Registry + "/" + Repository + (Tag.Length > 0 ? ":" + Tag : "") + (Digest is null ? "" : "@" + Digest);
}
