using System.Collections.Generic;
using System.Linq;
using FlyIo.AppModel.Units;
using FlyIo.Toml;

namespace FlyIo.AppModel;

/// <summary>
/// One [[vm]] (or legacy [vm]/[[compute]]) entry as Fly sizes the Machine: the size preset (shared-cpu-1x when none),
/// (performance-8x when only gpu_kind is given), then `memory`, then the inline `cpu_kind`/`cpus`/`memory_mb`, which win over both (flyctl's
/// Compute.toMachineGuest merges them last). <see cref="MemoryMb"/> is null only when the memory is unreadable or
/// the size is not a preset; the validator reports those.
/// </summary>
public sealed class FlyVm
{
    private FlyVm(TomlTable table)
    {
        Table = table;
    }

    public TomlTable Table { get; }

    public string CpuKind { get; private set; } = VmSizes.Default.CpuKind;

    public int Cpus { get; private set; } = VmSizes.Default.Cpus;

    public int? MemoryMb { get; private set; }

    /// <summary>The value the memory comes from (memory_mb, memory or size), or the [[vm]] header when it is the default.</summary>
    public TomlPosition MemoryPosition { get; private set; }

    /// <summary>The process groups this VM applies to; empty means every group.</summary>
    public IReadOnlyList<string> Processes { get; private set; } = new string[0];

    public bool AppliesTo(string group) => Processes.Count == 0 || Processes.Contains(group);

    public static FlyVm From(TomlTable vm)
    {
        var result = new FlyVm(vm) { MemoryPosition = vm.Position };
        var sizeValue = TomlRead.Get(vm, "size") as TomlString;
        // flyctl's computeToGuest: a GPU with no size starts from performance-8x (fly.DefaultGPUVMSize).
        var gpu = TomlRead.String(vm, "gpu_kind") is { Length: > 0 };
        var preset = sizeValue is null ? (gpu ? VmSizes.Find("performance-8x") : VmSizes.Default) : VmSizes.Find(sizeValue.Value);
        if (preset is not null)
        {
            result.CpuKind = preset.CpuKind;
            result.Cpus = preset.Cpus;
            result.MemoryMb = preset.MemoryMb;
            result.MemoryPosition = sizeValue?.Position ?? vm.Position;
        }

        switch (TomlRead.Get(vm, "memory"))
        {
            case TomlInteger bare:
                (result.MemoryMb, result.MemoryPosition) = ((int)bare.Value, bare.Position);
                break;
            case TomlString text when SizeParser.TryParseMemoryMegabytes(text.Value, out var mb):
                (result.MemoryMb, result.MemoryPosition) = ((int)mb, text.Position);
                break;
        }

        if (TomlRead.String(vm, "cpu_kind") is { Length: > 0 } kind)
        {
            result.CpuKind = kind;
        }

        if (TomlRead.Get(vm, "cpus") is TomlInteger cpus && cpus.Value > 0)
        {
            result.Cpus = (int)cpus.Value;
        }

        if (TomlRead.Get(vm, "memory_mb") is TomlInteger memoryMb && memoryMb.Value > 0)
        {
            (result.MemoryMb, result.MemoryPosition) = ((int)memoryMb.Value, memoryMb.Position);
        }

        result.Processes = TomlRead.Strings(vm, "processes").Select(s => s.Value).ToArray();
        return result;
    }
}
