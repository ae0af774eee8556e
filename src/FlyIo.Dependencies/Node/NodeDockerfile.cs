using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.AppModel.Docker;

namespace FlyIo.Dependencies.Node;

/// <summary>How the image installs node_modules: whether dev dependencies are left out, and the line that decides it.</summary>
internal sealed record DevOmission(bool OmitsDev, int Line, string Reason);

/// <summary>
/// What a Dockerfile means for a Node app: the final image's start command, and whether its node_modules leaves out
/// devDependencies (ENV NODE_ENV, the package-manager installs, COPY --from of node_modules, through the stages).
/// </summary>
internal static class NodeDockerfile
{
    /// <summary>The final stage's ENTRYPOINT and CMD as one shell command line, with the line that sets it.</summary>
    public static List<KeyValuePair<string, int>> StartCommands(Dockerfile dockerfile)
    {
        var stage = dockerfile.FinalStage;
        var result = new List<KeyValuePair<string, int>>();
        if (stage?.Entrypoint is { } entrypoint)
        {
            var text = stage.Cmd is { } cmd ? ShellText(entrypoint) + " " + ShellText(cmd) : ShellText(entrypoint);
            result.Add(new KeyValuePair<string, int>(text, entrypoint.Line));
        }
        else if (stage?.Cmd is { } cmd)
        {
            result.Add(new KeyValuePair<string, int>(ShellText(cmd), cmd.Line));
        }

        return result;
    }

    /// <summary>The script a shell runs, or an exec form's words joined as a command line.</summary>
    private static string ShellText(ImageCommand command) => command.ShellScript ?? string.Join(" ", command.Words);

    /// <summary>Whether the final image's node_modules leaves out devDependencies, following stages and COPY --from.</summary>
    public static DevOmission? DevOmission(Dockerfile dockerfile)
    {
        var installs = new Dictionary<DockerStage, StageInstall>();
        foreach (var stage in dockerfile.Stages)
        {
            var current = new StageInstall(stage.BaseStage is null ? null : installs[stage.BaseStage]);
            installs[stage] = current;
            foreach (var instruction in stage.Instructions)
            {
                switch (instruction.Keyword)
                {
                    case "ENV":
                    case "ARG":
                        foreach (var pair in Dockerfile.ParseAssignments(instruction.Arguments, allowBare: instruction.Keyword == "ARG"))
                        {
                            if (pair.Key == "NODE_ENV" && pair.Value is not null)
                            {
                                current.NodeEnvProduction = pair.Value == "production";
                            }
                        }

                        break;
                    case "COPY":
                        if (instruction.Flag("from") is { } from && instruction.Words.Any(w => w.IndexOf("node_modules", StringComparison.Ordinal) >= 0))
                        {
                            // Only an earlier stage can be copied from; an image name leaves node_modules unknown.
                            current.NodeModulesFrom = dockerfile.FindStage(from) is { } source && installs.TryGetValue(source, out var copied) && copied != current ? copied : null;
                            current.Decision = null;
                        }

                        break;
                    case "RUN":
                        foreach (var words in instruction.SimpleCommands)
                        {
                            var decision = InstallDecision(words, current.EffectiveNodeEnvProduction, instruction.Line);
                            if (decision is not null)
                            {
                                current.Decision = decision;
                                current.NodeModulesFrom = null;
                            }
                        }

                        break;
                }
            }
        }

        return dockerfile.FinalStage is { } final ? Resolve(installs[final], 0) : null;
    }

    private static DevOmission? Resolve(StageInstall stage, int depth)
    {
        if (depth > 50)
        {
            return null;
        }

        if (stage.Decision is not null)
        {
            return stage.Decision;
        }

        if (stage.NodeModulesFrom is not null)
        {
            return Resolve(stage.NodeModulesFrom, depth + 1);
        }

        return stage.Base is null ? null : Resolve(stage.Base, depth + 1);
    }

    /// <summary>An install or prune command and whether it leaves dev dependencies out; null for any other command.</summary>
    internal static DevOmission? InstallDecision(List<string> words, bool nodeEnvProduction, int line)
    {
        var i = 0;
        var inlineProduction = nodeEnvProduction;
        while (i < words.Count && words[i].IndexOf('=') > 0 && !words[i].StartsWith("-", StringComparison.Ordinal))
        {
            if (words[i] == "NODE_ENV=production")
            {
                inlineProduction = true;
            }

            i++;
        }

        if (i >= words.Count)
        {
            return null;
        }

        var tool = words[i];
        var rest = words.Skip(i + 1).ToList();
        var sub = rest.FirstOrDefault(w => !w.StartsWith("-", StringComparison.Ordinal)) ?? string.Empty;
        var flags = new HashSet<string>(rest.Where(w => w.StartsWith("-", StringComparison.Ordinal)), StringComparer.Ordinal);
        var text = string.Join(" ", words);
        if (flags.Contains("-g") || flags.Contains("--global"))
        {
            return null;
        }

        var positional = 0;
        for (var k = 0; k < rest.Count; k++)
        {
            if (rest[k].StartsWith("-", StringComparison.Ordinal))
            {
                if (OptionsWithValue.Contains(rest[k]))
                {
                    k++;
                }

                continue;
            }

            positional++;
        }

        var omitDevFlag = flags.Contains("--omit=dev") || flags.Contains("--production") || flags.Contains("--only=production")
                          || flags.Contains("--only=prod") || flags.Contains("--prod") || flags.Contains("-P")
                          || ContainsPair(rest, "--omit", "dev") || ContainsPair(rest, "--only", "production");
        switch (tool)
        {
            case "npm":
                if ((sub == "ci" || sub == "clean-install" || sub == "install" || sub == "i") && positional == 1)
                {
                    return new DevOmission(omitDevFlag || inlineProduction, line, text);
                }

                if (sub == "prune" && omitDevFlag)
                {
                    return new DevOmission(true, line, text);
                }

                return null;
            case "yarn":
                if ((sub == "install" && positional == 1) || positional == 0)
                {
                    return new DevOmission(omitDevFlag || inlineProduction, line, text);
                }

                if (sub == "workspaces" && rest.Contains("focus"))
                {
                    return new DevOmission(omitDevFlag, line, text);
                }

                return null;
            case "pnpm":
                if ((sub == "install" || sub == "i") && positional == 1)
                {
                    return new DevOmission(omitDevFlag || inlineProduction, line, text);
                }

                if (sub == "prune" && omitDevFlag)
                {
                    return new DevOmission(true, line, text);
                }

                return null;
            default:
                return null;
        }
    }

    private static readonly HashSet<string> OptionsWithValue = new(StringComparer.Ordinal)
    {
        "--omit", "--only", "--include", "--prefix", "--workspace", "-w", "--filter", "--cache", "--registry",
    };

    private static bool ContainsPair(List<string> words, string first, string second)
    {
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (words[i] == first && words[i + 1] == second)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What one stage's instructions did to node_modules, on top of the stage it is built FROM.</summary>
    private sealed class StageInstall
    {
        public StageInstall(StageInstall? baseStage) => Base = baseStage;

        public StageInstall? Base { get; }

        public bool? NodeEnvProduction { get; set; }

        public bool EffectiveNodeEnvProduction => NodeEnvProduction ?? Base?.EffectiveNodeEnvProduction ?? false;

        public DevOmission? Decision { get; set; }

        public StageInstall? NodeModulesFrom { get; set; }
    }
}
