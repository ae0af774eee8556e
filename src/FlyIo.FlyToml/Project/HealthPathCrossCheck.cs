using FlyIo.AppModel;
using FlyIo.Diagnostics;
using System.Collections.Generic;
using System.Linq;
using FlyIo.FlyToml.Rules;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Project;

/// <summary>
/// An HTTP health check on a path the app never maps fails forever. Only reported when the sources visibly map routes
/// and none matches, and never when MapGroup or [controller] tokens hide full paths.
/// </summary>
internal sealed class HealthPathCrossCheck : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        // Paths first: the sources are read only when there is something to look for in them.
        var paths = CheckPaths(context).ToList();
        var sources = paths.Count == 0 ? null : context.Options.Project?.Sources;
        if (sources is null || sources.Files.Count == 0)
        {
            return;
        }

        var scan = RouteScanner.Scan(sources);
        if (scan.Templates.Count == 0 || scan.HasUnresolvablePrefixes)
        {
            return;
        }

        foreach (var path in paths.Where(p => !scan.Matches(p.Value)))
        {
            context.Sink.Warning(FlyCodes.HealthCheckPathNotMapped, path.Position,
                $"The health check path '{path.Value}' is not mapped by the app (found routes: {string.Join(", ", scan.Templates.Take(5))}); map it, e.g. app.MapHealthChecks(\"{path.Value}\"), or point the check at an existing route.");
        }
    }

    private static IEnumerable<TomlString> CheckPaths(RuleContext context)
    {
        foreach (var service in context.AllServices())
        {
            foreach (var check in TomlRead.Tables(service, "checks").Concat(TomlRead.Tables(service, "http_checks")))
            {
                if (TomlRead.Get(check, "path") is TomlString path)
                {
                    yield return path;
                }
            }
        }

        if (TomlRead.Table(context.Root, "checks") is { } named)
        {
            foreach (var check in named.Select(e => e.Value).OfType<TomlTable>())
            {
                if (TomlRead.String(check, "type") == "http" && TomlRead.Get(check, "path") is TomlString path)
                {
                    yield return path;
                }
            }
        }
    }
}
