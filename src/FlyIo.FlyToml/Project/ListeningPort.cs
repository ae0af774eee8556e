using FlyIo.AppModel;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Project;

/// <summary>The port an ASP.NET Core app binds inside its container, and what decided it.</summary>
public sealed record ListeningPort(int Port, string Reason);

/// <summary>
/// Works out Kestrel's port the way the runtime does: ASPNETCORE_URLS (its first http URL) wins over
/// ASPNETCORE_HTTP_PORTS, and .NET 8+ container images default ASPNETCORE_HTTP_PORTS to 8080.
/// </summary>
public static class ListeningPortResolver
{
    private static readonly Regex UrlPort = new(@"^https?://[^/;]*?:(?<port>[0-9]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>From fly.toml's [env] alone.</summary>
    public static ListeningPort? Resolve(TomlTable? env, ProjectFacts facts) => Resolve(env, imageEnv: null, facts);

    /// <summary>
    /// From the Machine's environment as it will be: the image's ENV (the project's own Dockerfile, final stage)
    /// overlaid by fly.toml's [env], which flyctl sends with the machine config and so wins.
    /// </summary>
    public static ListeningPort? Resolve(TomlTable? flyEnv, IReadOnlyDictionary<string, string>? imageEnv, ProjectFacts facts) =>
        Resolve(name => Text(flyEnv, name) is { } fly ? (fly, "[env]")
            : imageEnv is not null && imageEnv.TryGetValue(name, out var image) && image.Length > 0 ? (image, "the Dockerfile's ENV")
            : null, facts);

    private static ListeningPort? Resolve(Func<string, (string Value, string Where)?> env, ProjectFacts facts)
    {
        if (env("ASPNETCORE_URLS") is var (urls, urlsWhere))
        {
            foreach (var url in urls.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var trimmed = url.Trim();
                if (trimmed.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                {
                    var match = UrlPort.Match(trimmed);
                    var port = match.Success ? int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture) : 80;
                    return new ListeningPort(port, $"{urlsWhere} ASPNETCORE_URLS = \"{urls}\"");
                }
            }
        }

        if (env("ASPNETCORE_HTTP_PORTS") is var (ports, portsWhere))
        {
            var first = ports.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries)[0].Trim();
            if (int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                return new ListeningPort(port, $"{portsWhere} ASPNETCORE_HTTP_PORTS = \"{ports}\"");
            }
        }

        if (facts.IsAspNetCore && facts.TargetFrameworkMajor >= 8)
        {
            return new ListeningPort(8080, $".NET {facts.TargetFrameworkMajor} images default ASPNETCORE_HTTP_PORTS to 8080");
        }

        return null;
    }

    private static string? Text(TomlTable? env, string key) => TomlRead.Get(env, key) switch
    {
        TomlString { Value.Length: > 0 } s => s.Value,
        TomlInteger i => i.Value.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
