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

/// <summary>
/// Splits a command line the way flyctl does (github.com/google/shlex, POSIX rules): blanks separate words,
/// single quotes are literal, double quotes allow \" \\ \$ \` escapes, a backslash escapes the next character,
/// and '#' at the start of a word begins a comment. Unbalanced quotes and a trailing backslash are errors.
/// </summary>
public static class ShellWords
{
    public static ShellSplitResult Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            {
                Flush(words, word, ref inWord);
                i++;
                continue;
            }

            if (c == '#' && !inWord)
            {
                break;
            }

            inWord = true;
            switch (c)
            {
                case '\\':
                    if (i + 1 >= line.Length)
                    {
                        return new ShellSplitResult(words, "it ends with a lone backslash (escape of nothing)", i);
                    }

                    word.Append(line[i + 1]);
                    i += 2;
                    break;
                case '\'':
                {
                    var close = line.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        return new ShellSplitResult(words, "a single quote is never closed", i);
                    }

                    word.Append(line, i + 1, close - i - 1);
                    i = close + 1;
                    break;
                }

                case '"':
                {
                    var end = ReadDoubleQuoted(line, i, word);
                    if (end < 0)
                    {
                        return new ShellSplitResult(words, "a double quote is never closed", i);
                    }

                    i = end;
                    break;
                }

                default:
                    word.Append(c);
                    i++;
                    break;
            }
        }

        Flush(words, word, ref inWord);
        return new ShellSplitResult(words, null, -1);
    }

    /// <summary>Reads from the opening quote at <paramref name="start"/>; returns the index after the closing quote, or -1.</summary>
    private static int ReadDoubleQuoted(string line, int start, StringBuilder word)
    {
        var i = start + 1;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '"')
            {
                return i + 1;
            }

            if (c == '\\' && i + 1 < line.Length && "\"\\$`\n".IndexOf(line[i + 1]) >= 0)
            {
                word.Append(line[i + 1]);
                i += 2;
                continue;
            }

            word.Append(c);
            i++;
        }

        return -1;
    }

    private static void Flush(List<string> words, StringBuilder word, ref bool inWord)
    {
        if (inWord)
        {
            words.Add(word.ToString());
            word.Clear();
            inWord = false;
        }
    }
}
