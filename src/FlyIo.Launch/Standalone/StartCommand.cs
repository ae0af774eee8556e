using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using FlyIo.AppModel.Docker;

namespace FlyIo.Launch.Standalone;

/// <summary>One word of a start command and where it is written, e.g. <c>Dockerfile(9): CMD</c> or <c>package.json: scripts.start</c>.</summary>
internal sealed record CommandWord(string Text, string Origin);

/// <summary>
/// A program the image starts, with its arguments: <c>uvicorn</c> for <c>python -m uvicorn</c>, <c>manage.py</c> for
/// <c>python manage.py</c>, <c>python</c> with the script first for <c>python app.py</c>, <c>node</c>, <c>npm</c>, ...
/// </summary>
/// <param name="ViaPython">True when a Python interpreter runs it (<c>python -m uvicorn</c>, <c>python app.py</c>).</param>
internal sealed record ServerInvocation(string Program, CommandWord ProgramWord, IReadOnlyList<CommandWord> Args, bool ViaPython);

/// <summary>
/// The programs the final stage's ENTRYPOINT and CMD run, as Docker runs them: an exec-form ENTRYPOINT takes CMD as
/// arguments, a shell form (or <c>sh -c</c>) is split into its simple commands, and launchers that only run another
/// program (<c>exec</c>, <c>env</c>, <c>poetry run</c>, <c>npx</c>, <c>tini --</c>) are looked through.
/// </summary>
internal static class StartCommand
{
    private static readonly Regex PythonProgram = new(@"^python(\d+(\.\d+)?)?$", RegexOptions.CultureInvariant);

    private static readonly Regex PortExpansion = new(@"\$(\{PORT\b|PORT\b)", RegexOptions.CultureInvariant);

    private static readonly Regex Assignment = new(@"^[A-Za-z_][A-Za-z0-9_]*=", RegexOptions.CultureInvariant);

    /// <summary>Launchers whose words before the real program are dropped (the count of words each takes).</summary>
    private static readonly Dictionary<string, int> Launchers = new(StringComparer.Ordinal)
    {
        ["exec"] = 1, ["npx"] = 1, ["dumb-init"] = 1, ["tini"] = 1, ["gosu"] = 2, ["su-exec"] = 2,
    };

    /// <summary>Package-manager wrappers written as two words: <c>poetry run uvicorn ...</c>.</summary>
    private static readonly HashSet<string> RunWrappers = new(StringComparer.Ordinal) { "poetry", "pipenv", "uv", "pdm", "hatch", "rye" };

    /// <summary>The programs the final stage starts; <paramref name="dockerfileName"/> names the file in each word's origin.</summary>
    public static List<ServerInvocation> Read(DockerStage? stage, string dockerfileName) =>
        stage is null ? new List<ServerInvocation>() : Resolve(SimpleCommands(stage, dockerfileName));

    /// <summary>The programs a script runs (a package.json script npm starts), each word marked with <paramref name="origin"/>.</summary>
    public static List<ServerInvocation> FromScript(string script, string origin) => Resolve(Script(script, origin));

    /// <summary>True when a word of the start command expands <c>$PORT</c>: the shell hands the variable to the server.</summary>
    public static bool ExpandsPortVariable(IEnumerable<ServerInvocation> invocations)
    {
        foreach (var invocation in invocations)
        {
            foreach (var word in invocation.Args)
            {
                if (PortExpansion.IsMatch(word.Text))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static List<ServerInvocation> Resolve(List<List<CommandWord>> commands)
    {
        var result = new List<ServerInvocation>();
        foreach (var words in commands)
        {
            if (Resolve(words) is { } invocation)
            {
                result.Add(invocation);
            }
        }

        return result;
    }

    private static List<List<CommandWord>> SimpleCommands(DockerStage stage, string dockerfileName)
    {
        var entrypoint = stage.Entrypoint;
        var cmd = stage.Cmd;
        var words = new List<CommandWord>();
        if (entrypoint is not null)
        {
            if (entrypoint.IsShellForm)
            {
                return Script(entrypoint.Text, Origin(dockerfileName, "ENTRYPOINT", entrypoint.Line)); // a shell-form ENTRYPOINT ignores CMD
            }

            words.AddRange(Words(entrypoint, Origin(dockerfileName, "ENTRYPOINT", entrypoint.Line)));
        }

        if (cmd is not null)
        {
            if (entrypoint is null && cmd.IsShellForm)
            {
                return Script(cmd.Text, Origin(dockerfileName, "CMD", cmd.Line));
            }

            words.AddRange(Words(cmd, Origin(dockerfileName, "CMD", cmd.Line)));
        }

        var texts = words.ConvertAll(w => w.Text);
        if (DockerInstruction.ExecFormScript(texts) is { } script)
        {
            return Script(script, words[2].Origin);
        }

        return words.Count == 0 ? new List<List<CommandWord>>() : new List<List<CommandWord>> { words };
    }

    private static string Origin(string dockerfileName, string keyword, int line) => $"{dockerfileName}({line}): {keyword}";

    private static IEnumerable<CommandWord> Words(ImageCommand command, string origin)
    {
        foreach (var word in command.Words)
        {
            yield return new CommandWord(word, origin);
        }
    }

    private static List<List<CommandWord>> Script(string script, string origin)
    {
        var commands = new List<List<CommandWord>>();
        foreach (var simple in ShellCommands.Split(script))
        {
            commands.Add(simple.ConvertAll(w => new CommandWord(w, origin)));
        }

        return commands;
    }

    private static ServerInvocation? Resolve(List<CommandWord> words)
    {
        var i = SkipLaunchers(words, 0);
        if (i >= words.Count)
        {
            return null;
        }

        var program = ProgramName(words[i].Text);
        if (!PythonProgram.IsMatch(program))
        {
            return new ServerInvocation(program, words[i], words.GetRange(i + 1, words.Count - i - 1), false);
        }

        // python [-u -O ...] -m module args | python script.py args
        var j = i + 1;
        while (j < words.Count && words[j].Text.StartsWith("-", StringComparison.Ordinal) && words[j].Text != "-m")
        {
            j++;
        }

        if (j + 1 < words.Count && words[j].Text == "-m")
        {
            return new ServerInvocation(words[j + 1].Text, words[j + 1], words.GetRange(j + 2, words.Count - j - 2), true);
        }

        if (j < words.Count && ProgramName(words[j].Text) == "manage.py")
        {
            return new ServerInvocation("manage.py", words[j], words.GetRange(j + 1, words.Count - j - 1), true);
        }

        return new ServerInvocation("python", words[i], words.GetRange(j, words.Count - j), true);
    }

    private static int SkipLaunchers(List<CommandWord> words, int i)
    {
        var guard = 0;
        while (i < words.Count && guard++ < 16)
        {
            var name = ProgramName(words[i].Text);
            if (Assignment.IsMatch(words[i].Text))
            {
                i++;
            }
            else if (name == "env")
            {
                i++;
                while (i < words.Count && (Assignment.IsMatch(words[i].Text) || words[i].Text.StartsWith("-", StringComparison.Ordinal)))
                {
                    i++;
                }
            }
            else if (Launchers.TryGetValue(name, out var count))
            {
                i += count;
                if (i < words.Count && words[i].Text == "--")
                {
                    i++;
                }
            }
            else if (RunWrappers.Contains(name) && i + 1 < words.Count && words[i + 1].Text == "run")
            {
                i += 2;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    /// <summary>The file name of a program path: <c>/usr/local/bin/uvicorn</c> is <c>uvicorn</c>.</summary>
    private static string ProgramName(string word)
    {
        var slash = word.LastIndexOf('/');
        return slash >= 0 ? word.Substring(slash + 1) : word;
    }
}
