using System.Linq;
using FlyIo.Json;
using FlyIo.Machines;
using FlyIo.Toml;

namespace FlyIo.Deploy;

/// <summary>
/// fly.toml as a JSON object, the <c>definition</c> a release carries. flyctl sends its parsed app config
/// (appconfig.Config, whose JSON names are fly.toml's keys) and later reads it back as TOML (appconfig.FromDefinition),
/// so the file's own tables, arrays and values, key for key, are what it expects.
/// </summary>
internal static class FlyDefinition
{
    public static JsonObject From(TomlTable root) => Table(root);

    private static JsonObject Table(TomlTable table)
    {
        var o = Js.Obj();
        foreach (var entry in table.Entries)
        {
            o.Set(entry.Key, Value(entry.Value));
        }

        return o;
    }

    private static JsonNode Value(TomlValue value) => value switch
    {
        TomlTable t => Table(t),
        TomlArray a => Js.Arr(a.Select(Value)),
        TomlString s => Js.Str(s.Value),
        TomlInteger i => Js.Num(i.Value),
        // JSON has no NaN or infinity: TOML's nan and inf go as the text fly.toml had.
        TomlFloat f => double.IsNaN(f.Value) || double.IsInfinity(f.Value) ? Js.Str(f.ToString()) : Js.Num(f.Value),
        TomlBoolean b => Js.Bool(b.Value),
        // Dates and times as their RFC 3339 text, as Go's TOML and JSON encoders write them.
        _ => Js.Str(value.ToString() ?? ""),
    };
}
