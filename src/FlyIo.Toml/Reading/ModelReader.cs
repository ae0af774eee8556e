using System.Collections.Generic;
using FlyIo.Diagnostics;
using FlyIo.Toml.Lexing;
using FlyIo.Toml.Semantics;
using T = global::Tomlyn.Syntax;

namespace FlyIo.Toml.Reading;

/// <summary>
/// Builds the located value model straight from Tomlyn's tree and makes every TOML 1.0 check on the way, in
/// document order, so the first problem in the text is the one reported. It reads Tomlyn's offsets (UTF-16 units
/// of the text, as the project's positions count them) and creates no syntax of its own: validation, the deploy and
/// every other reader need only the model, and the lossless tree (<see cref="SyntaxConverter"/>) is built from the
/// same Tomlyn tree only when an editor asks for it.
/// </summary>
internal sealed class ModelReader
{
    private readonly SourceText _source;
    private readonly TableBuilder _builder;

    public ModelReader(SourceText source)
    {
        _source = source;
        _builder = new TableBuilder(source);
    }

    public TomlTable Read(T.DocumentSyntax document)
    {
        foreach (var keyValue in document.KeyValues)
        {
            AddKeyValue(_builder.Current, keyValue);
        }

        foreach (var table in document.Tables)
        {
            var (names, offsets) = Key(table.Name!);
            var bracket = Offset(table.OpenBracket!);
            if (table is T.TableArraySyntax)
            {
                _builder.OpenArrayTable(names, offsets, bracket);
            }
            else
            {
                _builder.OpenTable(names, offsets, bracket);
            }

            foreach (var keyValue in table.Items)
            {
                AddKeyValue(_builder.Current, keyValue);
            }
        }

        return _builder.Root;
    }

    private void AddKeyValue(TomlTable target, T.KeyValueSyntax keyValue)
    {
        var (names, offsets) = Key(keyValue.Key!);
        var value = Value(keyValue.Value!);
        _builder.AddValue(target, names, offsets, value);
    }

    private (IReadOnlyList<string> Names, IReadOnlyList<int> Offsets) Key(T.KeySyntax key)
    {
        var count = key.DotKeys.ChildrenCount + 1;
        var names = new string[count];
        var offsets = new int[count];
        (names[0], offsets[0]) = KeySegment(key.Key!);
        var i = 1;
        foreach (var dotted in key.DotKeys)
        {
            (names[i], offsets[i]) = KeySegment(dotted.Key!);
            i++;
        }

        return (names, offsets);
    }

    private (string Name, int Offset) KeySegment(T.BareKeyOrStringValueSyntax segment)
    {
        if (segment is T.BareKeySyntax bare)
        {
            var name = bare.Key!.Text ?? string.Empty;
            var offset = Offset(bare.Key);
            Toml10.CheckBareKey(_source, name, offset);
            return (name, offset);
        }

        var quoted = (T.StringValueSyntax)segment;
        var token = quoted.Token!;
        var start = Offset(token);
        if (token.TokenKind is T.TokenKind.StringMulti or T.TokenKind.StringLiteralMulti)
        {
            _source.Fail(FlyCodes.TomlSyntax, "a key cannot be a multi-line string", start);
        }

        Toml10.CheckEscapes(_source, token, start);
        return (quoted.Value ?? string.Empty, start);
    }

    /// <summary>
    /// Strings, integers, floats and booleans keep Tomlyn's decoded values (TOML 1.0 and 1.1 read them alike once
    /// 1.1's extra escapes are refused); date-times are decoded by <see cref="DateTimeParser"/>, because Tomlyn's
    /// grammar is 1.1's (seconds optional) and its value type has no separate local date and time.
    /// </summary>
    private TomlValue Value(T.ValueSyntax value)
    {
        switch (value)
        {
            case T.StringValueSyntax text:
            {
                var start = Offset(text.Token!);
                Toml10.CheckEscapes(_source, text.Token!, start);
                return new TomlString(text.Value ?? string.Empty, _source.GetPosition(start));
            }

            case T.IntegerValueSyntax integer:
            {
                var start = Offset(integer.Token!);
                if (integer.Value < 0 && integer.Token!.TokenKind != T.TokenKind.Integer)
                {
                    // Tomlyn wraps hexadecimal, octal and binary literals past 2^63 - 1 into negative numbers.
                    _source.Fail(FlyCodes.TomlInvalidNumber, $"'{integer.Token.Text}' does not fit in a 64-bit signed integer", start);
                }

                return new TomlInteger(integer.Value, _source.GetPosition(start));
            }

            case T.FloatValueSyntax number:
                return new TomlFloat(number.Value, _source.GetPosition(Offset(number.Token!)));
            case T.BooleanValueSyntax boolean:
                return new TomlBoolean(boolean.Value, _source.GetPosition(Offset(boolean.Token!)));
            case T.DateTimeValueSyntax dateTime:
                return DateTimeParser.Parse(_source, dateTime.Token!.Text ?? string.Empty, Offset(dateTime.Token));
            case T.ArraySyntax array:
                return Array(array);
            case T.InlineTableSyntax table:
                return InlineTable(table);
            default:
                _source.Fail(FlyCodes.TomlSyntax, "unexpected value", value.Span.Start.Offset);
                return null!;
        }
    }

    private TomlArray Array(T.ArraySyntax array)
    {
        var model = new TomlArray(false, _source.GetPosition(Offset(array.OpenBracket!)));
        foreach (var item in array.Items)
        {
            model.Add(Value(item.Value!));
        }

        return model;
    }

    private TomlTable InlineTable(T.InlineTableSyntax table)
    {
        var open = Offset(table.OpenBrace!);
        var model = new TomlTable(TomlTableOrigin.Inline, _source.GetPosition(open));
        OneLine(table.OpenBrace!, open);
        var trailingComma = false;
        foreach (var item in table.Items)
        {
            OneLine(item, open);
            AddKeyValue(model, item.KeyValue!);
            trailingComma = item.Comma is not null;
        }

        if (trailingComma)
        {
            // TOML 1.1 allows a trailing comma in an inline table; TOML 1.0 does not.
            _source.Fail(FlyCodes.TomlSyntax, "unexpected '}', expected a key after ',' (TOML 1.0 inline tables have no trailing comma)",
                table.CloseBrace!.Span.Start.Offset);
        }

        if (table.CloseBrace!.LeadingTrivia is { } beforeClose)
        {
            OneLine(beforeClose);
        }

        model.IsSealed = true;
        return model;
    }

    /// <summary>
    /// TOML 1.1 lets inline tables span lines (and so hold comments); TOML 1.0 does not, except inside a value that
    /// may itself span lines: an array. Checks the trivia of one member of an inline table (its key, '=', value and
    /// comma), not descending into arrays, whose line breaks are theirs, nor into nested inline tables, which are
    /// checked as their own members are read; the trivia just after such a nested value's last token is this
    /// table's and is checked.
    /// </summary>
    private void OneLine(T.SyntaxNode node, int tableStart)
    {
        if (node.Span.Start.Offset != tableStart && node.LeadingTrivia is { } leading)
        {
            OneLine(leading);
        }

        if (node is T.ArraySyntax or T.InlineTableSyntax)
        {
            var (open, close) = node is T.ArraySyntax array
                ? (array.OpenBracket, array.CloseBracket)
                : (((T.InlineTableSyntax)node).OpenBrace, ((T.InlineTableSyntax)node).CloseBrace);
            if (open?.LeadingTrivia is { } beforeOpen)
            {
                OneLine(beforeOpen);
            }

            if (close?.TrailingTrivia is { } afterClose)
            {
                OneLine(afterClose);
            }
        }
        else
        {
            for (var i = 0; i < node.ChildrenCount; i++)
            {
                if (node.GetChild(i) is { } child)
                {
                    OneLine(child, tableStart);
                }
            }
        }

        if (node.TrailingTrivia is { } trailing)
        {
            OneLine(trailing);
        }
    }

    private void OneLine(List<T.SyntaxTrivia> trivia)
    {
        for (var i = 0; i < trivia.Count; i++)
        {
            var kind = trivia[i].Kind;
            if (kind is T.TokenKind.NewLine or T.TokenKind.Comment)
            {
                _source.Fail(FlyCodes.TomlSyntax, "unexpected " + (kind == T.TokenKind.NewLine ? "newline" : "comment")
                    + ", expected ',' or '}' in the inline table (TOML 1.0 inline tables stay on one line)", trivia[i].Span.Start.Offset);
            }
        }
    }

    private static int Offset(T.SyntaxNode token) => token.Span.Start.Offset;
}
