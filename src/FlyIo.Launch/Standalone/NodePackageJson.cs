using System;
using System.Collections.Generic;
using System.IO;
using FlyIo.Json;

namespace FlyIo.Launch.Standalone;

/// <summary>The parts of package.json FlyLaunch reads: the runtime dependencies, "main", and the scripts npm runs.</summary>
internal sealed class NodePackageJson
{
    private NodePackageJson(JsonObject? root) => Root = root;

    private JsonObject? Root { get; }

    /// <summary>package.json in <paramref name="folder"/>; an empty one when it is missing or not valid JSON.</summary>
    public static NodePackageJson Read(string folder)
    {
        if (AppFiles.TryRead(Path.Combine(folder, "package.json")) is not { } text)
        {
            return new NodePackageJson(null);
        }

        try
        {
            return new NodePackageJson(JsonReader.Parse(text) as JsonObject);
        }
        catch (JsonParseException)
        {
            return new NodePackageJson(null);
        }
    }

    public string? Main => Root?.GetString("main");

    /// <summary>The script <c>npm run NAME</c> runs, or null.</summary>
    public string? Script(string name) => (Root?["scripts"] as JsonObject)?.GetString(name);

    /// <summary>Names in "dependencies": what the image installs with <c>npm ci --omit=dev</c>.</summary>
    public List<string> Dependencies
    {
        get
        {
            var names = new List<string>();
            if (Root?["dependencies"] is JsonObject dependencies)
            {
                foreach (var member in dependencies.Members)
                {
                    names.Add(member.Key);
                }
            }

            return names;
        }
    }
}
