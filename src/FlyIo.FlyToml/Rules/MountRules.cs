using FlyIo.AppModel;
using FlyIo.Diagnostics;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FlyIo.AppModel.Units;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Rules;

/// <summary>flyctl's validateMounts: one mount per process group, sizes of at least 1 GB, and complete auto-extend settings.</summary>
internal sealed class MountRules : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        var mounts = TomlRead.Tables(context.Root, "mounts").Concat(TomlRead.Tables(context.Root, "mount")).ToList();
        CheckOnePerGroup(context, mounts);
        foreach (var mount in mounts)
        {
            CheckMount(context, mount);
        }
    }

    private static void CheckOnePerGroup(RuleContext context, IReadOnlyList<TomlTable> mounts)
    {
        var seen = new HashSet<string>();
        foreach (var mount in mounts)
        {
            var groups = TomlRead.Strings(mount, "processes").Select(s => s.Value).ToList();
            if (groups.Count == 0)
            {
                // A mount without processes belongs to the default group only (flyctl's Flatten).
                groups.Add(context.DefaultGroup);
            }

            foreach (var group in groups.Distinct().Where(g => !seen.Add(g)))
            {
                context.Sink.Error(FlyCodes.MultipleMountsPerGroup, mount.Position,
                    $"Process group '{group}' has more than one [[mounts]] section; a Machine can mount one volume. Remove one, or set processes = [...] so each group gets one mount.");
            }
        }
    }

    private static void CheckMount(RuleContext context, TomlTable mount)
    {
        var source = TomlRead.String(mount, "source") ?? "?";
        var initial = TomlRead.Get(mount, "initial_size");
        if (Gigabytes(initial) is { } size && size < 1)
        {
            context.Sink.Error(FlyCodes.MountTooSmall, initial!.Position,
                $"Mount '{source}' has an initial_size of {Shown(initial)}, smaller than 1GB; write initial_size = \"1gb\" or more (a bare integer means GB).");
        }

        var increment = TomlRead.Get(mount, "auto_extend_size_increment");
        var limit = TomlRead.Get(mount, "auto_extend_size_limit");
        var threshold = TomlRead.Get(mount, "auto_extend_size_threshold");
        CheckGigabyteRange(context, source, increment, "auto_extend_size_increment", 1, 100);
        CheckGigabyteRange(context, source, limit, "auto_extend_size_limit", 1, 500);
        if (threshold is not null && increment is null && limit is null)
        {
            context.Sink.Error(FlyCodes.AutoExtendIncomplete, threshold.Position,
                $"Mount '{source}' sets auto_extend_size_threshold without auto_extend_size_increment and auto_extend_size_limit; set all three (e.g. increment = \"1gb\", limit = \"10gb\") or none.");
        }
    }

    private static void CheckGigabyteRange(RuleContext context, string source, TomlValue? value, string key, double min, double max)
    {
        if (Gigabytes(value) is { } gb && (gb < min || gb > max))
        {
            context.Sink.Error(FlyCodes.OutOfRange, value!.Position,
                $"Mount '{source}' has {key} = {Shown(value)}; it must be between {min.ToString(CultureInfo.InvariantCulture)}GB and {max.ToString(CultureInfo.InvariantCulture)}GB. Change it to fit.");
        }
    }

    private static double? Gigabytes(TomlValue? value) => value switch
    {
        TomlInteger i => i.Value,
        TomlString s when SizeParser.TryParseVolumeGigabytes(s.Value, out var gb) => gb,
        _ => null,
    };

    private static string Shown(TomlValue value) => value is TomlString s ? "'" + s.Value + "'" : value.ToString() ?? "";
}
