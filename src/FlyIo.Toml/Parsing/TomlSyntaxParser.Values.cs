using System.Collections.Generic;
using FlyIo.Diagnostics;
using FlyIo.Toml.Lexing;
using FlyIo.Toml.Syntax;

namespace FlyIo.Toml.Parsing;

internal sealed partial class TomlSyntaxParser
{
    private (ValueSyntax Syntax, TomlValue Value) ParseValue(int depth)
    {
        var c = Peek();
        if (c == '"' || c == '\'')
        {
            var start = _pos;
            var kind = StringScanner.Scan(_source, start, true, out var value, out var end);
            _pos = end;
            var token = new SyntaxToken(kind, _text.Substring(start, end - start), start);
            return (new ScalarValueSyntax(token), new TomlString(value, _source.GetPosition(start)));
        }

        if (c == '[')
        {
            return ParseArray(depth + 1);
        }

        if (c == '{')
        {
            return ParseInlineTable(depth + 1);
        }

        return ParseScalar();
    }

    private (ValueSyntax Syntax, TomlValue Value) ParseScalar()
    {
        var start = _pos;
        while (_pos < _text.Length && CharClass.IsScalar(_text[_pos]))
        {
            _pos++;
        }

        if (_pos == start)
        {
            Unexpected("a value");
        }

        // "1979-05-27 07:32:00": a space may separate the date and time parts.
        if (_pos + 3 < _text.Length && _text[_pos] == ' ' && CharClass.IsDigit(_text[_pos + 1]) && CharClass.IsDigit(_text[_pos + 2])
            && _text[_pos + 3] == ':' && DateTimeParser.IsDateOnly(_text.Substring(start, _pos - start)))
        {
            _pos++;
            while (_pos < _text.Length && CharClass.IsScalar(_text[_pos]))
            {
                _pos++;
            }
        }

        var raw = _text.Substring(start, _pos - start);
        TomlValue value;
        SyntaxKind kind;
        if (raw == "true" || raw == "false")
        {
            value = new TomlBoolean(raw == "true", _source.GetPosition(start));
            kind = SyntaxKind.Boolean;
        }
        else if (DateTimeParser.LooksLikeDateTime(raw))
        {
            value = DateTimeParser.Parse(_source, raw, start);
            kind = SyntaxKind.DateTime;
        }
        else
        {
            value = NumberParser.Parse(_source, raw, start);
            kind = value is TomlInteger ? SyntaxKind.Integer : SyntaxKind.Float;
        }

        return (new ScalarValueSyntax(new SyntaxToken(kind, raw, start)), value);
    }

    private (ValueSyntax Syntax, TomlValue Value) ParseArray(int depth)
    {
        var start = _pos;
        CheckDepth(depth);
        var array = new TomlArray(false, _source.GetPosition(start));
        var children = new List<SyntaxElement> { Take(SyntaxKind.OpenBracket, 1) };
        var items = new List<ValueSyntax>();
        while (true)
        {
            AddArrayTrivia(children);
            if (Peek() == ']')
            {
                break;
            }

            var item = ParseValue(depth);
            children.Add(item.Syntax);
            items.Add(item.Syntax);
            array.Add(item.Value);
            AddArrayTrivia(children);
            if (Peek() == ',')
            {
                children.Add(Take(SyntaxKind.Comma, 1));
                continue;
            }

            if (Peek() != ']')
            {
                Unexpected(_pos >= _text.Length ? "']' to close the array" : "',' or ']' in the array");
            }

            break;
        }

        children.Add(Take(SyntaxKind.CloseBracket, 1));
        return (new ArraySyntax(children, start, items), array);
    }

    /// <summary>Arrays may span lines and hold comments between items.</summary>
    private void AddArrayTrivia(List<SyntaxElement> children)
    {
        while (true)
        {
            var c = Peek();
            if (CharClass.IsWhitespace(c))
            {
                AddWhitespace(children);
            }
            else if (c == '#')
            {
                children.Add(ScanComment());
            }
            else if (c == '\n' || c == '\r')
            {
                children.Add(TryScanNewline() ?? UnexpectedToken());
            }
            else
            {
                return;
            }
        }
    }

    private (ValueSyntax Syntax, TomlValue Value) ParseInlineTable(int depth)
    {
        var start = _pos;
        CheckDepth(depth);
        var table = new TomlTable(TomlTableOrigin.Inline, _source.GetPosition(start));
        var children = new List<SyntaxElement> { Take(SyntaxKind.OpenBrace, 1) };
        var members = new List<KeyValueSyntax>();
        AddWhitespace(children);
        if (Peek() != '}')
        {
            while (true)
            {
                var memberStart = _pos;
                var memberChildren = new List<SyntaxElement>(5);
                var member = ParseKeyValue(memberChildren, table, depth);
                var syntax = new KeyValueSyntax(memberChildren, memberStart, member.Key, member.EqualsToken, member.Value);
                children.Add(syntax);
                members.Add(syntax);
                AddWhitespace(children);
                if (Peek() == ',')
                {
                    children.Add(Take(SyntaxKind.Comma, 1));
                    AddWhitespace(children);
                    if (Peek() == '}')
                    {
                        Unexpected("a key after ',' (TOML 1.0 inline tables have no trailing comma)");
                    }

                    continue;
                }

                if (Peek() != '}')
                {
                    Unexpected("',' or '}' in the inline table (TOML 1.0 inline tables stay on one line)");
                }

                break;
            }
        }

        children.Add(Take(SyntaxKind.CloseBrace, 1));
        table.IsSealed = true;
        return (new InlineTableSyntax(children, start, members), table);
    }

    private void CheckDepth(int depth)
    {
        if (depth > MaxDepth)
        {
            _source.Fail(FlyCodes.TomlNestingTooDeep, $"arrays and inline tables are nested more than {MaxDepth} levels deep", _pos);
        }
    }
}
