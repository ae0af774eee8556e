using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace FlyIo.Release;

/// <summary>An ENTRYPOINT or CMD instruction: exec form (a JSON array) or shell form (run by /bin/sh -c).</summary>
public sealed class ImageCommand
{
    public ImageCommand(IReadOnlyList<string> words, bool isShellForm, string text, int line)
    {
        Words = words;
        IsShellForm = isShellForm;
        Text = text;
        Line = line;
    }

    /// <summary>Exec form: the array; shell form: <c>/bin/sh -c "text"</c>.</summary>
    public IReadOnlyList<string> Words { get; }

    public bool IsShellForm { get; }

    /// <summary>The instruction's argument as written.</summary>
    public string Text { get; }

    /// <summary>1-based line in the Dockerfile (0 when not from a file).</summary>
    public int Line { get; }

    public static ImageCommand Exec(params string[] words) => new(words, false, "[" + string.Join(", ", words) + "]", 0);
}

/// <summary>The final stage's ENTRYPOINT and CMD, following <c>FROM stage</c> through earlier stages of the same file.</summary>
public sealed class DockerfileEntrypoint
{
    public ImageCommand? Entrypoint { get; private set; }

    public ImageCommand? Cmd { get; private set; }

    /// <summary>The final stage's base (its FROM), for messages.</summary>
    public string? BaseImage { get; private set; }

    public static DockerfileEntrypoint Read(string path) => Parse(File.ReadAllText(path));

    public static DockerfileEntrypoint Parse(string text)
    {
        var stages = new Dictionary<string, DockerfileEntrypoint>(StringComparer.OrdinalIgnoreCase);
        DockerfileEntrypoint? current = null;
        foreach (var (instruction, argument, line) in Instructions(text))
        {
            switch (instruction)
            {
                case "FROM":
                    var words = argument.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                    var image = string.Empty;
                    string? alias = null;
                    for (var i = 0; i < words.Length; i++)
                    {
                        if (words[i].StartsWith("--", StringComparison.Ordinal))
                        {
                            continue;
                        }

                        if (image.Length == 0)
                        {
                            image = words[i];
                        }
                        else if (string.Equals(words[i], "AS", StringComparison.OrdinalIgnoreCase) && i + 1 < words.Length)
                        {
                            alias = words[i + 1];
                        }
                    }

                    current = new DockerfileEntrypoint { BaseImage = image };
                    if (stages.TryGetValue(image, out var parent))
                    {
                        current.Entrypoint = parent.Entrypoint;
                        current.Cmd = parent.Cmd;
                        current.BaseImage = parent.BaseImage;
                    }

                    if (alias is not null)
                    {
                        stages[alias] = current;
                    }

                    break;
                case "ENTRYPOINT":
                    if (current is not null)
                    {
                        current.Entrypoint = ParseCommand(argument, line);
                        current.Cmd = null; // Docker resets an inherited CMD when ENTRYPOINT is set.
                    }

                    break;
                case "CMD":
                    if (current is not null)
                    {
                        current.Cmd = ParseCommand(argument, line);
                    }

                    break;
            }
        }

        return current ?? new DockerfileEntrypoint();
    }

    internal static ImageCommand ParseCommand(string argument, int line)
    {
        var text = argument.Trim();
        if (text.StartsWith("[", StringComparison.Ordinal) && TryParseJsonArray(text, out var words))
        {
            return new ImageCommand(words, false, text, line);
        }

        return new ImageCommand(new[] { "/bin/sh", "-c", text }, true, text, line);
    }

    private static IEnumerable<(string Instruction, string Argument, int Line)> Instructions(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            var start = i;
            var sb = new StringBuilder();
            var current = lines[i].TrimEnd();
            while (current.EndsWith("\\", StringComparison.Ordinal) && i + 1 < lines.Length)
            {
                sb.Append(current.Substring(0, current.Length - 1)).Append(' ');
                i++;
                while (i < lines.Length && lines[i].Trim().StartsWith("#", StringComparison.Ordinal))
                {
                    i++;
                }

                current = i < lines.Length ? lines[i].TrimEnd() : string.Empty;
            }

            sb.Append(current);
            var full = sb.ToString().Trim();
            var space = full.IndexOfAny(new[] { ' ', '\t' });
            var instruction = (space < 0 ? full : full.Substring(0, space)).ToUpperInvariant();
            yield return (instruction, space < 0 ? string.Empty : full.Substring(space + 1).Trim(), start + 1);
        }
    }

    private static bool TryParseJsonArray(string text, out List<string> words)
    {
        words = new List<string>();
        var i = 1;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i < text.Length && text[i] == ']' && words.Count == 0)
            {
                return i == text.Length - 1;
            }

            if (i >= text.Length || text[i] != '"')
            {
                return false;
            }

            var sb = new StringBuilder();
            i++;
            while (i < text.Length && text[i] != '"')
            {
                if (text[i] == '\\' && i + 1 < text.Length)
                {
                    i++;
                    switch (text[i])
                    {
                        case 'n': sb.Append('\n'); break;
                        case 't': sb.Append('\t'); break;
                        default: sb.Append(text[i]); break;
                    }
                }
                else
                {
                    sb.Append(text[i]);
                }

                i++;
            }

            if (i >= text.Length)
            {
                return false;
            }

            words.Add(sb.ToString());
            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i < text.Length && text[i] == ',')
            {
                i++;
                continue;
            }

            return i == text.Length - 1 && text[i] == ']';
        }
    }
}
