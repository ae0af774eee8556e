using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FlyIo.LocalMachines;

/// <summary>The /v1 routes. Each has the action name fault rules and rate limits key on.</summary>
public static partial class Api
{
    private const string NonceHeader = "fly-machine-lease-nonce";

    private static IResult Ok(JsonNode body, int status = 200) =>
        Results.Text(body.ToJsonString(), "application/json; charset=utf-8", statusCode: status);

    private static IResult OkTrue() => Ok(new JsonObject { ["ok"] = true });

    private static async Task<JsonObject> Body(HttpContext ctx, bool required = true)
    {
        using var reader = new StreamReader(ctx.Request.Body);
        var text = await reader.ReadToEndAsync(ctx.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) throw new ApiException(400, "request body is required");
            return new JsonObject();
        }
        return JsonNode.Parse(text) as JsonObject ?? throw new ApiException(400, "request body must be a JSON object");
    }

    private static string? Nonce(HttpContext ctx) => ctx.Request.Headers[NonceHeader].FirstOrDefault();

    private static bool Flag(HttpContext ctx, string name) =>
        ctx.Request.Query[name].FirstOrDefault() is { } v && (v == "true" || v == "1" || v == "");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex AppName();

    [GeneratedRegex("^[a-z0-9_]{1,30}$")]
    private static partial Regex VolumeName();

    public static void Map(WebApplication web, MachineEngine e, ServerOptions options)
    {
        var v1 = web.MapGroup("/v1");

        // ------------------------------------------------------------ apps
        v1.MapPost("/apps", async (HttpContext ctx) =>
        {
            var body = await Body(ctx);
            // Fly's docs send app_name; fly-go and the current spec send name. Both are accepted.
            var name = body["app_name"]?.GetValue<string>() ?? body["name"]?.GetValue<string>() ?? "";
            var org = body["org_slug"]?.GetValue<string>() ?? "";
            if (!AppName().IsMatch(name)) throw new ApiException(422, "Name must only contain lowercase letters, numbers, and dashes, and be 1-63 characters long");
            if (org.Length == 0) throw new ApiException(422, "org_slug is required");
            lock (e.Gate)
            {
                if (e.Apps.ContainsKey(name) || e.ForeignAppNames.Contains(name)) throw new ApiException(422, "Name has already been taken", "name_taken");
                var n = e.NextAppNumber();
                var app = new AppRecord { Id = Ids.Hex(14), Name = name, OrgSlug = org, InternalNumericId = 100000 + n, Network = body["network"]?.GetValue<string>() is { Length: > 0 } net ? net : "default" };
                e.Apps[name] = app;
                var created = app.ToJson();
                created["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                return Ok(created, 201);
            }
        }).WithName("app_create");

        // Fly serves logs from api.fly.io rather than the Machines API; a rehearsal server serves both.
        web.MapGet("/api/v1/apps/{app}/logs", (HttpContext ctx, string app) =>
        {
            lock (e.Gate) e.App(app);
            var q = ctx.Request.Query;
            return Ok(e.Logs.Page(app, q["next_token"].FirstOrDefault(), q["instance"].FirstOrDefault(), q["region"].FirstOrDefault()));
        }).WithName("app_logs");

        v1.MapGet("/apps", (HttpContext ctx) =>
        {
            var org = ctx.Request.Query["org_slug"].FirstOrDefault();
            if (string.IsNullOrEmpty(org)) throw new ApiException(400, "org_slug is required");
            lock (e.Gate)
            {
                var apps = e.Apps.Values.Where(a => a.OrgSlug == org).OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => (JsonNode)a.ToJson()).ToArray();
                return Ok(new JsonObject { ["total_apps"] = apps.Length, ["apps"] = new JsonArray(apps) });
            }
        }).WithName("app_list");

        v1.MapGet("/apps/{app}", (string app) =>
        {
            lock (e.Gate) return Ok(e.App(app).ToJson());
        }).WithName("app_get");

        v1.MapDelete("/apps/{app}", (string app) =>
        {
            lock (e.Gate)
            {
                var a = e.App(app);
                foreach (var m in a.Machines.Values.Where(m => m.State != "destroyed")) e.DestroyNow(m);
                // An app's volumes go with it, as on Fly.
                foreach (var v in a.Volumes.Values.Where(v => v.State != "destroyed")) e.DestroyVolume(v);
                e.Apps.Remove(app);
                e.Logs.Forget(app);
                return Results.StatusCode(202);
            }
        }).WithName("app_delete");

        // ------------------------------------------------------------ IP assignments (recorded only)
        v1.MapGet("/apps/{app}/ip_assignments", (string app) =>
        {
            lock (e.Gate) return Ok(new JsonObject { ["ips"] = new JsonArray(e.App(app).Ips.Select(i => (JsonNode)i.ToJson()).ToArray()) });
        }).WithName("ip_assignment_list");

        v1.MapPost("/apps/{app}/ip_assignments", async (HttpContext ctx, string app) =>
        {
            var body = await Body(ctx);
            var type = body["type"]?.GetValue<string>() ?? "";
            lock (e.Gate)
            {
                var a = e.App(app);
                var n = a.Ips.Count + 1;
                IpRecord ip = type switch
                {
                    // Documentation ranges (RFC 5737 / RFC 3849): never routable, never confused with Fly's.
                    "v4" => new IpRecord($"203.0.113.{10 + n % 240}", type, "global", false, DateTimeOffset.UtcNow, ""),
                    "shared_v4" => new IpRecord("203.0.113.1", type, "global", true, DateTimeOffset.UtcNow, ""),
                    "v6" => new IpRecord($"2001:db8:{a.InternalNumericId:x}::{n:x}", type, "global", false, DateTimeOffset.UtcNow, ""),
                    "private_v6" => new IpRecord($"fdaa:0:1:0:{a.InternalNumericId:x}::{n:x}", type, "global", false, DateTimeOffset.UtcNow, body["service_name"]?.GetValue<string>() ?? ""),
                    _ => throw new ApiException(400, $"invalid ip type '{type}': use v4, shared_v4, v6 or private_v6"),
                };
                if (type == "shared_v4" && a.Ips.Any(i => i.Type == "shared_v4")) throw new ApiException(422, "app already has a shared IPv4 address");
                a.Ips.Add(ip);
                var json = ip.ToJson();
                if (type == "private_v6") json["network"] = new JsonObject { ["name"] = "", ["org_slug"] = a.OrgSlug };
                json["ip_pair"] = null;
                return Ok(json);
            }
        }).WithName("ip_assignment_create");

        v1.MapDelete("/apps/{app}/ip_assignments/{ip}", (string app, string ip) =>
        {
            lock (e.Gate)
            {
                var a = e.App(app);
                if (a.Ips.RemoveAll(i => i.Ip == ip) == 0) throw new ApiException(404, "ip assignment not found");
                return Results.NoContent();
            }
        }).WithName("ip_assignment_delete");

        MapMachines(v1, e, options);
        MapSecrets(v1, e);
        MapVolumes(v1, e, options);
        MapReleases(web, e, options);
    }

    private static IResult Cordon(HttpContext ctx, MachineEngine e, string app, string id, bool cordon)
    {
        lock (e.Gate)
        {
            var m = Live(e, e.App(app), id);
            e.CheckLease(m, Nonce(ctx));
            m.Cordoned = cordon;
            m.Pulse();
            return OkTrue();
        }
    }

    /// <summary>A machine that can still be acted on; a destroyed one is gone.</summary>
    private static MachineRecord Live(MachineEngine e, AppRecord a, string id)
    {
        var m = e.Machine(a, id);
        if (m.State is "destroyed" or "destroying") throw new ApiException(404, "machine not found");
        return m;
    }

    private static void CheckSecretsVersion(AppRecord a, JsonObject body)
    {
        if (body["min_secrets_version"] is { } v && v.GetValue<long>() > a.SecretsVersion)
            throw new ApiException(412, $"min_secrets_version {v.GetValue<long>()} is not yet available on this app (current secrets version is {a.SecretsVersion})");
    }
}
