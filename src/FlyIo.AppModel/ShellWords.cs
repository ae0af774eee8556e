using System.Collections.Generic;
using System.Text;

namespace FlyIo.AppModel;

/// <summary>The outcome of splitting a command line: the words, or why it cannot be split and where.</summary>
public sealed class ShellSplitResult
{
    internal ShellSplitResult(IReadOnlyList<string> words, string? error, int errorIndex)
    {
        Words = words;
        Error = error;
        ErrorIndex = errorIndex;
    }

    public IReadOnlyList<string> Words { get; }

    /// <summary>Null when the line split cleanly.</summary>
    public string? Error { get; }

    /// <summary>0-based index in the line where the problem starts (the opening quote, the lone backslash); -1 when none.</summary>
    public int ErrorIndex { get; }

    public bool Success => Error is null;
}

/// <summary>What a text is, which decides how it splits.</summary>
internal enum ShellSyntax
{
    /// <summary>A command flyctl splits (release_command, [processes]): '#' comments; unbalanced quotes are errors.</summary>
    FlyctlLine,

    /// <summary>A Dockerfile instruction's shell-form arguments: no comments; an unclosed quote runs to the end, as in Docker.</summary>
    DockerArguments,

    /// <summary>A /bin/sh script: also split into commands at ; &amp; | ( ) and line breaks; backslash-newline continues.</summary>
    Script,
}

/// <summary>
/// Splits shell text into words with POSIX quoting, the way flyctl does (github.com/google/shlex): blanks separate
/// words, single quotes are literal, double quotes allow \" \\ \$ \` escapes, a backslash escapes the next character,
/// and '#' at the start of a word comments out the rest of the line. Variables are left as written.
/// </summary>
public static class ShellWords
{
    /// <summary>A command line as flyctl splits it; unbalanced quotes and a trailing backslash are errors.</summary>
    public static ShellSplitResult Split(string line)
    {
        var commands = Scan(line, ShellSyntax.FlyctlLine, out var error, out var errorIndex);
        return new ShellSplitResult(commands.Count == 0 ? new List<string>() : commands[0], error, errorIndex);
    }

    /// <summary>A Dockerfile instruction's shell-form arguments as words; never fails.</summary>
    public static IReadOnlyList<string> SplitArguments(string text)
    {
        var commands = Scan(text, ShellSyntax.DockerArguments, out _, out _);
        return commands.Count == 0 ? new List<string>() : commands[0];
    }

    /// <summary>Reads <paramref name="text"/> into commands of words (one command unless it is a script).</summary>
    internal static List<List<string>> Scan(string text, ShellSyntax kind, out string? error, out int errorIndex)
    {
        var strict = kind == ShellSyntax.FlyctlLine;
        var commands = new List<List<string>>();
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        error = null;
        errorIndex = -1;

        void EndWord()
        {
            if (inWord)
            {
                words.Add(word.ToString());
            }

            word.Clear();
            inWord = false;
        }

        void EndCommand()
        {
            EndWord();
            if (words.Count > 0)
            {
                commands.Add(words);
                words = new List<string>();
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (kind == ShellSyntax.Script && ";&|()\n".IndexOf(c) >= 0)
            {
                EndCommand();
                continue;
            }

            if (c is ' ' or '\t' or '\n' or '\r')
            {
                EndWord();
                continue;
            }

            if (c == '#' && !inWord && kind != ShellSyntax.DockerArguments)
            {
                while (i + 1 < text.Length && text[i + 1] != '\n')
                {
                    i++;
                }

                continue;
            }

            // In a script a backslash before a line break joins the lines (flyctl keeps the line break as a character).
            if (c == '\\' && !strict && ContinuationLength(text, i + 1) is > 0 and var skip)
            {
                i += skip;
                continue;
            }

            inWord = true;
            if (c == '\\')
            {
                if (i + 1 < text.Length)
                {
                    word.Append(text[++i]);
                }
                else if (strict)
                {
                    (error, errorIndex) = ("it ends with a lone backslash (escape of nothing)", i);
                    break;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                var close = ReadQuoted(text, i, word);
                if (close < 0 && strict)
                {
                    (error, errorIndex) = (c == '\'' ? "a single quote is never closed" : "a double quote is never closed", i);
                    break;
                }

                i = close < 0 ? text.Length : close;
            }
            else
            {
                word.Append(c);
            }
        }

        if (error is null)
        {
            EndCommand();
        }
        else if (words.Count > 0)
        {
            commands.Add(words); // the words before the problem; the broken one is left out
        }

        return commands;
    }

    private static int ContinuationLength(string text, int at) =>
        at < text.Length && text[at] == '\n' ? 1
        : at + 1 < text.Length && text[at] == '\r' && text[at + 1] == '\n' ? 2
        : 0;

    /// <summary>Appends the quoted text opened at <paramref name="start"/>; returns the closing quote's index, or -1 (all the rest appended).</summary>
    private static int ReadQuoted(string text, int start, StringBuilder word)
    {
        var quote = text[start];
        for (var i = start + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == quote)
            {
                return i;
            }

            if (quote == '"' && c == '\\' && i + 1 < text.Length && "\"\\$`\n".IndexOf(text[i + 1]) >= 0)
            {
                c = text[++i];
            }

            word.Append(c);
        }

        return -1;
    }
}
