using System.Text;
using FlyIo.Toml.Syntax;

namespace FlyIo.Toml;

/// <summary>A parsed document: the value model plus the lossless syntax tree it was built from.</summary>
public sealed class TomlDocument
{
    internal TomlDocument(TomlTable root, DocumentSyntax syntax, bool hasByteOrderMark)
    {
        Root = root;
        Syntax = syntax;
        HasByteOrderMark = hasByteOrderMark;
    }

    public TomlTable Root { get; }

    /// <summary>The tree; offsets in it count characters of the text after any byte-order mark.</summary>
    public DocumentSyntax Syntax { get; }

    public bool HasByteOrderMark { get; }

    /// <summary>The document text reproduced from the tree (the byte-order mark is not part of the text).</summary>
    public string ToTomlString()
    {
        var builder = new StringBuilder(Syntax.Length);
        Syntax.WriteTo(builder);
        return builder.ToString();
    }

    /// <summary>The original bytes: the tree's text in UTF-8, preceded by the byte-order mark when there was one.</summary>
    public byte[] ToUtf8Bytes()
    {
        var text = ToTomlString();
        var preamble = HasByteOrderMark ? 3 : 0;
        var bytes = new byte[preamble + Encoding.UTF8.GetByteCount(text)];
        if (HasByteOrderMark)
        {
            bytes[0] = 0xEF;
            bytes[1] = 0xBB;
            bytes[2] = 0xBF;
        }

        Encoding.UTF8.GetBytes(text, 0, text.Length, bytes, preamble);
        return bytes;
    }
}
