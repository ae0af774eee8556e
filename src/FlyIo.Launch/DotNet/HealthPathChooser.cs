using System;
using System.IO;
using System.Linq;
using FlyIo.AppModel.CSharp;
using FlyIo.FlyToml.Project;

namespace FlyIo.Launch.DotNet;

/// <summary>
/// The path an HTTP check should GET, from the routes the sources map: a MapHealthChecks/UseHealthChecks path first,
/// else a plain MapGet/Map of a conventional health name (/healthz, /health, ...). With MapGroup in the sources a
/// MapGet's full path cannot be known from its text, so then only the health-check middleware counts.
/// </summary>
internal static class HealthPathChooser
{
    public static (string? Path, string Reason) Choose(CSharpSources sources, string projectDirectory)
    {
        var scan = RouteScanner.Scan(sources);
        var plain = scan.Routes.Where(r => r.IsPlainGet).ToList();
        var middleware = plain.FirstOrDefault(r => r.Call is "MapHealthChecks" or "UseHealthChecks");
        if (middleware is not null)
        {
            return (Normalize(middleware.Template), $"{Where(middleware, projectDirectory)} maps it with {middleware.Call}.");
        }

        if (!scan.HasUnresolvablePrefixes)
        {
            foreach (var name in LaunchDefaults.HealthPaths)
            {
                var route = plain.FirstOrDefault(r => string.Equals(Normalize(r.Template), name, StringComparison.OrdinalIgnoreCase));
                if (route is not null)
                {
                    return (Normalize(route.Template), $"{Where(route, projectDirectory)} maps it with {route.Call}.");
                }
            }
        }

        var why = scan.HasUnresolvablePrefixes
            ? "the sources use MapGroup, so a MapGet's full path cannot be read from them, and nothing maps MapHealthChecks"
            : "the sources map no health endpoint (MapHealthChecks, or a MapGet of /healthz, /health, ...)";
        return (null, $"No [[http_service.checks]]: {why}. Add app.MapHealthChecks(\"/healthz\") and a check here, so a deploy waits until the app answers.");
    }

    private static string Normalize(string template) => "/" + template.TrimStart('~').Trim('/');

    private static string Where(MappedRoute route, string projectDirectory) =>
        $"{AppFiles.Relative(projectDirectory, route.File)}({route.Line},{route.Column})";
}
