using System.Collections.Generic;
using System.Linq;
using FlyIo.Deploy;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>The app's machines as FlyStatus shows them (a table) and gives them to CI (FlyMachine items); FlyScale and FlyRestart end with the same.</summary>
internal static class MachineItems
{
    public static string Table(string app, IReadOnlyCollection<MachineStatus> machines) =>
        TextTable.Render($"{app}: {machines.Count} machine(s); https://{app}.fly.dev",
            new[] { "ID", "GROUP", "REGION", "STATE", "RELEASE", "IMAGE", "CHECKS" },
            machines.Select(m => new[]
            {
                m.Id, m.Group, m.Region, m.State, m.Release, m.Image,
                m.Checks.Count == 0 ? "none" : string.Join(", ", m.Checks.Select(c => $"{c.Name}={c.Status}")),
            }));

    /// <summary>FlyMachine items: Group, Region, State, Release, Managed, Image, Checks metadata.</summary>
    public static ITaskItem[] From(IEnumerable<MachineStatus> machines) => machines.Select(m =>
    {
        var item = new TaskItem(m.Id);
        item.SetMetadata("Group", m.Group);
        item.SetMetadata("Region", m.Region);
        item.SetMetadata("State", m.State);
        // The number alone, as FlyReleaseVersion gives it; empty for a machine deploys do not manage.
        item.SetMetadata("Release", m.Managed ? m.ReleaseVersion ?? "" : "");
        item.SetMetadata("Managed", m.Managed ? "true" : "false");
        item.SetMetadata("Image", m.Image);
        item.SetMetadata("Checks", string.Join(";", m.Checks.Select(c => $"{c.Name}={c.Status}")));
        return (ITaskItem)item;
    }).ToArray();
}
