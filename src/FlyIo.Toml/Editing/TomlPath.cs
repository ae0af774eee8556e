using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FlyIo.Toml.Editing;

/// <summary>
/// A path to a value: key names, and indexes that pick an element of an array of tables.
/// <c>TomlPath.Parse("deploy.release_command")</c>, <c>TomlPath.Parse("services[0].internal_port")</c>,
/// or <c>new TomlPath("services", 0, "internal_port")</c>.
/// </summary>
public sealed class TomlPath : IEquatable<TomlPath>
{
    private readonly object[] _segments;

    public TomlPath(params object[] segments)
    {
        if (segments is null)
        {
            throw new ArgumentNullException(nameof(segments));
        }

        _segments = new object[segments.Length];
        for (var i = 0; i < segments.Length; i++)
        {
            var s = segments[i];
            if (s is string || s is int n && n >= 0)
            {
                _segments[i] = s;
            }
            else
            {
                throw new ArgumentException("A path segment is a key name (string) or an array-of-tables index (int >= 0).", nameof(segments));
            }
        }
    }

    /// <summary>Each segment: a <see cref="string"/> key or an <see cref="int"/> index.</summary>
    public IReadOnlyList<object> Segments => _segments;

    public int Count => _segments.Length;

    /// <summary>The last segment, which must be a key for a value path.</summary>
    public string LeafKey => _segments.Length > 0 && _segments[_segments.Length - 1] is string s
        ? s
        : throw new InvalidOperationException("The path does not end with a key: " + this);

    public TomlPath Parent
    {
        get
        {
            var parent = new object[Math.Max(0, _segments.Length - 1)];
            Array.Copy(_segments, parent, parent.Length);
            return new TomlPath(parent);
        }
    }

    /// <summary>Dotted keys (bare or quoted as in TOML) with optional <c>[n]</c> indexes.</summary>
    public static TomlPath Parse(string text)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var segments = new List<object>();
        var i = 0;
        var expectKey = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == ' ' || c == '\t')
            {
                i++;
                continue;
            }

            if (c == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0 || !int.TryParse(text.Substring(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    throw new FormatException("Bad index in path '" + text + "' at " + i + ".");
                }

                segments.Add(index);
                i = close + 1;
                expectKey = false;
                continue;
            }

            if (c == '.')
            {
                if (expectKey)
                {
                    throw new FormatException("Empty key in path '" + text + "' at " + i + ".");
                }

                expectKey = true;
                i++;
                continue;
            }

            if (!expectKey)
            {
                throw new FormatException("Expected '.' or '[' in path '" + text + "' at " + i + ".");
            }

            if (c == '"' || c == '\'')
            {
                var close = text.IndexOf(c, i + 1);
                if (close < 0)
                {
                    throw new FormatException("Unterminated quoted key in path '" + text + "'.");
                }

                segments.Add(text.Substring(i + 1, close - i - 1));
                i = close + 1;
            }
            else
            {
                var start = i;
                while (i < text.Length && TomlText.IsBareKeyChar(text[i]))
                {
                    i++;
                }

                if (i == start)
                {
                    throw new FormatException("Unexpected '" + c + "' in path '" + text + "' at " + i + ".");
                }

                segments.Add(text.Substring(start, i - start));
            }

            expectKey = false;
        }

        if (segments.Count == 0 || expectKey)
        {
            throw new FormatException("Incomplete path '" + text + "'.");
        }

        return new TomlPath(segments.ToArray());
    }

    public TomlPath Append(object segment)
    {
        var longer = new object[_segments.Length + 1];
        Array.Copy(_segments, longer, _segments.Length);
        longer[_segments.Length] = segment;
        return new TomlPath(longer);
    }

    public bool Equals(TomlPath? other)
    {
        if (other is null || other._segments.Length != _segments.Length)
        {
            return false;
        }

        for (var i = 0; i < _segments.Length; i++)
        {
            if (!_segments[i].Equals(other._segments[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as TomlPath);

    public override int GetHashCode() => ToString().GetHashCode();

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var s in _segments)
        {
            if (s is int n)
            {
                sb.Append('[').Append(n.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                if (sb.Length > 0)
                {
                    sb.Append('.');
                }

                sb.Append(TomlText.Key((string)s));
            }
        }

        return sb.ToString();
    }
}
