using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FlyIo.LocalMachines;

/// <summary>JSON settings: snake_case names as in fly-go's structs, nulls left out (Go's omitempty).</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };
}

/// <summary>Identifiers shaped like Fly's: 14 hex characters for machines, ULID-like instance ids, 12 hex nonces.</summary>
public static class Ids
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string Hex(int chars) => Convert.ToHexString(RandomNumberGenerator.GetBytes((chars + 1) / 2)).ToLowerInvariant()[..chars];

    public static string Ulid()
    {
        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var chars = new char[26];
        for (var i = 9; i >= 0; i--) { chars[i] = Crockford[(int)(ms % 32)]; ms /= 32; }
        var random = RandomNumberGenerator.GetBytes(16);
        for (var i = 10; i < 26; i++) chars[i] = Crockford[random[i - 10] % 32];
        return new string(chars);
    }

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
}

public sealed class AppRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string OrgSlug { get; init; }
    public string Network { get; init; } = "default";
    public int InternalNumericId { get; init; }
    public Dictionary<string, MachineRecord> Machines { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, VolumeRecord> Volumes { get; } = new(StringComparer.Ordinal);
    public List<IpRecord> Ips { get; } = new();
    public Dictionary<string, SecretRecord> Secrets { get; } = new(StringComparer.Ordinal);
    public long SecretsVersion { get; set; }
    /// <summary>The app's releases, oldest first; the next one gets the count plus one, as Fly numbers them per app.</summary>
    public List<ReleaseRecord> Releases { get; } = new();

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["name"] = Name,
        ["internal_numeric_id"] = InternalNumericId,
        ["network"] = Network,
        ["status"] = Machines.Values.Any(m => m.State is not ("destroyed")) ? "deployed" : "pending",
        ["machine_count"] = Machines.Values.Count(m => m.State != "destroyed"),
        ["volume_count"] = Volumes.Values.Count(v => v.State != "destroyed"),
        ["organization"] = new JsonObject { ["name"] = OrgSlug, ["slug"] = OrgSlug },
        ["cname_target"] = "",
        ["app_role"] = "",
    };
}

public sealed record IpRecord(string Ip, string Type, string Region, bool Shared, DateTimeOffset CreatedAt, string ServiceName)
{
    public JsonObject ToJson() => new()
    {
        ["ip"] = Ip,
        ["region"] = Region,
        ["service_name"] = ServiceName,
        ["shared"] = Shared,
        ["created_at"] = CreatedAt.UtcDateTime.ToString("O"),
        ["egress"] = false,
        ["network"] = null,
    };
}

public sealed class SecretRecord
{
    public required string Name { get; init; }
    public required string Value { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string Digest => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Value))).ToLowerInvariant()[..16];

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["digest"] = Digest,
        ["created_at"] = Ids.Timestamp(CreatedAt),
        ["updated_at"] = Ids.Timestamp(UpdatedAt),
    };
}

public sealed class LeaseRecord
{
    public required string Nonce { get; init; }
    public required DateTimeOffset ExpiresAt { get; set; }
    public required string Owner { get; init; }
    public string Description { get; init; } = "";
    public required string Version { get; init; }

    public JsonObject ToJson() => new()
    {
        ["status"] = "success",
        ["data"] = new JsonObject
        {
            ["nonce"] = Nonce,
            ["expires_at"] = ExpiresAt.ToUnixTimeSeconds(),
            ["owner"] = Owner,
            ["description"] = Description,
            ["version"] = Version,
        },
    };
}

public sealed record MachineEvent(string Id, string Type, string Status, string Source, long Timestamp, JsonObject? Request)
{
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["id"] = Id, ["type"] = Type, ["status"] = Status, ["source"] = Source, ["timestamp"] = Timestamp };
        if (Request is not null) o["request"] = Request.DeepClone();
        return o;
    }
}

public sealed class CheckState
{
    public required string Name { get; init; }
    public string Status { get; set; } = "warning";
    public string Output { get; set; } = "waiting for status update";
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    public JsonObject ToJson() => new() { ["name"] = Name, ["status"] = Status, ["output"] = Output, ["updated_at"] = UpdatedAt.UtcDateTime.ToString("O") };
}

public sealed class MachineRecord
{
    public required string Id { get; init; }
    public required string AppName { get; init; }
    public required string Name { get; init; }
    public required string Region { get; init; }
    public required JsonObject Config { get; set; }
    public required string InstanceId { get; set; }
    public string State { get; set; } = "created";
    public string PrivateIp { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<MachineEvent> Events { get; } = new(); // oldest first; served newest first
    public List<CheckState> Checks { get; set; } = new();
    public bool Cordoned { get; set; }
    public LeaseRecord? Lease { get; set; }
    public List<string> PreviousInstanceIds { get; } = new();
    public int RestartCount { get; set; }
    public bool StopRequested { get; set; }
    public int StopSignal { get; set; } = 15;
    public long Generation { get; set; } // bumps on each launch, so stale runtime callbacks are ignored
    public IMachineInstance? Instance { get; set; }

    /// <summary>The image digest the current version's last launch resolved (cleared by an update).</summary>
    public string? ImageDigest { get; set; }
    public CancellationTokenSource? ChecksCts { get; set; }
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Changed => _changed.Task;

    /// <summary>Wakes every waiter; call with the store lock held after a state change.</summary>
    public void Pulse()
    {
        UpdatedAt = DateTimeOffset.UtcNow;
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    public string? Metadata(string key) => (Config["metadata"] as JsonObject)?[key]?.GetValue<string>();

    public JsonObject ImageRef()
    {
        var image = Config["image"]?.GetValue<string>() ?? "";
        var r = FlyIo.Machines.ImageReference.Parse(image);
        // Fly's image_ref names Docker Hub by the host it pulls from.
        var registry = r.Registry == FlyIo.Machines.ImageReference.DockerHub ? "registry-1.docker.io" : r.Registry;
        var o = new JsonObject { ["registry"] = registry, ["repository"] = r.Repository, ["tag"] = r.Tag };
        // Fly resolves the reference when the machine is created and reports the digest it runs. Here: the pinned
        // digest, else the one the last launch pulled, else (the simulated runtime pulls nothing) a stand-in derived
        // from the reference text.
        o["digest"] = r.Digest ?? ImageDigest
            ?? "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(image))).ToLowerInvariant();
        o["labels"] = new JsonObject();
        return o;
    }

    public JsonObject ToJson(bool withEvents = true)
    {
        var o = new JsonObject
        {
            ["id"] = Id,
            ["name"] = Name,
            ["state"] = State,
            ["region"] = Region,
            ["image_ref"] = ImageRef(),
            ["instance_id"] = InstanceId,
            ["version"] = InstanceId,
            ["private_ip"] = PrivateIp,
            ["created_at"] = Ids.Timestamp(CreatedAt),
            ["updated_at"] = Ids.Timestamp(UpdatedAt),
            ["config"] = Config.DeepClone(),
            ["host_status"] = "ok",
            ["cordoned"] = Cordoned,
        };
        if (withEvents && Events.Count > 0)
            o["events"] = new JsonArray(Events.AsEnumerable().Reverse().Take(10).Select(e => (JsonNode)e.ToJson()).ToArray());
        if (Checks.Count > 0) o["checks"] = new JsonArray(Checks.Select(c => (JsonNode)c.ToJson()).ToArray());
        return o;
    }
}
