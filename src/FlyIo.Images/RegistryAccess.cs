using System;
using System.Collections.Generic;
using System.Linq;

namespace FlyIo.Images;

/// <summary>
/// Which registries a build hands the Fly token to and which it reaches over plain HTTP. The token goes to the
/// push registry only: for the push, and for pulls from it (base images kept there, or a mirror there), never to
/// any other registry.
/// </summary>
public sealed class RegistryAccess
{
    private RegistryAccess(string pushRegistry, IReadOnlyList<RegistryCredentials> pull, IReadOnlyList<string> insecure)
    {
        PushRegistry = pushRegistry;
        PullCredentials = pull;
        InsecureRegistries = insecure;
    }

    /// <summary>The registry host of the image reference.</summary>
    public string PushRegistry { get; }

    public IReadOnlyList<RegistryCredentials> PullCredentials { get; }

    /// <summary>Loopback registries, and those named insecure, among the ones this build talks to.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; }

    /// <summary>Whether the token would leave for the push registry: to push, or to pull from it (base images, a mirror).</summary>
    public static bool SendsToken(bool push, string imageReference, string? baseImageRegistry, IReadOnlyList<RegistryMirror> mirrors) =>
        push || PullsFrom(ImageTags.RegistryOf(imageReference), baseImageRegistry, mirrors);

    /// <param name="registryPassword">The Fly token as a registry password; null when there is none.</param>
    public static RegistryAccess Decide(string imageReference, string? registryPassword, string? baseImageRegistry,
        IReadOnlyList<RegistryMirror> mirrors, IReadOnlyCollection<string> namedInsecure)
    {
        var pushRegistry = ImageTags.RegistryOf(imageReference);
        var pull = registryPassword is not null && PullsFrom(pushRegistry, baseImageRegistry, mirrors)
            ? new[] { RegistryCredentials.ForFly(registryPassword, pushRegistry) }
            : Array.Empty<RegistryCredentials>();
        var insecure = namedInsecure.Concat(new[] { pushRegistry, baseImageRegistry?.Trim() ?? "" })
            .Where(r => r.StartsWith("127.", StringComparison.Ordinal) || r.StartsWith("localhost", StringComparison.OrdinalIgnoreCase) || namedInsecure.Contains(r))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
        return new RegistryAccess(pushRegistry, pull, insecure);
    }

    private static bool PullsFrom(string registry, string? baseImageRegistry, IReadOnlyList<RegistryMirror> mirrors) =>
        SameHost(baseImageRegistry, registry) || mirrors.Any(m => SameHost(m.MirrorHost, registry));

    private static bool SameHost(string? a, string b) => string.Equals(a?.Trim(), b, StringComparison.OrdinalIgnoreCase);
}
