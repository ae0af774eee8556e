using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

/// <summary>The volume routes, with the request fields, defaults and ranges of Fly's Volumes resource.</summary>
public static partial class Api
{
    private const int MaxVolumeSizeGb = 500;

    private static void MapVolumes(RouteGroupBuilder v1, MachineEngine e, ServerOptions options)
    {
        var g = v1.MapGroup("/apps/{app}/volumes");

        g.MapGet("", (string app) =>
        {
            lock (e.Gate)
                return Ok(new JsonArray(e.App(app).Volumes.Values.Where(v => v.State != "destroyed").OrderBy(v => v.CreatedAt).Select(v => (JsonNode)v.ToJson()).ToArray()));
        }).WithName("volume_list");

        g.MapPost("", async (HttpContext ctx, string app) =>
        {
            var body = await Body(ctx);
            // Every member is read and checked before the volume exists: a wrong type is a 400 with nothing created.
            var name = body["name"]?.GetValue<string>() ?? "";
            if (!VolumeName().IsMatch(name)) throw new ApiException(400, "volume name must be 1-30 lowercase letters, digits or underscores");
            var size = body["size_gb"]?.GetValue<int>() ?? VolumeRecord.DefaultSizeGb;
            if (size is < 1 or > MaxVolumeSizeGb) throw new ApiException(400, $"size_gb must be between 1 and {MaxVolumeSizeGb}");
            var fsType = body["fstype"]?.GetValue<string>() is { Length: > 0 } f ? f : "ext4";
            if (fsType is not ("ext4" or "raw")) throw new ApiException(400, $"invalid fstype '{fsType}': use ext4 or raw");
            var retention = SnapshotRetention(body) ?? VolumeRecord.DefaultSnapshotRetention;
            var regionText = body["region"]?.GetValue<string>();
            var encrypted = body["encrypted"]?.GetValue<bool>() ?? true;
            var autoBackup = body["auto_backup_enabled"]?.GetValue<bool>() ?? true;
            var uniqueZone = body["require_unique_zone"]?.GetValue<bool>() ?? true;
            var uniqueZoneAppWide = body["unique_zone_app_wide"]?.GetValue<bool>() ?? false;
            var compute = body["compute"] switch { null => null, JsonObject o => (JsonObject)o.DeepClone(), _ => throw new ApiException(400, "compute must be an object") };
            var computeImage = body["compute_image"]?.GetValue<string>() ?? "";
            // Nothing is ever snapshotted here, and forking copies data this server does not model.
            if (body["snapshot_id"]?.GetValue<string>() is { Length: > 0 } snapshot) throw new ApiException(404, $"snapshot {snapshot} not found");
            if (body["source_volume_id"]?.GetValue<string>() is { Length: > 0 }) throw new ApiException(422, "forking a volume (source_volume_id) is not supported by the local Machines API");
            lock (e.Gate)
            {
                var a = e.App(app);
                var vol = new VolumeRecord
                {
                    Id = "vol_" + Ids.Hex(16), Name = name, Region = regionText is { Length: > 0 } r ? r : options.DefaultRegion, SizeGb = size,
                    Encrypted = encrypted, FsType = fsType, SnapshotRetention = retention, AutoBackupEnabled = autoBackup,
                    RequireUniqueZone = uniqueZone, UniqueZoneAppWide = uniqueZoneAppWide, Compute = compute, ComputeImage = computeImage,
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                a.Volumes[vol.Id] = vol;
                return Ok(vol.ToJson());
            }
        }).WithName("volume_create");

        g.MapGet("/{vol}", (string app, string vol) =>
        {
            lock (e.Gate) return Ok(Volume(e, app, vol).ToJson());
        }).WithName("volume_get");

        // Fly's UpdateVolumeRequest: snapshot_retention and auto_backup_enabled; a member left out (or null) keeps its value.
        g.MapPut("/{vol}", async (HttpContext ctx, string app, string vol) =>
        {
            var body = await Body(ctx, required: false);
            var retention = SnapshotRetention(body);
            var autoBackup = body["auto_backup_enabled"]?.GetValue<bool>();
            lock (e.Gate)
            {
                var v = Volume(e, app, vol);
                if (retention is { } days) v.SnapshotRetention = days;
                if (autoBackup is { } enabled) v.AutoBackupEnabled = enabled;
                return Ok(v.ToJson());
            }
        }).WithName("volume_update");

        g.MapPut("/{vol}/extend", async (HttpContext ctx, string app, string vol) =>
        {
            var body = await Body(ctx);
            var size = body["size_gb"]?.GetValue<int>() ?? throw new ApiException(400, "size_gb is required");
            lock (e.Gate)
            {
                var v = Volume(e, app, vol);
                if (size <= v.SizeGb) throw new ApiException(400, $"size_gb {size} must be larger than the current size {v.SizeGb}");
                if (size > MaxVolumeSizeGb) throw new ApiException(400, $"size_gb must be at most {MaxVolumeSizeGb}");
                v.SizeGb = size;
                var attached = v.AttachedMachineId is { } mid && e.App(app).Machines.TryGetValue(mid, out var m) && m.State == "started";
                return Ok(new JsonObject { ["volume"] = v.ToJson(), ["needs_restart"] = attached });
            }
        }).WithName("volume_extend");

        g.MapDelete("/{vol}", (string app, string vol) =>
        {
            lock (e.Gate)
            {
                var v = Volume(e, app, vol);
                if (v.AttachedMachineId is not null) throw new ApiException(412, $"volume {v.Id} is attached to machine {v.AttachedMachineId}; destroy the machine first");
                e.DestroyVolume(v);
                return Ok(v.ToJson());
            }
        }).WithName("volume_delete");
    }

    /// <summary>snapshot_retention when the body gives one: whole days, 1 to 60 (Fly's documented range).</summary>
    private static int? SnapshotRetention(JsonObject body)
    {
        var days = body["snapshot_retention"]?.GetValue<int>();
        if (days is < 1 or > 60) throw new ApiException(400, $"snapshot_retention must be between 1 and 60 days, not {days}");
        return days;
    }

    private static VolumeRecord Volume(MachineEngine e, string app, string id)
    {
        var a = e.App(app);
        return a.Volumes.TryGetValue(id, out var v) && v.State != "destroyed" ? v : throw new ApiException(404, "volume not found");
    }
}
