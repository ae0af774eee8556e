using FlyIo.AppModel.CSharp;
using FlyIo.AppModel.Project;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FlyIo.Dependencies.CSharp;
using FlyIo.AppModel.Docker;
using FlyIo.Diagnostics;

namespace FlyIo.Dependencies.DotNet;

/// <summary>
/// Checks a .NET app against what its image and the platform give it: the project graph against the Docker build
/// context, the target framework against the base image, native needs against the image's OS, the variables the
/// app reads against fly.toml [env] and the secrets, and DATABASE_URL against Npgsql.
/// </summary>
public static class DotNetDependencyChecker
{
    /// <summary>Variables every Fly Machine has, whatever fly.toml says.</summary>
    public static IReadOnlyCollection<string> FlyProvidedVariables { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "FLY_APP_NAME", "FLY_REGION", "FLY_MACHINE_ID", "FLY_ALLOC_ID", "FLY_PUBLIC_IP", "FLY_PRIVATE_IP", "FLY_IMAGE_REF",
        "FLY_MACHINE_VERSION", "FLY_PROCESS_GROUP", "FLY_VM_MEMORY_MB", "PRIMARY_REGION", "PORT", "HOSTNAME", "HOME", "PATH",
        "RELEASE_COMMAND",
    };

    private static readonly Regex RestoreCommand = new(@"\bdotnet\s+restore\b", RegexOptions.CultureInvariant);
    private static readonly Regex BuildCommand = new(@"\bdotnet\s+(publish|build)\b", RegexOptions.CultureInvariant);

    /// <summary>The checks, with the app's sources (<see cref="DotNetAppFacts.SourceFiles"/>) already read and lexed.</summary>
    /// <param name="dockerfile">The Dockerfile at app.DockerfilePath as read for the build; read here when not given.</param>
    public static IReadOnlyList<FlyDiagnostic> Check(DotNetAppFacts app, FlyEnvironment env, CSharpSources sources, Dockerfile? dockerfile = null)
    {
        if (app is null)
        {
            throw new ArgumentNullException(nameof(app));
        }

        if (env is null)
        {
            throw new ArgumentNullException(nameof(env));
        }

        var scan = CSharpSourceScanner.Scan(sources);
        var diagnostics = new List<FlyDiagnostic>();
        if (app.DockerfilePath is not null)
        {
            if (File.Exists(app.DockerfilePath))
            {
                dockerfile ??= Dockerfile.Load(app.DockerfilePath);
            }
            else
            {
                diagnostics.Add(FlyCodes.DockerfileNotFound.Create(
                    $"The Dockerfile '{app.DockerfilePath}' does not exist: create it, or leave FlyDockerfile empty so the SDK generates the image.",
                    app.ProjectPath, 0, 0));
            }
        }

        CheckBuildContext(app, dockerfile, diagnostics);
        var image = ResolveImage(app, dockerfile);
        CheckImage(app, dockerfile, image, scan, diagnostics);
        CheckEnvironment(app, env, dockerfile, scan, diagnostics);
        foreach (var misuse in scan.DatabaseUrlMisuses)
        {
            diagnostics.Add(FlyCodes.DatabaseUrlPassedToNpgsql.Create(
                $"{misuse.Sink} is given {misuse.Source}, a postgres:// URI that Npgsql rejects (\"Format of the initialization string does not conform to specification\", npgsql/npgsql#2090). " +
                "Convert it with FlyIo.Runtime.FlyDatabaseUrl.ToNpgsqlConnectionString(url), or read builder.Configuration.GetConnectionString(\"Default\"), which the SDK fills from DATABASE_URL.",
                misuse.Location.File, misuse.Location.Line, misuse.Location.Column));
        }

        return diagnostics;
    }

    // Rule 1: project graph and build context ---------------------------------------------------------------------------

    private static void CheckBuildContext(DotNetAppFacts app, Dockerfile? dockerfile, List<FlyDiagnostic> diagnostics)
    {
        if (string.IsNullOrEmpty(app.BuildContextRoot))
        {
            return;
        }

        var needed = RestoreLayout.FilesNeededForRestore(app);
        var outside = needed.Where(RestoreLayout.IsOutsideContext).ToList();
        var common = BuildContextRoot.CommonAncestor(outside
            .Select(file => Path.GetDirectoryName(Path.GetFullPath(Path.Combine(app.BuildContextRoot, file)))!)
            .Append(Path.GetFullPath(app.BuildContextRoot)));

        foreach (var file in outside)
        {
            var full = Path.GetFullPath(Path.Combine(app.BuildContextRoot, file));
            diagnostics.Add(FlyCodes.RestoreInputOutsideContext.Create(
                $"'{full}' is needed by dotnet restore but lies outside the Docker build context '{app.BuildContextRoot}', so no COPY can reach it. " +
                $"Use a build context that contains it (e.g. '{common}') and adjust the Dockerfile's COPY paths.",
                dockerfile?.Path ?? app.ProjectPath, dockerfile?.Stages.FirstOrDefault()?.From.Line ?? 0, dockerfile?.Stages.FirstOrDefault()?.From.Column ?? 0));
        }

        if (dockerfile is null)
        {
            return;
        }

        // The restore point: the first RUN dotnet restore, else the first RUN dotnet publish/build (implicit restore).
        var point = FindRestorePoint(dockerfile, RestoreCommand) ?? FindRestorePoint(dockerfile, BuildCommand);
        if (point is null)
        {
            return;
        }

        var (stage, run) = point.Value;
        var before = new List<DockerCopy>();
        var after = new List<DockerCopy>();
        foreach (var s in stage.Chain)
        {
            foreach (var copy in s.Copies.Where(c => c.FromBuildContext))
            {
                (s != stage || copy.Instruction.Line < run.Line ? before : after).Add(copy);
            }
        }

        foreach (var later in dockerfile.Stages.Where(s => s.Index > stage.Index && s.Chain.Contains(stage)))
        {
            after.AddRange(later.Copies.Where(c => c.FromBuildContext));
        }

        var workdir = run.Workdir;
        var layoutRoot = LayoutRoot(before, workdir);
        var missing = new List<string>();
        var late = new List<(string File, DockerCopy Copy)>();
        foreach (var file in needed.Where(f => !RestoreLayout.IsOutsideContext(f)))
        {
            if (before.Any(c => Covers(c, file)))
            {
                continue;
            }

            var lateCopy = after.FirstOrDefault(c => Covers(c, file));
            if (lateCopy is not null)
            {
                late.Add((file, lateCopy));
            }
            else
            {
                missing.Add(file);
            }
        }

        if (missing.Count > 0)
        {
            var lines = string.Join(" ; ", missing.Select(f => RestoreLayout.CopyLine(f, layoutRoot, workdir)));
            diagnostics.Add(FlyCodes.RestoreInputNotCopied.Create(
                $"dotnet restore at line {run.Line} needs {string.Join(", ", missing)}, which the Dockerfile never copies from the build context. " +
                $"Add before line {run.Line}: {lines}",
                dockerfile.Path, run.Line, run.Column));
        }

        foreach (var group in late.GroupBy(l => l.Copy))
        {
            var files = group.Select(g => g.File).ToList();
            var lines = string.Join(" ; ", files.Select(f => RestoreLayout.CopyLine(f, layoutRoot, workdir)));
            diagnostics.Add(FlyCodes.RestoreInputCopiedAfterRestore.Create(
                $"{string.Join(", ", files)} {(files.Count == 1 ? "is" : "are")} copied at line {group.Key.Instruction.Line}, after dotnet restore at line {run.Line}, so the restore cannot see {(files.Count == 1 ? "it" : "them")}. " +
                $"Add before line {run.Line}: {lines}",
                dockerfile.Path, run.Line, run.Column));
        }
    }

    private static (DockerStage Stage, DockerInstruction Run)? FindRestorePoint(Dockerfile dockerfile, Regex command)
    {
        foreach (var stage in dockerfile.Stages)
        {
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Keyword == "RUN" && command.IsMatch(instruction.Script))
                {
                    return (stage, instruction);
                }
            }
        }

        return null;
    }

    /// <summary>Where the build context's root lands in the image, judged from a COPY that keeps a path; else the WORKDIR.</summary>
    private static string LayoutRoot(List<DockerCopy> copies, string workdir)
    {
        foreach (var copy in copies)
        {
            if (copy.Sources.Count != 1)
            {
                continue;
            }

            var source = NormalizeSource(copy.Sources[0]);
            var dest = copy.AbsoluteDestination;
            if (source.Length == 0)
            {
                return dest.TrimEnd('/').Length == 0 ? "/" : dest.TrimEnd('/');
            }

            if (source.IndexOf('*') >= 0 || source.IndexOf('?') >= 0)
            {
                continue;
            }

            var landing = dest.EndsWith("/", StringComparison.Ordinal) ? dest + source.Substring(source.LastIndexOf('/') + 1) : dest;
            if (landing.EndsWith("/" + source, StringComparison.Ordinal))
            {
                var root = landing.Substring(0, landing.Length - source.Length - 1);
                return root.Length == 0 ? "/" : root;
            }
        }

        return workdir;
    }

    private static string NormalizeSource(string source)
    {
        var s = source.Replace('\\', '/');
        while (s.StartsWith("./", StringComparison.Ordinal))
        {
            s = s.Substring(2);
        }

        s = s.TrimStart('/').TrimEnd('/');
        return s == "." ? string.Empty : s;
    }

    /// <summary>Whether a context COPY brings <paramref name="file"/> (relative, '/' separated) into the image.</summary>
    internal static bool Covers(DockerCopy copy, string file)
    {
        if (!copy.FromBuildContext)
        {
            return false;
        }

        foreach (var raw in copy.Sources)
        {
            var source = NormalizeSource(raw);
            if (source.Length == 0 || source == file || file.StartsWith(source + "/", StringComparison.Ordinal))
            {
                return true;
            }

            if (source.IndexOf('*') >= 0 || source.IndexOf('?') >= 0 || source.IndexOf('[') >= 0)
            {
                var pattern = "^" + Regex.Escape(source).Replace(@"\*\*", "\u0001").Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]").Replace(@"\[", "[")
                    .Replace("\u0001", ".*") + "(/.*)?$";
                if (Regex.IsMatch(file, pattern, RegexOptions.CultureInvariant))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // Rules 2 and 3: base image -----------------------------------------------------------------------------------------

    private sealed class ResolvedImage
    {
        public ResolvedImage(DotNetImage image, string file, int line, int column, DockerStage? stage)
        {
            Image = image;
            File = file;
            Line = line;
            Column = column;
            Stage = stage;
        }

        public DotNetImage Image { get; }

        public string File { get; }

        public int Line { get; }

        public int Column { get; }

        /// <summary>The final stage (its FROM chain is what runs), or null when the image comes from FlyBaseImage.</summary>
        public DockerStage? Stage { get; }
    }

    private static ResolvedImage? ResolveImage(DotNetAppFacts app, Dockerfile? dockerfile)
    {
        if (dockerfile?.FinalStage is { } final)
        {
            var root = final.RootStage;
            return new ResolvedImage(DotNetImage.Parse(root.ResolvedImage), dockerfile.Path ?? "Dockerfile", root.From.Line, root.From.Column, final);
        }

        if (app.DockerfilePath is null && !string.IsNullOrEmpty(app.BaseImage))
        {
            return new ResolvedImage(DotNetImage.Parse(app.BaseImage!), app.ProjectPath, 0, 0, null);
        }

        return null;
    }

    private static FlyDiagnostic At(ResolvedImage at, DiagnosticDescriptor code, string message) =>
        code.Create(message, at.File, at.Line, at.Column);

    private static void CheckImage(DotNetAppFacts app, Dockerfile? dockerfile, ResolvedImage? resolved, SourceScanResult scan, List<FlyDiagnostic> diagnostics)
    {
        // SDK stages older than the target framework cannot build it at all.
        if (dockerfile is not null && app.TargetFrameworkMajor is { } tfm)
        {
            foreach (var stage in dockerfile.Stages.Where(s => s.BaseStage is null))
            {
                var sdk = DotNetImage.Parse(stage.ResolvedImage);
                if (sdk.Kind == BaseImageRules.Sdk && sdk.Major is { } m && m < tfm && stage != dockerfile.FinalStage?.RootStage)
                {
                    diagnostics.Add(FlyCodes.ImageVersionMismatch.Create(
                        $"The build stage uses the .NET {m} SDK ({stage.ResolvedImage}), which cannot build net{tfm}.0 (NETSDK1045). Use {sdk.WithKind(BaseImageRules.Sdk, tfm)}.",
                        dockerfile.Path, stage.From.Line, stage.From.Column));
                }
            }
        }

        if (resolved is null || resolved.Image.IsUnresolved)
        {
            CheckSystemDrawing(app, scan, diagnostics);
            return;
        }

        var image = resolved.Image;
        var required = BaseImageRules.RequiredImageKind(app);
        if (image.Kind is { } kind)
        {
            if (kind == BaseImageRules.Sdk)
            {
                diagnostics.Add(At(resolved, FlyCodes.SdkImageAsFinalStage,
                    $"The app runs on the .NET SDK image ({image.Reference}), several hundred MB larger than needed and with compilers in production. " +
                    $"Publish in an sdk stage and run on {image.WithKind(required, app.TargetFrameworkMajor)}."));
            }
            else if (!BaseImageRules.Satisfies(kind, required))
            {
                var why = required == BaseImageRules.AspNet
                    ? "an ASP.NET Core app needs the Microsoft.AspNetCore.App framework"
                    : "a framework-dependent app needs the .NET runtime";
                diagnostics.Add(At(resolved, FlyCodes.ImageLacksFramework,
                    $"{image.Reference} is a '{kind}' image but {why}; the app will not start. Use {image.WithKind(required, app.TargetFrameworkMajor)}" +
                    (required == BaseImageRules.AspNet || required == BaseImageRules.Runtime ? ", or publish self-contained for runtime-deps." : ".")));
            }
            else if (kind != required)
            {
                diagnostics.Add(At(resolved, FlyCodes.ImageLargerThanNeeded,
                    $"{image.Reference} is a '{kind}' image but the app needs only '{required}'" +
                    (app.NeedsNoRuntime ? " (it is self-contained)" : " (it does not reference Microsoft.AspNetCore.App)") +
                    $": use {image.WithKind(required, app.TargetFrameworkMajor)} for a smaller image."));
            }

            if (app.TargetFrameworkMajor is { } major && image.Major is { } imageMajor && imageMajor != major &&
                (!app.NeedsNoRuntime || kind == BaseImageRules.Sdk))
            {
                diagnostics.Add(At(resolved, FlyCodes.ImageVersionMismatch,
                    $"{image.Reference} carries .NET {imageMajor} but the app targets net{major}.0: it will fail to start " +
                    $"(\"You must install or update .NET to run this application\"). Use {image.WithKind(kind, major)}."));
            }
        }

        var chainRuns = resolved.Stage?.Chain.SelectMany(s => s.Instructions).Where(i => i.Keyword == "RUN").ToList() ?? new List<DockerInstruction>();
        var installed = InstalledPackages(chainRuns);
        var imageEnv = resolved.Stage?.EffectiveEnv ?? new Dictionary<string, string>();
        var invariantByEnv = imageEnv.TryGetValue("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", out var inv) && (inv == "1" || string.Equals(inv, "true", StringComparison.OrdinalIgnoreCase));

        // ICU.
        if (!app.InvariantGlobalization && !invariantByEnv)
        {
            if (image.IsAlpine && !installed.Contains("icu-libs") && !installed.Contains("icu"))
            {
                diagnostics.Add(At(resolved, FlyCodes.IcuMissing,
                    $"{image.Reference} is Alpine, which has no ICU, and the app does not use invariant globalization: it fails with \"Couldn't find a valid ICU package\" or silently runs culture-invariant. " +
                    "Add `RUN apk add --no-cache icu-libs` and `ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false`, or set <InvariantGlobalization>true</InvariantGlobalization>."));
            }
            else if (image.IsMinimalWithoutExtra)
            {
                diagnostics.Add(At(resolved, FlyCodes.IcuMissing,
                    $"{image.Reference} is a {(image.IsChiseled ? "chiseled" : "distroless")} image without ICU and the app does not use invariant globalization. " +
                    $"Use the -extra variant ({image.WithFlavor(image.Flavor + "-extra")}), or set <InvariantGlobalization>true</InvariantGlobalization>."));
            }
        }

        // SqlClient needs cultures.
        if (app.InvariantGlobalization && (app.HasPackage("Microsoft.Data.SqlClient") || app.HasPackage("System.Data.SqlClient") || app.HasPackage("Microsoft.EntityFrameworkCore.SqlServer")))
        {
            var use = scan.SqlClientUses.FirstOrDefault();
            diagnostics.Add(FlyCodes.SqlClientInvariantGlobalization.Create(
                "The app uses SqlClient with <InvariantGlobalization>true</InvariantGlobalization>: connecting fails with \"Globalization Invariant Mode is not supported\" (dotnet/SqlClient#2237). " +
                "Set <InvariantGlobalization>false</InvariantGlobalization> and use an image with ICU (the default Debian tag, or a chiseled -extra variant).",
                use?.Location.File ?? app.ProjectPath, use?.Location.Line ?? 0, use?.Location.Column ?? 0));
        }

        // Time zones.
        var lookup = scan.TimeZoneLookups.FirstOrDefault();
        if (lookup is not null && !imageEnv.ContainsKey("TZDIR"))
        {
            string? problem = null;
            if (image.IsAlpine && !installed.Contains("tzdata"))
            {
                problem = $"{image.Reference} is Alpine without tzdata: add `RUN apk add --no-cache tzdata`.";
            }
            else if (image.IsMinimalWithoutExtra)
            {
                problem = $"{image.Reference} has no tzdata: use the -extra variant ({image.WithFlavor(image.Flavor + "-extra")}).";
            }

            if (problem is not null)
            {
                diagnostics.Add(FlyCodes.TimeZoneDataMissing.Create(
                    $"{lookup.What} throws TimeZoneNotFoundException for every id except UTC on this image. {problem}",
                    lookup.Location.File, lookup.Location.Line, lookup.Location.Column));
            }
        }

        // SkiaSharp and fontconfig.
        if (app.PackageReferences.Any(p => p.Id.StartsWith("SkiaSharp", StringComparison.OrdinalIgnoreCase)) &&
            !app.HasPackage("SkiaSharp.NativeAssets.Linux.NoDependencies"))
        {
            var hasFontconfig = installed.Contains("libfontconfig1") || installed.Contains("fontconfig") || installed.Contains("libfontconfig");
            if (!hasFontconfig)
            {
                var how = image.IsAlpine ? "`RUN apk add --no-cache fontconfig`" : image.IsMinimalWithoutExtra ? "a non-chiseled image with `RUN apt-get install -y libfontconfig1`" : "`RUN apt-get update && apt-get install -y --no-install-recommends libfontconfig1`";
                diagnostics.Add(At(resolved, FlyCodes.SkiaSharpWithoutFontconfig,
                    $"The app uses SkiaSharp, whose Linux native library loads libfontconfig, but {image.Reference} does not install it (DllNotFoundException: libSkiaSharp). " +
                    $"Add {how}, or reference SkiaSharp.NativeAssets.Linux.NoDependencies."));
            }
        }

        CheckSystemDrawing(app, scan, diagnostics);

        // C library of the RuntimeIdentifier.
        var rid = app.RuntimeIdentifier;
        if (BaseImageRules.IsMuslRuntimeIdentifier(rid) && !image.IsMusl)
        {
            diagnostics.Add(At(resolved, FlyCodes.RuntimeIdentifierLibcMismatch,
                $"The app is published for {rid} (musl) but {image.Reference} is a glibc image: the native host will not load. Use an -alpine image or RuntimeIdentifier linux-{Architecture(rid)}."));
        }
        else if (BaseImageRules.IsGlibcRuntimeIdentifier(rid) && image.IsMusl)
        {
            diagnostics.Add(At(resolved, FlyCodes.RuntimeIdentifierLibcMismatch,
                $"The app is published for {rid} (glibc) but {image.Reference} is Alpine (musl): it fails with \"not found\" at start. Use RuntimeIdentifier linux-musl-{Architecture(rid)} or a Debian/Ubuntu image."));
        }
    }

    private static string Architecture(string? rid)
    {
        var dash = rid?.LastIndexOf('-') ?? -1;
        return dash < 0 ? "x64" : rid!.Substring(dash + 1);
    }

    private static void CheckSystemDrawing(DotNetAppFacts app, SourceScanResult scan, List<FlyDiagnostic> diagnostics)
    {
        if (!app.HasPackage("System.Drawing.Common") || diagnostics.Any(d => d.Code == FlyCodes.SystemDrawingOnLinux.Code))
        {
            return;
        }

        var use = scan.DrawingUses.FirstOrDefault();
        diagnostics.Add(FlyCodes.SystemDrawingOnLinux.Create(
            "System.Drawing.Common is supported only on Windows since .NET 6: on Linux it throws PlatformNotSupportedException (\"System.Drawing.Common is not supported on this platform\"). " +
            "Use SkiaSharp, ImageSharp or Magick.NET instead.",
            use?.Location.File ?? app.ProjectPath, use?.Location.Line ?? 0, use?.Location.Column ?? 0));
    }

    private static readonly HashSet<string> PackageTools = new(StringComparer.Ordinal) { "apt-get", "apt", "apk", "microdnf", "tdnf", "dnf", "yum" };

    /// <summary>Package names that RUN apt-get install / apt install / apk add / microdnf install / tdnf install bring in.</summary>
    internal static HashSet<string> InstalledPackages(IEnumerable<DockerInstruction> runs)
    {
        var packages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var words in runs.SelectMany(r => r.SimpleCommands))
        {
            var tool = words.FindIndex(PackageTools.Contains);
            var verb = tool < 0 ? -1 : words.FindIndex(tool + 1, w => w == "install" || w == "add");
            foreach (var w in verb < 0 ? Enumerable.Empty<string>() : words.Skip(verb + 1).Where(w => !w.StartsWith("-", StringComparison.Ordinal)))
            {
                var eq = w.IndexOf('=');
                packages.Add(eq > 0 ? w.Substring(0, eq) : w);
            }
        }

        return packages;
    }

    // Rule 4: what the app reads and what the platform provides ----------------------------------------------------------

    private static void CheckEnvironment(DotNetAppFacts app, FlyEnvironment env, Dockerfile? dockerfile, SourceScanResult scan, List<FlyDiagnostic> diagnostics)
    {
        var secretsKnown = env.SecretNames is not null;
        foreach (var read in RequiredVariables.Unprovided(app, env, dockerfile, scan))
        {
            var name = read.EnvironmentName;
            var app_ = env.AppName ?? "<app>";
            var what = read.IsConfiguration ? $"Configuration key '{read.Key}' (environment variable {name})" : $"Environment variable {name}";
            var where = secretsKnown
                ? "is neither in fly.toml [env] nor among the app's secrets"
                : "is not in fly.toml [env], and the app's secrets could not be listed (no Fly token)";
            var fix = $"Run `fly secrets set {name}=... --app {app_}`, or add `{name} = \"...\"` under [env] in {Path.GetFileName(env.FlyTomlPath)} if it is not secret.";
            diagnostics.Add((secretsKnown ? FlyCodes.RequiredVariableMissing : FlyCodes.RequiredVariableUnverified).Create(
                $"{what} is read without a fallback but {where}: the app will fail on its first boot. {fix}",
                read.Location.File, read.Location.Line, read.Location.Column));
        }
    }
}
