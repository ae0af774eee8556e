using System.Linq;
using FlyIo.AppModel;
using FlyIo.AppModel.Units;
using FlyIo.Machines;
using FlyIo.Toml;

namespace FlyIo.Deploy;

/// <summary>
/// A [[vm]] (or release_command_vm) as flyctl's computeToGuest turns it into the Machine's guest: CPU kind, CPUs and
/// memory as the app model sizes it (<see cref="FlyVm"/>, the one reading every target shares), plus the guest
/// fields flyctl copies as written (gpus, gpu_kind, kernel_args, host_dedication_id, persist_rootfs), the top-level
/// host_dedication_id standing in for a [[vm]] that gives none.
/// </summary>
internal static class FlyGuest
{
    public static GuestConfig From(FlyVm vm, string? topLevelHostDedicationId)
    {
        var table = vm.Table;
        var kernelArgs = TomlRead.Strings(table, "kernel_args").Select(s => s.Value).ToList();
        return new GuestConfig(vm.CpuKind, vm.Cpus, vm.MemoryMb ?? VmSizes.Default.MemoryMb)
        {
            GpuKind = NonEmpty(table, "gpu_kind"),
            Gpus = TomlRead.Integer(TomlRead.Get(table, "gpus")) is > 0 and var gpus ? (int)gpus : null,
            KernelArgs = kernelArgs.Count > 0 ? kernelArgs : null,
            HostDedicationId = NonEmpty(table, "host_dedication_id") ?? topLevelHostDedicationId,
            PersistRootfs = NonEmpty(table, "persist_rootfs"),
        };
    }

    private static string? NonEmpty(TomlTable t, string key) => TomlRead.String(t, key) is { Length: > 0 } s ? s : null;
}
