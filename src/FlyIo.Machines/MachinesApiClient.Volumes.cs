using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;

namespace FlyIo.Machines;

/// <summary>An app's volumes: listed, and created as flyctl creates them for [[mounts]].</summary>
public sealed partial class MachinesApiClient
{
    /// <summary>The app's volumes (destroyed ones left out): GET /v1/apps/{app}/volumes.</summary>
    public async Task<IReadOnlyList<FlyVolume>> ListVolumesAsync(string app, CancellationToken cancellationToken = default)
    {
        var op = $"listing the volumes of '{app}'";
        var r = await SendAsync(HttpMethod.Get, $"v1/apps/{E(app)}/volumes", null, op, Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        var items = r.Json as JsonArray ?? throw new MachinesApiException(op, r.Status, "the response is not an array of volumes", r.RequestId);
        return items.Items.OfType<JsonObject>().Select(FlyVolume.FromJson).Where(v => v.State is not ("destroyed" or "destroying" or "pending_destroy")).ToArray();
    }

    /// <summary>
    /// Creates a volume: POST /v1/apps/{app}/volumes. Volume names are not unique, so a create that may have happened
    /// is not repeated: the next deploy finds such a volume unattached and uses it.
    /// </summary>
    public async Task<FlyVolume> CreateVolumeAsync(string app, CreateVolumeRequest request, CancellationToken cancellationToken = default)
    {
        var body = Js.Obj().Set("name", request.Name).Set("region", request.Region).Set("size_gb", request.SizeGb).Set("encrypted", request.Encrypted)
            .Set("snapshot_retention", request.SnapshotRetention).Set("auto_backup_enabled", request.AutoBackupEnabled)
            .Set("require_unique_zone", request.RequireUniqueZone).Set("compute_image", request.ComputeImage);
        if (request.ComputeRequirements is { } guest)
        {
            body.Set("compute_requirements", Js.Obj().Set("cpu_kind", guest.CpuKind).Set("cpus", guest.Cpus).Set("memory_mb", guest.MemoryMb));
        }

        var op = $"creating a {request.SizeGb} GB volume '{request.Name}' in {request.Region ?? "the default region"} for '{app}'";
        var r = await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/volumes", body, op, Retry.UnsafeToRepeat, cancellationToken).ConfigureAwait(false);
        return FlyVolume.FromJson(AsObject(r, op));
    }
}

/// <summary>One volume as Fly lists it.</summary>
public sealed record FlyVolume(string Id, string Name, string Region, int SizeGb, string State, string? AttachedMachineId, int? SnapshotRetention, bool? AutoBackupEnabled)
{
    public bool Attached => !string.IsNullOrEmpty(AttachedMachineId);

    internal static FlyVolume FromJson(JsonObject o) => new(
        o.GetString("id") ?? "", o.GetString("name") ?? "", o.GetString("region") ?? "", (int)(o.GetLong("size_gb") ?? 0), o.GetString("state") ?? "",
        o.GetString("attached_machine_id"), (int?)o.GetLong("snapshot_retention"), o.GetBool("auto_backup_enabled"));

    public override string ToString() => $"{Id} ({Name}, {Region}, {SizeGb} GB{(Attached ? ", attached to " + AttachedMachineId : "")})";
}

/// <summary>What flyctl sends to create a volume for a [[mounts]] entry (fly-go's CreateVolumeRequest).</summary>
public sealed class CreateVolumeRequest
{
    public CreateVolumeRequest(string name, string? region, int sizeGb)
    {
        Name = name;
        Region = region;
        SizeGb = sizeGb;
    }

    public string Name { get; }
    public string? Region { get; }
    public int SizeGb { get; }
    public bool Encrypted { get; set; } = true;
    public int? SnapshotRetention { get; set; }
    /// <summary>fly.toml's <c>scheduled_snapshots</c>.</summary>
    public bool? AutoBackupEnabled { get; set; }
    public bool? RequireUniqueZone { get; set; }
    /// <summary>The guest the volume's machine will have, so Fly places the volume on a host that can run it.</summary>
    public GuestConfig? ComputeRequirements { get; set; }
    public string? ComputeImage { get; set; }
}
