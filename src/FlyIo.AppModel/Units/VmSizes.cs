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
        new VmSize("shared-cpu-8x", "shared", 8, 2048),
        new VmSize("performance-1x", "performance", 1, 2048),
        new VmSize("performance-2x", "performance", 2, 4096),
        new VmSize("performance-4x", "performance", 4, 8192),
        new VmSize("performance-8x", "performance", 8, 16384),
        new VmSize("performance-16x", "performance", 16, 32768),
    };

    /// <summary>What a Machine gets when fly.toml names no size: shared-cpu-1x, 256 MB.</summary>
    public static readonly VmSize Default = All[0];

    /// <summary>The preset named exactly so (flyctl compares names as written), or null.</summary>
    public static VmSize? Find(string? name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}
