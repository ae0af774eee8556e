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
    // A path is its parent plus one segment, so Append is O(1) and a path of n segments costs n small objects, not n
    // arrays of growing length (a key with 100,000 dotted segments made the editor quadratic). The hash is carried
    // along; the segment array is built once, when asked for.
    private static readonly TomlPath Empty = new();

    private readonly TomlPath? _parent;
    private readonly object? _last;
    private readonly int _count;
    private readonly int _hash;
    private object[]? _segments;

    public TomlPath(params object[] segments)
    {
        if (segments is null)
        {
            throw new ArgumentNullException(nameof(segments));
        }

        var path = segments.Length == 0 ? null : Empty;
        foreach (var s in segments)
        {
            path = path!.Append(s);
        }

        if (path is not null)
        {
            _parent = path._parent;
            _last = path._last;
            _count = path._count;
            _hash = path._hash;
        }
        else
        {
            _hash = 17;
        }
    }

    private TomlPath(TomlPath parent, object segment)
    {
        _parent = parent;
        _last = segment;
        _count = parent._count + 1;
        unchecked
        {
            _hash = parent._hash * 31 + segment.GetHashCode();
        }
    }

    /// <summary>Each segment: a <see cref="string"/> key or an <see cref="int"/> index.</summary>
    public IReadOnlyList<object> Segments
    {
        get
        {
            if (_segments is null)
            {
                var segments = new object[_count];
                var node = this;
                for (var i = _count - 1; i >= 0; i--)
                {
                    segments[i] = node._last!;
                    node = node._parent!;
                }

                _segments = segments;
            }

            return _segments;
        }
    }

    public int Count => _count;

    /// <summary>The last segment, which must be a key for a value path.</summary>
    public string LeafKey => _last is string s
        ? s
        : throw new InvalidOperationException("The path does not end with a key: " + this);

    public TomlPath Parent => _parent is null || _parent._count == 0 ? new TomlPath() : _parent;

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
        if (!(segment is string || segment is int n && n >= 0))
        {
            throw new ArgumentException("A path segment is a key name (string) or an array-of-tables index (int >= 0).", nameof(segment));
        }

        return new TomlPath(_count == 0 ? Empty : this, segment);
    }

    public bool Equals(TomlPath? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._count != _count || other._hash != _hash)
        {
            return false;
        }

        for (TomlPath? a = this, b = other; a is not null && b is not null && a._count > 0; a = a._parent, b = b._parent)
        {
            if (ReferenceEquals(a, b))
            {
                return true;
            }

            if (!a._last!.Equals(b._last))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as TomlPath);

    public override int GetHashCode() => _hash;

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var s in Segments)
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
