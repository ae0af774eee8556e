using System.Collections.Generic;
using System.Text;

namespace FlyIo.Dependencies.Python;

public enum PyTokenKind
{
    Name,
    String,
    Number,
    Op,
}

/// <summary>One Python token; <see cref="Value"/> is the body of a non-f string literal (escapes left as written).</summary>
public sealed class PyToken
{
    public PyToken(PyTokenKind kind, string text, int line, int column, string? value = null)
    {
        Kind = kind;
        Text = text;
        Line = line;
        Column = column;
        Value = value;
    }

    public PyTokenKind Kind { get; }

    public string Text { get; }

    public int Line { get; }

    public int Column { get; }

    public string? Value { get; }

    public bool Is(string text) => Kind != PyTokenKind.String && Text == text;

    public override string ToString() => Text;
}

/// <summary>A logical line: the tokens between two NEWLINEs (brackets and backslashes join physical lines).</summary>
public sealed class PyLogicalLine
{
    public PyLogicalLine(List<PyToken> tokens) => Tokens = tokens;

    public List<PyToken> Tokens { get; }

    /// <summary>Indentation: the 0-based column of the first token.</summary>
    public int Indent => Tokens[0].Column - 1;
}

/// <summary>
/// A lexical Python tokenizer: comments, every string form (quotes, triple quotes, r/b/f/u/t prefixes, nested
/// f-string fields), bracket and backslash line joining. It never throws: malformed input ends a token early.
/// </summary>
public static class PythonTokenizer
{
    public static List<PyLogicalLine> Tokenize(string text)
    {
        var lines = new List<PyLogicalLine>();
        var current = new List<PyToken>();
        var depth = 0;
        var line = 1;
        var lineStart = 0;
        var i = 0;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            i = 1;
            lineStart = 1;
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (c == '\\' && (Peek(text, i + 1) == '\n' || (Peek(text, i + 1) == '\r' && Peek(text, i + 2) == '\n')))
            {
                i += Peek(text, i + 1) == '\r' ? 3 : 2;
                line++;
                lineStart = i;
                continue;
            }

            if (c == '\n')
            {
                i++;
                line++;
                lineStart = i;
                if (depth == 0 && current.Count > 0)
                {
                    lines.Add(new PyLogicalLine(current));
                    current = new List<PyToken>();
                }

                continue;
            }

            if (c == ' ' || c == '\t' || c == '\r' || c == '\f')
            {
                i++;
                continue;
            }

            var column = i - lineStart + 1;
            if (IsIdentifierStart(c))
            {
                var start = i;
                while (i < text.Length && IsIdentifierPart(text[i]))
                {
                    i++;
                }

                var word = text.Substring(start, i - start);
                if (i < text.Length && (text[i] == '"' || text[i] == '\'') && IsStringPrefix(word))
                {
                    var startLine = line;
                    var value = ReadString(text, ref i, word.ToLowerInvariant(), ref line, ref lineStart);
                    current.Add(new PyToken(PyTokenKind.String, text.Substring(start, i - start), startLine, column, value));
                    continue;
                }

                current.Add(new PyToken(PyTokenKind.Name, word, line, column));
                continue;
            }

            if (c == '"' || c == '\'')
            {
                var start = i;
                var startLine = line;
                var value = ReadString(text, ref i, string.Empty, ref line, ref lineStart);
                current.Add(new PyToken(PyTokenKind.String, text.Substring(start, i - start), startLine, column, value));
                continue;
            }

            if (char.IsDigit(c) || (c == '.' && char.IsDigit(Peek(text, i + 1))))
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '.' || text[i] == '_'))
                {
                    i++;
                }

                current.Add(new PyToken(PyTokenKind.Number, text.Substring(start, i - start), line, column));
                continue;
            }

            if (c == '(' || c == '[' || c == '{')
            {
                depth++;
            }
            else if ((c == ')' || c == ']' || c == '}') && depth > 0)
            {
                depth--;
            }

            if ((c == ':' || c == '-') && (Peek(text, i + 1) == '=' || Peek(text, i + 1) == '>'))
            {
                current.Add(new PyToken(PyTokenKind.Op, text.Substring(i, 2), line, column));
                i += 2;
                continue;
            }

            current.Add(new PyToken(PyTokenKind.Op, c.ToString(), line, column));
            i++;
        }

        if (current.Count > 0)
        {
            lines.Add(new PyLogicalLine(current));
        }

        return lines;
    }

    private static char Peek(string text, int index) => index < text.Length ? text[index] : '\0';

    private static bool IsIdentifierStart(char c) => c == '_' || char.IsLetter(c);

    private static bool IsIdentifierPart(char c) => c == '_' || char.IsLetterOrDigit(c);

    private static bool IsStringPrefix(string word)
    {
        if (word.Length > 2)
        {
            return false;
        }

        foreach (var ch in word.ToLowerInvariant())
        {
            if (ch != 'r' && ch != 'b' && ch != 'u' && ch != 'f' && ch != 't')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads a string starting at its opening quote; returns its body, or null for f/t-strings.</summary>
    private static string? ReadString(string text, ref int i, string prefix, ref int line, ref int lineStart)
    {
        var formatted = prefix.IndexOf('f') >= 0 || prefix.IndexOf('t') >= 0;
        var quote = text[i];
        var triple = Peek(text, i + 1) == quote && Peek(text, i + 2) == quote;
        i += triple ? 3 : 1;
        var body = new StringBuilder();
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                if (!triple)
                {
                    return formatted ? null : body.ToString(); // unterminated: stop at the end of the line
                }

                line++;
                lineStart = i + 1;
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                body.Append(c).Append(text[i + 1]);
                if (text[i + 1] == '\n')
                {
                    line++;
                    lineStart = i + 2;
                }

                i += 2;
                continue;
            }

            if (c == quote && (!triple || (Peek(text, i + 1) == quote && Peek(text, i + 2) == quote)))
            {
                i += triple ? 3 : 1;
                return formatted ? null : body.ToString();
            }

            if (formatted && c == '{')
            {
                if (Peek(text, i + 1) == '{')
                {
                    i += 2;
                    continue;
                }

                SkipReplacementField(text, ref i, ref line, ref lineStart);
                continue;
            }

            body.Append(c);
            i++;
        }

        return formatted ? null : body.ToString();
    }

    /// <summary>Skips an f-string field <c>{expr!r:spec}</c>, including nested strings and nested fields.</summary>
    private static void SkipReplacementField(string text, ref int i, ref int line, ref int lineStart)
    {
        var depth = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '{' || c == '[' || c == '(')
            {
                depth++;
            }
            else if (c == '}' || c == ']' || c == ')')
            {
                depth--;
                if (depth == 0)
                {
                    i++;
                    return;
                }
            }
            else if (c == '"' || c == '\'')
            {
                var prefixStart = i;
                while (prefixStart > 0 && char.IsLetter(text[prefixStart - 1]))
                {
                    prefixStart--;
                }

                var prefix = text.Substring(prefixStart, i - prefixStart).ToLowerInvariant();
                ReadString(text, ref i, IsStringPrefix(prefix) ? prefix : string.Empty, ref line, ref lineStart);
                continue;
            }
            else if (c == '\n')
            {
                line++;
                lineStart = i + 1;
            }

            i++;
        }
    }
}
