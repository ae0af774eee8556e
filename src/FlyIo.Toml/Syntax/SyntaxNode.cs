using System.Collections.Generic;
using System.Text;

namespace FlyIo.Toml.Syntax;

/// <summary>An interior node: an ordered, gap-free run of child tokens and nodes.</summary>
public abstract class SyntaxNode : SyntaxElement
{
    private readonly int _start;
    private readonly int _length;

    protected SyntaxNode(IReadOnlyList<SyntaxElement> children, int start)
    {
        Children = children;
        _start = start;
        var length = 0;
        for (var i = 0; i < children.Count; i++)
        {
            length += children[i].Length;
        }

        _length = length;
    }

    public IReadOnlyList<SyntaxElement> Children { get; }

    public override int Start => _start;

    public override int Length => _length;

    public override void WriteTo(StringBuilder builder)
    {
        for (var i = 0; i < Children.Count; i++)
        {
            Children[i].WriteTo(builder);
        }
    }
}
