using System;
using System.Collections.Generic;
using System.Text;

namespace FlyIo.Dependencies.Node;

/// <summary>One module specifier a JS/TS file loads, with where its string literal starts.</summary>
public sealed record JsImport(string Specifier, int Line, int Column, bool TypeOnly, bool Dynamic);

/// <summary>
/// Lexical JS/TS import finder: skips comments, strings, template literals (including nested <c>${}</c>) and regex
/// literals (by the usual previous-token heuristic), then reads import/export-from/import()/require() forms.
/// </summary>
public static class JsImportScanner
{
    public enum Kind
    {
        Ident,
        String,
        Number,
        Punct,
        Template,
        Regex,
    }

    public readonly struct Token
    {
        public Token(Kind kind, string text, int line, int column)
        {
            Kind = kind;
            Text = text;
            Line = line;
            Column = column;
        }

        public Kind Kind { get; }

        public string Text { get; }

        public int Line { get; }

        public int Column { get; }

        public bool IsPunct(string p) => Kind == Kind.Punct && Text == p;

        public bool IsIdent(string p) => Kind == Kind.Ident && Text == p;
    }

    private static readonly HashSet<string> RegexAfterKeywords = new(StringComparer.Ordinal)
    {
        "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await",
    };

    /// <summary>The file's tokens with comments dropped and strings unquoted, for readers that look for other forms than imports.</summary>
    public static List<Token> Tokenize(string text) => Lex(text);

    public static List<JsImport> Scan(string text)
    {
        var tokens = Lex(text);
        var result = new List<JsImport>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind != Kind.Ident || (i > 0 && (tokens[i - 1].IsPunct(".") || tokens[i - 1].IsPunct("?."))))
            {
                continue;
            }

            if (t.Text == "require" && i + 3 < tokens.Count + 1 && Next(tokens, i + 1).IsPunct("(")
                && Next(tokens, i + 2).Kind == Kind.String && (Next(tokens, i + 3).IsPunct(")") || Next(tokens, i + 3).IsPunct(",")))
            {
                var s = tokens[i + 2];
                result.Add(new JsImport(s.Text, s.Line, s.Column, false, false));
            }
            else if (t.Text == "import")
            {
                ReadImport(tokens, i, result);
            }
            else if (t.Text == "export")
            {
                ReadExport(tokens, i, result);
            }
        }

        return result;
    }

    private static Token Next(List<Token> tokens, int index) =>
        index < tokens.Count ? tokens[index] : new Token(Kind.Punct, ";", 0, 0);

    private static void ReadImport(List<Token> tokens, int i, List<JsImport> result)
    {
        var next = Next(tokens, i + 1);
        if (next.IsPunct("("))
        {
            var s = Next(tokens, i + 2);
            if (s.Kind == Kind.String && (Next(tokens, i + 3).IsPunct(")") || Next(tokens, i + 3).IsPunct(",")))
            {
                result.Add(new JsImport(s.Text, s.Line, s.Column, false, true));
            }

            return;
        }

        if (next.IsPunct("."))
        {
            return; // import.meta
        }

        if (next.Kind == Kind.String)
        {
            result.Add(new JsImport(next.Text, next.Line, next.Column, false, false));
            return;
        }

        var j = i + 1;
        var typeOnly = false;
        if (next.IsIdent("type") && !Next(tokens, i + 2).IsIdent("from") && !Next(tokens, i + 2).IsPunct(",") && !Next(tokens, i + 2).IsPunct("="))
        {
            typeOnly = true;
            j++;
        }

        var hasValueBinding = false;
        var hasNamed = false;
        var allNamedAreTypes = true;
        for (var guard = 0; j < tokens.Count && guard < 500; j++, guard++)
        {
            var t = tokens[j];
            if (t.IsPunct(";") || t.IsPunct("=") || t.IsIdent("import") || t.IsIdent("export"))
            {
                return; // not an import declaration we understand (import x = require(...) is caught as require)
            }

            if (t.IsIdent("from") && Next(tokens, j + 1).Kind == Kind.String)
            {
                var s = tokens[j + 1];
                var onlyTypes = typeOnly || (!hasValueBinding && hasNamed && allNamedAreTypes);
                result.Add(new JsImport(s.Text, s.Line, s.Column, onlyTypes, false));
                return;
            }

            if (t.IsPunct("{"))
            {
                j = ReadNamedSpecifiers(tokens, j, ref hasNamed, ref allNamedAreTypes);
                continue;
            }

            if (t.Kind == Kind.Ident || t.IsPunct("*"))
            {
                hasValueBinding = true;
            }
        }
    }

    /// <summary>Reads <c>{ a, type B, c as d }</c> from its opening brace; returns the index of the closing brace.</summary>
    private static int ReadNamedSpecifiers(List<Token> tokens, int open, ref bool hasNamed, ref bool allTypes)
    {
        var j = open + 1;
        var atSpecifierStart = true;
        for (; j < tokens.Count; j++)
        {
            var t = tokens[j];
            if (t.IsPunct("}"))
            {
                return j;
            }

            if (t.IsPunct(","))
            {
                atSpecifierStart = true;
                continue;
            }

            if (atSpecifierStart)
            {
                hasNamed = true;
                var isType = t.IsIdent("type") && !Next(tokens, j + 1).IsPunct(",") && !Next(tokens, j + 1).IsPunct("}")
                             && !Next(tokens, j + 1).IsIdent("as");
                if (!isType)
                {
                    allTypes = false;
                }

                atSpecifierStart = false;
            }
        }

        return j;
    }

    private static void ReadExport(List<Token> tokens, int i, List<JsImport> result)
    {
        var j = i + 1;
        var typeOnly = false;
        if (Next(tokens, j).IsIdent("type") && (Next(tokens, j + 1).IsPunct("{") || Next(tokens, j + 1).IsPunct("*")))
        {
            typeOnly = true;
            j++;
        }

        var first = Next(tokens, j);
        if (first.IsPunct("*"))
        {
            j++;
            if (Next(tokens, j).IsIdent("as"))
            {
                j += 2;
            }
        }
        else if (first.IsPunct("{"))
        {
            var hasNamed = false;
            var allTypes = true;
            j = ReadNamedSpecifiers(tokens, j, ref hasNamed, ref allTypes) + 1;
            typeOnly |= hasNamed && allTypes;
        }
        else
        {
            return;
        }

        if (Next(tokens, j).IsIdent("from") && Next(tokens, j + 1).Kind == Kind.String)
        {
            var s = tokens[j + 1];
            result.Add(new JsImport(s.Text, s.Line, s.Column, typeOnly, false));
        }
    }

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        var templateDepths = new Stack<int>(); // brace depth at which each open ${ } returns to its template
        var braceDepth = 0;
        var line = 1;
        var lineStart = 0;
        var i = 0;
        if (text.StartsWith("\uFEFF", StringComparison.Ordinal))
        {
            i = 1;
            lineStart = 1;
        }

        if (string.CompareOrdinal(text, i, "#!", 0, 2) == 0)
        {
            while (i < text.Length && text[i] != '\n')
            {
                i++;
            }
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                i++;
                line++;
                lineStart = i;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var column = i - lineStart + 1;
            if (c == '/' && Peek(text, i + 1) == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (c == '/' && Peek(text, i + 1) == '*')
            {
                i += 2;
                while (i < text.Length && !(text[i] == '*' && Peek(text, i + 1) == '/'))
                {
                    if (text[i] == '\n')
                    {
                        line++;
                        lineStart = i + 1;
                    }

                    i++;
                }

                i = Math.Min(text.Length, i + 2);
                continue;
            }

            if (c == '\'' || c == '"')
            {
                var startLine = line;
                var value = ReadQuoted(text, ref i, c, ref line, ref lineStart);
                tokens.Add(new Token(Kind.String, value, startLine, column));
                continue;
            }

            if (c == '`' || (c == '}' && templateDepths.Count > 0 && templateDepths.Peek() == braceDepth))
            {
                if (c == '}')
                {
                    templateDepths.Pop();
                }

                var startLine = line;
                i++;
                if (ReadTemplateChunk(text, ref i, ref line, ref lineStart))
                {
                    templateDepths.Push(braceDepth); // stopped at ${: lex the expression, come back at its }
                }

                tokens.Add(new Token(Kind.Template, "`", startLine, column));
                continue;
            }

            if (c == '/' && RegexAllowed(tokens))
            {
                var start = i;
                ReadRegex(text, ref i);
                tokens.Add(new Token(Kind.Regex, text.Substring(start, i - start), line, column));
                continue;
            }

            if (c == '_' || c == '$' || c == '#' || char.IsLetter(c))
            {
                var start = i;
                i++;
                while (i < text.Length && (text[i] == '_' || text[i] == '$' || char.IsLetterOrDigit(text[i])))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Ident, text.Substring(start, i - start), line, column));
                continue;
            }

            if (char.IsDigit(c) || (c == '.' && char.IsDigit(Peek(text, i + 1))))
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '.' || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Number, text.Substring(start, i - start), line, column));
                continue;
            }

            if (c == '{')
            {
                braceDepth++;
            }
            else if (c == '}')
            {
                braceDepth--;
            }

            if (c == '?' && Peek(text, i + 1) == '.' && !char.IsDigit(Peek(text, i + 2)))
            {
                tokens.Add(new Token(Kind.Punct, "?.", line, column));
                i += 2;
                continue;
            }

            tokens.Add(new Token(Kind.Punct, c.ToString(), line, column));
            i++;
        }

        return tokens;
    }

    private static char Peek(string text, int index) => index < text.Length ? text[index] : '\0';

    private static bool RegexAllowed(List<Token> tokens)
    {
        if (tokens.Count == 0)
        {
            return true;
        }

        var previous = tokens[tokens.Count - 1];
        switch (previous.Kind)
        {
            case Kind.Ident:
                return RegexAfterKeywords.Contains(previous.Text);
            case Kind.Number:
            case Kind.String:
            case Kind.Regex:
                return false;
            case Kind.Template:
                return false;
            default:
                return !(previous.Text == ")" || previous.Text == "]" || previous.Text == "}");
        }
    }

    private static string ReadQuoted(string text, ref int i, char quote, ref int line, ref int lineStart)
    {
        i++;
        var builder = new StringBuilder();
        while (i < text.Length)
        {
            var c = text[i];
            if (c == quote)
            {
                i++;
                break;
            }

            if (c == '\n')
            {
                break; // unterminated: stop at the line end
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                var e = text[i + 1];
                if (e == '\n')
                {
                    line++;
                    lineStart = i + 2;
                }
                else
                {
                    builder.Append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                }

                i += 2;
                continue;
            }

            builder.Append(c);
            i++;
        }

        return builder.ToString();
    }

    /// <summary>Reads template text after a backtick or a closing }; true when it stopped at <c>${</c>.</summary>
    private static bool ReadTemplateChunk(string text, ref int i, ref int line, ref int lineStart)
    {
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (Peek(text, i + 1) == '\n')
                {
                    line++;
                    lineStart = i + 2;
                }

                i += 2;
                continue;
            }

            if (c == '`')
            {
                i++;
                return false;
            }

            if (c == '$' && Peek(text, i + 1) == '{')
            {
                i += 2;
                return true;
            }

            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
            }

            i++;
        }

        return false;
    }

    private static void ReadRegex(string text, ref int i)
    {
        i++;
        var inClass = false;
        while (i < text.Length && text[i] != '\n')
        {
            var c = text[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == '[')
            {
                inClass = true;
            }
            else if (c == ']')
            {
                inClass = false;
            }
            else if (c == '/' && !inClass)
            {
                i++;
                while (i < text.Length && char.IsLetter(text[i]))
                {
                    i++;
                }

                return;
            }

            i++;
        }
    }
}
