using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using FlyIo.AppModel.Units;
using FlyIo.Deploy;
using FlyIo.Diagnostics;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// One process group's machines without a deploy (like `fly scale count | vm | memory`): FlyScaleCount machines
/// (clones of the group's newest, a volume each when it mounts one, or the surplus destroyed), and FlyVmSize /
/// FlyVmMemory applied rolling. Prints the plan and the result as tables; FlyMachine items list the machines after.
/// </summary>
public sealed class FlyScale : FlyDeployTaskBase
{
    /// <summary>FlyScaleCount: machines the group should have.</summary>
    public string? Count { get; set; }

    /// <summary>FlyProcessGroup; empty means the app's only group.</summary>
    public string? ProcessGroup { get; set; }

    /// <summary>FlyScaleRegion: the regions counted and used ("ams;fra"); empty means every region the app is in.</summary>
    public string? ScaleRegion { get; set; }

    /// <summary>FlyVmSize: a Fly preset (shared-cpu-2x).</summary>
    public string? VmSize { get; set; }

    /// <summary>FlyVmMemory: memory as FlyLaunch reads it ("1024", "512mb", "1gb").</summary>
    public string? VmMemory { get; set; }

    [Output]
    public ITaskItem[] Machines { get; private set; } = new ITaskItem[0];

    protected override bool Run()
    {
        var project = Path.GetFullPath(ProjectPath);
        var request = Request(project);
        var settings = Prepare(withSecrets: false);
        if (request is null || settings is null)
        {
            return false;
        }

        ScalePlan? plan = null;
        IReadOnlyList<MachineStatus>? after = null;
        var ok = RunEngine(settings, async (engine, ct) =>
        {
            await engine.ScaleAsync(request, p =>
            {
                plan = p;
                FlyLog.Progress(p.Steps.Count == 0
                    ? $"{p.App}: group '{p.Group}' already has {p.Current} machine(s) of the size asked for: nothing to change."
                    : TextTable.Render($"{p.App}: scaling group '{p.Group}' ({p.Current} machine(s) now), in this order:", new[] { "ACTION", "MACHINE", "REGION", "SIZE", "VOLUME" },
                        p.Steps.Select(s => new[] { s.Kind.ToString().ToLowerInvariant(), s.MachineId ?? "(new)", s.Region, s.Size, s.Volume ?? "-" })));
            }, ct).ConfigureAwait(false);
            after = await engine.StatusAsync(ct).ConfigureAwait(false);
        });
        if (!ok || plan is null || after is null)
        {
            return false;
        }

        LogResult(MachineItems.Table(settings.App ?? "", after));
        Machines = MachineItems.From(after);
        if (request.VmSize is not null || request.MemoryMb is not null)
        {
            WarnIfFlyTomlPinsTheVm(settings, plan.Group, request);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The properties, checked before anything talks to Fly; null after reporting each problem.</summary>
    private ScaleRequest? Request(string project)
    {
        var request = new ScaleRequest
        {
            Group = string.IsNullOrWhiteSpace(ProcessGroup) ? null : ProcessGroup!.Trim(),
            Regions = (ScaleRegion ?? "").Split(new[] { ';', ',', ' ' }, StringSplitOptions.RemoveEmptyEntries).Select(r => r.Trim().ToLowerInvariant()).ToArray(),
            VmSize = string.IsNullOrWhiteSpace(VmSize) ? null : VmSize!.Trim(),
        };
        var problems = new List<FlyDiagnostic>();
        if (!string.IsNullOrWhiteSpace(Count))
        {
            if (int.TryParse(Count!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                request.Count = count;
            }
            else
            {
                problems.Add(FlyCodes.DeployPropertyInvalid.Create($"FlyScaleCount is '{Count}': use a whole number of machines, 0 or more.", project));
            }
        }

        if (request.VmSize is not null && VmSizes.Find(request.VmSize) is null)
        {
            problems.Add(FlyCodes.VmSizeInvalid.Create($"FlyVmSize is '{request.VmSize}', which is not a Fly VM size; use one of {string.Join(", ", VmSizes.All.Select(s => s.Name))}.", project));
        }

        if (!string.IsNullOrWhiteSpace(VmMemory))
        {
            // Read as FlyLaunch's [[vm]] memory is read: a bare number is MB, "1gb" is 1024 MB.
            if (SizeParser.TryParseMemoryMegabytes(VmMemory!.Trim(), out var mb) && mb >= 1 && mb == Math.Floor(mb))
            {
                request.MemoryMb = (int)mb;
            }
            else
            {
                problems.Add(FlyCodes.VmSizeInvalid.Create($"FlyVmMemory is '{VmMemory}', which is not a memory size; write it like 1024, \"512mb\" or \"2gb\".", project));
            }
        }

        if (problems.Count == 0 && request.Count is null && request.VmSize is null && request.MemoryMb is null)
        {
            problems.Add(FlyCodes.DeployPropertyInvalid.Create("FlyScale has nothing to do: set FlyScaleCount, FlyVmSize or FlyVmMemory.", project));
        }

        foreach (var problem in problems)
        {
            FlyLog.Report(problem);
        }

        return problems.Count == 0 ? request : null;
    }

    /// <summary>
    /// flyctl's warning after `fly scale vm | memory`: a [[vm]] for the group in fly.toml with another size or memory
    /// is what the next deploy applies again. Without one, deploys keep the machines' size.
    /// </summary>
    private void WarnIfFlyTomlPinsTheVm(DeploySettings settings, string group, ScaleRequest request)
    {
        if (settings.Config.VmFor(group) is not { } vm)
        {
            return;
        }

        var tomlSize = VmSizes.All.FirstOrDefault(s => s.CpuKind == vm.CpuKind && s.Cpus == vm.Cpus)?.Name ?? $"{vm.CpuKind}-{vm.Cpus}x";
        var sizeDiffers = request.VmSize is not null && request.VmSize != tomlSize;
        var memoryDiffers = request.MemoryMb is not null && vm.MemoryMb is not null && vm.MemoryMb != request.MemoryMb;
        if (!sizeDiffers && !memoryDiffers)
        {
            return;
        }

        var position = memoryDiffers ? vm.MemoryPosition : (FlyIo.AppModel.TomlRead.Get(vm.Table, "size")?.Position ?? vm.Table.Position);
        FlyLog.Report(FlyCodes.VmPinnedByFlyToml.Create(
            $"fly.toml sizes group '{group}' as {tomlSize} with {vm.MemoryMb?.ToString(CultureInfo.InvariantCulture) ?? "?"} MB in [[vm]], so the next FlyDeploy (like fly deploy) sets the machines back to it. " +
            "Change [[vm]] in fly.toml to keep this size, or remove it: without a [[vm]] for the group, deploys keep the size the machines have.",
            ConfigFile, position.Line, position.Column));
    }
}
