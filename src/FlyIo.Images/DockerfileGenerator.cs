using System;
using FlyIo.AppModel.Docker;
using FlyIo.AppModel.Project;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using FlyIo.Diagnostics;

namespace FlyIo.Images;

/// <summary>A generated Dockerfile, its .dockerignore and what the generator found on the way.</summary>
public sealed class GeneratedDockerfile
{
    internal GeneratedDockerfile(string dockerfile, string dockerIgnore, IReadOnlyList<FlyDiagnostic> diagnostics, string baseImage, string buildImage)
    {
        Dockerfile = dockerfile;
        DockerIgnore = dockerIgnore;
        Diagnostics = diagnostics;
        RuntimeImage = baseImage;
        BuildImage = buildImage;
    }

    /// <summary>The Dockerfile text: LF line endings, no byte-order mark when written as UTF-8.</summary>
    public string Dockerfile { get; }

    /// <summary>The .dockerignore text for the build context root.</summary>
    public string DockerIgnore { get; }

    public IReadOnlyList<FlyDiagnostic> Diagnostics { get; }

    /// <summary>The final stage's base image, e.g. <c>mcr.microsoft.com/dotnet/aspnet:10.0</c>.</summary>
    public string RuntimeImage { get; }

    /// <summary>The build stage's image, e.g. <c>mcr.microsoft.com/dotnet/sdk:10.0</c>.</summary>
    public string BuildImage { get; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>UTF-8 without BOM.</summary>
    public byte[] DockerfileBytes => DockerfileText.Encoding.GetBytes(Dockerfile);

    public byte[] DockerIgnoreBytes => DockerfileText.Encoding.GetBytes(DockerIgnore);
}

/// <summary>
/// Writes the multi-stage Dockerfile FlyIo.Sdk deploys: a restore layer built from the project files alone, the
/// sources, <c>dotnet publish</c>, then the runtime image chosen by <see cref="BaseImageRules"/>. The output depends only
/// on <see cref="DockerfileInputs"/>: the same inputs give the same bytes on every OS, culture and checkout.
/// </summary>
public static class DockerfileGenerator
{
    public const string DefaultRegistry = "mcr.microsoft.com";

    /// <summary>The marker the first lines of every generated file carry; a file without it is the user's own.</summary>

    public static GeneratedDockerfile Generate(DockerfileInputs inputs)
    {
        if (inputs is null)
        {
            throw new ArgumentNullException(nameof(inputs));
        }

        var app = inputs.App;
        var diagnostics = new List<FlyDiagnostic>();
        var context = app.BuildContextRoot.Length == 0 ? app.ProjectDirectory : app.BuildContextRoot;
        var project = RestoreLayout.RelativeToContext(context, app.ProjectPath);
        if (RestoreLayout.IsOutsideContext(project))
        {
            diagnostics.Add(FlyCodes.OutsideBuildContext.Create(
                $"The project {app.ProjectPath} is outside the build context {context}: set FlyBuildContext to a folder that holds it and every ProjectReference.",
                app.ProjectPath));
        }

        var restoreFiles = new List<string>();
        var relativeFiles = app.BuildContextRoot.Length == 0
            ? RestoreLayout.FilesNeededForRestore(new DotNetAppFacts { ProjectPath = app.ProjectPath, ProjectClosure = app.ProjectClosure, RestoreInputs = app.RestoreInputs, BuildContextRoot = context })
            : RestoreLayout.FilesNeededForRestore(app);
        foreach (var file in relativeFiles)
        {
            if (RestoreLayout.IsOutsideContext(file))
            {
                diagnostics.Add(FlyCodes.OutsideBuildContext.Create(
                    $"{file} is needed by restore but lies outside the build context {context}: the image build cannot COPY it. Set FlyBuildContext to the folder that holds the solution (the repository root).",
                    app.ProjectPath));
            }
            else
            {
                restoreFiles.Add(file);
            }
        }

        var framework = LowestFramework(inputs.TargetFrameworks, app.TargetFrameworkMajor);
        if (framework is null)
        {
            diagnostics.Add(FlyCodes.NoTargetFramework.Create(
                $"No .NET 5+ target framework in '{inputs.TargetFrameworks ?? string.Empty}': the base image version comes from TargetFramework (net10.0 -> 10.0).",
                app.ProjectPath));
            framework = new Framework("net10.0", 10, 0);
        }

        var multipleFrameworks = (inputs.TargetFrameworks ?? string.Empty).Split(';').Count(f => f.Trim().Length > 0) > 1;
        var registry = string.IsNullOrWhiteSpace(inputs.BaseImageRegistry) ? DefaultRegistry : inputs.BaseImageRegistry!.Trim().TrimEnd('/');
        var version = framework.Major.ToString(CultureInfo.InvariantCulture) + "." + framework.Minor.ToString(CultureInfo.InvariantCulture);
        var kind = BaseImageRules.RequiredImageKind(app);
        var flavor = (inputs.BaseImageFlavor ?? string.Empty).Trim().Trim('-');
        var flavorLower = flavor.ToLowerInvariant();
        var minimal = flavorLower.IndexOf("chiseled", StringComparison.Ordinal) >= 0 || flavorLower.IndexOf("distroless", StringComparison.Ordinal) >= 0;
        if (minimal && !flavorLower.EndsWith("-extra", StringComparison.Ordinal) && BaseImageRules.NeedsExtraVariant(app, inputs.LooksUpTimeZones))
        {
            flavor += "-extra";
        }

        var tag = flavor.Length == 0 ? version : version + "-" + flavor;
        var buildImage = registry + "/dotnet/sdk:" + version;
        var runtimeImage = registry + "/dotnet/" + kind + ":" + tag;
        var assembly = string.IsNullOrWhiteSpace(inputs.AssemblyName) ? Path.GetFileNameWithoutExtension(app.ProjectPath) : inputs.AssemblyName!.Trim();
        var rid = app.NeedsNoRuntime ? (string.IsNullOrWhiteSpace(app.RuntimeIdentifier) ? "linux-x64" : app.RuntimeIdentifier!) : null;

        var scripts = Scripts(inputs, context, diagnostics, out var entrypointScript);

        var dockerfileRelative = inputs.DockerfilePath is null
            ? (project.LastIndexOf('/') < 0 ? "Dockerfile" : project.Substring(0, project.LastIndexOf('/') + 1) + "Dockerfile")
            : RestoreLayout.RelativeToContext(context, inputs.DockerfilePath);

        var w = new DockerfileText();
        if (inputs.NuGetCacheMount)
        {
            w.Line("# syntax=docker/dockerfile:1");
        }

        w.Line("# " + SdkDockerfile.Marker + " from " + project + ". Edits are lost when it is regenerated:");
        w.Line("#   dotnet publish " + project + " -t:FlyDockerfile");
        w.Line("# Build context: the folder every path below is relative to (the solution or repository root), so");
        w.Line("# ProjectReferences such as ../Shared are inside it. The same file builds with flyctl from that folder:");
        w.Line("#   fly deploy --dockerfile " + dockerfileRelative + "    or, in fly.toml: [build] dockerfile = \"" + dockerfileRelative + "\"");
        w.Line();
        w.Line("FROM " + buildImage + " AS build");
        w.Line("# The configuration and -p: properties of the command line that builds the image; FlyIo.Sdk's image targets");
        w.Line("# pass them as build args (BUILD_PROPERTIES holds MSBuild-escaped -p:Name=Value words).");
        w.Line("ARG " + OuterBuild.ConfigurationArg + "=" + inputs.Configuration);
        w.Line("ARG " + OuterBuild.PropertiesArg + "=");
        w.Line("WORKDIR /src");
        w.Line("# Restore from the project and restore files alone: this layer is reused until one of them changes.");
        foreach (var file in restoreFiles)
        {
            w.Line(RestoreLayout.CopyLine(file, "/src", "/src"));
        }

        var mount = inputs.NuGetCacheMount ? "--mount=type=cache,target=/root/.nuget/packages " : string.Empty;
        var ridArgument = rid is null ? string.Empty : " -r " + rid;
        w.Line("RUN " + mount + "dotnet restore " + Quote(project) + ridArgument + " -p:Configuration=\"$" + OuterBuild.ConfigurationArg + "\" $" + OuterBuild.PropertiesArg);
        w.Line("# The sources (.dockerignore leaves out bin/, obj/, .git/ ...), then publish without restoring again.");
        w.Line("COPY . .");
        var publish = "RUN " + mount + "dotnet publish " + Quote(project) + " -c \"$" + OuterBuild.ConfigurationArg + "\" -o /app/publish --no-restore";
        if (multipleFrameworks)
        {
            publish += " -f " + framework.Moniker;
        }

        if (rid is not null)
        {
            publish += " -r " + rid + (app.PublishAot ? string.Empty : " --self-contained true");
        }

        // Unquoted: the shell splits it into its -p: words (their values are escaped, so nothing else splits or expands).
        w.Line(publish + " $" + OuterBuild.PropertiesArg);
        if (scripts.Count > 0)
        {
            w.Line("# Shell scripts: strip CR (a CRLF shebang fails with \"no such file or directory\") and make them executable.");
            foreach (var script in scripts)
            {
                w.Line("RUN sed -i 's/\\r$//' " + Quote(script) + " && chmod +x " + Quote(script));
            }
        }

        w.Line();
        w.Line("FROM " + runtimeImage + " AS final");
        w.Line("WORKDIR /app");
        w.Line("COPY --from=build /app/publish .");
        foreach (var script in scripts)
        {
            w.Line("COPY --from=build " + Quote("/src/" + script) + " ./");
        }

        if (kind == BaseImageRules.AspNet)
        {
            w.Line("# Kestrel listens on fly.toml's internal_port.");
            w.Line("ENV ASPNETCORE_HTTP_PORTS=" + inputs.InternalPort.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            w.Line("# fly.toml's internal_port.");
        }

        w.Line("EXPOSE " + inputs.InternalPort.ToString(CultureInfo.InvariantCulture));
        WriteGcSettings(w, inputs);
        if (inputs.HasMounts)
        {
            diagnostics.Add(FlyCodes.RootForVolume.Create(
                "fly.toml mounts a volume: the generated image runs as root, because Fly volumes are owned by root and a non-root USER cannot write to them (superfly/flyctl#1400).",
                inputs.App.ProjectPath));
            w.Line("# No USER: fly.toml has [mounts], and Fly volumes are owned by root, so a non-root user could not write to");
            w.Line("# the volume (superfly/flyctl#1400). The app runs as root.");
        }
        else
        {
            w.Line("# The non-root user the .NET images define (APP_UID=1654).");
            w.Line("USER $APP_UID");
        }

        string entrypoint;
        string example;
        if (entrypointScript is not null)
        {
            var name = entrypointScript.Substring(entrypointScript.LastIndexOf('/') + 1);
            entrypoint = "[\"./" + name + "\"]";
            example = "./" + name + " migrate";
        }
        else if (app.NeedsNoRuntime)
        {
            entrypoint = "[\"./" + assembly + "\"]";
            example = "./" + assembly + " migrate";
        }
        else
        {
            entrypoint = "[\"dotnet\", \"" + assembly + ".dll\"]";
            example = "dotnet " + assembly + ".dll migrate";
        }

        w.Line("# Exec form and no CMD: fly.toml's release_command replaces CMD only, so release_command = \"migrate\"");
        w.Line("# runs \"" + example + "\".");
        w.Line("ENTRYPOINT " + entrypoint);

        return new GeneratedDockerfile(w.ToString(), DockerIgnore(project), diagnostics, runtimeImage, buildImage);
    }

    internal static string DockerIgnore(string project)
    {
        var w = new DockerfileText();
        w.Line("# " + SdkDockerfile.Marker + " for " + project + ": keeps build output, VCS data and local settings out of the image.");
        foreach (var pattern in new[]
                 {
                     "**/bin", "**/obj", "**/.git", "**/.gitignore", "**/.vs", "**/.vscode", "**/.idea", "**/*.user",
                     "**/node_modules", "**/TestResults", "**/*.binlog", "**/.env", "**/Dockerfile", "**/.dockerignore",
                 })
        {
            w.Line(pattern);
        }

        return w.ToString();
    }

    private static void WriteGcSettings(DockerfileText w, DockerfileInputs inputs)
    {
        var small = ServerGc.IsSmallVm(inputs.VmMemoryMb);
        bool? server = ServerGc.GeneratedImageTurnsOff(inputs.VmMemoryMb) ? false : null;
        string? limit = null;
        if (inputs.GcHeapHardLimit is null)
        {
            if (small)
            {
                var percent = inputs.GcHeapHardLimitPercent <= 0 || inputs.GcHeapHardLimitPercent > 100 ? 75 : inputs.GcHeapHardLimitPercent;
                var bytes = (long)inputs.VmMemoryMb!.Value * 1024 * 1024 * percent / 100;
                limit = "0x" + bytes.ToString("X", CultureInfo.InvariantCulture);
            }
        }
        else
        {
            var text = inputs.GcHeapHardLimit.Trim();
            if (text.Length > 0 && !string.Equals(text, "none", StringComparison.OrdinalIgnoreCase))
            {
                limit = ParseBytes(text) is long b ? "0x" + b.ToString("X", CultureInfo.InvariantCulture) : null;
            }
        }

        if (server is null && limit is null)
        {
            return;
        }

        if (small)
        {
            w.Line("# [[vm]] memory = " + inputs.VmMemoryMb!.Value.ToString(CultureInfo.InvariantCulture) +
                   " MB: workstation GC and a GC heap limit keep a small VM out of memory trouble;");
            w.Line("# fly.toml's [env] DOTNET_gcServer = \"1\" keeps Server GC anyway.");
        }
        else
        {
            w.Line("# Garbage collector settings from FlyGcHeapHardLimit.");
        }

        if (server is bool s)
        {
            w.Line("ENV DOTNET_gcServer=" + (s ? "1" : "0"));
        }

        if (limit is not null)
        {
            w.Line("ENV DOTNET_GCHeapHardLimit=" + limit);
        }
    }

    private static long? ParseBytes(string text)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return long.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) ? hex : null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var dec) ? dec : null;
    }

    private static List<string> Scripts(DockerfileInputs inputs, string context, List<FlyDiagnostic> diagnostics, out string? entrypoint)
    {
        entrypoint = null;
        var result = new List<string>();
        var projectDir = inputs.App.ProjectDirectory;
        string? entryPath = null;
        if (inputs.EntrypointScript is null)
        {
            foreach (var candidate in new[] { "entrypoint.sh", "docker-entrypoint.sh" })
            {
                var path = Path.Combine(projectDir, candidate);
                if (File.Exists(path))
                {
                    entryPath = path;
                    break;
                }
            }
        }
        else if (inputs.EntrypointScript.Trim().Length > 0)
        {
            entryPath = Path.GetFullPath(Path.Combine(projectDir, inputs.EntrypointScript.Trim()));
            if (!File.Exists(entryPath))
            {
                diagnostics.Add(FlyCodes.ScriptMissing.Create($"The entrypoint script {entryPath} does not exist (FlyEntrypointScript).", inputs.App.ProjectPath));
                entryPath = null;
            }
        }

        var all = new List<string>();
        if (entryPath is not null)
        {
            all.Add(entryPath);
        }

        foreach (var extra in inputs.ExtraScripts.OrderBy(s => s, StringComparer.Ordinal))
        {
            var path = Path.GetFullPath(Path.Combine(projectDir, extra));
            if (!File.Exists(path))
            {
                diagnostics.Add(FlyCodes.ScriptMissing.Create($"The script {path} does not exist.", inputs.App.ProjectPath));
            }
            else if (!all.Contains(path))
            {
                all.Add(path);
            }
        }

        foreach (var path in all)
        {
            var relative = RestoreLayout.RelativeToContext(context, path);
            if (RestoreLayout.IsOutsideContext(relative))
            {
                diagnostics.Add(FlyCodes.OutsideBuildContext.Create($"The script {path} lies outside the build context {context}.", path));
                continue;
            }

            var crlf = ShellScripts.FirstCrlfLine(path);
            if (crlf > 0)
            {
                diagnostics.Add(FlyCodes.ScriptCrlf.Create(
                    $"{Path.GetFileName(path)} has Windows (CRLF) line endings; run as-is it fails with \"no such file or directory\" or exit 127. " +
                    "The generated image strips them, but commit it with LF: add \"*.sh text eol=lf\" to .gitattributes.",
                    path, crlf, 1));
            }

            result.Add(relative);
            if (path == entryPath)
            {
                entrypoint = relative;
            }
        }

        return result;
    }

    /// <summary>A path on a Dockerfile line: bare when it has no blank, quoting characters or $, else in double quotes.</summary>
    internal static string Quote(string path)
    {
        foreach (var c in path)
        {
            if (char.IsWhiteSpace(c) || c == '"' || c == '\'' || c == '$' || c == '\\' || c == '&' || c == ';' || c == '|')
            {
                return "\"" + path.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("$", "\\$") + "\"";
            }
        }

        return path;
    }

    internal sealed class Framework
    {
        public Framework(string moniker, int major, int minor)
        {
            Moniker = moniker;
            Major = major;
            Minor = minor;
        }

        public string Moniker { get; }

        public int Major { get; }

        public int Minor { get; }
    }

    /// <summary>The lowest net5.0+ framework of a TargetFramework(s) list (numerically: net10.0 is above net8.0).</summary>
    internal static Framework? LowestFramework(string? targetFrameworks, int? fallbackMajor)
    {
        Framework? best = null;
        foreach (var raw in (targetFrameworks ?? string.Empty).Split(';'))
        {
            var tfm = raw.Trim().ToLowerInvariant();
            if (!tfm.StartsWith("net", StringComparison.Ordinal) || tfm.StartsWith("netstandard", StringComparison.Ordinal) || tfm.StartsWith("netcoreapp", StringComparison.Ordinal))
            {
                continue;
            }

            var body = tfm.Substring(3);
            var dash = body.IndexOf('-');
            if (dash >= 0)
            {
                body = body.Substring(0, dash);
            }

            var parts = body.Split('.');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) ||
                !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor) || major < 5)
            {
                continue;
            }

            if (best is null || major < best.Major || (major == best.Major && minor < best.Minor))
            {
                best = new Framework(raw.Trim(), major, minor);
            }
        }

        if (best is null && fallbackMajor is int m && m >= 5)
        {
            best = new Framework("net" + m.ToString(CultureInfo.InvariantCulture) + ".0", m, 0);
        }

        return best;
    }
}
