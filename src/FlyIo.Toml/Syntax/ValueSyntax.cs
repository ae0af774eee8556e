using System.Collections.Generic;

namespace FlyIo.Toml.Syntax;

/// <summary>A value as written; its span is what an editor replaces to change the value.</summary>
public abstract class ValueSyntax : SyntaxNode
{
    protected ValueSyntax(IReadOnlyList<SyntaxElement> children, int start) : base(children, start)
    {
    }
}

/// <summary>A string, number, boolean or date-time: a single token.</summary>
public sealed class ScalarValueSyntax : ValueSyntax
{
    internal ScalarValueSyntax(SyntaxToken token) : base(new SyntaxElement[] { token }, token.Start) => Token = token;

    public SyntaxToken Token { get; }
}

/// <summary><c>[ ... ]</c> with its items, commas, whitespace, comments and newlines.</summary>
public sealed class ArraySyntax : ValueSyntax
{
    internal ArraySyntax(IReadOnlyList<SyntaxElement> children, int start, IReadOnlyList<ValueSyntax> items) : base(children, start) => Items = items;

    public IReadOnlyList<ValueSyntax> Items { get; }
}

/// <summary><c>{ ... }</c> with its members and punctuation.</summary>
public sealed class InlineTableSyntax : ValueSyntax
{
    internal InlineTableSyntax(IReadOnlyList<SyntaxElement> children, int start, IReadOnlyList<KeyValueSyntax> members) : base(children, start) => Members = members;

    public IReadOnlyList<KeyValueSyntax> Members { get; }
}
