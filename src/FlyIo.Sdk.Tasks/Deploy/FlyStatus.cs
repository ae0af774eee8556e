using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.Deploy;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>The app's machines with their state, release, region, image and checks (like `fly status` and `fly checks list`).</summary>
public sealed class FlyStatus : FlyDeployTaskBase
{
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
        FlyLog.Progress(text);
        return !Log.HasLoggedErrors;
    }
}
