using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using FlyIo.Json;

namespace FlyIo.Machines;

/// <summary>
/// Builds and writes JSON with FlyIo.Json's node types (no System.Text.Json on net472). Nodes built here have
/// position (0,0). Writing keeps member order; a repeated key keeps its last value.
/// </summary>
public static class Js
{
    public static JsonObject Obj() => new(0, 0);

    public static JsonArray Arr(IEnumerable<JsonNode> items)
    {
        var a = new JsonArray(0, 0);
        a.Items.AddRange(items);
        return a;
    }

    public static JsonString Str(string value) => new(value, 0, 0);

    public static JsonNumber Num(long value) => new(value.ToString(CultureInfo.InvariantCulture), 0, 0);

    public static JsonNumber Num(double value) => new(value.ToString("R", CultureInfo.InvariantCulture), 0, 0);

    public static JsonLiteral Bool(bool value) => new(value, 0, 0);

    public static JsonLiteral Null() => new(null, 0, 0);

    /// <summary>Sets (replacing any earlier member of the same name) and returns the object, for chaining.</summary>
    public static JsonObject Set(this JsonObject o, string key, JsonNode? value)
    {
        o.Members.RemoveAll(m => m.Key == key);
        if (value is not null)
        {
            o.Members.Add(new JsonMember(key, 0, 0, value));
        }

        return o;
    }

    public static JsonObject Set(this JsonObject o, string key, string? value) => o.Set(key, value is null ? null : Str(value));

    public static JsonObject Set(this JsonObject o, string key, long? value) => o.Set(key, value is null ? null : Num(value.Value));

    public static JsonObject Set(this JsonObject o, string key, bool? value) => o.Set(key, value is null ? null : Bool(value.Value));

    public static long? GetLong(this JsonObject o, string key) =>
        o[key] is JsonNumber n && double.TryParse(n.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (long)d : null;

    public static bool? GetBool(this JsonObject o, string key) => (o[key] as JsonLiteral)?.Value;

    public static JsonObject? GetObject(this JsonObject o, string key) => o[key] as JsonObject;

    public static IEnumerable<JsonObject> GetObjects(this JsonObject o, string key) =>
        (o[key] as JsonArray)?.Items.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>();

    /// <summary>A deep copy (so a config can be edited without touching the machine it came from).</summary>
    public static JsonNode Clone(JsonNode node) => JsonReader.Parse(Write(node));

    public static JsonObject Clone(JsonObject node) => (JsonObject)JsonReader.Parse(Write(node));

    public static string Write(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o:
                sb.Append('{');
                var first = true;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var i = o.Members.Count - 1; i >= 0; i--)
                {
                    seen.Add(o.Members[i].Key);
                }

                var written = new HashSet<string>(StringComparer.Ordinal);
                foreach (var m in o.Members)
                {
                    if (written.Contains(m.Key))
                    {
                        continue;
                    }

                    written.Add(m.Key);
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteString(sb, m.Key);
                    sb.Append(':');
                    Write(sb, o[m.Key]);
                }

                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Write(sb, a.Items[i]);
                }

                sb.Append(']');
                break;
            case JsonString s:
                WriteString(sb, s.Value);
                break;
            case JsonNumber n:
                sb.Append(n.Text);
                break;
            case JsonLiteral l:
                sb.Append(l.Value is null ? "null" : l.Value.Value ? "true" : "false");
                break;
            default:
                throw new ArgumentException("unknown JSON node " + node.GetType().Name);
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>
    /// Flattens a value to JSON path → compact JSON text, e.g. <c>services[0].ports[1].port</c> → <c>443</c>, for diffs.
    /// </summary>
    public static SortedDictionary<string, string> Flatten(JsonNode? node)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Flatten(node, "", result);
        return result;
    }

    private static void Flatten(JsonNode? node, string path, SortedDictionary<string, string> into)
    {
        switch (node)
        {
            case JsonObject o when o.Members.Count > 0:
                foreach (var key in o.Members.Select(m => m.Key).Distinct())
                {
                    Flatten(o[key], path.Length == 0 ? key : path + "." + key, into);
                }

                break;
            case JsonArray a when a.Items.Count > 0:
                for (var i = 0; i < a.Items.Count; i++)
                {
                    Flatten(a.Items[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", into);
                }

                break;
            default:
                into[path] = Write(node);
                break;
        }
    }
}
