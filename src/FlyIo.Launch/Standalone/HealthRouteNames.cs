using System;

namespace FlyIo.Launch.Standalone;

/// <summary>
/// The route names that unmistakably mean "is the app up". Only these count: a health check on a route that does
/// something else (or fails without a database) would make Fly.io restart a healthy app.
/// </summary>
internal static class HealthRouteNames
{
    /// <summary>In order of preference: when an app maps several, the first here wins.</summary>
    private static readonly string[] Preferred =
    {
        "/health", "/healthz", "/healthcheck", "/health-check", "/_health", "/livez", "/readyz", "/up", "/ping", "/status",
    };

    /// <summary>The preference rank of <paramref name="route"/> (a trailing '/' ignored, as Django writes routes), or -1.</summary>
    public static int Rank(string route)
    {
        var path = route.StartsWith("/", StringComparison.Ordinal) ? route : "/" + route;
        if (path.Length > 1 && path.EndsWith("/", StringComparison.Ordinal))
        {
            path = path.Substring(0, path.Length - 1);
        }

        return Array.IndexOf(Preferred, path);
    }
}
