using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace FlyIo.FlyToml.Project;

/// <summary>
/// A small C# lexer that skips comments and reads string literals correctly (regular, verbatim @"", interpolated $"",
/// raw """...""" including multi-line), so route strings are found only where code really has them.
/// </summary>
internal sealed class CSharpLexer
{
    private readonly string _text;
    private int _pos;
    private int _line = 1;

    private CSharpLexer(string text) => _text = text;

    public static IReadOnlyList<CSharpToken> Tokenize(string text) => new CSharpLexer(text).Run();

    private List<CSharpToken> Run()
    {
        var tokens = new List<CSharpToken>();
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n')
            {
                _line++;
                _pos++;
            }
            else if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (c == '/' && Peek(1) == '*')
            {
                var end = _text.IndexOf("*/", _pos + 2, System.StringComparison.Ordinal);
                Advance((end < 0 ? _text.Length : end + 2) - _pos);
            }
            else if (c == '\'')
            {
                SkipCharLiteral();
            }
            else if (IsStringStart(out var prefixLength, out var verbatim, out var interpolated))
            {
                var line = _line;
                Advance(prefixLength);
                var value = _text[_pos] == '"' && Peek(1) == '"' && Peek(2) == '"' ? ReadRaw() : ReadQuoted(verbatim);
                tokens.Add(new CSharpToken(interpolated ? CSharpTokenKind.InterpolatedString : CSharpTokenKind.String, value, line));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
                {
                    _pos++;
                }

                tokens.Add(new CSharpToken(CSharpTokenKind.Identifier, _text.Substring(start, _pos - start), _line));
            }
            else
            {
                tokens.Add(new CSharpToken(CSharpTokenKind.Punctuation, c.ToString(), _line));
                _pos++;
            }
        }

        return tokens;
    }

    /// <summary>At a string literal's prefix ("", @"", $"", $@"", @$"", $$""" ...)? Reports the prefix length.</summary>
    private bool IsStringStart(out int prefixLength, out bool verbatim, out bool interpolated)
    {
        var i = _pos;
        verbatim = false;
        interpolated = false;
        while (i < _text.Length && (_text[i] == '@' || _text[i] == '$'))
        {
            verbatim |= _text[i] == '@';
            interpolated |= _text[i] == '$';
            i++;
        }

        prefixLength = i - _pos;
        return i < _text.Length && _text[i] == '"';
    }

    private string ReadQuoted(bool verbatim)
    {
        var value = new StringBuilder();
        Advance(1);
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '"')
            {
                if (verbatim && Peek(1) == '"')
                {
                    value.Append('"');
                    Advance(2);
                    continue;
                }

                Advance(1);
                break;
            }

            if (!verbatim && c == '\\' && _pos + 1 < _text.Length)
            {
                value.Append(Unescape(_text[_pos + 1]));
                Advance(2);
                continue;
            }

            if (!verbatim && c == '\n')
            {
                break; // An unterminated regular string ends at the line end.
            }

            value.Append(c);
            Advance(1);
        }

        return value.ToString();
    }

    /// <summary>Reads a raw string literal: N quotes open it and N quotes close it; multi-line ones lose their indentation.</summary>
    private string ReadRaw()
    {
        var quotes = 0;
        while (Peek(quotes) == '"')
        {
            quotes++;
        }

        Advance(quotes);
        var fence = new string('"', quotes);
        var end = _text.IndexOf(fence, _pos, System.StringComparison.Ordinal);
        if (end < 0)
        {
            end = _text.Length;
        }

        var content = _text.Substring(_pos, end - _pos);
        Advance(System.Math.Min(end + quotes, _text.Length) - _pos);
        if (content.IndexOf('\n') < 0)
        {
            return content;
        }

        var lines = content.Replace("\r\n", "\n").Split('\n');
        var indent = lines[lines.Length - 1];
        var body = lines.Skip(1).Take(lines.Length - 2)
            .Select(l => l.StartsWith(indent, System.StringComparison.Ordinal) ? l.Substring(indent.Length) : l.TrimStart());
        return string.Join("\n", body);
    }

    private void SkipCharLiteral()
    {
        Advance(1);
        if (Peek(0) == '\\')
        {
            Advance(2);
        }

        while (_pos < _text.Length && _text[_pos] != '\'' && _text[_pos] != '\n')
        {
            Advance(1);
        }

        if (Peek(0) == '\'')
        {
            Advance(1);
        }
    }

    private static char Unescape(char c) => c switch
    {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '0' => '\0',
        _ => c,
    };

    private char Peek(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private void Advance(int count)
    {
        for (var i = 0; i < count && _pos < _text.Length; i++)
        {
            if (_text[_pos] == '\n')
            {
                _line++;
            }

            _pos++;
        }
    }
}
