using System;
using FlyIo.Diagnostics;
using System.IO;
using FlyIo.Toml.Lexing;
using FlyIo.Toml.Reading;

namespace FlyIo.Toml;

/// <summary>Entry points. Any input either parses or fails with a located <see cref="TomlParseException"/>.</summary>
public static class TomlParser
{
    public static TomlDocument Parse(byte[] utf8)
    {
        if (utf8 is null)
        {
            throw new ArgumentNullException(nameof(utf8));
        }

        var text = Utf8Validator.Decode(utf8, out var hasBom);
        return ParseText(text, hasBom);
    }

    public static TomlDocument Parse(string text)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var hasBom = text.Length > 0 && text[0] == '\uFEFF';
        if (hasBom)
        {
            text = text.Substring(1);
        }

        CheckSurrogates(text);
        return ParseText(text, hasBom);
    }

    public static TomlDocument ParseFile(string path) => Parse(TomlFiles.ReadBytes(path));

    private static TomlDocument ParseText(string text, bool hasBom)
    {
        return TomlynReader.Read(text, hasBom);
    }

    /// <summary>A string (unlike validated UTF-8) can hold lone surrogates, which are not Unicode text.</summary>
    private static void CheckSurrogates(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0xD800 || c > 0xDFFF)
            {
                continue;
            }

            if (c <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
            {
                i++;
                continue;
            }

            new SourceText(text).Fail(FlyCodes.TomlInvalidEncoding, $"unpaired surrogate U+{(int)c:X4}", i);
        }
    }
}
