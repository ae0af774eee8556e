using FlyIo.AppModel.Project;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Diagnostics;
using FlyIo.Json;

namespace FlyIo.Dependencies.DotNet;

/// <summary>
/// Package feeds (folder sources in a NuGet.config the image's restore reads) that lie outside the build context: the
/// restore inside the image cannot reach them, so a package the app needs that only such a feed holds fails the build
/// there ("The local source '…' doesn't exist"). Said before the build, at the feed's line in NuGet.config: FLY2001
/// when no other source serves the package, FLY2005 (warning) when that cannot be told (a remote source that did not
/// answer). A feed outside the context that only repeats packages other sources serve is not reported.
/// </summary>
public static class OutsideFeeds
{
    private static readonly Regex NupkgName = new(@"^(?<id>.+?)\.(?<version>\d+\.\d+.*)\.nupkg$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static IReadOnlyList<FlyDiagnostic> Check(DotNetAppFacts app, IEnumerable<string> neededSdks, Func<string, string, bool?> remoteServes)
    {
        var diagnostics = new List<FlyDiagnostic>();
        var root = Path.GetFullPath(app.BuildContextRoot).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var needed = app.PackageReferences.Select(p => p.Id).Concat(neededSdks).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var config in app.RestoreInputs.Where(p => string.Equals(Path.GetFileName(p), "nuget.config", StringComparison.OrdinalIgnoreCase)
                     && (Path.GetFullPath(p)).StartsWith(root, StringComparison.Ordinal)))
        {
            var sources = NuGetConfigSources.Read(config);
            var inside = sources.Where(s => s.Folder is not null && (s.Folder + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal)).ToList();
            var remote = sources.Where(s => s.Folder is null).ToList();
            foreach (var outside in sources.Where(s => s.Folder is not null && !(s.Folder + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal) && Directory.Exists(s.Folder)))
            {
                var held = PackageIds(outside.Folder!);
                foreach (var id in needed.Where(held.Contains))
                {
                    if (inside.Any(s => Directory.Exists(s.Folder) && PackageIds(s.Folder!).Contains(id)))
                    {
                        continue;
                    }

                    var answers = remote.Select(r => remoteServes(r.Value, id)).ToList();
                    if (answers.Any(a => a == true))
                    {
                        continue;
                    }

                    var unknown = answers.Any(a => a is null);
                    diagnostics.Add((unknown ? FlyCodes.OutsideFeedMaybeNeeded : FlyCodes.RestoreInputOutsideContext).Create(
                        $"The package source '{outside.Key}' ({outside.Folder}) lies outside the Docker build context '{app.BuildContextRoot}', and the restore " +
                        $"in the image needs '{id}' from it" + (unknown ? $", unless {string.Join(" or ", remote.Where((r, i) => answers[i] is null).Select(r => r.Value))} serves it (it could not be asked)" : ": no other source serves it") +
                        ". The image build would fail with \"The local source doesn't exist\". Put the feed inside the build context (a folder beside the code, " +
                        "as a vendored feed), or widen the context with FlyBuildContext.",
                        config, outside.Line, outside.Column));
                }
            }
        }

        return diagnostics;
    }

    /// <summary>MSBuild SDKs the projects import by name from a package (global.json msbuild-sdks), which the restore in the image resolves too.</summary>
    public static IEnumerable<string> SdksIn(IEnumerable<string> restoreInputs)
    {
        foreach (var file in restoreInputs.Where(p => string.Equals(Path.GetFileName(p), "global.json", StringComparison.OrdinalIgnoreCase) && File.Exists(p)))
        {
            JsonObject? sdks = null;
            try
            {
                sdks = (JsonReader.Parse(File.ReadAllText(file)) as JsonObject)?["msbuild-sdks"] as JsonObject;
            }
            catch (JsonParseException)
            {
                // dotnet reports a malformed global.json itself.
            }

            foreach (var member in sdks?.Members ?? new List<JsonMember>())
            {
                yield return member.Key;
            }
        }
    }

    /// <summary>
    /// Whether a NuGet v3 source serves a package id (its service index, then the flat container's version list);
    /// null when the source cannot be asked within a few seconds.
    /// </summary>
    public static bool? RemoteServes(string source, string id, CancellationToken cancellationToken)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var index = JsonReader.Parse(http.GetStringAsync(source).GetAwaiter().GetResult()) as JsonObject;
            var flat = (index?["resources"] as JsonArray)?.Items.OfType<JsonObject>().FirstOrDefault(r => (r.GetString("@type") ?? "").StartsWith("PackageBaseAddress/3.0.0", StringComparison.Ordinal))?.GetString("@id");
            if (flat is null)
            {
                return null;
            }

            using var response = http.GetAsync(flat.TrimEnd('/') + "/" + id.ToLowerInvariant() + "/index.json", cancellationToken).GetAwaiter().GetResult();
            return response.IsSuccessStatusCode ? true : (int)response.StatusCode == 404 ? false : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or JsonParseException or InvalidOperationException or UriFormatException)
        {
            return null;
        }
    }

    private static HashSet<string> PackageIds(string folder) =>
        new(Directory.EnumerateFiles(folder, "*.nupkg", SearchOption.AllDirectories)
            .Select(f => NupkgName.Match(Path.GetFileName(f)))
            .Where(m => m.Success)
            .Select(m => m.Groups["id"].Value), StringComparer.OrdinalIgnoreCase);
}
