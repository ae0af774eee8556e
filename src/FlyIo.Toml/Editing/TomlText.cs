using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FlyIo.Toml.Editing;

/// <summary>Writes TOML keys and scalar values the way a person would type them.</summary>
public static class TomlText
{
    public static bool IsBareKeyChar(char c) =>
        c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-';

    /// <summary>A key segment: bare when it can be, else a basic string.</summary>
    public static string Key(string name)
    {
        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        if (name.Length == 0)
        {
            return "\"\"";
        }

        foreach (var c in name)
        {
            if (!IsBareKeyChar(c))
            {
                return BasicString(name);
            }
        }

        return name;
    }

    public static string DottedKey(IEnumerable<string> names)
    {
        var parts = new List<string>();
        foreach (var n in names)
        {
            parts.Add(Key(n));
        }

        return string.Join(".", parts);
    }

    /// <summary>A basic string: <c>"…"</c> with <c>\" \\ \b \t \n \f \r</c> and <c>\uXXXX</c> for other control characters.</summary>
    public static string BasicString(string value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\f': sb.Append("\\f"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20 || c == 0x7F)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>True when <paramref name="value"/> can be written as a literal string <c>'…'</c>.</summary>
    public static bool CanBeLiteral(string value)
    {
        foreach (var c in value)
        {
            if (c == '\'' || c < 0x20 && c != '\t' || c == 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    public static string LiteralString(string value) =>
        CanBeLiteral(value) ? "'" + value + "'" : throw new ArgumentException("The value cannot be a literal string.", nameof(value));

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Boolean(bool value) => value ? "true" : "false";
}
