using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.Deploy;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>The app's machines with their state, release, region, image and checks (like `fly status` and `fly checks list`).</summary>
public sealed class FlyStatus : FlyDeployTaskBase
{
    /// <summary>FlyMachine items for CI (`-getItem:FlyMachine`): Group, Region, State, Release, Image, Checks metadata.</summary>
    [Output]
    public ITaskItem[] Machines { get; private set; } = new ITaskItem[0];

    protected override bool Run()
    {
        var settings = Prepare(withSecrets: false);
        if (settings is null)
        {
            return false;
        }

        IReadOnlyList<MachineStatus>? machines = null;
        if (!RunEngine(settings, async (engine, ct) => machines = await engine.StatusAsync(ct).ConfigureAwait(false)) || machines is null)
        {
            return false;
        }

        var app = settings.App ?? "";
        var text = TextTable.Render($"{app}: {machines.Count} machine(s); https://{app}.fly.dev",
            new[] { "ID", "GROUP", "REGION", "STATE", "RELEASE", "IMAGE", "CHECKS" },
            machines.Select(m => new[]
            {
                m.Id, m.Group, m.Region, m.State, m.Release, m.Image,
                m.Checks.Count == 0 ? "none" : string.Join(", ", m.Checks.Select(c => $"{c.Name}={c.Status}")),
            }));
        LogResult(text);
        Machines = machines.Select(m =>
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
        return !Log.HasLoggedErrors;
    }
}
