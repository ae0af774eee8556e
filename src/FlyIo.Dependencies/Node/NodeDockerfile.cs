using FlyIo.AppModel;
using FlyIo.Json;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

using FlyIo.AppModel.Docker;

namespace FlyIo.Dependencies.Node;

/// <summary>One Dockerfile instruction after joining line continuations and dropping comment lines.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line);

/// <summary>How the image installs node_modules: whether dev dependencies are left out, and the line that decides it.</summary>
internal sealed record DevOmission(bool OmitsDev, int Line, string Reason);

/// <summary>
/// Just enough of a Dockerfile for Node apps: instructions (continuations, comments), stages, ENV NODE_ENV,
/// the package-manager installs, COPY --from of node_modules, and the final CMD/ENTRYPOINT.
/// </summary>
internal sealed class NodeDockerfile
{
    private NodeDockerfile(List<DockerInstruction> instructions) => Instructions = instructions;

    public List<DockerInstruction> Instructions { get; }

    public static NodeDockerfile Read(string path) => Parse(File.ReadAllText(path));

    public static NodeDockerfile Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var escape = '\\';
        var result = new List<DockerInstruction>();
        var builder = new StringBuilder();
        var startLine = 0;
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index];
            var trimmed = line.Trim();
            if (builder.Length == 0 && trimmed.StartsWith("#", StringComparison.Ordinal))
            {
                if (result.Count == 0 && trimmed.Replace(" ", string.Empty).StartsWith("#escape=`", StringComparison.OrdinalIgnoreCase))
                {
                    escape = '`';
                }

                continue;
            }

            if (builder.Length > 0 && trimmed.StartsWith("#", StringComparison.Ordinal))
            {
                continue; // comment lines inside a continuation are dropped
            }

            if (builder.Length == 0)
            {
                if (trimmed.Length == 0)
                {
                    continue;
                }

                startLine = index + 1;
            }

            var continued = trimmed.Length > 0 && trimmed[trimmed.Length - 1] == escape;
            builder.Append(continued ? trimmed.Substring(0, trimmed.Length - 1).TrimEnd() : trimmed).Append(' ');
            if (continued)
            {
                continue;
            }

            Add(result, builder.ToString().Trim(), startLine);
            builder.Clear();
        }

        if (builder.Length > 0)
        {
            Add(result, builder.ToString().Trim(), startLine);
        }

        return new NodeDockerfile(result);
    }

    private static void Add(List<DockerInstruction> result, string text, int line)
    {
        var space = text.IndexOfAny(new[] { ' ', '\t' });
        var keyword = (space < 0 ? text : text.Substring(0, space)).ToUpperInvariant();
        var arguments = space < 0 ? string.Empty : text.Substring(space + 1).Trim();
        result.Add(new DockerInstruction(keyword, arguments, line));
    }

    /// <summary>The CMD and ENTRYPOINT of the final stage as shell text, with their line.</summary>
    public List<KeyValuePair<string, int>> StartCommands()
    {
        string? entrypoint = null;
        string? cmd = null;
        var entryLine = 0;
        var cmdLine = 0;
        foreach (var instruction in Instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                entrypoint = cmd = null;
            }
            else if (instruction.Keyword == "CMD")
            {
                cmd = ShellText(instruction.Arguments);
                cmdLine = instruction.Line;
            }
            else if (instruction.Keyword == "ENTRYPOINT")
            {
                entrypoint = ShellText(instruction.Arguments);
                entryLine = instruction.Line;
            }
        }

        var result = new List<KeyValuePair<string, int>>();
        if (entrypoint is not null)
        {
            result.Add(new KeyValuePair<string, int>(cmd is null ? entrypoint : entrypoint + " " + cmd, entryLine));
        }
        else if (cmd is not null)
        {
            result.Add(new KeyValuePair<string, int>(cmd, cmdLine));
        }

        return result;
    }

    /// <summary>Exec form <c>["node", "a.js"]</c> or shell form, as one shell command line.</summary>
    private static string ShellText(string arguments)
    {
        if (arguments.StartsWith("[", StringComparison.Ordinal))
        {
            try
            {
                if (JsonReader.Parse(arguments) is JsonArray array)
                {
                    var words = array.Items.OfType<JsonString>().Select(s => s.Value).ToList();

                    // ["sh", "-c", "script"] runs the script.
                    if (words.Count >= 3 && (words[0] == "sh" || words[0] == "/bin/sh" || words[0] == "bash" || words[0] == "/bin/bash") && words[1] == "-c")
                    {
                        return words[2];
                    }

                    return string.Join(" ", words);
                }
            }
            catch (JsonParseException)
            {
                // a malformed exec form is a shell form to Docker
            }
        }

        return arguments;
    }

    /// <summary>Whether the final image's node_modules leaves out devDependencies, following stages and COPY --from.</summary>
    public DevOmission? DevOmission()
    {
        var stages = new List<Stage>();
        Stage? current = null;
        foreach (var instruction in Instructions)
        {
            var words = ShellWords.Split(instruction.Arguments);
            switch (instruction.Keyword)
            {
                case "FROM":
                {
                    var image = words.FirstOrDefault(w => !w.StartsWith("--", StringComparison.Ordinal)) ?? string.Empty;
                    var asIndex = words.FindIndex(w => string.Equals(w, "AS", StringComparison.OrdinalIgnoreCase));
                    var name = asIndex >= 0 && asIndex + 1 < words.Count ? words[asIndex + 1] : null;
                    var baseStage = stages.LastOrDefault(s => string.Equals(s.Name, image, StringComparison.OrdinalIgnoreCase));
                    current = new Stage(name, baseStage) { Index = stages.Count };
                    stages.Add(current);
                    break;
                }

                case "ENV":
                case "ARG":
                    if (current is not null)
                    {
                        var value = EnvValue(words, "NODE_ENV");
                        if (value is not null)
                        {
                            current.NodeEnvProduction = value == "production";
                        }
                    }

                    break;
                case "COPY":
                    if (current is not null)
                    {
                        var from = words.FirstOrDefault(w => w.StartsWith("--from=", StringComparison.OrdinalIgnoreCase));
                        if (from is not null && words.Any(w => w.IndexOf("node_modules", StringComparison.Ordinal) >= 0))
                        {
                            var source = from.Substring("--from=".Length);
                            current.NodeModulesFrom = stages.LastOrDefault(s => string.Equals(s.Name, source, StringComparison.OrdinalIgnoreCase))
                                                      ?? (int.TryParse(source, out var n) && n < stages.Count ? stages[n] : null);
                            current.Decision = null;
                        }
                    }

                    break;
                case "RUN":
                    if (current is not null)
                    {
                        foreach (var segment in ShellWords.Commands(instruction.Arguments))
                        {
                            var decision = InstallDecision(segment, current.EffectiveNodeEnvProduction, instruction.Line);
                            if (decision is not null)
                            {
                                current.Decision = decision;
                                current.NodeModulesFrom = null;
                            }
                        }
                    }

                    break;
            }
        }

        return current is null ? null : Resolve(current, 0);
    }

    private static DevOmission? Resolve(Stage stage, int depth)
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

    private static string? EnvValue(List<string> words, string key)
    {
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word.StartsWith(key + "=", StringComparison.Ordinal))
            {
                return word.Substring(key.Length + 1).Trim('"', '\'');
            }

            if (word == key && i + 1 < words.Count && words.Count == 2)
            {
                return words[i + 1].Trim('"', '\''); // legacy "ENV KEY value"
            }
        }

        return null;
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

    private sealed class Stage
    {
        public Stage(string? name, Stage? baseStage)
        {
            Name = name;
            Base = baseStage;
        }

        public string? Name { get; }

        public Stage? Base { get; }

        public int Index { get; set; }

        public bool? NodeEnvProduction { get; set; }

        public bool EffectiveNodeEnvProduction => NodeEnvProduction ?? Base?.EffectiveNodeEnvProduction ?? false;

        public DevOmission? Decision { get; set; }

        public Stage? NodeModulesFrom { get; set; }
    }
}

/// <summary>Shell words of RUN and CMD scripts (<see cref="ShellCommands"/>), flat or by command.</summary>
internal static class ShellWords
{
    public static List<string> Split(string text)
    {
        var all = new List<string>();
        foreach (var command in ShellCommands.Split(text))
        {
            all.AddRange(command);
        }

        return all;
    }

    public static List<List<string>> Commands(string text) => ShellCommands.Split(text);
}
