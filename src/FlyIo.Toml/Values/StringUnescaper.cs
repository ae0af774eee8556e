using System.Text;
using FlyIo.Diagnostics;
using FlyIo.Toml.Lexing;

namespace FlyIo.Toml;

/// <summary>Decodes one TOML 1.0 escape sequence (no <c>\e</c> or <c>\x</c>: those arrived in TOML 1.1).</summary>
internal static class StringUnescaper
{
    /// <summary>Appends the escape at <paramref name="backslash"/> and returns the offset after it.</summary>
    public static int AppendEscape(SourceText source, int backslash, StringBuilder builder)
    {
        var text = source.Text;
        var i = backslash + 1;
        if (i >= text.Length)
        {
            source.Fail(FlyCodes.TomlInvalidString, "incomplete escape sequence", backslash);
        }

        switch (text[i])
        {
            case 'b': builder.Append('\b'); return i + 1;
            case 't': builder.Append('\t'); return i + 1;
            case 'n': builder.Append('\n'); return i + 1;
            case 'f': builder.Append('\f'); return i + 1;
            case 'r': builder.Append('\r'); return i + 1;
            case '"': builder.Append('"'); return i + 1;
            case '\\': builder.Append('\\'); return i + 1;
            case 'u': return AppendUnicode(source, backslash, 4, builder);
            case 'U': return AppendUnicode(source, backslash, 8, builder);
            default:
                source.Fail(FlyCodes.TomlInvalidString, $"invalid escape sequence '\\{Printable(text[i])}'", backslash);
                return 0;
        }
    }

    private static int AppendUnicode(SourceText source, int backslash, int digits, StringBuilder builder)
    {
        var text = source.Text;
        var start = backslash + 2;
        long scalar = 0;
        for (var k = 0; k < digits; k++)
        {
            var at = start + k;
            if (at >= text.Length || !CharClass.IsHexDigit(text[at]))
            {
                source.Fail(FlyCodes.TomlInvalidString, $"\\{text[backslash + 1]} needs exactly {digits} hexadecimal digits", backslash);
            }

            scalar = (scalar << 4) | (uint)HexValue(text[at]);
        }

        if (scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF))
        {
            source.Fail(FlyCodes.TomlInvalidString, $"U+{scalar:X} is not a Unicode scalar value", backslash);
        }

        if (scalar >= 0x10000)
        {
            var v = (int)scalar - 0x10000;
            builder.Append((char)(0xD800 + (v >> 10)));
            builder.Append((char)(0xDC00 + (v & 0x3FF)));
        }
        else
        {
            builder.Append((char)scalar);
        }

        return start + digits;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static string Printable(char c) => c < 0x20 || c == 0x7F ? $"U+{(int)c:X4}" : c.ToString();
}
