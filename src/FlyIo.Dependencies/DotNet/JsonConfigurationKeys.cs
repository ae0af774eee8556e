using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace FlyIo.Dependencies.DotNet;

/// <summary>
/// Reads an appsettings.json the way Microsoft.Extensions.Configuration.Json does: nested objects flatten to
/// <c>A:B</c>, arrays to <c>A:0</c>; comments and trailing commas are allowed. Only keys with a non-empty value are
/// returned (an empty string is a placeholder an app expects to be overridden).
/// </summary>
public static class JsonConfigurationKeys
{
    public static ISet<string> ReadFile(string path)
    {
        try
        {
            return Read(File.ReadAllText(path));
        }
        catch (IOException)
        {
            return new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }
        catch (FormatException)
        {
            return new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }
    }

    public static ISet<string> Read(string json)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pos = 0;
        Skip(json, ref pos);
        if (pos < json.Length)
        {
            ReadValue(json, ref pos, string.Empty, keys);
        }

        return keys;
    }

    private static void ReadValue(string s, ref int pos, string path, HashSet<string> keys)
    {
        Skip(s, ref pos);
        if (pos >= s.Length)
        {
            throw new FormatException("Unexpected end of JSON.");
        }

        var c = s[pos];
        if (c == '{')
        {
            pos++;
            while (true)
            {
                Skip(s, ref pos);
                if (pos < s.Length && s[pos] == '}')
                {
                    pos++;
                    return;
                }

                var name = ReadString(s, ref pos);
                Skip(s, ref pos);
                Expect(s, ref pos, ':');
                ReadValue(s, ref pos, path.Length == 0 ? name : path + ":" + name, keys);
                Skip(s, ref pos);
                if (pos < s.Length && s[pos] == ',')
                {
                    pos++;
                }
            }
        }

        if (c == '[')
        {
            pos++;
            var index = 0;
            while (true)
            {
                Skip(s, ref pos);
                if (pos < s.Length && s[pos] == ']')
                {
                    pos++;
                    return;
                }

                ReadValue(s, ref pos, path + ":" + index.ToString(CultureInfo.InvariantCulture), keys);
                index++;
                Skip(s, ref pos);
                if (pos < s.Length && s[pos] == ',')
                {
                    pos++;
                }
            }
        }

        if (c == '"')
        {
            var value = ReadString(s, ref pos);
            if (value.Length > 0 && path.Length > 0)
            {
                keys.Add(path);
            }

            return;
        }

        var start = pos;
        while (pos < s.Length && s[pos] != ',' && s[pos] != '}' && s[pos] != ']' && !char.IsWhiteSpace(s[pos]) && s[pos] != '/')
        {
            pos++;
        }

        if (pos == start)
        {
            throw new FormatException("Unexpected character in JSON at " + pos.ToString(CultureInfo.InvariantCulture));
        }

        if (path.Length > 0 && s.Substring(start, pos - start) != "null")
        {
            keys.Add(path);
        }
    }

    private static string ReadString(string s, ref int pos)
    {
        Expect(s, ref pos, '"');
        var sb = new StringBuilder();
        while (pos < s.Length && s[pos] != '"')
        {
            if (s[pos] == '\\' && pos + 1 < s.Length)
            {
                pos++;
                switch (s[pos])
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u' when pos + 4 < s.Length:
                        sb.Append((char)int.Parse(s.Substring(pos + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        pos += 4;
                        break;
                    default: sb.Append(s[pos]); break;
                }
            }
            else
            {
                sb.Append(s[pos]);
            }

            pos++;
        }

        pos++;
        return sb.ToString();
    }

    private static void Expect(string s, ref int pos, char c)
    {
        if (pos >= s.Length || s[pos] != c)
        {
            throw new FormatException("Expected '" + c + "' in JSON at " + pos.ToString(CultureInfo.InvariantCulture));
        }

        pos++;
    }

    private static void Skip(string s, ref int pos)
    {
        while (pos < s.Length)
        {
            var c = s[pos];
            if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                pos++;
            }
            else if (c == '/' && pos + 1 < s.Length && s[pos + 1] == '/')
            {
                while (pos < s.Length && s[pos] != '\n')
                {
                    pos++;
                }
            }
            else if (c == '/' && pos + 1 < s.Length && s[pos + 1] == '*')
            {
                var end = s.IndexOf("*/", pos + 2, StringComparison.Ordinal);
                pos = end < 0 ? s.Length : end + 2;
            }
            else
            {
                return;
            }
        }
    }
}
