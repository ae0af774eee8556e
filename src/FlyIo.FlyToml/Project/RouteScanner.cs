using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.AppModel.CSharp;

namespace FlyIo.FlyToml.Project;

/// <summary>The routes found in an app's C# sources.</summary>
public sealed class RouteScan
{
    internal RouteScan(IReadOnlyList<string> templates, IReadOnlyList<MappedRoute> routes, bool hasGroupsOrTokens)
    {
        Templates = templates;
        Routes = routes;
        HasUnresolvablePrefixes = hasGroupsOrTokens;
    }

    /// <summary>Each route call or attribute as found, with where it is: what FlyLaunch chooses a health path from.</summary>
    public IReadOnlyList<MappedRoute> Routes { get; }

    /// <summary>Route templates as written: "/healthz", "api/items/{id}".</summary>
    public IReadOnlyList<string> Templates { get; }

    /// <summary>True when MapGroup or [controller]-style tokens make full paths unknowable from the text alone.</summary>
    public bool HasUnresolvablePrefixes { get; }

    /// <summary>Whether any template matches a request path; "{x}" matches one segment, "{*x}" the rest.</summary>
    public bool Matches(string requestPath) => Templates.Any(t => RouteTemplate.Matches(t, requestPath));
}

/// <summary>One literal route in the sources: the call or attribute that maps it ("MapHealthChecks", "HttpGet"), and where.</summary>
public sealed record MappedRoute(string Template, string Call, string File, int Line, int Column)
{
    /// <summary>Whether a GET of exactly this path reaches it: no parameters, and a call that answers GET.</summary>
    public bool IsPlainGet =>
        Template.IndexOf('{') < 0 && Template.IndexOf('[') < 0 &&
        Call is "MapGet" or "Map" or "MapHealthChecks" or "UseHealthChecks";

    public override string ToString() => $"{System.IO.Path.GetFileName(File)}({Line},{Column}) {Call}(\"{Template}\")";
}

/// <summary>
/// Finds endpoint routes lexically: MapGet/MapPost/.../MapMethods/MapHealthChecks/Map/UseHealthChecks("...") calls and
/// [Route]/[HttpGet]/... attributes. Comments and non-literal arguments are never taken as routes.
/// </summary>
public static class RouteScanner
{
    private static readonly HashSet<string> RouteCalls = new(StringComparer.Ordinal)
    {
        "MapGet", "MapPost", "MapPut", "MapDelete", "MapPatch", "MapMethods", "MapHealthChecks", "Map",
        "UseHealthChecks", "MapFallbackToFile", "MapGrpcHealthChecksService",
        "Route", "HttpGet", "HttpPost", "HttpPut", "HttpDelete", "HttpPatch", "HttpHead", "HttpOptions",
    };

    public static RouteScan Scan(CSharpSources sources)
    {
        var templates = new List<string>();
        var routes = new List<MappedRoute>();
        var controllerRoutes = new List<string>();
        var actionRoutes = new List<string>();
        var unresolvable = false;
        foreach (var file in sources.Files)
        {
            var tokens = file.Tokens;
            for (var i = 0; i < tokens.Length; i++)
            {
                if (tokens[i].Kind != CSharpTokenKind.Identifier)
                {
                    continue;
                }

                if (tokens[i].Value == "MapGroup")
                {
                    unresolvable = true;
                }

                if (RouteCalls.Contains(tokens[i].Value) && i + 2 < tokens.Length &&
                    tokens[i + 1].Is("(") && tokens[i + 2].Kind == CSharpTokenKind.String)
                {
                    var template = tokens[i + 2].Value;
                    unresolvable |= template.IndexOf('[') >= 0;
                    templates.Add(template);
                    var (line, column) = file.Locate(tokens[i].Offset);
                    routes.Add(new MappedRoute(template, tokens[i].Value, file.Path, line, column));
                    if (tokens[i].Value == "Route")
                    {
                        controllerRoutes.Add(template);
                    }
                    else if (tokens[i].Value.StartsWith("Http", StringComparison.Ordinal))
                    {
                        actionRoutes.Add(template);
                    }
                }
            }
        }

        // [Route("api")] on a controller prefixes [HttpGet("health")] on its actions; without knowing which class holds
        // which attribute, every combination is a candidate, so a real route is never reported as missing.
        templates.AddRange(controllerRoutes.SelectMany(c => actionRoutes.Select(a => c.TrimEnd('/') + "/" + a.TrimStart('/'))));
        return new RouteScan(templates, routes, unresolvable);
    }
}

/// <summary>Matches a request path against an ASP.NET Core route template, segment by segment.</summary>
internal static class RouteTemplate
{
    public static bool Matches(string template, string requestPath)
    {
        var query = requestPath.IndexOf('?');
        var path = query >= 0 ? requestPath.Substring(0, query) : requestPath;
        var want = Segments(path);
        var have = Segments(template.TrimStart('~'));
        for (var i = 0; i < have.Length; i++)
        {
            var segment = have[i];
            var isParameter = segment.StartsWith("{", StringComparison.Ordinal) && segment.EndsWith("}", StringComparison.Ordinal);
            if (isParameter && segment.StartsWith("{*", StringComparison.Ordinal))
            {
                return true;
            }

            if (i >= want.Length)
            {
                // Optional parameters ("{id?}") or defaults ("{id=1}") may be left out.
                return have.Skip(i).All(s => s.EndsWith("?}", StringComparison.Ordinal) || s.IndexOf('=') >= 0);
            }

            if (!isParameter && !string.Equals(segment, want[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return have.Length == want.Length;
    }

    private static string[] Segments(string path) => path.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
}
