using System.Collections.Generic;
using FlyIo.Diagnostics;
using FlyIo.Toml.Syntax;
using FlyIo.Toml.Lexing;
using T = global::Tomlyn.Syntax;

namespace FlyIo.Toml.Reading;

internal sealed partial class SyntaxConverter
{
    private (ValueSyntax Syntax, TomlValue Value) Value(T.ValueSyntax value)
    {
        Flush();
        Leading(value);
        (ValueSyntax Syntax, TomlValue Value) result;
        switch (value)
        {
            case T.ArraySyntax array:
                result = Array(array);
                break;
            case T.InlineTableSyntax table:
                result = InlineTable(table);
                break;
            default:
                result = Scalar(value);
                _current.Add(result.Syntax);
                break;
        }

        Trailing(value);
        return result;
    }

    /// <summary>
    /// Strings, integers, floats and booleans keep Tomlyn's decoded values (TOML 1.0 and 1.1 read them alike once
    /// 1.1's extra escapes are refused); date-times are decoded by <see cref="DateTimeParser"/>, because Tomlyn's
    /// grammar is 1.1's (seconds optional) and its value type has no separate local date and time.
    /// </summary>
    private (ValueSyntax Syntax, TomlValue Value) Scalar(T.ValueSyntax value)
    {
        switch (value)
        {
            case T.StringValueSyntax text:
            {
                var token = Detached(text.Token!, StringKind(text.Token!));
                Toml10.CheckEscapes(_source, token);
                return (new ScalarValueSyntax(token), new TomlString(text.Value ?? string.Empty, _source.GetPosition(token.Start)));
            }

            case T.IntegerValueSyntax integer:
            {
                var token = Detached(integer.Token!, SyntaxKind.Integer);
                if (integer.Value < 0 && integer.Token!.TokenKind != global::Tomlyn.Syntax.TokenKind.Integer)
                {
                    // Tomlyn wraps hexadecimal, octal and binary literals past 2^63 - 1 into negative numbers.
                    _source.Fail(FlyCodes.TomlInvalidNumber, $"'{token.Text}' does not fit in a 64-bit signed integer", token.Start);
                }

                return (new ScalarValueSyntax(token), new TomlInteger(integer.Value, _source.GetPosition(token.Start)));
            }

            case T.FloatValueSyntax number:
            {
                var token = Detached(number.Token!, SyntaxKind.Float);
                return (new ScalarValueSyntax(token), new TomlFloat(number.Value, _source.GetPosition(token.Start)));
            }

            case T.BooleanValueSyntax boolean:
            {
                var token = Detached(boolean.Token!, SyntaxKind.Boolean);
                return (new ScalarValueSyntax(token), new TomlBoolean(boolean.Value, _source.GetPosition(token.Start)));
            }

            case T.DateTimeValueSyntax dateTime:
            {
                var token = Detached(dateTime.Token!, SyntaxKind.DateTime);
                return (new ScalarValueSyntax(token), DateTimeParser.Parse(_source, token.Text, token.Start));
            }

            default:
                _source.Fail(FlyCodes.TomlSyntax, "unexpected value", _offset);
                return default;
        }
    }

    private (ValueSyntax Syntax, TomlValue Value) Array(T.ArraySyntax array)
    {
        var parent = _current;
        _current = new List<SyntaxElement>(array.Items.ChildrenCount * 3 + 2);
        _containers.Push(false);
        var open = Token(array.OpenBracket!, SyntaxKind.OpenBracket);
        var model = new TomlArray(false, _source.GetPosition(open.Start));
        var items = new List<ValueSyntax>(array.Items.ChildrenCount);
        foreach (var item in array.Items)
        {
            Leading(item);
            var (syntax, value) = Value(item.Value!);
            items.Add(syntax);
            model.Add(value);
            if (item.Comma is not null)
            {
                Token(item.Comma, SyntaxKind.Comma);
            }

            Trailing(item);
        }

        Token(array.CloseBracket!, SyntaxKind.CloseBracket);
        _containers.Pop();
        var node = new ArraySyntax(_current, open.Start, items);
        _current = parent;
        parent.Add(node);
        return (node, model);
    }

    private (ValueSyntax Syntax, TomlValue Value) InlineTable(T.InlineTableSyntax table)
    {
        var parent = _current;
        _current = new List<SyntaxElement>(table.Items.ChildrenCount * 3 + 2);
        _containers.Push(true);
        var open = Token(table.OpenBrace!, SyntaxKind.OpenBrace);
        var model = new TomlTable(TomlTableOrigin.Inline, _source.GetPosition(open.Start));
        var members = new List<KeyValueSyntax>(table.Items.ChildrenCount);
        var trailingComma = false;
        foreach (var item in table.Items)
        {
            Leading(item);
            var keyValue = item.KeyValue!;
            Flush();
            Leading(keyValue);
            var outer = _current;
            var start = _offset;
            _current = new List<SyntaxElement>(5);
            var (key, equals, value, entry) = KeyValue(keyValue);
            _builder.AddValue(model, key.Names, entry.Offsets, entry.Value);
            var member = new KeyValueSyntax(_current, start, key, equals, value);
            _current = outer;
            outer.Add(member);
            members.Add(member);
            Trailing(keyValue);
            trailingComma = item.Comma is not null;
            if (trailingComma)
            {
                Token(item.Comma!, SyntaxKind.Comma);
            }

            Trailing(item);
        }

        Flush();
        if (trailingComma)
        {
            // TOML 1.1 allows a trailing comma in an inline table; TOML 1.0 does not.
            _source.Fail(FlyCodes.TomlSyntax, "unexpected '}', expected a key after ',' (TOML 1.0 inline tables have no trailing comma)", _offset);
        }

        Token(table.CloseBrace!, SyntaxKind.CloseBrace);
        _containers.Pop();
        model.IsSealed = true;
        var node = new InlineTableSyntax(_current, open.Start, members);
        _current = parent;
        parent.Add(node);
        return (node, model);
    }
}
