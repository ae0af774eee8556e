using System.Collections.Generic;
using FlyIo.Toml.Syntax;
using T = global::Tomlyn.Syntax;

namespace FlyIo.Toml.Reading;

internal sealed partial class SyntaxConverter
{
    private ValueSyntax Value(T.ValueSyntax value)
    {
        Flush();
        Leading(value);
        ValueSyntax result;
        switch (value)
        {
            case T.ArraySyntax array:
                result = Array(array);
                break;
            case T.InlineTableSyntax table:
                result = InlineTable(table);
                break;
            default:
                result = new ScalarValueSyntax(Detached(ScalarToken(value), ScalarKind(value)));
                _current.Add(result);
                break;
        }

        Trailing(value);
        return result;
    }

    private static T.SyntaxToken ScalarToken(T.ValueSyntax value) => value switch
    {
        T.StringValueSyntax text => text.Token!,
        T.IntegerValueSyntax integer => integer.Token!,
        T.FloatValueSyntax number => number.Token!,
        T.BooleanValueSyntax boolean => boolean.Token!,
        _ => ((T.DateTimeValueSyntax)value).Token!,
    };

    private static SyntaxKind ScalarKind(T.ValueSyntax value) => value switch
    {
        T.StringValueSyntax text => StringKind(text.Token!),
        T.IntegerValueSyntax => SyntaxKind.Integer,
        T.FloatValueSyntax => SyntaxKind.Float,
        T.BooleanValueSyntax => SyntaxKind.Boolean,
        _ => SyntaxKind.DateTime,
    };

    private ArraySyntax Array(T.ArraySyntax array)
    {
        var parent = _current;
        _current = new List<SyntaxElement>(array.Items.ChildrenCount * 3 + 2);
        var open = Token(array.OpenBracket!, SyntaxKind.OpenBracket);
        var items = new List<ValueSyntax>(array.Items.ChildrenCount);
        foreach (var item in array.Items)
        {
            Leading(item);
            items.Add(Value(item.Value!));
            if (item.Comma is not null)
            {
                Token(item.Comma, SyntaxKind.Comma);
            }

            Trailing(item);
        }

        Token(array.CloseBracket!, SyntaxKind.CloseBracket);
        var node = new ArraySyntax(_current, open.Start, items);
        _current = parent;
        parent.Add(node);
        return node;
    }

    private InlineTableSyntax InlineTable(T.InlineTableSyntax table)
    {
        var parent = _current;
        _current = new List<SyntaxElement>(table.Items.ChildrenCount * 3 + 2);
        var open = Token(table.OpenBrace!, SyntaxKind.OpenBrace);
        var members = new List<KeyValueSyntax>(table.Items.ChildrenCount);
        foreach (var item in table.Items)
        {
            Leading(item);
            var keyValue = item.KeyValue!;
            Flush();
            Leading(keyValue);
            var outer = _current;
            var start = _offset;
            _current = new List<SyntaxElement>(5);
            var (key, equals, value) = KeyValue(keyValue);
            var member = new KeyValueSyntax(_current, start, key, equals, value);
            _current = outer;
            outer.Add(member);
            members.Add(member);
            Trailing(keyValue);
            if (item.Comma is not null)
            {
                Token(item.Comma, SyntaxKind.Comma);
            }

            Trailing(item);
        }

        Token(table.CloseBrace!, SyntaxKind.CloseBrace);
        var node = new InlineTableSyntax(_current, open.Start, members);
        _current = parent;
        parent.Add(node);
        return node;
    }
}
