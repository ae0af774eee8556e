using System.Collections.Generic;
using FlyIo.Toml.Lexing;
using FlyIo.Toml.Semantics;
using FlyIo.Toml.Syntax;

namespace FlyIo.Toml.Parsing;

/// <summary>
/// Single pass over the text that builds the lossless tree line by line and feeds the value model as it goes.
/// Only arrays and inline tables recurse, and <see cref="MaxDepth"/> bounds that recursion.
/// </summary>
internal sealed partial class TomlSyntaxParser
{
    /// <summary>Deep enough for any real document, shallow enough for a 1 MB thread stack.</summary>
    public const int MaxDepth = 512;

    private readonly SourceText _source;
    private readonly string _text;
    private readonly TableBuilder _builder;
    private int _pos;

    public TomlSyntaxParser(SourceText source)
    {
        _source = source;
        _text = source.Text;
        _builder = new TableBuilder(source);
    }

    public TomlTable Root => _builder.Root;

    public DocumentSyntax ParseDocument()
    {
        var statements = new List<StatementSyntax>();
        while (_pos < _text.Length)
        {
            statements.Add(ParseStatement());
        }

        return new DocumentSyntax(statements);
    }

    private StatementSyntax ParseStatement()
    {
        var start = _pos;
        var children = new List<SyntaxElement>(6);
        AddWhitespace(children);
        var c = Peek();
        StatementSyntax? result = null;
        if (c == '[')
        {
            var header = ParseHeader(children);
            AddLineEnd(children, "a table header");
            result = new TableHeaderSyntax(children, start, header.IsArrayOfTables, header.Key);
        }
        else if (c == '"' || c == '\'' || CharClass.IsBareKey(c))
        {
            var keyValue = ParseKeyValue(children, _builder.Current, 0);
            AddLineEnd(children, "a value");
            result = new KeyValueSyntax(children, start, keyValue.Key, keyValue.EqualsToken, keyValue.Value);
        }
        else if (c == '#' || c == '\n' || c == '\r' || c == '\0' && _pos >= _text.Length)
        {
            AddLineEnd(children, "whitespace");
            result = new TriviaSyntax(children, start);
        }
        else
        {
            Unexpected("a key, a table header or a comment");
        }

        return result!;
    }

    private (bool IsArrayOfTables, KeySyntax Key) ParseHeader(List<SyntaxElement> children)
    {
        var bracketOffset = _pos;
        var isArray = _pos + 1 < _text.Length && _text[_pos + 1] == '[';
        children.Add(Take(isArray ? SyntaxKind.DoubleOpenBracket : SyntaxKind.OpenBracket, isArray ? 2 : 1));
        AddWhitespace(children);
        var key = ParseKey();
        children.Add(key.Syntax);
        AddWhitespace(children);
        if (isArray)
        {
            if (Peek() != ']' || _pos + 1 >= _text.Length || _text[_pos + 1] != ']')
            {
                Unexpected("']]' to close the array-of-tables header");
            }

            children.Add(Take(SyntaxKind.DoubleCloseBracket, 2));
            _builder.OpenArrayTable(key.Syntax.Names, key.Offsets, bracketOffset);
        }
        else
        {
            if (Peek() != ']')
            {
                Unexpected("']' to close the table header");
            }

            children.Add(Take(SyntaxKind.CloseBracket, 1));
            _builder.OpenTable(key.Syntax.Names, key.Offsets, bracketOffset);
        }

        return (isArray, key.Syntax);
    }

    /// <summary>Parses <c>key = value</c> into <paramref name="children"/> and adds the value to <paramref name="target"/>.</summary>
    private (KeySyntax Key, SyntaxToken EqualsToken, ValueSyntax Value) ParseKeyValue(List<SyntaxElement> children, TomlTable target, int depth)
    {
        var key = ParseKey();
        children.Add(key.Syntax);
        AddWhitespace(children);
        if (Peek() != '=')
        {
            Unexpected("'=' after the key");
        }

        var equalsToken = Take(SyntaxKind.Equals, 1);
        children.Add(equalsToken);
        AddWhitespace(children);
        var value = ParseValue(depth);
        children.Add(value.Syntax);
        _builder.AddValue(target, key.Syntax.Names, key.Offsets, value.Value);
        return (key.Syntax, equalsToken, value.Syntax);
    }

    /// <summary>Trailing whitespace, an optional comment, then a newline or the end of the document.</summary>
    private void AddLineEnd(List<SyntaxElement> children, string after)
    {
        AddWhitespace(children);
        if (Peek() == '#')
        {
            children.Add(ScanComment());
        }

        if (_pos >= _text.Length)
        {
            return;
        }

        var newline = TryScanNewline();
        if (newline is null)
        {
            Unexpected("a newline after " + after);
        }

        children.Add(newline);
    }
}
