using System;
using System.Collections.Generic;

namespace FlyIo.AppModel.Docker;

/// <summary>
/// One Dockerfile instruction after line continuations are joined and comment lines dropped.
/// <see cref="Line"/>/<see cref="Column"/> point at the keyword (1-based); <see cref="EndLine"/> is its last physical line.
/// </summary>
public sealed class DockerInstruction
{
    public DockerInstruction(
        string keyword,
        string arguments,
        int line,
        int column,
        int endLine,
        IReadOnlyList<KeyValuePair<string, string?>> flags,
        string command,
        bool isExecForm,
        IReadOnlyList<string> words,
        IReadOnlyList<string> heredocs)
    {
        Keyword = keyword;
        Arguments = arguments;
        Line = line;
        Column = column;
        EndLine = endLine;
        Flags = flags;
        Command = command;
        IsExecForm = isExecForm;
        Words = words;
        Heredocs = heredocs;
    }

    /// <summary>The instruction keyword in upper case: FROM, RUN, COPY ...</summary>
    public string Keyword { get; }

    /// <summary>Everything after the keyword, continuations joined with a space (flags included).</summary>
    public string Arguments { get; }

    public int Line { get; }

    public int Column { get; }

    public int EndLine { get; }

    /// <summary>Leading <c>--name=value</c> or <c>--name</c> flags (COPY --from, RUN --mount, FROM --platform).</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Flags { get; }

    /// <summary>True when the arguments after the flags are a JSON array (exec form).</summary>
    public bool IsExecForm { get; }

    /// <summary>The arguments after the flags: JSON array items (exec form) or shell-like words (shell form).</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Bodies of here-documents (<c>RUN &lt;&lt;EOF</c>) that belong to this instruction.</summary>
    public IReadOnlyList<string> Heredocs { get; }

    /// <summary>The arguments without the leading flags (shell form text, or the JSON array as written).</summary>
    public string Command { get; }

    /// <summary>The script a RUN executes: its command plus any here-document bodies.</summary>
    public string Script => Heredocs.Count == 0 ? Command : Command + "\n" + string.Join("\n", Heredocs);

    /// <summary>The script a shell runs: the shell form (with here-documents) or an exec-form <c>["sh", "-c", script]</c>; null when an exec form runs a program directly.</summary>
    public string? ShellScript => IsExecForm ? ExecFormScript(Words) : Script;

    /// <summary>The simple commands a RUN runs, each as its words: a script splits by <see cref="ShellCommands"/>; a program run directly is one.</summary>
    public List<List<string>> SimpleCommands =>
        ShellScript is { } script ? ShellCommands.Split(script) : new List<List<string>> { new(Words) };

    /// <summary>The script of an exec form that starts a shell on it (<c>["/bin/sh", "-c", "npm ci &amp;&amp; node a.js"]</c>), else null.</summary>
    public static string? ExecFormScript(IReadOnlyList<string> words) =>
        words.Count >= 3 && words[1] == "-c" && words[0] is "sh" or "/bin/sh" or "bash" or "/bin/bash" ? words[2] : null;

    public string? Flag(string name)
    {
        foreach (var flag in Flags)
        {
            if (string.Equals(flag.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return flag.Value ?? string.Empty;
            }
        }

        return null;
    }

    public bool HasFlag(string name) => Flag(name) is not null;

    /// <summary>The WORKDIR in force when this instruction runs (variables substituted; for a WORKDIR, the one before it).</summary>
    public string Workdir { get; internal set; } = "/";

    public override string ToString() => $"{Line}: {Keyword} {Arguments}";
}
