namespace FlyIo.Toml.Reading;

/// <summary>Positions for the two failures Tomlyn reports by throwing, without a position.</summary>
internal static class NestingLocator
{
    /// <summary>The first <c>\uXXXX</c> or <c>\UXXXXXXXX</c> escape naming a surrogate or a value past U+10FFFF.</summary>
    public static int FindSurrogateEscape(string text)
    {
        for (var i = text.IndexOf('\\'); i >= 0 && i + 1 < text.Length; i = text.IndexOf('\\', i + 2))
        {
            var digits = text[i + 1] == 'u' ? 4 : text[i + 1] == 'U' ? 8 : 0;
            if (digits == 0 || i + 2 + digits > text.Length
                || !int.TryParse(text.Substring(i + 2, digits), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var value))
            {
                continue;
            }

            if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF || value < 0)
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>The bracket or brace that went one level too deep, skipping strings and comments.</summary>
    public static int FindTooDeep(string text, int maxDepth)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n') i++;
            }
            else if (c == '"' || c == '\'')
            {
                var triple = i + 2 < text.Length && text[i + 1] == c && text[i + 2] == c;
                i += triple ? 3 : 1;
                while (i < text.Length && !(text[i] == c && (!triple || (i + 2 < text.Length && text[i + 1] == c && text[i + 2] == c))))
                {
                    if (c == '"' && text[i] == '\\') i++;
                    i++;
                }

                if (triple) i += 2;
            }
            else if (c == '[' || c == '{')
            {
                if (++depth > maxDepth) return i;
            }
            else if (c == ']' || c == '}')
            {
                depth--;
            }
        }

        return text.Length;
    }
}
