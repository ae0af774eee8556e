using System;
using System.Text;
using System.Threading;
using FlyIo.Toml.Syntax;

namespace FlyIo.Toml;

/// <summary>A parsed document: the value model plus the lossless syntax tree of the same text.</summary>
public sealed class TomlDocument
{
    private DocumentSyntax? _syntax;
    private Func<DocumentSyntax>? _buildSyntax;

    /// <summary>
    /// The tree is built on first use: reading a fly.toml needs only the model, and only an edit or a round trip
    /// needs the tree. The text has already been accepted in full when this is made, so building the tree cannot fail.
    /// </summary>
    internal TomlDocument(TomlTable root, Func<DocumentSyntax> buildSyntax, bool hasByteOrderMark)
    {
        Root = root;
        _buildSyntax = buildSyntax;
        HasByteOrderMark = hasByteOrderMark;
    }

    public TomlTable Root { get; }

    /// <summary>The tree; offsets in it count characters of the text after any byte-order mark.</summary>
    public DocumentSyntax Syntax => _syntax ?? BuildSyntax();

    public bool HasByteOrderMark { get; }

    /// <summary>Two threads asking at once may both build it; both get the one stored first.</summary>
    private DocumentSyntax BuildSyntax()
    {
        var build = _buildSyntax;
        if (build is null)
        {
            return Volatile.Read(ref _syntax)!;
        }

        var built = build();
        var syntax = Interlocked.CompareExchange(ref _syntax, built, null) ?? built;
        _buildSyntax = null; // lets the parser's tree go
        return syntax;
    }

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
