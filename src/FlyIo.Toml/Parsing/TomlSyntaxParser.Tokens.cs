using System.Collections.Generic;
using FlyIo.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using FlyIo.Toml.Lexing;
using FlyIo.Toml.Syntax;

namespace FlyIo.Toml.Parsing;

internal sealed partial class TomlSyntaxParser
{
    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private SyntaxToken Take(SyntaxKind kind, int length)
    {
        var token = new SyntaxToken(kind, Slice(_pos, length), _pos);
        _pos += length;
        return token;
    }

    private void AddWhitespace(List<SyntaxElement> children)
    {
        var start = _pos;
        while (_pos < _text.Length && CharClass.IsWhitespace(_text[_pos]))
        {
            _pos++;
        }

        if (_pos > start)
        {
            children.Add(new SyntaxToken(SyntaxKind.Whitespace, Slice(start, _pos - start), start));
        }
    }

    /// <summary>
    /// Source text for a token. Punctuation and the usual single spaces and newlines share one string each, which
    /// keeps the retained tree (and so the garbage collector's work) much smaller for large documents.
    /// </summary>
    private string Slice(int start, int length)
    {
        if (length == 1)
        {
            switch (_text[start])
            {
                case ' ': return " ";
                case '\n': return "\n";
                case '=': return "=";
                case ',': return ",";
                case '.': return ".";
                case '[': return "[";
                case ']': return "]";
                case '{': return "{";
                case '}': return "}";
                case '\t': return "\t";
            }
        }
        else if (length == 2)
        {
            var a = _text[start];
            var b = _text[start + 1];
            if (a == '\r' && b == '\n') return "\r\n";
            if (a == '[' && b == '[') return "[[";
            if (a == ']' && b == ']') return "]]";
            if (a == ' ' && b == ' ') return "  ";
        }

        return _text.Substring(start, length);
    }

    private SyntaxToken ScanComment()
    {
        var start = _pos;
        _pos++;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n' || (c == '\r' && _pos + 1 < _text.Length && _text[_pos + 1] == '\n'))
            {
                break;
            }

            if (CharClass.IsForbiddenControl(c))
            {
                _source.Fail(FlyCodes.TomlInvalidEncoding, $"control character U+{(int)c:X4} is not allowed in a comment", _pos);
            }

            _pos++;
        }

        return new SyntaxToken(SyntaxKind.Comment, _text.Substring(start, _pos - start), start);
    }

    /// <summary>LF or CRLF as written; a bare CR is an error, null when there is no newline here.</summary>
    private SyntaxToken? TryScanNewline()
    {
        var c = Peek();
        if (c == '\n')
        {
            return Take(SyntaxKind.Newline, 1);
        }

        if (c == '\r')
        {
            if (_pos + 1 < _text.Length && _text[_pos + 1] == '\n')
            {
                return Take(SyntaxKind.Newline, 2);
            }

            _source.Fail(FlyCodes.TomlInvalidEncoding, "a carriage return must be followed by a line feed", _pos);
        }

        return null;
    }

    private (KeySyntax Syntax, IReadOnlyList<int> Offsets) ParseKey()
    {
        var start = _pos;
        var first = ScanKeySegment(out var firstName);
        if (!DotFollows())
        {
            // Most keys have one segment: single-element arrays keep the retained tree small.
            return (new KeySyntax(new SyntaxElement[] { first }, start, new[] { first }, new[] { firstName }), new[] { first.Start });
        }

        _pos = first.Start;
        var children = new List<SyntaxElement>(3);
        var segments = new List<SyntaxToken>(2);
        var names = new List<string>(2);
        var offsets = new List<int>(2);
        while (true)
        {
            var segment = ScanKeySegment(out var name);
            children.Add(segment);
            segments.Add(segment);
            names.Add(name);
            offsets.Add(segment.Start);

            // Whitespace belongs to the key only when a dot follows it.
            var save = _pos;
            while (_pos < _text.Length && CharClass.IsWhitespace(_text[_pos]))
            {
                _pos++;
            }

            if (Peek() != '.')
            {
                _pos = save;
                break;
            }

            if (_pos > save)
            {
                children.Add(new SyntaxToken(SyntaxKind.Whitespace, Slice(save, _pos - save), save));
            }

            children.Add(Take(SyntaxKind.Dot, 1));
            AddWhitespace(children);
        }

        return (new KeySyntax(children, start, segments, names), offsets);
    }

    private bool DotFollows()
    {
        var i = _pos;
        while (i < _text.Length && CharClass.IsWhitespace(_text[i]))
        {
            i++;
        }

        return i < _text.Length && _text[i] == '.';
    }

    private SyntaxToken ScanKeySegment(out string name)
    {
        var start = _pos;
        var c = Peek();
        if (c == '"' || c == '\'')
        {
            var kind = StringScanner.Scan(_source, start, false, out name, out var end);
            _pos = end;
            return new SyntaxToken(kind, _text.Substring(start, end - start), start);
        }

        while (_pos < _text.Length && CharClass.IsBareKey(_text[_pos]))
        {
            _pos++;
        }

        if (_pos == start)
        {
            Unexpected("a key");
        }

        name = _text.Substring(start, _pos - start);
        return new SyntaxToken(SyntaxKind.BareKey, name, start);
    }

    [DoesNotReturn]
    private void Unexpected(string expected)
    {
        if (_pos >= _text.Length)
        {
            _source.Fail(FlyCodes.TomlSyntax, $"unexpected end of document, expected {expected}", _pos);
        }

        var c = _text[_pos];
        if (CharClass.IsForbiddenControl(c) && c != '\n')
        {
            _source.Fail(FlyCodes.TomlInvalidEncoding, $"control character U+{(int)c:X4} is not allowed here", _pos);
        }

        var shown = c == '\n' ? "newline" : "'" + c + "'";
        _source.Fail(FlyCodes.TomlSyntax, $"unexpected {shown}, expected {expected}", _pos);
    }

    [DoesNotReturn]
    private SyntaxToken UnexpectedToken()
    {
        Unexpected("a value");
        return null!;
    }
}
