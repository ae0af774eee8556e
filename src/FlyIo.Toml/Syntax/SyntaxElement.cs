using System.Text;

namespace FlyIo.Toml.Syntax;

/// <summary>A token or a node of the lossless tree, with its span in the document text (BOM excluded).</summary>
public abstract class SyntaxElement
{
    /// <summary>0-based character offset where the element starts.</summary>
    public abstract int Start { get; }

    /// <summary>Length in characters; the concatenation of all elements reproduces the source.</summary>
    public abstract int Length { get; }

    public int End => Start + Length;

    public abstract void WriteTo(StringBuilder builder);

    public override string ToString()
    {
        var builder = new StringBuilder(Length);
        WriteTo(builder);
        return builder.ToString();
    }
}
