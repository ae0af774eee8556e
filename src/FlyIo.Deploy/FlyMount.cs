using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.AppModel.Units;
using FlyIo.Machines;
using FlyIo.AppModel;
using FlyIo.Toml;

namespace FlyIo.Deploy;

/// <summary>
/// One <c>[[mounts]]</c> entry: the volume each machine of its groups gets (created by the first deploy, as flyctl
/// does) and where the machine sees it.
/// </summary>
public sealed record FlyMount(string Source, string Destination, IReadOnlyList<string> Processes)
{
    /// <summary>flyctl's size for a volume whose <c>initial_size</c> is not given.</summary>
    public const int DefaultSizeGb = 1;

    /// <summary>Where in fly.toml the mount's source is (else its table), for a located FLY5014.</summary>
    public TomlPosition Position { get; init; }

    public int SizeGb { get; init; } = DefaultSizeGb;
    public int? SnapshotRetention { get; init; }
    public bool? ScheduledSnapshots { get; init; }
    public int? ExtendThresholdPercent { get; init; }
    public int? ExtendIncrementGb { get; init; }
    public int? ExtendLimitGb { get; init; }

    /// <summary>The machine's mount, without a volume id (the deploy picks or creates the volume).</summary>
    public MountConfig ToMount(string? volumeId) => new(volumeId, Source, Destination)
    {
        ExtendThresholdPercent = ExtendThresholdPercent,
        AddSizeGb = ExtendIncrementGb,
        SizeGbLimit = ExtendLimitGb,
    };

    /// <summary>What flyctl sends to create this mount's volume for a machine of <paramref name="guest"/> in <paramref name="region"/>.</summary>
    public CreateVolumeRequest ToCreateRequest(string? region, GuestConfig? guest, string image) => new(Source, region, SizeGb)
    {
        SnapshotRetention = SnapshotRetention,
        AutoBackupEnabled = ScheduledSnapshots,
        ComputeRequirements = guest,
        ComputeImage = image,
    };

    /// <summary>Reads one [[mounts]] table; values the validator rejects fall back to flyctl's defaults.</summary>
    internal static FlyMount From(TomlTable t, IReadOnlyList<string> processes) => new(TomlRead.String(t, "source") ?? "", TomlRead.String(t, "destination") ?? "", processes)
    {
        Position = TomlRead.Get(t, "source")?.Position ?? t.Position,
        SizeGb = Gigabytes(t, "initial_size") ?? DefaultSizeGb,
        SnapshotRetention = (int?)TomlRead.Integer(TomlRead.Get(t, "snapshot_retention")),
        ScheduledSnapshots = (TomlRead.Get(t, "scheduled_snapshots") as TomlBoolean)?.Value,
        ExtendThresholdPercent = (int?)TomlRead.Integer(TomlRead.Get(t, "auto_extend_size_threshold")),
        ExtendIncrementGb = Gigabytes(t, "auto_extend_size_increment"),
        ExtendLimitGb = Gigabytes(t, "auto_extend_size_limit"),
    };

    /// <summary>A volume size as flyctl reads one: "10gb", "500mb" (rounded up to whole GB), or a bare number of GB.</summary>
    private static int? Gigabytes(TomlTable t, string key) => TomlRead.Get(t, key) switch
    {
        TomlString s when SizeParser.TryParseVolumeGigabytes(s.Value, out var gb) => Math.Max(1, (int)Math.Ceiling(gb)),
        TomlInteger i when i.Value > 0 => (int)i.Value,
        _ => null,
    };
}
