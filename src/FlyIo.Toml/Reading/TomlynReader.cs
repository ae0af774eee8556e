using System;
using FlyIo.Diagnostics;
using FlyIo.Toml.Lexing;
using Tomlyn;
using Tomlyn.Parsing;
using TomlynDocument = Tomlyn.Syntax.DocumentSyntax;

namespace FlyIo.Toml.Reading;

/// <summary>
/// Reads a document through Tomlyn's lossless syntax parser, then builds the project's located model on top of it
/// (and the project's lossless tree when it is first asked for). Tomlyn parses TOML 1.1, so this layer also rejects what TOML 1.0 (flyctl's dialect) does not allow.
/// </summary>
internal static class TomlynReader
{
    /// <summary>Deep enough for any real document, shallow enough for a 1 MB thread stack.</summary>
    public const int MaxDepth = 512;

    // Tomlyn counts the document itself as the first level of nesting.
    private static readonly TomlSerializerOptions Options = new() { MaxDepth = MaxDepth + 1 };

    public static TomlDocument Read(string text, bool hasBom)
    {
        var source = new SourceText(text);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            // Tomlyn skips a byte-order mark at its start; here one has already been read, so this one is a second.
            source.Fail(FlyCodes.TomlSyntax, "unexpected byte-order mark, expected a key, a table header or a comment", 0);
        }

        TomlynDocument tree;
        try
        {
            tree = Parse(text);
        }
        catch (TomlException)
        {
            // Tomlyn's only exception from the syntax parser: nesting beyond MaxDepth, reported without a position.
            source.Fail(FlyCodes.TomlNestingTooDeep, $"arrays and inline tables are nested more than {MaxDepth} levels deep",
                NestingLocator.FindTooDeep(text, MaxDepth));
            return null!;
        }
        catch (ArgumentOutOfRangeException)
        {
            // Tomlyn decodes some escapes of surrogate code points by throwing instead of reporting them.
            source.Fail(FlyCodes.TomlInvalidString, "an escape names a surrogate, which is not a Unicode scalar value",
                NestingLocator.FindSurrogateEscape(text));
            return null!;
        }

        if (tree.HasErrors)
        {
            TomlynErrors.FailOnErrors(source, tree.Diagnostics);
        }

        var root = new ModelReader(source).Read(tree);

        // The document keeps the text, not Tomlyn's tree (several times the text's size): an edit, which alone needs
        // the lossless tree, parses it again, and a document held only for its model holds little.
        return new TomlDocument(root, () => new SyntaxConverter().Convert(Parse(text)), hasBom);
    }

    // validate: false. Tomlyn's validator is a TOML 1.1 one; duplicate and redefinition rules are ours.
    private static TomlynDocument Parse(string text) => SyntaxParser.Parse(text, Options, null, validate: false);
}
