using System.Text;
using FlyIo.Diagnostics;
using FlyIo.Toml.Syntax;

namespace FlyIo.Toml.Lexing;

/// <summary>
/// Reads the four string forms from the opening quote, returning the raw extent and the decoded value in one pass.
/// </summary>
internal static class StringScanner
{
    public static SyntaxKind Scan(SourceText source, int start, bool allowMultiline, out string value, out int end)
    {
        var text = source.Text;
        var quote = text[start];
        var isMultiline = start + 2 < text.Length && text[start + 1] == quote && text[start + 2] == quote;
        if (isMultiline && !allowMultiline)
        {
            source.Fail(FlyCodes.TomlSyntax, "a key cannot be a multi-line string", start);
        }

        if (quote == '"')
        {
            return isMultiline
                ? ScanMultiline(source, start, true, out value, out end)
                : ScanSingleLine(source, start, true, out value, out end);
        }

        return isMultiline
            ? ScanMultiline(source, start, false, out value, out end)
            : ScanSingleLine(source, start, false, out value, out end);
    }

    private static SyntaxKind ScanSingleLine(SourceText source, int start, bool basic, out string value, out int end)
    {
        var text = source.Text;
        var quote = basic ? '"' : '\'';
        var i = start + 1;
        var builder = (StringBuilder?)null;
        var runStart = i;
        while (true)
        {
            if (i >= text.Length || text[i] == '\n' || text[i] == '\r')
            {
                source.Fail(FlyCodes.TomlSyntax, "unterminated string", i);
            }

            var c = text[i];
            if (c == quote)
            {
                break;
            }

            if (basic && c == '\\')
            {
                builder ??= new StringBuilder();
                builder.Append(text, runStart, i - runStart);
                i = StringUnescaper.AppendEscape(source, i, builder);
                runStart = i;
                continue;
            }

            if (CharClass.IsForbiddenControl(c))
            {
                source.Fail(FlyCodes.TomlInvalidEncoding, $"control character U+{(int)c:X4} is not allowed in a string", i);
            }

            i++;
        }

        value = builder is null ? text.Substring(runStart, i - runStart) : builder.Append(text, runStart, i - runStart).ToString();
        end = i + 1;
        return basic ? SyntaxKind.BasicString : SyntaxKind.LiteralString;
    }

    private static SyntaxKind ScanMultiline(SourceText source, int start, bool basic, out string value, out int end)
    {
        var text = source.Text;
        var quote = basic ? '"' : '\'';
        var i = start + 3;

        // A newline right after the opening delimiter is not part of the value.
        if (i < text.Length && text[i] == '\n')
        {
            i++;
        }
        else if (i + 1 < text.Length && text[i] == '\r' && text[i + 1] == '\n')
        {
            i += 2;
        }

        var builder = new StringBuilder();
        while (true)
        {
            if (i >= text.Length)
            {
                source.Fail(FlyCodes.TomlSyntax, "unterminated multi-line string", i);
            }

            var c = text[i];
            if (c == quote)
            {
                var run = 0;
                while (i + run < text.Length && text[i + run] == quote)
                {
                    run++;
                }

                if (run >= 3)
                {
                    if (run > 5)
                    {
                        source.Fail(FlyCodes.TomlSyntax, "too many quotes at the end of a multi-line string", i + 5);
                    }

                    // Up to two quotes right before the closing delimiter belong to the value.
                    builder.Append(quote, run - 3);
                    value = builder.ToString();
                    end = i + run;
                    return basic ? SyntaxKind.MultilineBasicString : SyntaxKind.MultilineLiteralString;
                }

                builder.Append(quote, run);
                i += run;
                continue;
            }

            if (basic && c == '\\')
            {
                var next = SkipLineEndingBackslash(text, i);
                if (next >= 0)
                {
                    i = next;
                    continue;
                }

                i = StringUnescaper.AppendEscape(source, i, builder);
                continue;
            }

            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    builder.Append("\r\n");
                    i += 2;
                    continue;
                }

                source.Fail(FlyCodes.TomlInvalidEncoding, "a carriage return must be followed by a line feed", i);
            }

            if (c != '\n' && CharClass.IsForbiddenControl(c))
            {
                source.Fail(FlyCodes.TomlInvalidEncoding, $"control character U+{(int)c:X4} is not allowed in a string", i);
            }

            builder.Append(c);
            i++;
        }
    }

    /// <summary>
    /// For a backslash followed by optional whitespace and a newline, the offset of the next non-whitespace
    /// character (the backslash trims all of it); -1 when the backslash starts an ordinary escape.
    /// </summary>
    private static int SkipLineEndingBackslash(string text, int backslash)
    {
        var i = backslash + 1;
        while (i < text.Length && CharClass.IsWhitespace(text[i]))
        {
            i++;
        }

        if (i < text.Length && text[i] == '\n')
        {
            i++;
        }
        else if (i + 1 < text.Length && text[i] == '\r' && text[i + 1] == '\n')
        {
            i += 2;
        }
        else
        {
            return -1;
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (CharClass.IsWhitespace(c) || c == '\n')
            {
                i++;
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i += 2;
            }
            else
            {
                break;
            }
        }

        return i;
    }
}
