using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FlyIo.Json;

/// <summary>A JSON value with the 1-based line and column where it starts.</summary>
public abstract class JsonNode
{
    protected JsonNode(int line, int column)
    {
        Line = line;
        Column = column;
    }

    public int Line { get; }

    public int Column { get; }
}

public sealed class JsonObject : JsonNode
{
    public JsonObject(int line, int column) : base(line, column)
    {
    }

    /// <summary>Members in source order; a repeated key keeps every occurrence (the last wins on lookup).</summary>
    public List<JsonMember> Members { get; } = new();

    public JsonNode? this[string key]
    {
        get
        {
            for (var i = Members.Count - 1; i >= 0; i--)
            {
                if (Members[i].Key == key)
                {
                    return Members[i].Value;
                }
            }

            return null;
        }
    }

    public string? GetString(string key) => (this[key] as JsonString)?.Value;
}

public sealed class JsonMember
{
    public JsonMember(string key, int line, int column, JsonNode value)
    {
        Key = key;
        Line = line;
        Column = column;
        Value = value;
    }

    public string Key { get; }

    public int Line { get; }

    public int Column { get; }

    public JsonNode Value { get; }
}

public sealed class JsonArray : JsonNode
{
    public JsonArray(int line, int column) : base(line, column)
    {
    }

    public List<JsonNode> Items { get; } = new();
}

public sealed class JsonString : JsonNode
{
    public JsonString(string value, int line, int column) : base(line, column) => Value = value;

    public string Value { get; }
}

public sealed class JsonNumber : JsonNode
{
    public JsonNumber(string text, int line, int column) : base(line, column) => Text = text;

    public string Text { get; }
}

public sealed class JsonLiteral : JsonNode
{
    public JsonLiteral(bool? value, int line, int column) : base(line, column) => Value = value;

    /// <summary>true, false, or null for JSON null.</summary>
    public bool? Value { get; }
}

public sealed class JsonParseException : Exception
{
    public JsonParseException(string reason, int line, int column) : base($"({line},{column}): {reason}")
    {
        Reason = reason;
        Line = line;
        Column = column;
    }

    public string Reason { get; }

    public int Line { get; }

    public int Column { get; }
}

/// <summary>
/// A small JSON reader (RFC 8259) with positions, for package.json on both net8.0 and net472. With
/// <c>relaxed</c> it also accepts comments and trailing commas (tsconfig.json).
/// </summary>
public sealed class JsonReader
{
    private const int MaxDepth = 256;
    private readonly string _text;
    private readonly bool _relaxed;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private JsonReader(string text, bool relaxed)
    {
        _text = text;
        _relaxed = relaxed;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            _pos = 1;
            _lineStart = 1;
        }
    }

    public static JsonNode Parse(string text, bool relaxed = false)
    {
        var reader = new JsonReader(text, relaxed);
        reader.SkipWhitespace();
        var value = reader.ReadValue(0);
        reader.SkipWhitespace();
        if (reader._pos < text.Length)
        {
            throw reader.Error("unexpected text after the JSON value");
        }

        return value;
    }

    private int Column => _pos - _lineStart + 1;

    private JsonParseException Error(string reason) => new(reason, _line, Column);

    private void SkipWhitespace()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n')
            {
                _pos++;
                _line++;
                _lineStart = _pos;
            }
            else if (c == ' ' || c == '\t' || c == '\r')
            {
                _pos++;
            }
            else if (_relaxed && c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '/')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (_relaxed && c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '*')
            {
                _pos += 2;
                while (_pos < _text.Length && !(_text[_pos] == '*' && _pos + 1 < _text.Length && _text[_pos + 1] == '/'))
                {
                    if (_text[_pos] == '\n')
                    {
                        _line++;
                        _lineStart = _pos + 1;
                    }

                    _pos++;
                }

                if (_pos >= _text.Length)
                {
                    throw Error("unterminated comment");
                }

                _pos += 2;
            }
            else
            {
                return;
            }
        }
    }

    private JsonNode ReadValue(int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error("nesting too deep");
        }

        if (_pos >= _text.Length)
        {
            throw Error("unexpected end of input, a value was expected");
        }

        var line = _line;
        var column = Column;
        var c = _text[_pos];
        switch (c)
        {
            case '{':
                return ReadObject(depth, line, column);
            case '[':
                return ReadArray(depth, line, column);
            case '"':
                return new JsonString(ReadString(), line, column);
            case 't':
                ExpectWord("true");
                return new JsonLiteral(true, line, column);
            case 'f':
                ExpectWord("false");
                return new JsonLiteral(false, line, column);
            case 'n':
                ExpectWord("null");
                return new JsonLiteral(null, line, column);
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return new JsonNumber(ReadNumber(), line, column);
                }

                throw Error($"unexpected character '{c}'");
        }
    }

    private JsonObject ReadObject(int depth, int line, int column)
    {
        var result = new JsonObject(line, column);
        _pos++;
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == '}')
        {
            _pos++;
            return result;
        }

        while (true)
        {
            SkipWhitespace();
            if (_relaxed && _pos < _text.Length && _text[_pos] == '}' && result.Members.Count > 0)
            {
                _pos++;
                return result;
            }

            if (_pos >= _text.Length || _text[_pos] != '"')
            {
                throw Error("a member name in double quotes was expected");
            }

            var keyLine = _line;
            var keyColumn = Column;
            var key = ReadString();
            SkipWhitespace();
            if (_pos >= _text.Length || _text[_pos] != ':')
            {
                throw Error("':' was expected after the member name");
            }

            _pos++;
            SkipWhitespace();
            result.Members.Add(new JsonMember(key, keyLine, keyColumn, ReadValue(depth + 1)));
            SkipWhitespace();
            if (_pos < _text.Length && _text[_pos] == ',')
            {
                _pos++;
                continue;
            }

            if (_pos < _text.Length && _text[_pos] == '}')
            {
                _pos++;
                return result;
            }

            throw Error("',' or '}' was expected");
        }
    }

    private JsonArray ReadArray(int depth, int line, int column)
    {
        var result = new JsonArray(line, column);
        _pos++;
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == ']')
        {
            _pos++;
            return result;
        }

        while (true)
        {
            SkipWhitespace();
            if (_relaxed && _pos < _text.Length && _text[_pos] == ']' && result.Items.Count > 0)
            {
                _pos++;
                return result;
            }

            result.Items.Add(ReadValue(depth + 1));
            SkipWhitespace();
            if (_pos < _text.Length && _text[_pos] == ',')
            {
                _pos++;
                continue;
            }

            if (_pos < _text.Length && _text[_pos] == ']')
            {
                _pos++;
                return result;
            }

            throw Error("',' or ']' was expected");
        }
    }

    private void ExpectWord(string word)
    {
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
        {
            throw Error($"'{word}' was expected");
        }

        _pos += word.Length;
    }

    private string ReadNumber()
    {
        var start = _pos;
        if (_text[_pos] == '-')
        {
            _pos++;
        }

        if (_pos < _text.Length && _text[_pos] == '0')
        {
            _pos++;
        }
        else if (!ReadDigits())
        {
            throw Error("a digit was expected");
        }

        if (_pos < _text.Length && _text[_pos] == '.')
        {
            _pos++;
            if (!ReadDigits())
            {
                throw Error("a digit was expected after '.'");
            }
        }

        if (_pos < _text.Length && (_text[_pos] == 'e' || _text[_pos] == 'E'))
        {
            _pos++;
            if (_pos < _text.Length && (_text[_pos] == '+' || _text[_pos] == '-'))
            {
                _pos++;
            }

            if (!ReadDigits())
            {
                throw Error("a digit was expected in the exponent");
            }
        }

        return _text.Substring(start, _pos - start);
    }

    private bool ReadDigits()
    {
        var start = _pos;
        while (_pos < _text.Length && _text[_pos] >= '0' && _text[_pos] <= '9')
        {
            _pos++;
        }

        return _pos > start;
    }

    private string ReadString()
    {
        _pos++; // opening quote
        var builder = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("unterminated string");
            }

            var c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                return builder.ToString();
            }

            if (c < ' ')
            {
                throw Error("control character in a string (escape it)");
            }

            if (c != '\\')
            {
                builder.Append(c);
                _pos++;
                continue;
            }

            if (_pos + 1 >= _text.Length)
            {
                throw Error("unterminated escape");
            }

            var e = _text[_pos + 1];
            _pos += 2;
            switch (e)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length
                        || !int.TryParse(_text.Substring(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error("\\u must be followed by four hex digits");
                    }

                    builder.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    _pos -= 2;
                    throw Error($"invalid escape '\\{e}'");
            }
        }
    }
}
