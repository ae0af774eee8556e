using System;
using System.Collections.Generic;
using System.Text;

namespace FlyIo.AppModel.CSharp;

public enum CSharpTokenKind
{
    Identifier,
    Number,

    /// <summary>A regular, verbatim or raw string literal; its decoded text is <see cref="CSharpToken.Value"/>.</summary>
    String,

    /// <summary>The start of an interpolated string; the tokens of its holes follow, then <see cref="InterpolatedEnd"/>.</summary>
    InterpolatedStart,
    InterpolatedEnd,
    Char,
    Punctuation,
}

/// <summary>One token: its kind, its offset in the file and, for identifiers, punctuation and strings, its text.</summary>
public readonly struct CSharpToken
{
    public CSharpToken(CSharpTokenKind kind, int offset, string value)
    {
        Kind = kind;
        Offset = offset;
        Value = value;
    }

    public CSharpTokenKind Kind { get; }

    public int Offset { get; }

    /// <summary>Identifier name, punctuation text, or the decoded value of a string literal.</summary>
    public string Value { get; }

    public bool Is(string punctuation) => Kind == CSharpTokenKind.Punctuation && Value == punctuation;

    public bool IsIdentifier(string name) => Kind == CSharpTokenKind.Identifier && Value == name;

    public override string ToString() => $"{Kind} '{Value}' @{Offset}";
}

/// <summary>
/// A lexical C# tokenizer, without Roslyn: comments, preprocessor lines and the text of string and character literals
/// never produce identifier tokens. It understands regular, verbatim (<c>@""</c>), raw (<c>"""…"""</c>) and
/// interpolated strings in every combination (<c>$@""</c>, <c>@$""</c>, <c>$$"""…"""</c>); the code inside
/// interpolation holes is tokenized as code, nested strings and braces included.
/// </summary>
public sealed class CSharpLexer
{
    private static readonly string[] TwoCharPunctuation = { "??", "?.", "==", "!=", "=>", "<=", "&&", "||", "::", "++", "--", "->" };

    private readonly string _text;
    private readonly List<CSharpToken> _tokens;
    private int _pos;

    private CSharpLexer(string text, List<CSharpToken> tokens)
    {
        _text = text;
        _tokens = tokens;
    }

    public static List<CSharpToken> Tokenize(string text)
    {
        var tokens = new List<CSharpToken>(text.Length / 5 + 16);
        var lexer = new CSharpLexer(text, tokens);
        lexer.LexCode(inHole: false);
        return tokens;
    }

    /// <summary>Tokenizes code until the end of text, or (in an interpolation hole) until the brace that closes it.</summary>
    private void LexCode(bool inHole)
    {
        var text = _text;
        var depth = 0;
        var lineStart = true;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c == '\n')
            {
                lineStart = true;
                _pos++;
                continue;
            }

            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
            {
                _pos++;
                continue;
            }

            if (c == '#' && lineStart && !inHole)
            {
                // Preprocessor directive: the rest of the line.
                while (_pos < text.Length && text[_pos] != '\n')
                {
                    _pos++;
                }

                continue;
            }

            lineStart = false;
            if (c == '/' && _pos + 1 < text.Length)
            {
                var n = text[_pos + 1];
                if (n == '/')
                {
                    while (_pos < text.Length && text[_pos] != '\n')
                    {
                        _pos++;
                    }

                    continue;
                }

                if (n == '*')
                {
                    var end = text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                    _pos = end < 0 ? text.Length : end + 2;
                    continue;
                }
            }

            if (IsIdentifierStart(c))
            {
                var start = _pos;
                _pos++;
                while (_pos < text.Length && IsIdentifierPart(text[_pos]))
                {
                    _pos++;
                }

                _tokens.Add(new CSharpToken(CSharpTokenKind.Identifier, start, Intern(text, start, _pos - start)));
                continue;
            }

            if (c >= '0' && c <= '9')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_' ||
                       (text[_pos] == '.' && _pos + 1 < text.Length && char.IsDigit(text[_pos + 1]))))
                {
                    _pos++;
                }

                _tokens.Add(new CSharpToken(CSharpTokenKind.Number, start, string.Empty));
                continue;
            }

            if (c == '"' || c == '$' || c == '@')
            {
                if (TryLexString())
                {
                    continue;
                }

                if (c == '@')
                {
                    // Verbatim identifier: @class.
                    var start = _pos;
                    _pos++;
                    while (_pos < text.Length && IsIdentifierPart(text[_pos]))
                    {
                        _pos++;
                    }

                    _tokens.Add(new CSharpToken(CSharpTokenKind.Identifier, start, text.Substring(start + 1, _pos - start - 1)));
                    continue;
                }
            }

            if (c == '\'')
            {
                LexChar();
                continue;
            }

            if (inHole)
            {
                if (c == '(' || c == '[' || c == '{')
                {
                    depth++;
                }
                else if (c == ')' || c == ']')
                {
                    depth--;
                }
                else if (c == '}')
                {
                    if (depth <= 0)
                    {
                        return;
                    }

                    depth--;
                }
                else if (c == ':' && depth <= 0)
                {
                    if (_pos + 1 < text.Length && text[_pos + 1] == ':')
                    {
                        _tokens.Add(new CSharpToken(CSharpTokenKind.Punctuation, _pos, "::"));
                        _pos += 2;
                        continue;
                    }

                    // Format specifier: literal text up to the closing brace.
                    while (_pos < text.Length && text[_pos] != '}')
                    {
                        _pos++;
                    }

                    return;
                }
                else if (c == ',' && depth <= 0)
                {
                    // Alignment component: {x,10}.
                    _pos++;
                    continue;
                }
            }

            if (_pos + 1 < text.Length)
            {
                var matched = false;
                foreach (var p in TwoCharPunctuation)
                {
                    if (p[0] == c && p[1] == text[_pos + 1])
                    {
                        _tokens.Add(new CSharpToken(CSharpTokenKind.Punctuation, _pos, p));
                        _pos += 2;
                        matched = true;
                        break;
                    }
                }

                if (matched)
                {
                    continue;
                }
            }

            _tokens.Add(new CSharpToken(CSharpTokenKind.Punctuation, _pos, PunctuationText(c)));
            _pos++;
        }
    }

    private static readonly string[] SingleCharCache = BuildSingleCharCache();

    private static string[] BuildSingleCharCache()
    {
        var cache = new string[128];
        for (var i = 0; i < cache.Length; i++)
        {
            cache[i] = ((char)i).ToString();
        }

        return cache;
    }

    [ThreadStatic]
    private static string[]? _internTable;

    /// <summary>
    /// The identifier's text without allocating a new string for names already seen on this thread (a small
    /// direct-mapped cache: most identifiers of a code base repeat).
    /// </summary>
    private static string Intern(string text, int start, int length)
    {
        var table = _internTable ??= new string[4096];
        var hash = (uint)length;
        for (var i = start; i < start + length; i++)
        {
            hash = (hash * 31) + text[i];
        }

        var slot = (int)(hash & 4095);
        var cached = table[slot];
        if (cached is not null && cached.Length == length && string.CompareOrdinal(text, start, cached, 0, length) == 0)
        {
            return cached;
        }

        var created = text.Substring(start, length);
        table[slot] = created;
        return created;
    }

    private static string PunctuationText(char c) => c < 128 ? SingleCharCache[c] : c.ToString();

    private static bool IsIdentifierStart(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c > 127 && char.IsLetter(c));

    private static bool IsIdentifierPart(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || (c > 127 && char.IsLetterOrDigit(c));

    private void LexChar()
    {
        var start = _pos;
        _pos++;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\\')
            {
                _pos += 2;
                continue;
            }

            if (c == '\'' || c == '\n')
            {
                _pos++;
                break;
            }

            _pos++;
        }

        if (_pos > _text.Length)
        {
            _pos = _text.Length;
        }

        _tokens.Add(new CSharpToken(CSharpTokenKind.Char, start, string.Empty));
    }

    /// <summary>At '"', '$' or '@': lexes any string literal form; false when this is not a string.</summary>
    private bool TryLexString()
    {
        var text = _text;
        var start = _pos;
        var p = _pos;
        var dollars = 0;
        var verbatim = false;
        while (p < text.Length && (text[p] == '$' || text[p] == '@'))
        {
            if (text[p] == '$')
            {
                dollars++;
            }
            else
            {
                if (verbatim)
                {
                    return false;
                }

                verbatim = true;
            }

            p++;
        }

        if (p >= text.Length || text[p] != '"')
        {
            return false;
        }

        var quotes = 0;
        while (p + quotes < text.Length && text[p + quotes] == '"')
        {
            quotes++;
        }

        if (!verbatim && quotes >= 3)
        {
            _pos = p + quotes;
            LexRaw(start, quotes, dollars);
            return true;
        }

        _pos = p + 1;
        if (dollars == 0)
        {
            var value = verbatim ? ReadVerbatimBody() : ReadRegularBody();
            _tokens.Add(new CSharpToken(CSharpTokenKind.String, start, value));
            return true;
        }

        _tokens.Add(new CSharpToken(CSharpTokenKind.InterpolatedStart, start, string.Empty));
        LexInterpolatedBody(verbatim);
        _tokens.Add(new CSharpToken(CSharpTokenKind.InterpolatedEnd, _pos, string.Empty));
        return true;
    }

    private string ReadRegularBody()
    {
        var text = _text;
        var begin = _pos;
        var simpleEnd = -1;
        for (var i = _pos; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                simpleEnd = i;
                break;
            }

            if (c == '\\' || c == '\n')
            {
                break;
            }
        }

        if (simpleEnd >= 0)
        {
            _pos = simpleEnd + 1;
            return text.Substring(begin, simpleEnd - begin);
        }

        var sb = new StringBuilder();
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c == '"' || c == '\n')
            {
                _pos++;
                break;
            }

            if (c == '\\' && _pos + 1 < text.Length)
            {
                var e = text[_pos + 1];
                _pos += 2;
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case '0': sb.Append('\0'); break;
                    case 'u' when _pos + 4 <= text.Length:
                        sb.Append(ParseHex(text.Substring(_pos, 4)));
                        _pos += 4;
                        break;
                    default: sb.Append(e); break;
                }

                continue;
            }

            sb.Append(c);
            _pos++;
        }

        return sb.ToString();
    }

    private static char ParseHex(string hex)
    {
        var value = 0;
        foreach (var h in hex)
        {
            value <<= 4;
            value |= h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : 0;
        }

        return (char)value;
    }

    private string ReadVerbatimBody()
    {
        var text = _text;
        var sb = new StringBuilder();
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c == '"')
            {
                if (_pos + 1 < text.Length && text[_pos + 1] == '"')
                {
                    sb.Append('"');
                    _pos += 2;
                    continue;
                }

                _pos++;
                break;
            }

            sb.Append(c);
            _pos++;
        }

        return sb.ToString();
    }

    private void LexInterpolatedBody(bool verbatim)
    {
        var text = _text;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c == '"')
            {
                if (verbatim && _pos + 1 < text.Length && text[_pos + 1] == '"')
                {
                    _pos += 2;
                    continue;
                }

                _pos++;
                return;
            }

            if (!verbatim && c == '\\')
            {
                _pos += 2;
                continue;
            }

            if (!verbatim && c == '\n')
            {
                // Unterminated regular string (C# 11 allows newlines only inside holes).
                _pos++;
                return;
            }

            if (c == '{')
            {
                if (_pos + 1 < text.Length && text[_pos + 1] == '{')
                {
                    _pos += 2;
                    continue;
                }

                _pos++;
                LexCode(inHole: true);
                if (_pos < text.Length && text[_pos] == '}')
                {
                    _pos++;
                }

                continue;
            }

            if (c == '}' && _pos + 1 < text.Length && text[_pos + 1] == '}')
            {
                _pos += 2;
                continue;
            }

            _pos++;
        }
    }

    /// <summary>After the opening quotes of a raw string: its content ends at a run of exactly as many quotes.</summary>
    private void LexRaw(int start, int quotes, int dollars)
    {
        var text = _text;
        if (dollars == 0)
        {
            var contentStart = _pos;
            var close = FindRawClose(quotes);
            var content = text.Substring(contentStart, Math.Max(0, close - contentStart));
            _tokens.Add(new CSharpToken(CSharpTokenKind.String, start, NormalizeRaw(content)));
            return;
        }

        _tokens.Add(new CSharpToken(CSharpTokenKind.InterpolatedStart, start, string.Empty));
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c == '"')
            {
                var run = 0;
                while (_pos + run < text.Length && text[_pos + run] == '"')
                {
                    run++;
                }

                _pos += run;
                if (run >= quotes)
                {
                    break;
                }

                continue;
            }

            if (c == '{')
            {
                var run = 0;
                while (_pos + run < text.Length && text[_pos + run] == '{')
                {
                    run++;
                }

                if (run < dollars)
                {
                    _pos += run;
                    continue;
                }

                // Extra braces beyond the delimiter count are literal content; the last `dollars` open the hole.
                _pos += run;
                LexCode(inHole: true);
                var closing = 0;
                while (_pos < text.Length && text[_pos] == '}' && closing < dollars)
                {
                    _pos++;
                    closing++;
                }

                continue;
            }

            _pos++;
        }

        _tokens.Add(new CSharpToken(CSharpTokenKind.InterpolatedEnd, _pos, string.Empty));
    }

    private int FindRawClose(int quotes)
    {
        var text = _text;
        while (_pos < text.Length)
        {
            if (text[_pos] == '"')
            {
                var run = 0;
                while (_pos + run < text.Length && text[_pos + run] == '"')
                {
                    run++;
                }

                if (run >= quotes)
                {
                    var close = _pos;
                    _pos += run;
                    return close;
                }

                _pos += run;
                continue;
            }

            _pos++;
        }

        return text.Length;
    }

    /// <summary>Single-line raw strings are kept as written; multi-line ones drop the first/last line and the indentation.</summary>
    private static string NormalizeRaw(string content)
    {
        if (content.IndexOf('\n') < 0)
        {
            return content;
        }

        var lines = content.Replace("\r\n", "\n").Split('\n');
        if (lines.Length < 2)
        {
            return content;
        }

        var last = lines[lines.Length - 1];
        var indent = last.Length - last.TrimStart().Length;
        var sb = new StringBuilder();
        for (var i = 1; i < lines.Length - 1; i++)
        {
            if (i > 1)
            {
                sb.Append('\n');
            }

            var line = lines[i];
            sb.Append(line.Length >= indent ? line.Substring(indent) : line.TrimStart());
        }

        return sb.ToString();
    }
}
