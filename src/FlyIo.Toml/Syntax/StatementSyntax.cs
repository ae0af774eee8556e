using System.Collections.Generic;

namespace FlyIo.Toml.Syntax;

/// <summary>A top-level line: leading whitespace, its content, trailing whitespace, comment and newline.</summary>
public abstract class StatementSyntax : SyntaxNode
{
    protected StatementSyntax(IReadOnlyList<SyntaxElement> children, int start) : base(children, start)
    {
    }
}

/// <summary>A line holding only whitespace, a comment and/or a newline.</summary>
public sealed class TriviaSyntax : StatementSyntax
{
    internal TriviaSyntax(IReadOnlyList<SyntaxElement> children, int start) : base(children, start)
    {
    }
}

/// <summary><c>[a.b]</c> or <c>[[a.b]]</c>.</summary>
public sealed class TableHeaderSyntax : StatementSyntax
{
    internal TableHeaderSyntax(IReadOnlyList<SyntaxElement> children, int start, bool isArrayOfTables, KeySyntax key)
        : base(children, start)
    {
        IsArrayOfTables = isArrayOfTables;
        Key = key;
    }

    public bool IsArrayOfTables { get; }

    public KeySyntax Key { get; }
}

/// <summary><c>key = value</c>, at top level (with its line trivia) or inside an inline table.</summary>
public sealed class KeyValueSyntax : StatementSyntax
{
    internal KeyValueSyntax(IReadOnlyList<SyntaxElement> children, int start, KeySyntax key, SyntaxToken equalsToken, ValueSyntax value)
        : base(children, start)
    {
        Key = key;
        EqualsToken = equalsToken;
        Value = value;
    }

    public KeySyntax Key { get; }

    public SyntaxToken EqualsToken { get; }

    public ValueSyntax Value { get; }
}
