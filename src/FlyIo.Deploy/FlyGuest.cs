using System.Linq;
using FlyIo.AppModel.Units;
using FlyIo.Machines;
using FlyIo.Toml;
using FlyIo.AppModel;

namespace FlyIo.Deploy;

/// <summary>
/// A [[vm]] (or release_command_vm) as flyctl's computeToGuest turns it into the Machine's guest: the size preset
/// (shared-cpu-1x, or performance-8x when only gpu_kind is set), then `memory`, then the top-level
/// host_dedication_id, then every guest field written inline (cpu_kind, cpus, memory_mb, gpus, gpu_kind,
/// kernel_args, host_dedication_id, persist_rootfs), which win over all of those.
/// </summary>
internal static class FlyGuest
{
    public static GuestConfig From(TomlTable vm, string? topLevelHostDedicationId)
    {
        var gpuKind = NonEmpty(vm, "gpu_kind");
        var size = NonEmpty(vm, "size") ?? (gpuKind is not null ? "performance-8x" : null);
        var preset = VmSizes.Find(size) ?? VmSizes.Default;
        var cpuKind = preset.CpuKind;
        var cpus = preset.Cpus;
        var memory = preset.MemoryMb;
        switch (TomlRead.Get(vm, "memory"))
        {
            case TomlInteger bare when bare.Value > 0:
                memory = (int)bare.Value;
                break;
            case TomlString text when SizeParser.TryParseMemoryMegabytes(text.Value, out var mb) && mb > 0:
                memory = (int)mb;
                break;
        }

        cpuKind = NonEmpty(vm, "cpu_kind") ?? cpuKind;
        cpus = Positive(vm, "cpus") ?? cpus;
        memory = Positive(vm, "memory_mb") ?? memory;
        var kernelArgs = TomlRead.Strings(vm, "kernel_args").Select(s => s.Value).ToList();
        return new GuestConfig(cpuKind, cpus, memory)
        {
            GpuKind = gpuKind,
            Gpus = Positive(vm, "gpus"),
            KernelArgs = kernelArgs.Count > 0 ? kernelArgs : null,
            HostDedicationId = NonEmpty(vm, "host_dedication_id") ?? topLevelHostDedicationId,
            PersistRootfs = NonEmpty(vm, "persist_rootfs"),
        };
    }

    private static string? NonEmpty(TomlTable t, string key) => TomlRead.String(t, key) is { Length: > 0 } s ? s : null;

    private static int? Positive(TomlTable t, string key) => TomlRead.Integer(TomlRead.Get(t, key)) is > 0 and var n ? (int)n : null;
}
