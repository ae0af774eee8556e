using System.Collections.Generic;

namespace FlyIo.Toml.Syntax;

/// <summary>A possibly dotted key: segments (bare or quoted, as written), dots and the whitespace between them.</summary>
public sealed class KeySyntax : SyntaxNode
{
    internal KeySyntax(IReadOnlyList<SyntaxElement> children, int start, IReadOnlyList<SyntaxToken> segments, IReadOnlyList<string> names)
        : base(children, start)
    {
        Segments = segments;
        Names = names;
    }

    /// <summary>The key segments as written, quotes included.</summary>
    public IReadOnlyList<SyntaxToken> Segments { get; }

    /// <summary>The decoded segment names.</summary>
    public IReadOnlyList<string> Names { get; }
}
