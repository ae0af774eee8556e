using System;
using System.Collections.Generic;
using System.IO;

namespace FlyIo.Release;

/// <summary>The dependency sections of a package.json, with where each name is written.</summary>
public sealed class PackageJson
{
    private PackageJson()
    {
    }

    /// <summary>Section ("dependencies", "devDependencies", …) to package name to 1-based (line, column) of its key.</summary>
    public Dictionary<string, Dictionary<string, (int Line, int Column)>> Sections { get; } = new(StringComparer.Ordinal);

    public bool Has(string section, string package) => Sections.TryGetValue(section, out var s) && s.ContainsKey(package);

    public (int Line, int Column) Where(string section, string package) =>
        Sections.TryGetValue(section, out var s) && s.TryGetValue(package, out var at) ? at : (0, 0);

    public static PackageJson Read(string path) => Parse(File.ReadAllText(path));

    /// <summary>Reads the top-level object; nested objects one level down (the dependency maps). Throws FormatException on bad JSON.</summary>
    public static PackageJson Parse(string text)
    {
        var result = new PackageJson();
        var reader = new Reader(text);
        reader.Skip();
        reader.Expect('{');
        reader.Skip();
        if (reader.Peek() == '}')
        {
            return result;
        }

        while (true)
        {
            reader.Skip();
            var key = reader.String(out _, out _);
            reader.Skip();
            reader.Expect(':');
            reader.Skip();
            if (reader.Peek() == '{')
            {
                var section = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
                reader.Expect('{');
                reader.Skip();
                if (reader.Peek() != '}')
                {
                    while (true)
                    {
                        reader.Skip();
                        var name = reader.String(out var line, out var column);
                        section[name] = (line, column);
                        reader.Skip();
                        reader.Expect(':');
                        reader.SkipValue();
                        reader.Skip();
                        if (reader.Peek() == ',')
                        {
                            reader.Expect(',');
                            continue;
                        }

                        break;
                    }
                }

                reader.Expect('}');
                result.Sections[key] = section;
            }
            else
            {
                reader.SkipValue();
            }

            reader.Skip();
            if (reader.Peek() == ',')
            {
                reader.Expect(',');
                continue;
            }

            reader.Expect('}');
            return result;
        }
    }

    private sealed class Reader
    {
        private readonly string _text;
        private int _pos;

        public Reader(string text) => _text = text;

        public char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        public void Skip()
        {
            while (_pos < _text.Length && (char.IsWhiteSpace(_text[_pos]) || _text[_pos] == '\uFEFF'))
            {
                _pos++;
            }
        }

        public void Expect(char c)
        {
            if (Peek() != c)
            {
                throw new FormatException("Expected '" + c + "' at offset " + _pos + " of package.json.");
            }

            _pos++;
        }

        public string String(out int line, out int column)
        {
            (line, column) = Position(_pos);
            Expect('"');
            var sb = new System.Text.StringBuilder();
            while (_pos < _text.Length && _text[_pos] != '"')
            {
                if (_text[_pos] == '\\')
                {
                    _pos++;
                }

                if (_pos < _text.Length)
                {
                    sb.Append(_text[_pos++]);
                }
            }

            Expect('"');
            return sb.ToString();
        }

        public void SkipValue()
        {
            Skip();
            var c = Peek();
            if (c == '"')
            {
                String(out _, out _);
                return;
            }

            if (c == '{' || c == '[')
            {
                var depth = 0;
                while (_pos < _text.Length)
                {
                    var d = _text[_pos];
                    if (d == '"')
                    {
                        String(out _, out _);
                        continue;
                    }

                    _pos++;
                    if (d == '{' || d == '[')
                    {
                        depth++;
                    }
                    else if ((d == '}' || d == ']') && --depth == 0)
                    {
                        return;
                    }
                }

                throw new FormatException("Unterminated value in package.json.");
            }

            while (_pos < _text.Length && _text[_pos] != ',' && _text[_pos] != '}' && _text[_pos] != ']' && !char.IsWhiteSpace(_text[_pos]))
            {
                _pos++;
            }
        }

        private (int, int) Position(int offset)
        {
            int line = 1, column = 1;
            for (var i = 0; i < offset; i++)
            {
                if (_text[i] == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }

            return (line, column);
        }
    }
}
