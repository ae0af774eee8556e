using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.Deploy;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// A rolling restart (like `fly apps restart`): every started machine deploys manage, or one group's
/// (FlyProcessGroup), restarted one at a time, each started again and healthy before the next. Prints what was
/// restarted and the machines after; FlyMachine items list them.
/// </summary>
public sealed class FlyRestart : FlyDeployTaskBase
{
    /// <summary>FlyProcessGroup; empty means every group.</summary>
    public string? ProcessGroup { get; set; }

    [Output]
    public ITaskItem[] Machines { get; private set; } = new ITaskItem[0];

    protected override bool Run()
    {
        var settings = Prepare(withSecrets: false);
        if (settings is null)
        {
            return false;
        }

        RestartResult? restart = null;
        IReadOnlyList<MachineStatus>? after = null;
        var group = string.IsNullOrWhiteSpace(ProcessGroup) ? null : ProcessGroup!.Trim();
        if (!RunEngine(settings, async (engine, ct) =>
            {
                restart = await engine.RestartAsync(group, ct).ConfigureAwait(false);
                after = await engine.StatusAsync(ct).ConfigureAwait(false);
            }) || restart is null || after is null)
        {
            return false;
        }

        LogResult(TextTable.Render($"{restart.App}: {restart.Restarted.Count} machine(s) restarted, each healthy before the next", new[] { "ID", "GROUP", "REGION", "STARTED AT" },
            restart.Restarted.Select(r => new[] { r.Id, r.Group, r.Region, DateTimeOffset.FromUnixTimeMilliseconds(r.StartedAt).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'") }))
            + Environment.NewLine + MachineItems.Table(settings.App ?? "", after));
        Machines = MachineItems.From(after);
        return !Log.HasLoggedErrors;
    }
}
