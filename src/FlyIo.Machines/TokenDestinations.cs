using System;
using System.Collections.Generic;
using System.Linq;

namespace FlyIo.Machines;

/// <summary>
/// Where the Fly token may be sent: over https to Fly's own hosts (api.machines.dev, *.fly.io, *.machines.dev), or to
/// this machine (loopback, for a local rehearsal). Any other host gets it only when the user names that host in
/// <c>FlyAllowTokenTo</c>: a mistyped or planted <c>FlyApiUrl</c>, <c>FlyRegistry</c> or <c>FlyImage</c> must not
/// hand the token to a stranger, nor send it over plain http across a network.
/// </summary>
public static class TokenDestinations
{
    private static readonly string[] FlyDomains = { "fly.io", "machines.dev" };

    /// <summary>The hosts a FlyAllowTokenTo value names (separated by ';', ',' or spaces).</summary>
    public static string[] AllowedHosts(string? property) =>
        (property ?? "").Split(new[] { ';', ',', ' ' }, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Null when a token may go to <paramref name="url"/> (a URL, or a registry host[:port]); else why not.</summary>
    public static string? Problem(string url, IEnumerable<string>? allowed = null)
    {
        var text = url.Contains("://") ? url : "https://" + url;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return $"'{url}' is not a URL or a host";
        }

        var host = uri.Host.Trim('[', ']').ToLowerInvariant();
        if (IsLoopback(host))
        {
            return null;
        }

        var optedIn = (allowed ?? Array.Empty<string>()).Any(a => string.Equals(a.Trim(), host, StringComparison.OrdinalIgnoreCase) || string.Equals(a.Trim(), uri.Authority, StringComparison.OrdinalIgnoreCase));
        if (uri.Scheme != Uri.UriSchemeHttps && !optedIn)
        {
            return $"'{url}' is plain http to another machine: the token would cross the network unencrypted";
        }

        var isFly = FlyDomains.Any(d => host == d || host.EndsWith("." + d, StringComparison.Ordinal));
        return isFly || optedIn ? null : $"'{host}' is not one of Fly's hosts (api.machines.dev, *.fly.io) nor this machine";
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || host == "::1" || host.StartsWith("127.", StringComparison.Ordinal);
}
