using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.Deploy;
using Microsoft.Build.Framework;

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

        LogResult(MachineItems.Table(settings.App ?? "", machines));
        Machines = MachineItems.From(machines);
        return !Log.HasLoggedErrors;
    }
}
