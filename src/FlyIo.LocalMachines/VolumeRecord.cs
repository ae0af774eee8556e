using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

/// <summary>
/// A volume as Fly's Volumes resource describes it. The placement hints of a create request (require_unique_zone,
/// unique_zone_app_wide, compute, compute_image) are kept but not returned: Fly's volume JSON has no such members.
/// </summary>
public sealed class VolumeRecord
{
    /// <summary>Fly's documented defaults for a create request that leaves them out.</summary>
    public const int DefaultSizeGb = 3, DefaultSnapshotRetention = 5;

    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Region { get; init; }
    public int SizeGb { get; set; }
    public bool Encrypted { get; init; } = true;
    public string FsType { get; init; } = "ext4";
    public int SnapshotRetention { get; set; } = DefaultSnapshotRetention;
    public bool AutoBackupEnabled { get; set; } = true;
    public bool RequireUniqueZone { get; init; } = true;
    public bool UniqueZoneAppWide { get; init; }
    public JsonObject? Compute { get; init; }
    public string ComputeImage { get; init; } = "";
    public string State { get; set; } = "created";
    public string? AttachedMachineId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["name"] = Name,
        ["state"] = State,
        ["size_gb"] = SizeGb,
        ["region"] = Region,
        ["zone"] = "local",
        ["encrypted"] = Encrypted,
        ["attached_machine_id"] = AttachedMachineId,
        ["attached_alloc_id"] = null,
        ["created_at"] = Ids.Timestamp(CreatedAt),
        ["host_dedication_key"] = "",
        // A filesystem of SizeGb with 4 KiB blocks, as Fly reports an ext4 volume (free space is not measured here).
        ["block_size"] = 4096,
        ["blocks"] = SizeGb * 262144L,
        ["blocks_free"] = SizeGb * 262144L,
        ["blocks_avail"] = SizeGb * 262144L,
        ["fstype"] = FsType,
        ["snapshot_retention"] = SnapshotRetention,
        ["auto_backup_enabled"] = AutoBackupEnabled,
        ["host_status"] = "ok",
    };
}
