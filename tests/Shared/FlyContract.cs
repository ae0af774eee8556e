using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;

namespace FlyIo.Testing;

/// <summary>
/// Fly's own documented Machines API examples (tests/FlyContract, sources in its SOURCES.md), and a shape comparison
/// that holds a response to them: every member Fly documents is there, with the same JSON kind.
/// </summary>
public static class FlyContract
{
    public static string Directory => Path.Combine(RepoPaths.RepoRoot, "tests", "FlyContract");

    /// <summary>One documented example, e.g. <c>lease-acquire.response.json</c>.</summary>
    public static JsonNode Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, name))) ?? throw new InvalidDataException(name + " is empty");

    public static JsonObject LoadObject(string name) => (JsonObject)Load(name);

    /// <summary>Every documented example file (relative names), for tests that go over all of them.</summary>
    public static IEnumerable<string> AllFiles() =>
        System.IO.Directory.GetFiles(Directory, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Directory, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal);

    /// <summary>
    /// Where <paramref name="actual"/> differs in shape from <paramref name="documented"/>: members Fly documents that
    /// are missing, or of another JSON kind. A documented null or empty object (the docs' placeholder for a config)
    /// accepts anything; arrays compare their first items.
    /// </summary>
    public static List<string> ShapeDifferences(JsonNode? documented, JsonNode? actual, string path = "$")
    {
        var differences = new List<string>();
        Compare(documented, actual, path, differences);
        return differences;
    }

    private static void Compare(JsonNode? documented, JsonNode? actual, string path, List<string> differences)
    {
        if (documented is null)
        {
            return;
        }

        if (actual is null)
        {
            differences.Add($"{path}: missing (Fly documents {Kind(documented)})");
            return;
        }

        if (Kind(documented) != Kind(actual))
        {
            differences.Add($"{path}: {Kind(actual)} where Fly documents {Kind(documented)}");
            return;
        }

        switch (documented)
        {
            case JsonObject d when d.Count > 0:
                var a = (JsonObject)actual;
                foreach (var (key, value) in d)
                {
                    if (!a.ContainsKey(key))
                    {
                        // An empty object carries no data (Fly adds "dns": {} to configs it returns).
                        if (value is not null and not JsonObject { Count: 0 })
                        {
                            differences.Add($"{path}.{key}: missing");
                        }

                        continue;
                    }

                    // Present as null: an optional value that is not set here (a volume attached to no machine).
                    // Maps whose members are data, not schema (image labels, env, metadata): only their kind counts.
                    if (a[key] is not null && !DataMaps.Contains(key))
                    {
                        Compare(value, a[key], $"{path}.{key}", differences);
                    }
                    else if (a[key] is not null && value is not null && Kind(value) != Kind(a[key]!))
                    {
                        differences.Add($"{path}.{key}: {Kind(a[key]!)} where Fly documents {Kind(value)}");
                    }
                }

                break;
            case JsonArray d when d.Count > 0 && ((JsonArray)actual).Count > 0:
                // Items of one kind compare their first; items with a "type" (events) compare like with like.
                var items = (JsonArray)actual;
                for (var i = 0; i < d.Count; i++)
                {
                    var type = (d[i] as JsonObject)?["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
                    var match = type is null ? items[0] : items.FirstOrDefault(x => (x as JsonObject)?["type"] is JsonValue v && v.TryGetValue<string>(out var vs) && vs == type);
                    if (match is not null)
                    {
                        Compare(d[i], match, $"{path}[{i}]", differences);
                    }

                    if (type is null)
                    {
                        break;
                    }
                }

                break;
        }
    }

    private static readonly HashSet<string> DataMaps = new(StringComparer.Ordinal) { "labels", "env", "metadata" };

    private static string Kind(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.TryGetValue<bool>(out _) => "boolean",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        _ => "number",
    };
}
