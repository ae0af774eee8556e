using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FlyIo.Machines;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// The app's volumes (like `fly volumes list`): a table in the log, and FlyVolume items for CI
/// (`-getItem:FlyVolume`) with Name, Region, SizeGb, State and AttachedMachine metadata.
/// </summary>
public sealed class FlyVolumes : FlyDeployTaskBase
{
    [Output]
    public ITaskItem[] Volumes { get; private set; } = new ITaskItem[0];

    protected override bool Run()
    {
        var settings = Prepare(withSecrets: false);
        if (settings is null)
        {
            return false;
        }

        IReadOnlyList<FlyVolume>? volumes = null;
        if (!RunEngine(settings, async (engine, ct) => volumes = await engine.VolumesAsync(ct).ConfigureAwait(false)) || volumes is null)
        {
            return false;
        }

        var ordered = volumes.OrderBy(v => v.Name, System.StringComparer.Ordinal).ThenBy(v => v.Region, System.StringComparer.Ordinal).ThenBy(v => v.Id, System.StringComparer.Ordinal).ToList();
        LogResult(TextTable.Render($"{settings.App}: {ordered.Count} volume(s)",
            new[] { "ID", "NAME", "SIZE", "REGION", "STATE", "ATTACHED" },
            ordered.Select(v => new[] { v.Id, v.Name, v.SizeGb.ToString(CultureInfo.InvariantCulture) + "GB", v.Region, v.State, v.AttachedMachineId ?? "-" })));
        Volumes = ordered.Select(v =>
        {
            var item = new TaskItem(v.Id);
            item.SetMetadata("Name", v.Name);
            item.SetMetadata("Region", v.Region);
            item.SetMetadata("SizeGb", v.SizeGb.ToString(CultureInfo.InvariantCulture));
            item.SetMetadata("State", v.State);
            item.SetMetadata("AttachedMachine", v.AttachedMachineId ?? "");
            return (ITaskItem)item;
        }).ToArray();
        return !Log.HasLoggedErrors;
    }
}
