using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

/// <summary>
/// Fly's releases, served the way api.fly.io serves them to flyctl (internal/uiex/releases.go), under the same token
/// and fault rules as the Machines API: <c>POST /api/v1/releases</c> answers <c>{"release": {...}}</c> (201) with the
/// app's next version; <c>PATCH /api/v1/releases/{id}</c> and <c>GET …/releases/current</c> answer the release itself;
/// <c>GET /api/v1/apps/{app}/releases?limit=N</c> answers <c>{"releases": [...]}</c>, newest first.
/// </summary>
public static partial class Api
{
    /// <summary>flyctl's DeploymentStrategy values.</summary>
    private static readonly string[] ReleaseStrategies = { "BLUEGREEN", "CANARY", "IMMEDIATE", "ROLLING", "ROLLING_ONE", "SIMPLE" };

    private static void MapReleases(WebApplication web, MachineEngine e, ServerOptions options)
    {
        web.MapPost("/api/v1/releases", async (HttpContext ctx) =>
        {
            var body = await Body(ctx);
            var appName = body["app_name"]?.GetValue<string>() ?? throw new ApiException(422, "app_name is required");
            var image = body["image"]?.GetValue<string>() ?? "";
            var strategy = body["strategy"]?.GetValue<string>() ?? "";
            if (image.Length == 0) throw new ApiException(422, "image is required");
            if (!ReleaseStrategies.Contains(strategy)) throw new ApiException(422, $"strategy '{strategy}' is not one of {string.Join(", ", ReleaseStrategies)}");
            if (body["definition"] is { } definition && definition is not JsonObject) throw new ApiException(422, "definition must be an object (the app config)");
            lock (e.Gate)
            {
                var a = e.App(appName);
                var release = new ReleaseRecord
                {
                    Id = "rel_" + Ids.Hex(16),
                    App = a.Name,
                    Version = a.Releases.Count + 1,
                    ImageRef = image,
                    Strategy = strategy,
                    // Who the token belongs to, as Fly names the user who deployed.
                    User = options.LeaseOwner,
                    CreatedAt = DateTimeOffset.UtcNow,
                    Definition = (body["definition"] as JsonObject)?.DeepClone() as JsonObject,
                };
                a.Releases.Add(release);
                return Ok(new JsonObject { ["release"] = release.ToJson() }, 201);
            }
        }).WithName("release_create");

        web.MapMethods("/api/v1/releases/{id}", new[] { "PATCH" }, async (HttpContext ctx, string id) =>
        {
            var body = await Body(ctx);
            var status = body["status"]?.GetValue<string>() ?? throw new ApiException(422, "status is required");
            if (!ReleaseRecord.Statuses.Contains(status)) throw new ApiException(422, $"status '{status}' is not one of {string.Join(", ", ReleaseRecord.Statuses)}");
            lock (e.Gate)
            {
                var release = e.Apps.Values.SelectMany(a => a.Releases).FirstOrDefault(r => r.Id == id) ?? throw new ApiException(404, "release not found");
                // A finished release stays finished; setting the same status again (a retried PATCH) is no change.
                if (!release.InProgress && release.Status != status) throw new ApiException(422, $"the release has already finished ({release.Status})");
                release.Status = status;
                if (body["metadata"] is JsonObject metadata) release.Metadata = metadata.DeepClone();
                return Ok(release.ToJson());
            }
        }).WithName("release_update");

        web.MapGet("/api/v1/apps/{app}/releases", (HttpContext ctx, string app) =>
        {
            var limit = int.MaxValue;
            if (ctx.Request.Query["limit"].FirstOrDefault() is { } text
                && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit < 1))
                throw new ApiException(400, $"limit '{text}' is not a positive whole number");
            lock (e.Gate)
            {
                var releases = e.App(app).Releases.OrderByDescending(r => r.Version).Take(limit).Select(r => (JsonNode)r.ToJson()).ToArray();
                return Ok(new JsonObject { ["releases"] = new JsonArray(releases) });
            }
        }).WithName("release_list");

        web.MapGet("/api/v1/apps/{app}/releases/current", (string app) =>
        {
            lock (e.Gate)
            {
                // The newest release that completed: what the app runs.
                var current = e.App(app).Releases.Where(r => r.Status == "complete").OrderByDescending(r => r.Version).FirstOrDefault()
                    ?? throw new ApiException(404, "no current release");
                return Ok(current.ToJson());
            }
        }).WithName("release_current");
    }
}
