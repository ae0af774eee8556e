using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.AppModel;
using FlyIo.AppModel.Docker;
using FlyIo.Diagnostics;

namespace FlyIo.Images;

/// <summary>
/// Scripts a user's own Dockerfile copies in and runs (ENTRYPOINT, CMD, <c>RUN ./x.sh</c>, the release command): one
/// saved with CRLF line endings, or with a byte order mark before its <c>#!</c>, fails in the container with "no such
/// file or directory" (exit 127), since the kernel reads the interpreter as <c>/bin/sh\r</c>. Each is FLY3012 at the
/// script's first bad line, unless the Dockerfile strips the carriage returns itself (<c>sed</c> on <c>\r</c>,
/// <c>dos2unix</c>) after copying it.
/// </summary>
public static class DockerfileScripts
{
    /// <summary>Checks the final stage of <paramref name="dockerfile"/>, whose build context is <paramref name="contextDirectory"/>.</summary>
    public static IReadOnlyList<FlyDiagnostic> Check(Dockerfile dockerfile, string contextDirectory, string? releaseCommand)
    {
        var diagnostics = new List<FlyDiagnostic>();
        var stage = dockerfile.FinalStage;
        if (stage is null)
        {
            return diagnostics;
        }

        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (run, how, line) in ScriptsRun(stage, releaseCommand))
        {
            var copy = FindCopy(stage, run);
            if (copy is null)
            {
                continue;
            }

            var source = Path.GetFullPath(Path.Combine(contextDirectory, copy.Value.Source));
            if (!File.Exists(source) || !reported.Add(source) || Normalised(stage, run))
            {
                continue;
            }

            var (badLine, what) = Problem(source);
            if (badLine == 0)
            {
                continue;
            }

            var name = Path.GetFileName(source);
            diagnostics.Add(FlyCodes.UserScriptLineEndings.Create(
                $"{name} has {what}, and the image runs it ({how} at {Path.GetFileName(dockerfile.Path ?? "Dockerfile")} line {line}): in the container " +
                $"it fails with \"{run}: no such file or directory\" (exit 127). Save it with LF endings and no BOM (add \"*.sh text eol=lf\" to " +
                $".gitattributes, or run sed -i 's/\\r$//' {name}), or strip them in the Dockerfile after copying: RUN sed -i 's/\\r$//' {run}.",
                source, badLine, 1));
        }

        return diagnostics;
    }

    /// <summary>Image paths of scripts the final stage runs, how, and on which Dockerfile line.</summary>
    private static IEnumerable<(string Path, string How, int Line)> ScriptsRun(DockerStage stage, string? releaseCommand)
    {
        string? entrypoint = null;
        foreach (var instruction in stage.Instructions)
        {
            switch (instruction.Keyword)
            {
                case "ENTRYPOINT" or "CMD":
                    if (Script(instruction.Words, instruction.Workdir) is { } script)
                    {
                        if (instruction.Keyword == "ENTRYPOINT")
                        {
                            entrypoint = script;
                        }

                        yield return (script, instruction.Keyword, instruction.Line);
                    }

                    break;
                case "RUN":
                    foreach (var command in instruction.SimpleCommands)
                    {
                        if (Script(command, instruction.Workdir) is { } run)
                        {
                            yield return (run, "RUN", instruction.Line);
                        }
                    }

                    break;
            }
        }

        // The release command replaces CMD only: it runs through the ENTRYPOINT (already listed) or on its own.
        if (!string.IsNullOrWhiteSpace(releaseCommand) && entrypoint is null)
        {
            // It runs where the image ends up: the final WORKDIR.
            if (Script(ShellWords.Split(releaseCommand!).Words, stage.FinalWorkdir) is { } release)
            {
                yield return (release, "release_command", stage.From.Line);
            }
        }
    }

    /// <summary>The script a command line runs: <c>./x.sh</c>, <c>/app/x.sh</c>, or <c>sh|bash x.sh</c>; null when it runs a program.</summary>
    private static string? Script(IReadOnlyList<string> words, string workdir)
    {
        if (words.Count == 0)
        {
            return null;
        }

        var first = words[0];
        var shell = Path.GetFileName(first) is "sh" or "bash" or "dash" or "ash";
        var target = shell ? words.Skip(1).FirstOrDefault(w => !w.StartsWith("-", StringComparison.Ordinal)) : first;
        if (target is null || target.IndexOf('$') >= 0)
        {
            return null;
        }

        var looksLikeScript = target.EndsWith(".sh", StringComparison.Ordinal) || (!shell && (target.StartsWith("./", StringComparison.Ordinal) || target.StartsWith("/", StringComparison.Ordinal) && !target.StartsWith("/bin/", StringComparison.Ordinal) && !target.StartsWith("/usr/", StringComparison.Ordinal)));
        return looksLikeScript ? DockerPaths.Resolve(workdir, target) : null;
    }

    /// <summary>The COPY (or ADD) from the build context that put <paramref name="imagePath"/> in place, and the context path it came from.</summary>
    private static (DockerCopy Copy, string Source)? FindCopy(DockerStage stage, string imagePath)
    {
        (DockerCopy, string)? found = null;
        foreach (var copy in stage.Copies.Where(c => c.FromBuildContext))
        {
            var destination = copy.AbsoluteDestination;
            var intoDirectory = copy.Destination.EndsWith("/", StringComparison.Ordinal) || copy.Sources.Count > 1;
            foreach (var source in copy.Sources)
            {
                var trimmed = source.TrimEnd('/');
                if (trimmed is "." or "")
                {
                    // COPY . /app: the whole context lands under the destination.
                    if (imagePath.StartsWith(destination.TrimEnd('/') + "/", StringComparison.Ordinal))
                    {
                        found = (copy, imagePath.Substring(destination.TrimEnd('/').Length + 1));
                    }

                    continue;
                }

                var fileName = Path.GetFileName(trimmed);
                if ((intoDirectory && imagePath == destination.TrimEnd('/') + "/" + fileName) || (!intoDirectory && imagePath == destination))
                {
                    found = (copy, trimmed);
                }
                else if (imagePath.StartsWith(destination.TrimEnd('/') + "/", StringComparison.Ordinal) && !trimmed.Contains("*"))
                {
                    // COPY scripts/ /app/scripts/: a file inside a copied directory.
                    found = (copy, trimmed + "/" + imagePath.Substring(destination.TrimEnd('/').Length + 1));
                }
            }
        }

        return found;
    }

    /// <summary>Whether a RUN strips carriage returns from the script (or from every script) before it runs.</summary>
    private static bool Normalised(DockerStage stage, string imagePath)
    {
        var name = Path.GetFileName(imagePath);
        return stage.Instructions.Where(i => i.Keyword == "RUN").Any(i =>
        {
            var text = i.Command;
            var strips = text.Contains("dos2unix") || (text.Contains("sed") && text.Contains("\\r"));
            return strips && (text.Contains(name) || text.Contains("*.sh") || text.Contains("find "));
        });
    }

    /// <summary>The first line with a CR, or 1 for a BOM before <c>#!</c>; 0 when the script is fine.</summary>
    private static (int Line, string What) Problem(string path)
    {
        var crlf = ShellScripts.FirstCrlfLine(path);
        if (crlf > 0)
        {
            return (crlf, "Windows (CRLF) line endings");
        }

        var start = new byte[5];
        using (var stream = File.OpenRead(path))
        {
            var read = stream.Read(start, 0, start.Length);
            if (read >= 5 && start[0] == 0xEF && start[1] == 0xBB && start[2] == 0xBF && start[3] == (byte)'#' && start[4] == (byte)'!')
            {
                return (1, "a byte order mark before its #! line");
            }
        }

        return (0, "");
    }
}
