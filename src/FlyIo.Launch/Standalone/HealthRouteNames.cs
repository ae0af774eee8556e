using System;

namespace FlyIo.Launch.Standalone;

/// <summary>
/// The route names that unmistakably mean "is the app up". Only these count: a health check on a route that does
/// something else (or fails without a database) would make Fly.io restart a healthy app. The names and their order
/// are <see cref="LaunchDefaults.HealthPaths"/>, which the .NET planner uses too.
/// </summary>
internal static class HealthRouteNames
{
    /// <summary>The preference rank of <paramref name="route"/> (a trailing '/' ignored, as Django writes routes), or -1.</summary>
    public static int Rank(string route)
    {
        var path = route.StartsWith("/", StringComparison.Ordinal) ? route : "/" + route;
        if (path.Length > 1 && path.EndsWith("/", StringComparison.Ordinal))
        {
            path = path.Substring(0, path.Length - 1);
        }

        return Array.IndexOf(LaunchDefaults.HealthPaths, path);
    }
}
