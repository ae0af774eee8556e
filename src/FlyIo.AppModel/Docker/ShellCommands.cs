using System.Collections.Generic;
using System.Text;

namespace FlyIo.AppModel.Docker;

/// <summary>
/// The simple commands of a RUN or CMD shell script, each as its words, the way /bin/sh would see them well enough to
/// read what a Dockerfile installs and starts: quotes ('...' literal, "..." with backslash escapes), backslash escapes
/// and line continuations, comments from a word-starting #, and commands separated by newlines, ;, &amp;, |, ( and ).
/// Variables are left as written; what a word expands to is not knowable here.
/// </summary>
public static class ShellCommands
{
    public static List<List<string>> Split(string script)
    {
        var commands = new List<List<string>>();
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var quote = '\0';

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

        for (var i = 0; i < script.Length; i++)
        {
            var c = script[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < script.Length)
                {
                    word.Append(script[++i]);
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    inWord = true;
                    break;
                case '\\' when i + 1 < script.Length:
                    // A backslash before a line break continues the line; before anything else it quotes that character.
                    if (script[i + 1] == '\r' && i + 2 < script.Length && script[i + 2] == '\n')
                    {
                        i += 2;
                    }
                    else if (script[i + 1] == '\n')
                    {
                        i++;
                    }
                    else
                    {
                        word.Append(script[++i]);
                        inWord = true;
                    }

                    break;
                case ';' or '&' or '|' or '(' or ')' or '\n':
                    EndCommand();
                    break;
                case '#' when !inWord:
                    while (i + 1 < script.Length && script[i + 1] != '\n')
                    {
                        i++;
                    }

                    break;
                default:
                    if (char.IsWhiteSpace(c))
                    {
                        EndWord();
                    }
                    else
                    {
                        word.Append(c);
                        inWord = true;
                    }

                    break;
            }
        }

        EndCommand();
        return commands;
    }
}
