using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

/// <summary>
/// A release as api.fly.io records it for flyctl (internal/uiex/releases.go): <c>{id, version, stable, in_progress,
/// status, strategy, user, created_at, image_ref}</c>. The definition (the app config) and metadata are kept as sent;
/// like Fly's REST answers, the JSON does not carry them.
/// </summary>
public sealed class ReleaseRecord
{
    /// <summary>The statuses flyctl sets: a new release is pending, then running, then one of the last three.</summary>
    public static readonly string[] Statuses = { "pending", "running", "complete", "failed", "interrupted" };

    public required string Id { get; init; }
    public required string App { get; init; }
    public required int Version { get; init; }
    public required string ImageRef { get; init; }
    public required string Strategy { get; init; }
    public required string User { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string Status { get; set; } = "pending";
    public JsonObject? Definition { get; init; }
    public JsonNode? Metadata { get; set; }

    public bool InProgress => Status is "pending" or "running";

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["version"] = Version,
        ["stable"] = Status == "complete",
        ["in_progress"] = InProgress,
        ["status"] = Status,
        ["strategy"] = Strategy,
        ["user"] = User,
        ["created_at"] = Ids.Timestamp(CreatedAt),
        ["image_ref"] = ImageRef,
    };
}
