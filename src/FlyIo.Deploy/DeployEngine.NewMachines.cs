using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>One machine a deploy creates: its group, region, and what it stands by for (flyctl's standby machines).</summary>
internal sealed class NewMachine
{
    public NewMachine(string group, string? region, NewMachine? standbyFor)
    {
        Group = group;
        Region = region;
        StandbyFor = standbyFor;
    }

    public string Group { get; }
    public string? Region { get; }

    /// <summary>A standby is created stopped and started by Fly when the machine it stands by for fails.</summary>
    public NewMachine? StandbyFor { get; }

    /// <summary>The volume it mounts (picked or created before any machine changes); null when its group has no mount.</summary>
    public FlyVolume? Volume { get; set; }

    /// <summary>Set once created: a standby names it.</summary>
    public string? Id { get; set; }
}

public sealed partial class DeployEngine
{
    /// <summary>
    /// The machines to create for the groups that have none, as flyctl's first deploy makes them with <c>--ha</c>:
    /// two for a group with services, so a rolling deploy never takes it down; one and a stopped standby for a group
    /// without services; one for a group with a volume. An explicit machine count makes that many, none standby.
    /// </summary>
    internal List<NewMachine> NewMachines(IReadOnlyCollection<Machine> machines)
    {
        var regions = _options.NewMachineRegions.Count > 0 ? _options.NewMachineRegions.ToArray() : new[] { _config.PrimaryRegion };
        var list = new List<NewMachine>();
        foreach (var group in _config.Groups.Where(g => machines.All(m => m.ProcessGroup != g)))
        {
            if (_options.MachineCount is { } count)
            {
                for (var i = 0; i < Math.Max(1, count); i++)
                {
                    list.Add(new NewMachine(group, regions[i % regions.Length], null));
                }

                continue;
            }

            var first = new NewMachine(group, regions[0], null);
            list.Add(first);
            if (!_options.HighAvailability || _config.MountFor(group) is not null)
            {
                continue;
            }

            list.Add(_config.HasServicesFor(group)
                ? new NewMachine(group, regions[1 % regions.Length], null)
                : new NewMachine(group, regions[1 % regions.Length], first));
        }

        return list;
    }

    /// <summary>flyctl's --regions and --exclude-regions: a machine outside them is left as it is.</summary>
    private bool InDeployRegions(Machine m) =>
        (_options.OnlyRegions.Count == 0 || _options.OnlyRegions.Contains(m.Region, StringComparer.OrdinalIgnoreCase)) &&
        !_options.ExcludeRegions.Contains(m.Region, StringComparer.OrdinalIgnoreCase);
}
