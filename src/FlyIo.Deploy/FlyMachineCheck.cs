using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.AppModel;
using FlyIo.Toml;

namespace FlyIo.Deploy;

/// <summary>
/// A <c>machine_checks</c> entry ([[machine_checks]], [[http_service.machine_checks]], [[services.machine_checks]]):
/// a command flyctl runs in a machine of its own against each machine the deploy brought up, before counting that
/// machine deployed. Exit code 0 passes.
/// </summary>
public sealed record FlyMachineCheck(IReadOnlyList<string> Command, string? Image, IReadOnlyList<string>? Entrypoint, string? KillSignal, TimeSpan? KillTimeout, IReadOnlyList<string> Processes)
{
    /// <summary>Where in fly.toml the check's command is (else its table), for a located FLY5015.</summary>
    public TomlPosition Position { get; init; }

    public bool AppliesTo(string group) => Processes.Count == 0 || Processes.Contains(group);

    /// <summary>Every machine check of fly.toml: the services' ones limited to their processes, the top-level ones for every group (as flyctl runs them).</summary>
    internal static List<FlyMachineCheck> ReadAll(TomlTable root)
    {
        var checks = new List<FlyMachineCheck>();
        if (TomlRead.Table(root, "http_service") is { } http)
        {
            checks.AddRange(TomlRead.Tables(http, "machine_checks").Select(t => From(t, Strings(http, "processes"))));
        }

        foreach (var service in TomlRead.Tables(root, "services"))
        {
            checks.AddRange(TomlRead.Tables(service, "machine_checks").Select(t => From(t, Strings(service, "processes"))));
        }

        checks.AddRange(TomlRead.Tables(root, "machine_checks").Select(t => From(t, Array.Empty<string>())));
        return checks;
    }

    private static FlyMachineCheck From(TomlTable t, IReadOnlyList<string> processes) => new(
        Words(t, "command") ?? Array.Empty<string>(), TomlRead.String(t, "image") is { Length: > 0 } image ? image : null, Words(t, "entrypoint"),
        TomlRead.String(t, "kill_signal"), TomlRead.DurationSeconds(TomlRead.Get(t, "kill_timeout"), 1) is double s ? TimeSpan.FromSeconds(s) : null, processes)
    {
        Position = TomlRead.Get(t, "command")?.Position ?? t.Position,
    };

    private static string[] Strings(TomlTable t, string key) => TomlRead.Strings(t, key).Select(s => s.Value).ToArray();

    private static IReadOnlyList<string>? Words(TomlTable t, string key) => TomlRead.Get(t, key) switch
    {
        TomlArray a => a.OfType<TomlString>().Select(s => s.Value).ToArray(),
        TomlString one => ShellWords.Split(one.Value).Words.ToArray(),
        _ => null,
    };
}
