using System.Text;

namespace FlyIo.Toml.Syntax;

/// <summary>A leaf of the tree holding its exact source text.</summary>
public sealed class SyntaxToken : SyntaxElement
{
    private readonly int _start;

    internal SyntaxToken(SyntaxKind kind, string text, int start)
    {
        Kind = kind;
        Text = text;
        _start = start;
    }

    public SyntaxKind Kind { get; }

    public string Text { get; }

    public override int Start => _start;

    public override int Length => Text.Length;

    public override void WriteTo(StringBuilder builder) => builder.Append(Text);
}
