using System.Text;
using FlyIo.Diagnostics;

namespace FlyIo.Toml.Lexing;

/// <summary>
/// Strict UTF-8 validation with a located error. The framework decoder would silently substitute U+FFFD or throw
/// without a usable position, and TOML requires rejecting overlongs, surrogates and out-of-range scalars. Kept
/// beside Tomlyn, which reads text, not bytes.
/// </summary>
internal static class Utf8Validator
{
    private static readonly Encoding Decoder = new UTF8Encoding(false, false);

    /// <summary>Decodes <paramref name="bytes"/>; a leading BOM is dropped from the text and reported.</summary>
    public static string Decode(byte[] bytes, out bool hasByteOrderMark)
    {
        hasByteOrderMark = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        var start = hasByteOrderMark ? 3 : 0;
        var bad = FindInvalid(bytes, start);
        if (bad >= 0)
        {
            ThrowAt(bytes, start, bad);
        }

        return Decoder.GetString(bytes, start, bytes.Length - start);
    }

    /// <summary>Index of the first byte that does not begin a well-formed sequence, or -1.</summary>
    private static int FindInvalid(byte[] b, int i)
    {
        var n = b.Length;
        while (i < n)
        {
            int c = b[i];
            if (c < 0x80)
            {
                i++;
                continue;
            }

            int need, lo = 0x80, hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) { need = 1; }
            else if (c == 0xE0) { need = 2; lo = 0xA0; }
            else if (c >= 0xE1 && c <= 0xEC) { need = 2; }
            else if (c == 0xED) { need = 2; hi = 0x9F; }
            else if (c >= 0xEE && c <= 0xEF) { need = 2; }
            else if (c == 0xF0) { need = 3; lo = 0x90; }
            else if (c >= 0xF1 && c <= 0xF3) { need = 3; }
            else if (c == 0xF4) { need = 3; hi = 0x8F; }
            else { return i; }

            if (i + need >= n)
            {
                return i;
            }

            if (b[i + 1] < lo || b[i + 1] > hi)
            {
                return i;
            }

            for (var k = 2; k <= need; k++)
            {
                if (b[i + k] < 0x80 || b[i + k] > 0xBF)
                {
                    return i;
                }
            }

            i += need + 1;
        }

        return -1;
    }

    private static void ThrowAt(byte[] bytes, int start, int bad)
    {
        var lineStart = start;
        var line = 1;
        for (var i = start; i < bad; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        // Everything before the bad byte is valid, so decoding it gives the UTF-16 column exactly.
        var column = Decoder.GetCharCount(bytes, lineStart, bad - lineStart) + 1;
        throw new TomlParseException(FlyCodes.TomlInvalidEncoding, $"invalid UTF-8 byte 0x{bytes[bad]:X2}", line, column);
    }
}
