using FlyIo.Diagnostics;
using FlyIo.Toml.Lexing;
using T = global::Tomlyn.Syntax;

namespace FlyIo.Toml.Reading;

/// <summary>
/// The TOML 1.0 checks Tomlyn (a TOML 1.1 parser) does not make: flyctl reads fly.toml as TOML 1.0, so what 1.1
/// added must fail here, located, rather than be accepted and then refused by flyctl.
/// </summary>
internal static class Toml10
{
    /// <summary>TOML 1.0 basic strings know \b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX (1.1 adds \xHH and \e).</summary>
    public static void CheckEscapes(SourceText source, T.SyntaxToken token, int start)
    {
        var multiline = token.TokenKind == T.TokenKind.StringMulti;
        if (!multiline && token.TokenKind != T.TokenKind.String)
        {
            return;
        }

        var text = token.Text ?? string.Empty;
        for (var i = text.IndexOf('\\'); i >= 0 && i + 1 < text.Length; i = text.IndexOf('\\', i + 2))
        {
            switch (text[i + 1])
            {
                case 'b': case 't': case 'n': case 'f': case 'r': case '"': case '\\': case 'u': case 'U':
                    continue;
                case ' ': case '\t': case '\r': case '\n':
                    if (multiline)
                    {
                        // A line-ending backslash (Tomlyn has checked that only whitespace follows it on the line).
                        continue;
                    }

                    goto default;
                default:
                    source.Fail(FlyCodes.TomlInvalidString, $"invalid escape sequence '\\{text[i + 1]}' (TOML 1.0)", start + i);
                    break;
            }
        }
    }

    /// <summary>TOML 1.0 bare keys are ASCII letters, digits, '-' and '_'.</summary>
    public static void CheckBareKey(SourceText source, string name, int offset)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (!CharClass.IsBareKey(name[i]))
            {
                source.Fail(FlyCodes.TomlSyntax, $"'{name[i]}' is not allowed in a bare key", offset + i);
            }
        }
    }
}
