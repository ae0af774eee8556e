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

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
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
            var name = body["name"]?.GetValue<string>() ?? "";
            var org = body["org_slug"]?.GetValue<string>() ?? "";
            if (!AppName().IsMatch(name)) throw new ApiException(422, "Name must only contain lowercase letters, numbers, and dashes, and be 2-63 characters long");
            if (org.Length == 0) throw new ApiException(422, "org_slug is required");
            lock (e.Gate)
            {
                if (e.Apps.ContainsKey(name)) throw new ApiException(422, "Name has already been taken", "name_taken");
                var n = e.NextAppNumber();
                var app = new AppRecord { Id = Ids.Hex(14), Name = name, OrgSlug = org, InternalNumericId = 100000 + n, Network = body["network"]?.GetValue<string>() is { Length: > 0 } net ? net : "default" };
                e.Apps[name] = app;
                return Ok(app.ToJson(), 201);
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
    }

    private static void MapMachines(RouteGroupBuilder v1, MachineEngine e, ServerOptions options)
    {
        var g = v1.MapGroup("/apps/{app}/machines");

        g.MapGet("", (HttpContext ctx, string app) =>
        {
            var q = ctx.Request.Query;
            var includeDeleted = Flag(ctx, "include_deleted");
            var region = q["region"].FirstOrDefault();
            var states = q["state"].SelectMany(s => (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
            var meta = q.Where(kv => kv.Key.StartsWith("metadata.", StringComparison.Ordinal)).Select(kv => (Key: kv.Key[9..], Value: kv.Value.ToString())).ToList();
            lock (e.Gate)
            {
                var list = e.App(app).Machines.Values
                    .Where(m => includeDeleted || m.State != "destroyed")
                    .Where(m => region is null || m.Region == region)
                    .Where(m => states.Count == 0 || states.Contains(m.State))
                    .Where(m => meta.All(kv => m.Metadata(kv.Key) == kv.Value))
                    .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal)
                    .Select(m => (JsonNode)m.ToJson(withEvents: false)).ToArray();
                return Ok(new JsonArray(list));
            }
        }).WithName("machine_list");

        g.MapPost("", async (HttpContext ctx, string app) =>
        {
            var body = await Body(ctx);
            var config = body["config"] as JsonObject ?? throw new ApiException(422, "config is required");
            lock (e.Gate)
            {
                var a = e.App(app);
                ValidateConfig(config);
                CheckSecretsVersion(a, body);
                var region = body["region"]?.GetValue<string>() is { Length: > 0 } r ? r : options.DefaultRegion;
                var id = Ids.Hex(14);
                var m = new MachineRecord
                {
                    Id = id, AppName = app, Region = region, InstanceId = Ids.Ulid(), PrivateIp = e.NextPrivateIp(),
                    Name = body["name"]?.GetValue<string>() is { Length: > 0 } n ? n : "machine-" + id[..6],
                    Config = (JsonObject)config.DeepClone(),
                };
                AttachVolumes(a, m, region);
                a.Machines[id] = m;
                e.AddEvent(m, "launch", "created", "user");
                var json = m.ToJson();
                if (body["lease_ttl"]?.GetValue<int>() is > 0 and var ttl)
                {
                    m.Lease = new LeaseRecord { Nonce = Ids.Hex(12), ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(ttl), Owner = e.LeaseOwner, Version = m.InstanceId };
                    json["nonce"] = m.Lease.Nonce;
                }
                if (body["skip_launch"]?.GetValue<bool>() != true) e.Launch(m, userStart: true);
                json["state"] = "created";
                return Ok(json);
            }
        }).WithName("machine_create");

        g.MapGet("/{id}", (string app, string id) =>
        {
            lock (e.Gate) return Ok(e.Machine(e.App(app), id).ToJson());
        }).WithName("machine_get");

        g.MapPost("/{id}", async (HttpContext ctx, string app, string id) =>
        {
            var body = await Body(ctx);
            var config = body["config"] as JsonObject ?? throw new ApiException(422, "config is required");
            lock (e.Gate)
            {
                var a = e.App(app);
                var m = Live(e, a, id);
                e.CheckLease(m, Nonce(ctx));
                if (body["current_version"]?.GetValue<string>() is { Length: > 0 } cv && cv != m.InstanceId)
                    throw new ApiException(412, $"machine version mismatch: current version is {m.InstanceId}, not {cv}");
                ValidateConfig(config);
                CheckSecretsVersion(a, body);
                var skipLaunch = body["skip_launch"]?.GetValue<bool>() == true;
                m.PreviousInstanceIds.Add(m.InstanceId);
                m.InstanceId = Ids.Ulid();
                m.Config = (JsonObject)config.DeepClone();
                m.Checks = new List<CheckState>();
                e.AddEvent(m, "update", "replacing", "user");
                var running = m.State is "started" or "starting" or "suspended";
                if (running)
                {
                    e.Replace(m, "replacing", mm =>
                    {
                        if (skipLaunch) { mm.State = "stopped"; mm.Pulse(); }
                        else e.Launch(mm, userStart: true);
                    });
                }
                else if (!skipLaunch) e.Launch(m, userStart: true);
                else m.Pulse();
                return Ok(m.ToJson());
            }
        }).WithName("machine_update");

        g.MapDelete("/{id}", (HttpContext ctx, string app, string id) =>
        {
            lock (e.Gate)
            {
                var m = Live(e, e.App(app), id);
                e.CheckLease(m, Nonce(ctx));
                var force = Flag(ctx, "force") || Flag(ctx, "kill");
                if (!force && m.State is not ("created" or "stopped" or "suspended" or "failed"))
                    throw new ApiException(412, $"unable to destroy machine, not currently stopped, suspended or failed (state: '{m.State}'); stop it first or pass force=true");
                e.DestroyNow(m);
                return OkTrue();
            }
        }).WithName("machine_delete");

        g.MapPost("/{id}/start", (HttpContext ctx, string app, string id) =>
        {
            lock (e.Gate)
            {
                var m = Live(e, e.App(app), id);
                e.CheckLease(m, Nonce(ctx));
                var previous = m.State;
                switch (m.State)
                {
                    case "suspended":
                        m.Instance?.Resume();
                        m.State = "started";
                        e.AddEvent(m, "start", "started", "user");
                        m.Pulse();
                        break;
                    case "created" or "stopped" or "failed":
                        e.Launch(m, userStart: true);
                        break;
                    default:
                        throw new ApiException(412, $"unable to start machine from current state: '{m.State}' (machine still active, refusing to start)");
                }
                return Ok(new JsonObject { ["previous_state"] = previous });
            }
        }).WithName("machine_start");

        g.MapPost("/{id}/stop", async (HttpContext ctx, string app, string id) =>
        {
            var body = await Body(ctx, required: false);
            lock (e.Gate)
            {
                var m = Live(e, e.App(app), id);
                e.CheckLease(m, Nonce(ctx));
                var stopConfig = m.Config["stop_config"] as JsonObject;
                var signal = Signals.Parse(body["signal"]?.ToString() ?? stopConfig?["signal"]?.GetValue<string>(), 2);
                var timeout = Durations.Parse(body["timeout"]?.ToString() ?? stopConfig?["timeout"]?.GetValue<string>(), TimeSpan.FromSeconds(5));
                e.Stop(m, signal, timeout);
                return OkTrue();
            }
        }).WithName("machine_stop");

        g.MapPost("/{id}/restart", (HttpContext ctx, string app, string id) =>
        {
            lock (e.Gate)
            {
                var m = Live(e, e.App(app), id);
                e.CheckLease(m, Nonce(ctx));
                if (m.State != "started") throw new ApiException(412, $"unable to restart machine, not currently started (state: '{m.State}')");
                e.AddEvent(m, "restart", "restarting", "user");
                e.Replace(m, "restarting", mm => e.Launch(mm, userStart: true));
                return OkTrue();
            }
        }).WithName("machine_restart");

        g.MapPost("/{id}/suspend", (HttpContext ctx, string app, string id) =>
        {
            lock (e.Gate)
            {
                var m = Live(e, e.App(app), id);
                e.CheckLease(m, Nonce(ctx));
                if (m.State != "started") throw new ApiException(412, $"unable to suspend machine, not currently started (state: '{m.State}')");
                m.Instance?.Suspend();
                e.AddEvent(m, "suspend", "suspended", "user");
                m.State = "suspended";
                m.Pulse();
                return OkTrue();
            }
        }).WithName("machine_suspend");

        g.MapPost("/{id}/signal", async (HttpContext ctx, string app, string id) =>
        {
            var body = await Body(ctx);
            lock (e.Gate)
            {
                var m = Live(e, e.App(app), id);
                e.CheckLease(m, Nonce(ctx));
                var signal = Signals.Parse(body["signal"]?.ToString(), -1);
                if (signal < 0) throw new ApiException(400, "signal is required");
                if (m.State != "started" || m.Instance is null) throw new ApiException(412, $"unable to signal machine, not currently started (state: '{m.State}')");
                m.Instance.Signal(signal);
                return OkTrue();
            }
        }).WithName("machine_signal");

        g.MapPost("/{id}/cordon", (HttpContext ctx, string app, string id) => Cordon(ctx, e, app, id, true)).WithName("machine_cordon");
        g.MapPost("/{id}/uncordon", (HttpContext ctx, string app, string id) => Cordon(ctx, e, app, id, false)).WithName("machine_uncordon");

        g.MapGet("/{id}/wait", async (HttpContext ctx, string app, string id) =>
        {
            var q = ctx.Request.Query;
            var states = q["state"].SelectMany(s => (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
            if (states.Count == 0) states.Add("started");
            string[] allowed = { "started", "stopped", "suspended", "destroyed", "failed", "settled" };
            foreach (var s in states)
                if (!allowed.Contains(s)) throw new ApiException(400, $"invalid state '{s}': use one of {string.Join(", ", allowed)}");
            var version = q["version"].FirstOrDefault();
            var timeoutText = q["timeout"].FirstOrDefault();
            var timeout = string.IsNullOrEmpty(timeoutText) ? TimeSpan.FromSeconds(60) : Durations.Parse(timeoutText, TimeSpan.FromSeconds(60));
            if (timeout > TimeSpan.FromSeconds(60)) timeout = TimeSpan.FromSeconds(60);
            if (states.Contains("stopped") && string.IsNullOrEmpty(version))
                throw new ApiException(400, "version (the machine's instance_id) is required when waiting for the stopped state");
            var deadline = DateTimeOffset.UtcNow + timeout;
            while (true)
            {
                Task changed;
                lock (e.Gate)
                {
                    var m = e.Machine(e.App(app), id);
                    if (version is { Length: > 0 } && version != m.InstanceId && !m.PreviousInstanceIds.Contains(version))
                        throw new ApiException(404, $"machine version {version} not found");
                    var replaced = version is { Length: > 0 } && version != m.InstanceId;
                    var state = replaced ? "replaced" : m.State;
                    foreach (var s in states)
                    {
                        var reached = s == "settled"
                            ? state is "started" or "stopped" or "suspended" or "failed" or "destroyed" or "replaced"
                            : state == s || (replaced && s is "stopped" or "destroyed");
                        if (reached) return Ok(new JsonObject { ["ok"] = true, ["state"] = state });
                    }
                    changed = m.Changed;
                }
                var remaining = deadline - DateTimeOffset.UtcNow;
                if (remaining <= TimeSpan.Zero)
                    throw new ApiException(408, $"deadline_exceeded: machine {id} did not reach state {string.Join("|", states)} within {timeout.TotalSeconds}s");
                await Task.WhenAny(changed, Task.Delay(remaining, ctx.RequestAborted));
                ctx.RequestAborted.ThrowIfCancellationRequested();
            }
        }).WithName("machine_wait");

        g.MapGet("/{id}/events", (HttpContext ctx, string app, string id) =>
        {
            var limit = int.TryParse(ctx.Request.Query["limit"].FirstOrDefault(), out var l) && l > 0 ? l : int.MaxValue;
            lock (e.Gate)
            {
                var m = e.Machine(e.App(app), id);
                return Ok(new JsonArray(m.Events.AsEnumerable().Reverse().Take(limit).Select(ev => (JsonNode)ev.ToJson()).ToArray()));
            }
        }).WithName("machine_events");

        // ------------------------------------------------------------ leases
        g.MapPost("/{id}/lease", async (HttpContext ctx, string app, string id) =>
        {
            var body = await Body(ctx, required: false);
            var ttl = int.TryParse(ctx.Request.Query["ttl"].FirstOrDefault(), out var qt) ? qt : body["ttl"]?.GetValue<int>() ?? 30;
            if (ttl <= 0) throw new ApiException(400, "ttl must be positive");
            lock (e.Gate)
            {
                var m = Live(e, e.App(app), id);
                var lease = e.ActiveLease(m);
                var nonce = Nonce(ctx);
                if (lease is not null)
                {
                    if (nonce is null || nonce != lease.Nonce || m.Lease is null) throw MachineEngine.LeaseConflict(m, lease);
                    lease.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(ttl);
                    return Ok(lease.ToJson());
                }
                m.Lease = new LeaseRecord
                {
                    Nonce = Ids.Hex(12), ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(ttl), Owner = e.LeaseOwner,
                    Description = body["description"]?.GetValue<string>() ?? "", Version = m.InstanceId,
                };
                return Ok(m.Lease.ToJson());
            }
        }).WithName("lease_acquire");

        g.MapGet("/{id}/lease", (string app, string id) =>
        {
            lock (e.Gate)
            {
                var m = e.Machine(e.App(app), id);
                var lease = e.ActiveLease(m) ?? throw new ApiException(404, "lease not found");
                return Ok(lease.ToJson());
            }
        }).WithName("lease_get");

        g.MapDelete("/{id}/lease", (HttpContext ctx, string app, string id) =>
        {
            lock (e.Gate)
            {
                var m = e.Machine(e.App(app), id);
                var lease = e.ActiveLease(m) ?? throw new ApiException(404, "lease not found");
                if (Nonce(ctx) != lease.Nonce || m.Lease is null) throw MachineEngine.LeaseConflict(m, lease);
                m.Lease = null;
                return Ok(new JsonObject { ["status"] = "success" });
            }
        }).WithName("lease_release");

        // ------------------------------------------------------------ metadata
        g.MapGet("/{id}/metadata", (string app, string id) =>
        {
            lock (e.Gate)
            {
                var m = e.Machine(e.App(app), id);
                return Ok(m.Config["metadata"]?.DeepClone() ?? new JsonObject());
            }
        }).WithName("metadata_get");

        g.MapPost("/{id}/metadata/{key}", async (HttpContext ctx, string app, string id, string key) =>
        {
            var body = await Body(ctx);
            var value = body["value"]?.GetValue<string>() ?? throw new ApiException(400, "value is required");
            lock (e.Gate)
            {
                var m = Live(e, e.App(app), id);
                e.CheckLease(m, Nonce(ctx));
                if (m.Config["metadata"] is not JsonObject meta) m.Config["metadata"] = meta = new JsonObject();
                meta[key] = value;
                m.Pulse();
                return Results.NoContent();
            }
        }).WithName("metadata_set");

        g.MapDelete("/{id}/metadata/{key}", (HttpContext ctx, string app, string id, string key) =>
        {
            lock (e.Gate)
            {
                var m = Live(e, e.App(app), id);
                e.CheckLease(m, Nonce(ctx));
                (m.Config["metadata"] as JsonObject)?.Remove(key);
                m.Pulse();
                return Results.NoContent();
            }
        }).WithName("metadata_delete");
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

    private static void AttachVolumes(AppRecord a, MachineRecord m, string region)
    {
        if (m.Config["mounts"] is not JsonArray mounts) return;
        foreach (var mount in mounts.OfType<JsonObject>())
        {
            var vid = mount["volume"]?.GetValue<string>() ?? throw new ApiException(422, "mounts[].volume is required");
            if (!a.Volumes.TryGetValue(vid, out var vol) || vol.State == "destroyed") throw new ApiException(404, $"volume {vid} not found");
            if (vol.AttachedMachineId is not null && vol.AttachedMachineId != m.Id) throw new ApiException(422, $"volume {vid} is already attached to machine {vol.AttachedMachineId}");
            if (vol.Region != region) throw new ApiException(422, $"volume {vid} is in region {vol.Region}, not {region}");
            vol.AttachedMachineId = m.Id;
        }
    }

    private static readonly int[] Cpus = { 1, 2, 4, 6, 8, 12, 16 };

    /// <summary>The validation Fly applies to a machine config, as far as the public clients show it.</summary>
    private static void ValidateConfig(JsonObject config)
    {
        if (config["image"]?.GetValue<string>() is not { Length: > 0 }) throw new ApiException(422, "invalid config: image is required");
        if (config["guest"] is JsonObject guest)
        {
            var kind = guest["cpu_kind"]?.GetValue<string>() ?? "shared";
            if (kind is not ("shared" or "performance")) throw new ApiException(422, $"invalid cpu_kind '{kind}': use shared or performance");
            var cpus = guest["cpus"]?.GetValue<int>() ?? 1;
            if (!Cpus.Contains(cpus)) throw new ApiException(422, $"invalid number of cpus {cpus}");
            var memory = guest["memory_mb"]?.GetValue<int>() ?? 256;
            if (memory <= 0 || memory % 256 != 0) throw new ApiException(422, $"invalid memory size {memory}: must be a multiple of 256 MB");
            var (min, max) = kind == "shared" ? (256 * cpus, 2048 * cpus) : (2048 * cpus, 8192 * cpus);
            if (memory < min || memory > max) throw new ApiException(422, $"invalid memory size {memory} for {cpus} {kind} cpu(s): must be between {min} and {max} MB");
        }
        if (config["restart"] is JsonObject restart && restart["policy"]?.GetValue<string>() is { } policy && policy is not ("no" or "always" or "on-failure"))
            throw new ApiException(422, $"invalid restart policy '{policy}': use no, always or on-failure");
        if (config["services"] is JsonArray services)
            foreach (var s in services.OfType<JsonObject>())
            {
                if (s["internal_port"]?.GetValue<int>() is not (> 0 and < 65536)) throw new ApiException(422, "services[].internal_port must be between 1 and 65535");
                var protocol = s["protocol"]?.GetValue<string>() ?? "tcp";
                if (protocol is not ("tcp" or "udp")) throw new ApiException(422, $"invalid service protocol '{protocol}'");
            }
        foreach (var key in new[] { "checks" })
            if (config[key] is JsonObject checks)
                foreach (var (name, c) in checks)
                    if ((c as JsonObject)?["type"]?.GetValue<string>() is { } t && t is not ("tcp" or "http"))
                        throw new ApiException(422, $"check '{name}': invalid type '{t}'");
        try
        {
            foreach (var d in DurationsIn(config)) Durations.Parse(d, TimeSpan.Zero);
        }
        catch (ArgumentException ex)
        {
            throw new ApiException(422, ex.Message);
        }
    }

    private static IEnumerable<string> DurationsIn(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    if (k is "interval" or "timeout" or "grace_period" && v is JsonValue jv && jv.TryGetValue<string>(out var s)) yield return s;
                    foreach (var d in DurationsIn(v)) yield return d;
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    foreach (var d in DurationsIn(item)) yield return d;
                break;
        }
    }
}
