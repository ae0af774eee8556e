using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using FlyIo.Toml;

namespace FlyIo.AppModel;

/// <summary>
/// fly.toml, read once: its bytes, its located TOML tree, and the facts more than one target needs (the app, [env],
/// the release command, the port the app must listen on, volumes, VM sizes), each worked out here and nowhere else.
/// A missing or malformed file is a value too (<see cref="Exists"/>, <see cref="Error"/>): the validator reports it,
/// located, and every other reader sees an empty tree instead of reading the file again.
/// </summary>
public sealed class FlyConfig
{
    private static readonly TomlTable EmptyRoot = TomlParser.Parse(string.Empty).Root;

    private FlyConfig(string path, bool exists, byte[]? bytes, TomlDocument? document, TomlParseException? error)
    {
        Path = path;
        Exists = exists;
        Bytes = bytes;
        Document = document;
        Error = error;
        Root = document?.Root ?? EmptyRoot;
        Env = ReadEnv(TomlRead.Table(Root, "env"));
        Vms = TomlRead.Tables(Root, "vm").Concat(TomlRead.Tables(Root, "compute")).Select(FlyVm.From).ToArray();
    }

    public string Path { get; }

    /// <summary>False when nothing (file or folder) is at <see cref="Path"/>.</summary>
    public bool Exists { get; }

    /// <summary>The file's bytes as read; null when it could not be read.</summary>
    public byte[]? Bytes { get; }

    /// <summary>The parsed document; null when the file is missing, unreadable or not valid TOML.</summary>
    public TomlDocument? Document { get; }

    /// <summary>Why the file could not be read or parsed (FLY0xxx, located), when it could not.</summary>
    public TomlParseException? Error { get; }

    /// <summary>The root table; empty when there is no document.</summary>
    public TomlTable Root { get; }

    public string? App => TomlRead.String(Root, "app");

    public string? PrimaryRegion => TomlRead.String(Root, "primary_region");

    /// <summary>[env] as the Machine gets it: strings, with integers, floats and booleans written as flyctl writes them.</summary>
    public IReadOnlyDictionary<string, string> Env { get; }

    public TomlString? ReleaseCommand => TomlRead.Get(TomlRead.Table(Root, "deploy"), "release_command") as TomlString;

    public TomlString? ReleaseCommandTimeout => TomlRead.Get(TomlRead.Table(Root, "deploy"), "release_command_timeout") as TomlString;

    /// <summary>[[mounts]] (or the legacy [mounts]/[[mount]]) is present: the app has a volume.</summary>
    public bool HasMounts => Root.TryGetValue("mounts", out _) || Root.TryGetValue("mount", out _);

    /// <summary>[http_service] then every non-empty [[services]] entry: what routes traffic to the app.</summary>
    public IEnumerable<TomlTable> Services =>
        new[] { TomlRead.Table(Root, "http_service") }.Concat(TomlRead.Tables(Root, "services").Where(s => s.Count > 0)).OfType<TomlTable>();

    /// <summary>
    /// Any health check at all: top-level [checks] or a service's checks. Fly's bluegreen strategy needs one
    /// (configuration reference); a process group without checks only has to start (flyctl's bluegreen waits for
    /// health only on Machines that have checks).
    /// </summary>
    public bool HasHealthChecks =>
        TomlRead.Table(Root, "checks") is { Count: > 0 } || TomlRead.Get(Root, "checks") is TomlArray { Count: > 0 }
        || Services.Any(s => TomlRead.Tables(s, "checks").Count + TomlRead.Tables(s, "tcp_checks").Count + TomlRead.Tables(s, "http_checks").Count > 0);

    /// <summary>Every [[vm]] entry, sized as Fly sizes it.</summary>
    public IReadOnlyList<FlyVm> Vms { get; }

    /// <summary>
    /// The port the app must listen on, and where fly.toml says it: [http_service] internal_port, else the first
    /// [[services]] entry that sets one. Null when no service routes to the app.
    /// </summary>
    public TomlValue? InternalPortValue =>
        TomlRead.Get(TomlRead.Table(Root, "http_service"), "internal_port")
        ?? TomlRead.Tables(Root, "services").Select(s => TomlRead.Get(s, "internal_port")).FirstOrDefault(p => p is not null);

    public int? InternalPort => TomlRead.Integer(InternalPortValue) is long port && port is > 0 and <= 65535 ? (int)port : null;

    /// <summary>The least memory any [[vm]] gives the image (it runs on all of them); null without [[vm]].</summary>
    public int? SmallestVmMemoryMb => Vms.Select(v => v.MemoryMb).Where(m => m is not null).Min();

    /// <summary>Reads and parses <paramref name="path"/>. Never throws for a bad file: see <see cref="Error"/>.</summary>
    public static FlyConfig Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            return new FlyConfig(full, false, null, null, null);
        }

        byte[] bytes;
        try
        {
            bytes = TomlFiles.ReadBytes(full);
        }
        catch (TomlParseException e)
        {
            return new FlyConfig(full, true, null, null, e);
        }

        return FromBytes(full, bytes);
    }

    /// <summary>The model of fly.toml text that is not (or not yet) on disk at <paramref name="path"/>.</summary>
    public static FlyConfig FromBytes(string path, byte[] bytes)
    {
        try
        {
            return new FlyConfig(path, true, bytes, TomlParser.Parse(bytes), null);
        }
        catch (TomlParseException e)
        {
            return new FlyConfig(path, true, bytes, null, e);
        }
    }

    public static FlyConfig Parse(string text, string path = "fly.toml") => FromBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>An [env] value as flyctl turns it into the Machine's environment string.</summary>
    public static string EnvString(TomlValue value) => value switch
    {
        TomlString s => s.Value,
        TomlInteger i => i.Value.ToString(CultureInfo.InvariantCulture),
        TomlFloat f => f.Value.ToString("R", CultureInfo.InvariantCulture),
        TomlBoolean b => b.Value ? "true" : "false",
        _ => value.ToString() ?? string.Empty,
    };

    private static IReadOnlyDictionary<string, string> ReadEnv(TomlTable? env)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in env?.Entries ?? Array.Empty<TomlEntry>())
        {
            result[entry.Key] = EnvString(entry.Value);
        }

        return result;
    }
}
