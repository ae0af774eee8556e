using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FlyIo.Toml.Tests;

/// <summary>Compares a parsed value with the suite's tagged JSON; returns null when equal, else where they differ.</summary>
public static class TaggedJson
{
    private static readonly Regex DateTimePattern = new(
        @"^(?:(\d{4})-(\d{2})-(\d{2}))?(?:[Tt ]?(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?([Zz]|[+-]\d{2}:\d{2})?$",
        RegexOptions.CultureInvariant);

    public static string? Compare(JsonElement expected, TomlValue actual, string path = "$")
    {
        if (expected.ValueKind == JsonValueKind.Array)
        {
            if (actual is not TomlArray array)
            {
                return $"{path}: expected array, got {actual.Kind}";
            }

            var items = expected.EnumerateArray().ToArray();
            if (items.Length != array.Count)
            {
                return $"{path}: expected {items.Length} items, got {array.Count}";
            }

            for (var i = 0; i < items.Length; i++)
            {
                if (Compare(items[i], array[i], $"{path}[{i}]") is { } difference)
                {
                    return difference;
                }
            }

            return null;
        }

        if (expected.ValueKind != JsonValueKind.Object)
        {
            return $"{path}: unexpected JSON {expected.ValueKind}";
        }

        if (actual is not TomlTable table && IsScalar(expected))
        {
            return CompareScalar(expected.GetProperty("type").GetString()!, expected.GetProperty("value").GetString()!, actual, path);
        }

        if (actual is not TomlTable t)
        {
            return $"{path}: expected table, got {actual.Kind}";
        }

        var properties = expected.EnumerateObject().ToArray();
        if (properties.Length != t.Count)
        {
            return $"{path}: expected {properties.Length} keys, got {t.Count} ({string.Join(",", t.Entries.Select(e => e.Key))})";
        }

        foreach (var property in properties)
        {
            if (!t.TryGetValue(property.Name, out var value))
            {
                return $"{path}: missing key '{property.Name}'";
            }

            if (Compare(property.Value, value, $"{path}.{property.Name}") is { } difference)
            {
                return difference;
            }
        }

        return null;
    }

    private static bool IsScalar(JsonElement e) =>
        e.EnumerateObject().Count() == 2 && e.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
        && e.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String;

    private static string? CompareScalar(string type, string text, TomlValue actual, string path)
    {
        bool same;
        switch (type)
        {
            case "string":
                same = actual is TomlString s && s.Value == text;
                break;
            case "integer":
                same = actual is TomlInteger n && n.Value == long.Parse(text, CultureInfo.InvariantCulture);
                break;
            case "float":
                same = actual is TomlFloat f && SameFloat(ParseFloat(text), f.Value);
                break;
            case "bool":
                same = actual is TomlBoolean b && b.Value == (text == "true");
                break;
            case "datetime":
            case "datetime-local":
            case "date-local":
            case "time-local":
                // Decoded values, not source text: a reader that shifted the hour or flipped an offset's sign fails here.
                same = actual is TomlDateTime d && d.Kind == KindOf(type) && DateKey(text) == DecodedKey(d);
                break;
            default:
                return $"{path}: unknown type {type}";
        }

        return same ? null : $"{path}: expected {type} '{text}', got {actual.Kind} '{actual}'";
    }

    private static TomlValueKind KindOf(string type) => type switch
    {
        "datetime" => TomlValueKind.OffsetDateTime,
        "datetime-local" => TomlValueKind.LocalDateTime,
        "date-local" => TomlValueKind.LocalDate,
        _ => TomlValueKind.LocalTime,
    };

    private static double ParseFloat(string text) => text switch
    {
        "nan" or "+nan" or "-nan" => double.NaN,
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>Equal values, NaN equal to NaN, and the sign of zero kept (-0.0 is not 0.0).</summary>
    private static bool SameFloat(double a, double b) => (double.IsNaN(a) && double.IsNaN(b)) || (a.Equals(b) && double.IsNegative(a) == double.IsNegative(b));

    /// <summary>The expected value's key, from the suite's text: equal keys for equal instants.</summary>
    private static string DateKey(string text)
    {
        var m = DateTimePattern.Match(text);
        if (!m.Success)
        {
            return "unparsable:" + text;
        }

        int I(int g) => m.Groups[g].Success ? int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
        TimeSpan? offset = null;
        if (m.Groups[8].Success)
        {
            var zone = m.Groups[8].Value;
            offset = zone is "Z" or "z" ? TimeSpan.Zero : TimeSpan.ParseExact(zone.Substring(1), @"hh\:mm", CultureInfo.InvariantCulture);
            if (zone.StartsWith('-'))
            {
                offset = -offset;
            }
        }

        return Key(m.Groups[1].Success, I(1), I(2), I(3), m.Groups[4].Success, I(4), I(5), I(6), m.Groups[7].Value, offset);
    }

    /// <summary>The parsed value's key, from its decoded fields (never its source text).</summary>
    private static string DecodedKey(TomlDateTime d) =>
        Key(d.Kind != TomlValueKind.LocalTime, d.Year, d.Month, d.Day, d.Kind != TomlValueKind.LocalDate, d.Hour, d.Minute, d.Second, d.Fraction ?? "", d.Offset);

    /// <summary>Offset date-times become the UTC instant; fractions lose trailing zeros.</summary>
    private static string Key(bool hasDate, int year, int month, int day, bool hasTime, int hour, int minute, int second, string fraction, TimeSpan? offset)
    {
        fraction = fraction.TrimEnd('0');
        if (offset is { } o && hasDate)
        {
            // Seconds of 60 (a leap second) are kept aside: DateTime cannot hold them.
            var utc = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified) - o;
            return utc.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) + ":" + second.ToString("00", CultureInfo.InvariantCulture) + "." + fraction + "Z";
        }

        var date = hasDate ? $"{year:0000}-{month:00}-{day:00}" : "";
        var time = hasTime ? $"{hour:00}:{minute:00}:{second:00}.{fraction}" : "";
        return date + "T" + time;
    }
}
