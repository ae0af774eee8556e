using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

public static partial class Api
{
    private static void MapSecrets(RouteGroupBuilder v1, MachineEngine e)
    {
        var g = v1.MapGroup("/apps/{app}/secrets");

        JsonObject List(AppRecord a) => new()
        {
            ["secrets"] = new JsonArray(a.Secrets.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => (JsonNode)s.ToJson()).ToArray()),
        };

        g.MapGet("", (string app) =>
        {
            lock (e.Gate) return Ok(List(e.App(app)));
        }).WithName("secrets_list");

        g.MapPost("", async (HttpContext ctx, string app) =>
        {
            var body = await Body(ctx);
            var values = body["values"] as JsonObject ?? throw new ApiException(400, "values is required");
            lock (e.Gate)
            {
                var a = e.App(app);
                foreach (var (name, _) in values) ValidateSecretName(name);
                var now = DateTimeOffset.UtcNow;
                foreach (var (name, value) in values)
                {
                    if (value is null) a.Secrets.Remove(name);
                    else Set(a, name, value.GetValue<string>(), now);
                }
                a.SecretsVersion++;
                var result = List(a);
                result["version"] = a.SecretsVersion;
                return Ok(result);
            }
        }).WithName("secrets_update");

        g.MapGet("/{name}", (string app, string name) =>
        {
            lock (e.Gate)
            {
                var a = e.App(app);
                return Ok(a.Secrets.TryGetValue(name, out var s) ? s.ToJson() : throw new ApiException(404, "secret not found"));
            }
        }).WithName("secret_get");

        g.MapPost("/{name}", async (HttpContext ctx, string app, string name) =>
        {
            var body = await Body(ctx);
            var value = body["value"]?.GetValue<string>() ?? throw new ApiException(400, "value is required");
            lock (e.Gate)
            {
                var a = e.App(app);
                ValidateSecretName(name);
                Set(a, name, value, DateTimeOffset.UtcNow);
                a.SecretsVersion++;
                var json = a.Secrets[name].ToJson();
                json["version"] = a.SecretsVersion;
                return Ok(json);
            }
        }).WithName("secret_set");

        g.MapDelete("/{name}", (string app, string name) =>
        {
            lock (e.Gate)
            {
                var a = e.App(app);
                if (!a.Secrets.Remove(name)) throw new ApiException(404, "secret not found");
                a.SecretsVersion++;
                return Ok(new JsonObject { ["version"] = a.SecretsVersion });
            }
        }).WithName("secret_delete");
    }

    private static void Set(AppRecord a, string name, string value, DateTimeOffset now)
    {
        if (a.Secrets.TryGetValue(name, out var existing))
        {
            existing.Value = value;
            existing.UpdatedAt = now;
        }
        else a.Secrets[name] = new SecretRecord { Name = name, Value = value, CreatedAt = now, UpdatedAt = now };
    }

    private static void ValidateSecretName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw new ApiException(400, $"invalid secret name '{name}': use letters, digits and underscores, not starting with a digit");
    }

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
            var name = body["name"]?.GetValue<string>() ?? "";
            if (!VolumeName().IsMatch(name)) throw new ApiException(400, "volume name must be 1-30 lowercase letters, digits or underscores");
            var size = body["size_gb"]?.GetValue<int>() ?? 1;
            if (size is < 1 or > 500) throw new ApiException(400, "size_gb must be between 1 and 500");
            lock (e.Gate)
            {
                var a = e.App(app);
                var region = body["region"]?.GetValue<string>() is { Length: > 0 } r ? r : options.DefaultRegion;
                var vol = new VolumeRecord
                {
                    Id = "vol_" + Ids.Hex(16), Name = name, Region = region, SizeGb = size,
                    Encrypted = body["encrypted"]?.GetValue<bool>() ?? true, CreatedAt = DateTimeOffset.UtcNow,
                };
                a.Volumes[vol.Id] = vol;
                return Ok(vol.ToJson());
            }
        }).WithName("volume_create");

        g.MapGet("/{vol}", (string app, string vol) =>
        {
            lock (e.Gate) return Ok(Volume(e, app, vol).ToJson());
        }).WithName("volume_get");

        g.MapPut("/{vol}", async (HttpContext ctx, string app, string vol) =>
        {
            var body = await Body(ctx, required: false);
            lock (e.Gate)
            {
                var v = Volume(e, app, vol);
                var json = v.ToJson();
                foreach (var k in new[] { "snapshot_retention", "auto_backup_enabled" })
                    if (body[k] is { } value) json[k] = value.DeepClone();
                return Ok(json);
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
                if (size > 500) throw new ApiException(400, "size_gb must be at most 500");
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
                v.State = "destroyed";
                return Ok(v.ToJson());
            }
        }).WithName("volume_delete");
    }

    private static VolumeRecord Volume(MachineEngine e, string app, string id)
    {
        var a = e.App(app);
        return a.Volumes.TryGetValue(id, out var v) && v.State != "destroyed" ? v : throw new ApiException(404, "volume not found");
    }
}
