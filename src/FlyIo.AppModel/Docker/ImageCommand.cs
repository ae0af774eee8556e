using System.Collections.Generic;
using System.Linq;

namespace FlyIo.AppModel.Docker;

/// <summary>The ENTRYPOINT or CMD an image runs: exec form (a program and its arguments) or shell form (text /bin/sh -c runs).</summary>
public sealed class ImageCommand
{
    private ImageCommand(IReadOnlyList<string> words, bool isExecForm, string text, int line)
    {
        Words = words;
        IsExecForm = isExecForm;
        Text = text;
        Line = line;
    }

    /// <summary>Exec form: the array; shell form: the shell words of <see cref="Text"/>.</summary>
    public IReadOnlyList<string> Words { get; }

    public bool IsExecForm { get; }

    public bool IsShellForm => !IsExecForm;

    /// <summary>The instruction's argument as written.</summary>
    public string Text { get; }

    /// <summary>1-based line in the Dockerfile (0 when not from a file).</summary>
    public int Line { get; }

    /// <summary>The script a shell runs: the shell form, or an exec-form <c>["sh", "-c", script]</c>; null when a program runs directly.</summary>
    public string? ShellScript => IsExecForm ? DockerInstruction.ExecFormScript(Words) : Text;

    public static ImageCommand Of(DockerInstruction instruction) =>
        new(instruction.Words, instruction.IsExecForm, instruction.Command, instruction.Line);

    /// <summary>An exec form known without a Dockerfile, e.g. the ENTRYPOINT SDK container publishing gives an image.</summary>
    public static ImageCommand Exec(IReadOnlyList<string> words) =>
        new(words, true, "[" + string.Join(", ", words.Select(w => "\"" + w.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"")) + "]", 0);
}
