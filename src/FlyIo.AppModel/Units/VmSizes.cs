using System;
using System.Collections.Generic;
using System.Linq;

namespace FlyIo.AppModel.Units;

/// <summary>One of Fly's Machine size presets: what `[[vm]] size` names.</summary>
public sealed record VmSize(string Name, string CpuKind, int Cpus, int MemoryMb);

/// <summary>
/// Fly's Machine size presets (flyctl's MachinePresets, Fly's "Machine sizing" page): the one table every target
/// reads a VM's CPUs and memory from.
/// </summary>
public static class VmSizes
{
    public static readonly IReadOnlyList<VmSize> All = new[]
    {
        new VmSize("shared-cpu-1x", "shared", 1, 256),
        new VmSize("shared-cpu-2x", "shared", 2, 512),
        new VmSize("shared-cpu-4x", "shared", 4, 1024),
        new VmSize("shared-cpu-6x", "shared", 6, 1536),
        new VmSize("shared-cpu-8x", "shared", 8, 2048),
        new VmSize("performance-1x", "performance", 1, 2048),
        new VmSize("performance-2x", "performance", 2, 4096),
        new VmSize("performance-4x", "performance", 4, 8192),
        new VmSize("performance-6x", "performance", 6, 12288),
        new VmSize("performance-8x", "performance", 8, 16384),
        new VmSize("performance-10x", "performance", 10, 20480),
        new VmSize("performance-12x", "performance", 12, 24576),
        new VmSize("performance-14x", "performance", 14, 28672),
        new VmSize("performance-16x", "performance", 16, 32768),
    };

    /// <summary>What a Machine gets when fly.toml names no size: shared-cpu-1x, 256 MB.</summary>
    public static readonly VmSize Default = All[0];

    /// <summary>
    /// Why Fly would refuse <paramref name="memoryMb"/> on <paramref name="cpus"/> CPUs of <paramref name="cpuKind"/>,
    /// or null: flyctl's machine update checks (a multiple of 256 MB on shared CPUs, of 1024 MB on performance ones;
    /// 256 to 2048 MB per shared CPU, 2048 to 8192 MB per performance CPU).
    /// </summary>
    public static string? MemoryProblem(string cpuKind, int cpus, int memoryMb)
    {
        var performance = cpuKind == "performance";
        var (step, min, max) = performance ? (1024, 2048 * cpus, 8192 * cpus) : (256, 256 * cpus, 2048 * cpus);
        var what = $"{cpus} {(performance ? "performance" : "shared")} CPU(s)";
        return memoryMb % step != 0 ? $"{memoryMb} MB is not a multiple of {step} MB, which {what} need"
            : memoryMb < min ? $"{memoryMb} MB is less than the {min} MB {what} need at least"
            : memoryMb > max ? $"{memoryMb} MB is more than the {max} MB {what} can have"
            : null;
    }

    /// <summary>The preset named exactly so (flyctl compares names as written), or null.</summary>
    public static VmSize? Find(string? name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}
