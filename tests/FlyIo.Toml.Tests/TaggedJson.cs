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
                same = actual is TomlDateTime d && d.Kind == KindOf(type) && DateKey(text) == DateKey(d.Text);
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

    private static bool SameFloat(double a, double b) => (double.IsNaN(a) && double.IsNaN(b)) || a.Equals(b);

    /// <summary>A key equal for equal instants: offset date-times are shifted to UTC, fractions lose trailing zeros.</summary>
    private static string DateKey(string text)
    {
        var m = DateTimePattern.Match(text);
        if (!m.Success)
        {
            return "unparsable:" + text;
        }

        var fraction = m.Groups[7].Value.TrimEnd('0');
        if (!m.Groups[8].Success || !m.Groups[1].Success)
        {
            return $"{m.Groups[1].Value}-{m.Groups[2].Value}-{m.Groups[3].Value}T{m.Groups[4].Value}:{m.Groups[5].Value}:{m.Groups[6].Value}.{fraction}";
        }

        int I(int g) => int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        var local = new DateTime(I(1), I(2), I(3), I(4), I(5), Math.Min(I(6), 59), DateTimeKind.Unspecified);
        var zone = m.Groups[8].Value;
        var offset = zone is "Z" or "z" ? TimeSpan.Zero : TimeSpan.ParseExact(zone.Substring(1), @"hh\:mm", CultureInfo.InvariantCulture);
        var utc = zone.StartsWith('-') ? local + offset : local - offset;
        return utc.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) + ":" + m.Groups[6].Value + "." + fraction + "Z";
    }
}
