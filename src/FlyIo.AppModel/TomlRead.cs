using System.Collections.Generic;
using System.Linq;
using FlyIo.AppModel.Units;
using FlyIo.Toml;

namespace FlyIo.AppModel;

/// <summary>Small, forgiving accessors over the TOML tree, for rules that read several keys at once.</summary>
public static class TomlRead
{
    /// <summary>Where a diagnostic about the whole file (not one key) points.</summary>
    public static readonly TomlPosition WholeFile = new(0, 0, 0);

    public static TomlValue? Get(TomlTable? table, string key) =>
        table is not null && table.TryGetValue(key, out var value) ? value : null;

    public static TomlTable? Table(TomlTable? table, string key) => Get(table, key) as TomlTable;

    public static string? String(TomlTable? table, string key) => (Get(table, key) as TomlString)?.Value;

    /// <summary>The tables under a key written either as [[key]] / key = [{...}] or as a single [key] table.</summary>
    public static IReadOnlyList<TomlTable> Tables(TomlTable? table, string key) => Get(table, key) switch
    {
        TomlTable single => new[] { single },
        TomlArray array => array.OfType<TomlTable>().ToList(),
        _ => new TomlTable[0],
    };

    /// <summary>A string list (processes = ["a", "b"]); the strings only, each with its value for locating.</summary>
    public static IReadOnlyList<TomlString> Strings(TomlTable? table, string key) => Get(table, key) switch
    {
        TomlArray array => array.OfType<TomlString>().ToList(),
        TomlString one => new[] { one },
        _ => new TomlString[0],
    };

    /// <summary>An integer, or a string of digits as legacy files write ports.</summary>
    public static long? Integer(TomlValue? value) => value switch
    {
        TomlInteger i => i.Value,
        TomlFloat f when f.Value == System.Math.Floor(f.Value) => (long)f.Value,
        TomlString s when long.TryParse(s.Value.Trim(), out var n) => n,
        _ => null,
    };

    /// <summary>A duration in seconds: a Go duration string, or an integer in <paramref name="integerUnit"/> seconds.</summary>
    public static double? DurationSeconds(TomlValue? value, double secondsPerUnit) => value switch
    {
        TomlString s when GoDuration.TryParseSeconds(s.Value, out var seconds) && s.Value.Length > 0 => seconds,
        TomlInteger i => i.Value * secondsPerUnit,
        TomlFloat f => f.Value * secondsPerUnit,
        _ => null,
    };

    /// <summary>True when the value is one TOML scalar (not an array or table).</summary>
    public static bool IsScalar(TomlValue value) => value.Kind != TomlValueKind.Array && value.Kind != TomlValueKind.Table;

    public static string KindName(TomlValue value) => value switch
    {
        TomlString => "a string",
        TomlInteger => "an integer",
        TomlFloat => "a float",
        TomlBoolean => "a boolean",
        TomlArray { IsArrayOfTables: true } => "an array of tables",
        TomlArray => "an array",
        TomlTable => "a table",
        _ => "a date/time",
    };
}
