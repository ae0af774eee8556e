using System.Collections.Generic;
using System.Text;

namespace FlyIo.Images;

/// <summary>Text with LF line endings only, whatever the OS; written as UTF-8 without a byte-order mark.</summary>
internal sealed class DockerfileText
{
    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly StringBuilder _text = new();

    public void Line(string text = "")
    {
        _text.Append(text).Append('\n');
    }

    public override string ToString() => _text.ToString();

    /// <summary>Lines split on LF, CRLF or CR, without their terminators (a final terminator adds no empty line).</summary>
    public static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || text[i] == '\r')
            {
                lines.Add(text.Substring(start, i - start));
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text.Substring(start));
        }

        return lines;
    }

    /// <summary>The text with every CRLF and lone CR turned into LF.</summary>
    public static string NormalizeLineEndings(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');
}
