using System.Collections.Generic;
using FlyIo.Diagnostics;
using FlyIo.Toml.Lexing;
using FlyIo.Toml.Semantics;
using FlyIo.Toml.Syntax;
using T = global::Tomlyn.Syntax;

namespace FlyIo.Toml.Reading;

/// <summary>
/// One in-order walk over Tomlyn's tree that emits the project's line-oriented lossless tree, for the editor. It
/// runs only after <see cref="ModelReader"/> has accepted the same tree, so it checks nothing itself. Tomlyn hangs whitespace, comments and newlines on nodes as leading or trailing trivia; a token's trailing
/// trivia is held back until the next element is emitted, so it lands in whichever node encloses that element
/// (whitespace after a value belongs to the line, not to the value). Offsets are counted from the emitted text, so
/// the tree reproduces the document exactly.
/// </summary>
internal sealed partial class SyntaxConverter
{
    private readonly List<List<T.SyntaxTrivia>> _pending = new(2);
    private readonly List<StatementSyntax> _statements = new();
    private List<SyntaxElement> _current = new(6);
    private int _offset;
    private int _statementStart;
    private bool _inStatement;

    public DocumentSyntax Convert(T.DocumentSyntax document)
    {
        Leading(document);
        foreach (var keyValue in document.KeyValues)
        {
            TopKeyValue(keyValue);
        }

        foreach (var table in document.Tables)
        {
            TopTable(table);
            foreach (var keyValue in table.Items)
            {
                TopKeyValue(keyValue);
            }

            Trailing(table);
        }

        Trailing(document);
        Flush();
        if (_current.Count > 0)
        {
            _statements.Add(new TriviaSyntax(_current, _statementStart));
        }

        return new DocumentSyntax(_statements);
    }

    private void TopKeyValue(T.KeyValueSyntax keyValue)
    {
        Flush();
        Leading(keyValue);
        _inStatement = true;
        var (key, equals, value) = KeyValue(keyValue);
        EndOfLine(keyValue.EndOfLineToken);
        Trailing(keyValue);
        EndStatement(new KeyValueSyntax(_current, _statementStart, key, equals, value));
    }

    private void TopTable(T.TableSyntaxBase table)
    {
        Flush();
        Leading(table);
        _inStatement = true;
        var isArray = table is T.TableArraySyntax;
        Token(table.OpenBracket!, isArray ? SyntaxKind.DoubleOpenBracket : SyntaxKind.OpenBracket);
        var key = Key(table.Name!);
        Token(table.CloseBracket!, isArray ? SyntaxKind.DoubleCloseBracket : SyntaxKind.CloseBracket);

        EndOfLine(table.EndOfLineToken);
        EndStatement(new TableHeaderSyntax(_current, _statementStart, isArray, key));
    }

    /// <summary><c>key = value</c> into the current list.</summary>
    private (KeySyntax Key, SyntaxToken EqualsToken, ValueSyntax Value) KeyValue(T.KeyValueSyntax keyValue)
    {
        var key = Key(keyValue.Key!);
        var equals = Token(keyValue.EqualToken!, SyntaxKind.Equals);
        var value = Value(keyValue.Value!);
        return (key, equals, value);
    }

    /// <summary>The newline token that ends a top-level line (none at the end of the document).</summary>
    private void EndOfLine(T.SyntaxToken? token)
    {
        if (token is not null && token.TokenKind == T.TokenKind.NewLine)
        {
            Token(token, SyntaxKind.Newline);
        }
        else
        {
            Flush();
        }
    }

    private void EndStatement(StatementSyntax statement)
    {
        _statements.Add(statement);
        _current = new List<SyntaxElement>(6);
        _statementStart = _offset;
        _inStatement = false;
    }

    private KeySyntax Key(T.KeySyntax key)
    {
        Flush();
        Leading(key);
        var parent = _current;
        var start = _offset;
        if (key.DotKeys.ChildrenCount == 0)
        {
            // Most keys have one segment: single-element arrays keep the retained tree small.
            var (token, name) = KeySegment(key.Key!);
            var single = new KeySyntax(new SyntaxElement[] { token }, start, new[] { token }, new[] { name });
            parent.Add(single);
            Trailing(key);
            return single;
        }

        _current = new List<SyntaxElement>(key.DotKeys.ChildrenCount * 2 + 1);
        var segments = new List<SyntaxToken>(key.DotKeys.ChildrenCount + 1);
        var names = new List<string>(key.DotKeys.ChildrenCount + 1);
        AddSegment(key.Key!, segments, names);
        foreach (var dotted in key.DotKeys)
        {
            Leading(dotted);
            Token(dotted.Dot!, SyntaxKind.Dot);
            AddSegment(dotted.Key!, segments, names);
            Trailing(dotted);
        }

        var syntax = new KeySyntax(_current, start, segments, names);
        _current = parent;
        parent.Add(syntax);
        Trailing(key);
        return syntax;
    }

    private void AddSegment(T.BareKeyOrStringValueSyntax segment, List<SyntaxToken> segments, List<string> names)
    {
        var (token, name) = KeySegment(segment);
        _current.Add(token);
        segments.Add(token);
        names.Add(name);
    }

    /// <summary>One key segment's token (not yet added to any list) and its decoded name.</summary>
    private (SyntaxToken Token, string Name) KeySegment(T.BareKeyOrStringValueSyntax segment)
    {
        Flush();
        Leading(segment);
        SyntaxToken token;
        string name;
        if (segment is T.BareKeySyntax bare)
        {
            token = Detached(bare.Key!, SyntaxKind.BareKey);
            name = token.Text;
        }
        else
        {
            var quoted = (T.StringValueSyntax)segment;
            token = Detached(quoted.Token!, StringKind(quoted.Token!));
            name = quoted.Value ?? string.Empty;
        }

        Trailing(segment);
        return (token, name);
    }

    /// <summary>Emits held-back trivia into the current list.</summary>
    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        for (var i = 0; i < _pending.Count; i++)
        {
            var trivia = _pending[i];
            for (var j = 0; j < trivia.Count; j++)
            {
                AddTrivia(trivia[j]);
            }
        }

        _pending.Clear();
    }

    private void Leading(T.SyntaxNode node)
    {
        var trivia = node.LeadingTrivia;
        if (trivia is null || trivia.Count == 0)
        {
            return;
        }

        Flush();
        for (var i = 0; i < trivia.Count; i++)
        {
            AddTrivia(trivia[i]);
        }
    }

    private void Trailing(T.SyntaxNode node)
    {
        var trivia = node.TrailingTrivia;
        if (trivia is not null && trivia.Count > 0)
        {
            _pending.Add(trivia);
        }
    }

    private void AddTrivia(T.SyntaxTrivia trivia)
    {
        var kind = trivia.Kind switch
        {
            T.TokenKind.NewLine => SyntaxKind.Newline,
            T.TokenKind.Comment => SyntaxKind.Comment,
            _ => SyntaxKind.Whitespace,
        };

        var token = Make(kind, trivia.Text ?? string.Empty);
        _current.Add(token);
        if (kind == SyntaxKind.Newline && !_inStatement)
        {
            _statements.Add(new TriviaSyntax(_current, _statementStart));
            _current = new List<SyntaxElement>(3);
            _statementStart = _offset;
        }
    }

    /// <summary>A token, after any held-back and leading trivia, added to the current list.</summary>
    private SyntaxToken Token(T.SyntaxToken token, SyntaxKind kind)
    {
        var result = Detached(token, kind);
        _current.Add(result);
        return result;
    }

    /// <summary>A token made in place but left for the caller to wrap (a scalar value's only token).</summary>
    private SyntaxToken Detached(T.SyntaxToken token, SyntaxKind kind)
    {
        Flush();
        Leading(token);
        var result = Make(kind, token.Text ?? string.Empty);
        Trailing(token);
        return result;
    }

    private SyntaxToken Make(SyntaxKind kind, string text)
    {
        var token = new SyntaxToken(kind, text, _offset);
        _offset += text.Length;
        return token;
    }

    private static SyntaxKind StringKind(T.SyntaxToken token) => token.TokenKind switch
    {
        T.TokenKind.StringMulti => SyntaxKind.MultilineBasicString,
        T.TokenKind.StringLiteral => SyntaxKind.LiteralString,
        T.TokenKind.StringLiteralMulti => SyntaxKind.MultilineLiteralString,
        _ => SyntaxKind.BasicString,
    };
}
