using System;
using System.Globalization;
using FlyIo.Toml;

namespace FlyIo.AppModel.Units;

/// <summary>
/// The memory a fly.toml [[vm]] gives its Machine, worked out as flyctl does: the size preset's memory, replaced by
/// <c>memory</c> ("512mb", "1gb", a bare number of MB), replaced in turn by <c>memory_mb</c>.
/// </summary>
public static class VmMemory
{
    /// <summary>Fly's presets: <c>shared-cpu-Nx</c> has 256 MB per CPU, <c>performance-Nx</c> 2048 MB per CPU.</summary>
    public static bool TryReadPreset(string size, out string cpuKind, out int cpus, out int megabytes)
    {
        foreach (var (prefix, kind, perCpu) in new[] { ("shared-cpu-", "shared", 256), ("performance-", "performance", 2048) })
        {
            if (size.StartsWith(prefix, StringComparison.Ordinal) && size.EndsWith("x", StringComparison.Ordinal)
                && int.TryParse(size.Substring(prefix.Length, size.Length - prefix.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out cpus) && cpus > 0)
            {
                (cpuKind, megabytes) = (kind, cpus * perCpu);
                return true;
            }
        }

        (cpuKind, cpus, megabytes) = ("", 0, 0);
        return false;
    }

    /// <summary>
    /// Megabytes and the value that decided them; null megabytes when the table names no memory and no size, or a
    /// size that is not a preset (then the caller's default, or flyctl's error, applies).
    /// </summary>
    public static (int? Megabytes, TomlValue? From) Read(TomlTable vm)
    {
        if (TomlRead.Get(vm, "memory_mb") is TomlInteger memoryMb)
        {
            return ((int)memoryMb.Value, memoryMb);
        }

        switch (TomlRead.Get(vm, "memory"))
        {
            case TomlInteger bare:
                return ((int)bare.Value, bare);
            case TomlString text when SizeParser.TryParseMemoryMegabytes(text.Value, out var mb):
                return ((int)mb, text);
        }

        return TomlRead.Get(vm, "size") is TomlString size
            ? (TryReadPreset(size.Value, out _, out _, out var preset) ? preset : null, size)
            : (null, null);
    }
}
