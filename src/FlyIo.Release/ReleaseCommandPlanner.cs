using FlyIo.AppModel;
using FlyIo.AppModel.Docker;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FlyIo.Diagnostics;
using FlyIo.Json;
using FlyIo.Toml;

namespace FlyIo.Release;

/// <summary>
/// Decides [deploy] release_command and release_command_timeout: FlyReleaseCommand when set, else the one fly.toml has,
/// else one detected from the project (EF Core migrations, Alembic, Django, Prisma); and checks it against the image's
/// ENTRYPOINT, since Fly's release command replaces CMD only.
/// </summary>
public static class ReleaseCommandPlanner
{
    public const string EfHostCommand = "migrate";
    public const string EfBundleCommand = "./efbundle";
    public const string AlembicCommand = "alembic upgrade head";
    public const string DjangoCommand = "python manage.py migrate --noinput";
    public const string PrismaCommand = "npx prisma migrate deploy";
    private const string DesignPackage = "Microsoft.EntityFrameworkCore.Design";

    public static ReleasePlan Plan(ReleaseInputs inputs)
    {
        if (inputs is null)
        {
            throw new ArgumentNullException(nameof(inputs));
        }

        var diagnostics = new List<FlyDiagnostic>();
        var propertyFile = inputs.ProjectFile ?? "FlyReleaseCommand";
        var existing = ReadExisting(inputs.Config);
        var image = ReadImage(inputs);

        string? timeout = null;
        if (!string.IsNullOrWhiteSpace(inputs.ReleaseCommandTimeout))
        {
            if (DurationProperty.TryParse(inputs.ReleaseCommandTimeout, out var span, out var error))
            {
                timeout = DurationProperty.Format(span);
            }
            else
            {
                diagnostics.Add(FlyCodes.ReleaseCommandTimeoutInvalid.Create(
                    "FlyReleaseCommandTimeout: " + error + ". It becomes [deploy] release_command_timeout, a Go duration such as \"5m\".", propertyFile, 0, 0));
            }
        }

        // Detection.
        var detectionOn = !string.Equals((inputs.MigrationsDetection ?? string.Empty).Trim(), "false", StringComparison.OrdinalIgnoreCase);
        string? detected = null;
        var detectedSource = ReleaseCommandSource.None;
        var runtimeSources = new List<string>();
        string? detectedWhy = null;
        if (detectionOn && !inputs.Standalone)
        {
            var ef = MigrationDetector.ScanEfCore(inputs.Sources);
            if (ef.DbContexts.Count > 0 && !ef.HasMigrations)
            {
                diagnostics.Add(FlyCodes.DbContextWithoutMigrations.Create(
                    $"{ef.DbContexts[0]} is a DbContext but the project has no migrations, so nothing creates or updates its schema on Fly. Add migrations (or set FlyReleaseCommand) before deploying; FlyMigrationsDetection=false silences this.",
                    ef.DbContextFile, ef.DbContextLine, 0));
            }
            else if (ef.DbContexts.Count > 0)
            {
                var mode = (inputs.MigrationsMode ?? string.Empty).Trim().ToLowerInvariant();
                var hasDesign = inputs.PackageReferences?.Any(p => string.Equals(p, DesignPackage, StringComparison.OrdinalIgnoreCase)) == true;
                if (mode.Length == 0 || mode == "host")
                {
                    detected = DefaultHostCommand(image);
                    detectedSource = ReleaseCommandSource.EfCore;
                    runtimeSources.AddRange(RuntimeSources(inputs.RuntimeSourceDirectory));
                    detectedWhy = $"EF Core migrations ({ef.Migrations.Count}) for {string.Join(", ", ef.DbContexts.Distinct())}: the app applies them itself when started with \"migrate\" (FlyIo.Sdk compiles the runner in; no Design package needed)";
                }
                else if (mode == "bundle")
                {
                    if (!hasDesign)
                    {
                        diagnostics.Add(FlyCodes.MigrationsModeInvalid.Create(
                            $"FlyMigrationsMode=bundle needs a PackageReference to {DesignPackage} (dotnet ef migrations bundle builds efbundle from it). Reference it, or use FlyMigrationsMode=host (the default), which needs nothing.", propertyFile, 0, 0));
                    }
                    else if (image?.Entrypoint is { IsShellForm: false } entry)
                    {
                        diagnostics.Add(FlyCodes.MigrationsModeInvalid.Create(
                            $"FlyMigrationsMode=bundle: the image's ENTRYPOINT {entry.Text} stays in front of the release command, so the release machine would run `{Join(entry.Words.Concat(new[] { EfBundleCommand }))}`, not efbundle. Use FlyMigrationsMode=host, or an image without ENTRYPOINT (CMD only).",
                            inputs.Dockerfile?.Path, entry.Line, 0));
                    }
                    else
                    {
                        detected = EfBundleCommand;
                        detectedSource = ReleaseCommandSource.EfBundle;
                        detectedWhy = "EF Core migrations, FlyMigrationsMode=bundle: the image must contain the efbundle built by `dotnet ef migrations bundle`";
                    }
                }
                else
                {
                    diagnostics.Add(FlyCodes.MigrationsModeInvalid.Create(
                        $"FlyMigrationsMode '{inputs.MigrationsMode}' is not host or bundle.", propertyFile, 0, 0));
                }
            }
        }
        else if (detectionOn)
        {
            var tools = MigrationDetector.ScanStandalone(inputs.ProjectDirectory);
            if (tools.Count > 1)
            {
                diagnostics.Add(FlyCodes.ReleaseCommandAmbiguous.Create(
                    $"Found migrations for {string.Join(" and ", tools)}; FlyIo.Sdk does not guess which one to run. Set FlyReleaseCommand (or FlyMigrationsDetection=false).", propertyFile, 0, 0));
            }
            else if (tools.Count == 1)
            {
                switch (tools[0])
                {
                    case "alembic":
                        detected = AlembicCommand;
                        detectedSource = ReleaseCommandSource.Alembic;
                        detectedWhy = "Alembic (alembic.ini / alembic/env.py)";
                        break;
                    case "django":
                        detected = DjangoCommand;
                        detectedSource = ReleaseCommandSource.Django;
                        detectedWhy = "Django (manage.py)";
                        break;
                    default:
                        detected = PrismaCommand;
                        detectedSource = ReleaseCommandSource.Prisma;
                        detectedWhy = "Prisma (prisma/schema.prisma)";
                        break;
                }
            }
        }

        // The command: the property, else fly.toml's, else the detected one.
        string? command;
        ReleaseCommandSource source;
        string? file;
        int line = 0, column = 0;
        if (!string.IsNullOrWhiteSpace(inputs.ReleaseCommand))
        {
            command = inputs.ReleaseCommand!.Trim();
            source = ReleaseCommandSource.Property;
            file = propertyFile;
            if (existing.Command is not null && existing.Command != command)
            {
                diagnostics.Add(FlyCodes.ReleaseCommandDiffers.Create(
                    $"FlyReleaseCommand \"{command}\" replaces {System.IO.Path.GetFileName(inputs.FlyTomlPath)}'s release_command \"{existing.Command}\".", inputs.FlyTomlPath, existing.Line, existing.Column));
            }
        }
        else if (existing.Command is not null)
        {
            command = existing.Command;
            source = ReleaseCommandSource.FlyToml;
            file = inputs.FlyTomlPath;
            line = existing.Line;
            column = existing.Column;
            if (detected is not null && detected != command)
            {
                diagnostics.Add(FlyCodes.ReleaseCommandDiffers.Create(
                    $"{System.IO.Path.GetFileName(file)}'s release_command \"{command}\" is kept; FlyIo.Sdk would have used \"{detected}\" ({detectedWhy}).", file, line, column));
            }
        }
        else
        {
            command = detected;
            source = detectedSource;
            file = propertyFile;
            if (detected is not null)
            {
                diagnostics.Add(FlyCodes.ReleaseCommandDetected.Create(
                    $"release_command = \"{detected}\": {detectedWhy}. Set FlyReleaseCommand to choose another, or FlyMigrationsDetection=false for none.", inputs.FlyTomlPath, 0, 0));
            }
        }

        IReadOnlyList<string>? wouldRun = null;
        if (command is not null)
        {
            wouldRun = Check(command, source, file, line, column, image, inputs, diagnostics);
        }

        if (command is not null && command.IndexOf("prisma", StringComparison.Ordinal) >= 0 && inputs.Standalone)
        {
            CheckPrismaDependency(inputs.ProjectDirectory, diagnostics);
        }

        return new ReleasePlan(command, timeout ?? (existing.Timeout is null ? null : existing.Timeout), source, wouldRun, diagnostics, runtimeSources);
    }

    /// <summary>EF host mode: "migrate" after an app ENTRYPOINT; the whole command when the image has only a CMD.</summary>
    private static string DefaultHostCommand(ImageStart? image)
    {
        if (image is null || image.Entrypoint is not null || image.Cmd is null)
        {
            return EfHostCommand;
        }

        return image.Cmd.IsShellForm ? image.Cmd.Text + " " + EfHostCommand : Join(image.Cmd.Words.Concat(new[] { EfHostCommand }));
    }

    private static IReadOnlyList<string>? Check(string command, ReleaseCommandSource source, string? file, int line, int column,
        ImageStart? image, ReleaseInputs inputs, List<FlyDiagnostic> diagnostics)
    {
        var name = source == ReleaseCommandSource.Property ? "FlyReleaseCommand" : "release_command";
        var split = ShellWords.Split(command);
        if (!split.Success)
        {
            var at = split.ErrorIndex + 1;
            diagnostics.Add(FlyCodes.ReleaseCommandShellSplit.Create(
                $"{name} \"{command}\" does not split like a shell line at column {at}: {split.Error}. flyctl splits it with POSIX shell rules (no shell runs it).",
                file, line, line > 0 ? column + split.ErrorIndex + 1 : 0));
            return null;
        }

        var words = split.Words;
        if (words.Count == 0)
        {
            diagnostics.Add(FlyCodes.ReleaseCommandEmpty.Create(
                $"{name} \"{command}\" has no command once split (only blanks or a '#' comment).", file, line, column));
            return null;
        }

        if (image?.Entrypoint is not { } entry)
        {
            return words;
        }

        var dockerfile = inputs.Dockerfile?.Path;
        if (entry.IsShellForm)
        {
            diagnostics.Add(FlyCodes.ShellFormEntrypoint.Create(
                $"The image's ENTRYPOINT {entry.Text} is in shell form, which ignores CMD: the release machine would run `/bin/sh -c \"{entry.Text}\"` (your app, not `{command}`), and the deploy would wait for it until release_command_timeout. Write the exec form, e.g. ENTRYPOINT [{string.Join(", ", SplitOrRaw(entry.Text).Select(w => "\"" + w + "\""))}].",
                dockerfile ?? file, dockerfile is null ? line : entry.Line, 0));
            return null;
        }

        var full = entry.Words.Concat(words).ToList();
        if (RepeatsEntrypoint(entry.Words, words))
        {
            var rest = words.Skip(SkipRepeated(entry.Words, words)).ToList();
            var suggestion = rest.Count > 0 ? "release_command = \"" + Join(rest) + "\"" : "the arguments only";
            diagnostics.Add(FlyCodes.ReleaseCommandRepeatsEntrypoint.Create(
                $"{name} \"{command}\" repeats the image's ENTRYPOINT {entry.Text}: Fly replaces only CMD, so the release machine would run `{Join(full)}`. Write {suggestion}.",
                file, line, column));
            return full;
        }

        if (source != ReleaseCommandSource.EfCore)
        {
            diagnostics.Add(FlyCodes.ReleaseCommandPassedToEntrypoint.Create(
                $"The release machine will run `{Join(full)}` (the image's ENTRYPOINT {entry.Text} followed by {name}).", file, line, column));
        }

        return full;
    }

    /// <summary>True when the command starts with the program the ENTRYPOINT already runs (dotnet App.dll, /app/App, App.dll).</summary>
    internal static bool RepeatsEntrypoint(IReadOnlyList<string> entrypoint, IReadOnlyList<string> words) => SkipRepeated(entrypoint, words) > 0;

    private static int SkipRepeated(IReadOnlyList<string> entrypoint, IReadOnlyList<string> words)
    {
        if (entrypoint.Count == 0 || words.Count == 0)
        {
            return 0;
        }

        var e0 = BaseName(entrypoint[0]);
        var app = e0 == "dotnet" && entrypoint.Count > 1 ? StripExtension(BaseName(entrypoint[1])) : StripExtension(e0);
        var w0 = BaseName(words[0]);
        if (w0 == e0 && e0 == "dotnet")
        {
            return words.Count > 1 && StripExtension(BaseName(words[1])) == app ? 2 : 1;
        }

        if (w0 == e0 || StripExtension(w0) == app)
        {
            return 1;
        }

        return 0;
    }

    private static string BaseName(string path)
    {
        var slash = path.LastIndexOfAny(new[] { '/', '\\' });
        return slash < 0 ? path : path.Substring(slash + 1);
    }

    private static string StripExtension(string name) =>
        name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? name.Substring(0, name.Length - 4) : name;

    private static IEnumerable<string> SplitOrRaw(string text)
    {
        var split = ShellWords.Split(text);
        return split.Success ? split.Words : new[] { text };
    }

    /// <summary>Words joined as a shell line (quoted when needed).</summary>
    internal static string Join(IEnumerable<string> words)
    {
        var sb = new StringBuilder();
        foreach (var w in words)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            var plain = w.Length > 0;
            foreach (var c in w)
            {
                if (!(char.IsLetterOrDigit(c) || "-_./:=@%+,".IndexOf(c) >= 0))
                {
                    plain = false;
                }
            }

            sb.Append(plain ? w : "'" + w.Replace("'", "'\\''") + "'");
        }

        return sb.ToString();
    }

    private static void CheckPrismaDependency(string folder, List<FlyDiagnostic> diagnostics)
    {
        var path = Path.Combine(folder, "package.json");
        if (!File.Exists(path))
        {
            diagnostics.Add(FlyCodes.PrismaNotInDependencies.Create(
                "prisma/schema.prisma is there but package.json is not: `npx prisma migrate deploy` needs prisma in package.json \"dependencies\".", path, 0, 0));
            return;
        }

        JsonObject? json;
        try
        {
            json = JsonReader.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (JsonParseException e)
        {
            diagnostics.Add(FlyCodes.PrismaNotInDependencies.Create("package.json could not be read: " + e.Reason + ".", path, e.Line, e.Column));
            return;
        }

        if ((json?["dependencies"] as JsonObject)?["prisma"] is not null)
        {
            return;
        }

        if ((json?["devDependencies"] as JsonObject)?.Members.LastOrDefault(m => m.Key == "prisma") is { } dev)
        {
            diagnostics.Add(FlyCodes.PrismaNotInDependencies.Create(
                "prisma is in devDependencies, but the release command `npx prisma migrate deploy` runs in the production image, which omits dev dependencies (npm ci --omit=dev): npx would download an unpinned prisma at release time or fail. Move \"prisma\" to \"dependencies\".",
                path, dev.Line, dev.Column));
            return;
        }

        diagnostics.Add(FlyCodes.PrismaNotInDependencies.Create(
            "prisma is not in package.json \"dependencies\": the release command `npx prisma migrate deploy` would download an unpinned prisma at release time. Add \"prisma\" to \"dependencies\" (not devDependencies: images omit them).",
            path, 0, 0));
    }

    private static IEnumerable<string> RuntimeSources(string? directory)
    {
        if (directory is null)
        {
            return new[] { "FlyDatabaseUrl.cs", "Migrations/FlyMigrations.cs" };
        }

        var list = new List<string> { Path.Combine(directory, "FlyDatabaseUrl.cs") };
        var migrations = Path.Combine(directory, "Migrations");
        if (Directory.Exists(migrations))
        {
            var files = Directory.GetFiles(migrations, "*.cs");
            Array.Sort(files, StringComparer.Ordinal);
            list.AddRange(files);
        }

        return list;
    }

    /// <summary>What the image starts: the final stage's ENTRYPOINT and CMD, or the ENTRYPOINT the project declares when there is no Dockerfile.</summary>
    private sealed record ImageStart(ImageCommand? Entrypoint, ImageCommand? Cmd);

    private static ImageStart? ReadImage(ReleaseInputs inputs)
    {
        if (inputs.Dockerfile is { } dockerfile)
        {
            return new ImageStart(dockerfile.FinalStage?.Entrypoint, dockerfile.FinalStage?.Cmd);
        }

        return inputs.Entrypoint is { Count: > 0 } entry ? new ImageStart(ImageCommand.Exec(entry), null) : null;
    }

    private static (string? Command, int Line, int Column, string? Timeout) ReadExisting(FlyConfig? config)
    {
        // A malformed fly.toml has no release_command here: FlyValidate reports its syntax errors, and the command is
        // then planned from the properties alone.
        var command = config?.ReleaseCommand;
        return (command?.Value, command?.Position.Line ?? 0, command?.Position.Column ?? 0, config?.ReleaseCommandTimeout?.Value);
    }
}
