using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;

namespace FlyIo.Machines;

/// <summary>
/// Fly's releases, on api.fly.io's REST API as flyctl records them (internal/uiex/releases.go):
/// <c>POST /api/v1/releases</c> before a deploy changes any machine, <c>PATCH /api/v1/releases/{id}</c> for its
/// status ("running", then "complete", "failed" or "interrupted"), <c>GET /api/v1/apps/{app}/releases?limit=N</c> and
/// <c>GET /api/v1/apps/{app}/releases/current</c> (404: none). These are the releases `fly releases` and the dashboard
/// list; their version is the number machines carry in <c>fly_release_version</c>.
/// </summary>
public sealed partial class MachinesApiClient
{
    /// <summary>api.fly.io: Fly's platform API, where releases and logs live.</summary>
    public const string DefaultPlatformBaseUrl = "https://api.fly.io";

    private string? _platformBaseUrl;

    /// <summary>
    /// The platform API's root (releases, logs). Unset, it follows <see cref="PlatformBaseUrlFor"/>. The token goes
    /// there only where it may go to the Machines API (<see cref="TokenDestinations"/>): a URL it must not reach is refused.
    /// </summary>
    public string PlatformBaseUrl
    {
        get => _platformBaseUrl ?? PlatformBaseUrlFor(_http.BaseAddress!.ToString());
        set
        {
            var root = string.IsNullOrWhiteSpace(value) ? null : value.Trim().TrimEnd('/');
            if (root is not null && TokenDestinations.Problem(root, _allowTokenTo) is { } problem)
            {
                throw new ArgumentException($"The Fly token is not sent to {problem}.", nameof(value));
            }

            _platformBaseUrl = root;
        }
    }

    /// <summary>
    /// The platform API that goes with a Machines API: api.fly.io for Fly's own (api.machines.dev), else that server
    /// itself, as the local Machines API serves both (a rehearsal's token never leaves the machine).
    /// </summary>
    public static string PlatformBaseUrlFor(string? machinesBaseUrl)
    {
        var root = string.IsNullOrWhiteSpace(machinesBaseUrl) ? DefaultBaseUrl : machinesBaseUrl!.Trim().TrimEnd('/');
        return string.Equals(root, DefaultBaseUrl, StringComparison.OrdinalIgnoreCase) ? DefaultPlatformBaseUrl : root;
    }

    /// <summary>How errors name the platform API: "The Fly API at https://api.fly.io".</summary>
    private string PlatformApi => "The Fly API at " + PlatformBaseUrl;

    /// <summary>
    /// Records a release before any machine changes: <c>POST /api/v1/releases</c>, answered with
    /// <c>{"release": {...}}</c> (201 or 200). Fly gives it the app's next version. Not repeated after a 5xx or a
    /// broken connection (a second POST could record a second release): only when Fly certainly did not act.
    /// </summary>
    public async Task<FlyRelease> CreateReleaseAsync(CreateReleaseRequest request, CancellationToken cancellationToken = default)
    {
        var op = $"recording a release of '{request.App}' ({request.Image})";
        var body = Js.Obj()
            .Set("app_name", request.App)
            .Set("build_id", 0L)
            .Set("definition", (JsonNode?)request.Definition ?? Js.Obj())
            .Set("image", request.Image)
            .Set("strategy", request.Strategy);
        var r = await SendToAsync(PlatformApi, _token.BearerHeader(), HttpMethod.Post, $"{PlatformBaseUrl}/api/v1/releases", body, op, Retry.UnsafeToRepeat,
            cancellationToken, null, null, Array.Empty<int>()).ConfigureAwait(false);
        return ReleaseIn(r, op, "release") ?? throw new MachinesApiException(op, r.Status, "the response has no release with an id and a version", r.RequestId, api: PlatformApi);
    }

    /// <summary>
    /// Sets a release's status ("running", "complete", "failed", "interrupted") with flyctl's metadata
    /// (<c>{"post_deployment_info": {...}}</c>, or null): <c>PATCH /api/v1/releases/{id}</c>. Setting a status twice
    /// converges on the same state, so 5xx answers and broken connections are retried with backoff.
    /// </summary>
    public async Task UpdateReleaseAsync(string releaseId, string status, JsonObject? metadata, CancellationToken cancellationToken = default)
    {
        var op = $"marking release {releaseId} {status}";
        var body = Js.Obj().Set("status", status).Set("metadata", (JsonNode?)metadata ?? Js.Null());
        await SendToAsync(PlatformApi, _token.BearerHeader(), new HttpMethod("PATCH"), $"{PlatformBaseUrl}/api/v1/releases/{E(releaseId)}", body, op, Retry.Idempotent,
            cancellationToken, null, null, Array.Empty<int>()).ConfigureAwait(false);
    }

    /// <summary>The app's releases, at most <paramref name="limit"/> (all Fly gives when 0): <c>GET /api/v1/apps/{app}/releases?limit=N</c>.</summary>
    public async Task<IReadOnlyList<FlyRelease>> ListReleasesAsync(string app, int limit = 0, CancellationToken cancellationToken = default)
    {
        var op = $"listing the releases of '{app}'";
        var query = limit > 0 ? "?limit=" + limit.ToString(CultureInfo.InvariantCulture) : "";
        var r = await SendToAsync(PlatformApi, _token.BearerHeader(), HttpMethod.Get, $"{PlatformBaseUrl}/api/v1/apps/{E(app)}/releases{query}", null, op, Retry.Idempotent,
            cancellationToken, null, null, Array.Empty<int>()).ConfigureAwait(false);
        var items = ((r.Json as JsonObject)?["releases"] as JsonArray)?.Items
            ?? throw new MachinesApiException(op, r.Status, "the response has no 'releases' array", r.RequestId, api: PlatformApi);
        return items.OfType<JsonObject>().Select(FlyRelease.FromJson).Where(x => x is not null).Select(x => x!).ToArray();
    }

    /// <summary>The app's current release, or null when it has none (404): <c>GET /api/v1/apps/{app}/releases/current</c>.</summary>
    public async Task<FlyRelease?> GetCurrentReleaseAsync(string app, CancellationToken cancellationToken = default)
    {
        var op = $"reading the current release of '{app}'";
        var r = await SendToAsync(PlatformApi, _token.BearerHeader(), HttpMethod.Get, $"{PlatformBaseUrl}/api/v1/apps/{E(app)}/releases/current", null, op, Retry.Idempotent,
            cancellationToken, null, null, new[] { 404 }).ConfigureAwait(false);
        return r.Status == 404 ? null : ReleaseIn(r, op, "release");
    }

    /// <summary>The release in a response: under <paramref name="wrapper"/> (as the create answers), or the body itself.</summary>
    private static FlyRelease? ReleaseIn(Response r, string op, string wrapper) =>
        r.Json is JsonObject o ? FlyRelease.FromJson(o.GetObject(wrapper) ?? o) : null;
}

/// <summary>What <c>POST /api/v1/releases</c> is sent: the app, the image, the strategy in Fly's capitals, and the app's config.</summary>
public sealed class CreateReleaseRequest
{
    public CreateReleaseRequest(string app, string image, string strategy, JsonObject? definition)
    {
        App = app;
        Image = image;
        Strategy = strategy;
        Definition = definition;
    }

    public string App { get; }

    public string Image { get; }

    /// <summary>ROLLING, IMMEDIATE, CANARY, BLUEGREEN (flyctl's DeploymentStrategy: the fly.toml strategy in capitals).</summary>
    public string Strategy { get; }

    /// <summary>fly.toml as JSON: what flyctl later reads back as the app's config (`fly config show`, `fly secrets set`).</summary>
    public JsonObject? Definition { get; }
}

/// <summary>A release as api.fly.io answers it (flyctl's uiex.Release).</summary>
public sealed record FlyRelease(string Id, int Version, string Status, string Strategy, string User, string CreatedAt, string ImageRef, bool Stable, bool InProgress)
{
    /// <summary>A release object; null when it lacks an id or a version.</summary>
    public static FlyRelease? FromJson(JsonObject o)
    {
        var id = o.GetString("id");
        var version = o.GetLong("version");
        if (string.IsNullOrEmpty(id) || version is null)
        {
            return null;
        }

        // flyctl's REST type has the user as a string; Fly's GraphQL one as {email}: either is read.
        var user = o.GetString("user") ?? o.GetObject("user")?.GetString("email") ?? "";
        return new FlyRelease(id!, (int)version.Value, o.GetString("status") ?? "", o.GetString("strategy") ?? "", user,
            o.GetString("created_at") ?? "", o.GetString("image_ref") ?? "", o.GetBool("stable") == true, o.GetBool("in_progress") == true);
    }
}
