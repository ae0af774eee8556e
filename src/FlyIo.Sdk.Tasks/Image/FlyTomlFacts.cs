using System;
using System.IO;
using FlyIo.AppModel.Units;
using FlyIo.Toml;

namespace FlyIo.Sdk.Tasks;

/// <summary>The parts of fly.toml the image depends on: the app, the port it must listen on, volumes and VM memory.</summary>
internal sealed class FlyTomlFacts
{
    public string? App { get; private set; }

    public int? InternalPort { get; private set; }

    public bool HasMounts { get; private set; }

    public int? VmMemoryMb { get; private set; }

    /// <summary>Reads what it can; a missing or malformed fly.toml gives empty facts (FlyValidate reports it, located).</summary>
    public static FlyTomlFacts Read(string path)
    {
        var facts = new FlyTomlFacts();
        if (!File.Exists(path))
        {
            return facts;
        }

        TomlTable root;
        try
        {
            root = TomlParser.ParseFile(path).Root;
        }
        catch (TomlParseException)
        {
            return facts;
        }

        facts.App = root.TryGetValue("app", out var app) && app is TomlString name ? name.Value : null;
        facts.InternalPort = PortOf(root, "http_service") ?? FirstServicePort(root);
        facts.HasMounts = root.TryGetValue("mounts", out _) || root.TryGetValue("mount", out _);
        facts.VmMemoryMb = VmMemory(root);
        return facts;
    }

    private static int? PortOf(TomlTable root, string table) =>
        root.TryGetValue(table, out var value) && value is TomlTable t && t.TryGetValue("internal_port", out var port) && port is TomlInteger i
            ? (int)i.Value
            : null;

    private static int? FirstServicePort(TomlTable root)
    {
        if (root.TryGetValue("services", out var services) && services is TomlArray array && array.Count > 0 && array[0] is TomlTable first &&
            first.TryGetValue("internal_port", out var port) && port is TomlInteger i)
        {
            return (int)i.Value;
        }

        return null;
    }

    /// <summary>The first [[vm]]'s memory (memory_mb, memory or the size preset); null when it states none.</summary>
    private static int? VmMemory(TomlTable root) =>
        root.TryGetValue("vm", out var vms) && vms is TomlArray array && array.Count > 0 && array[0] is TomlTable vm
            ? AppModel.Units.VmMemory.Read(vm).Megabytes
            : null;
}
