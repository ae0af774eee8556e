using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FlyIo.LocalMachines;

/// <summary>The machine routes.</summary>
public static partial class Api
{
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
                    .Select(m => (JsonNode)ListEntry(m)).ToArray();
                return Ok(new JsonArray(list));
            }
        }).WithName("machine_list");

        g.MapPost("", async (HttpContext ctx, string app) =>
        {
            var body = await Body(ctx);
            var config = body["config"] as JsonObject ?? throw new ApiException(422, "config is required");
            // Every member is read and checked before anything changes: a wrong type is a 400 with no machine left behind.
            var regionText = body["region"]?.GetValue<string>();
            var nameText = body["name"]?.GetValue<string>();
            var leaseTtl = body["lease_ttl"]?.GetValue<int>();
            var skipLaunch = body["skip_launch"]?.GetValue<bool>() == true;
            ValidateConfig(config);
            lock (e.Gate)
            {
                var a = e.App(app);
                CheckSecretsVersion(a, body);
                var region = regionText is { Length: > 0 } r ? r : options.DefaultRegion;
                var id = Ids.Hex(14);
                var m = new MachineRecord
                {
                    Id = id, AppName = app, Region = region, InstanceId = Ids.Ulid(), PrivateIp = e.NextPrivateIp(),
                    Name = nameText is { Length: > 0 } n ? n : "machine-" + id[..6],
                    Config = AsStored(config),
                };
                AttachVolumes(a, m, region);
                a.Machines[id] = m;
                e.AddEvent(m, "launch", "created", "user");
                var json = m.ToJson();
                if (leaseTtl is > 0 and var ttl)
                {
                    m.Lease = new LeaseRecord { Nonce = Ids.Hex(12), ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(ttl), Owner = e.LeaseOwner, Version = m.InstanceId };
                    json["nonce"] = m.Lease.Nonce;
                }
                if (!skipLaunch) e.Launch(m, userStart: true);
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
                CheckMountsKept(a, m, config);
                var skipLaunch = body["skip_launch"]?.GetValue<bool>() == true;
                m.PreviousInstanceIds.Add(m.InstanceId);
                m.InstanceId = Ids.Ulid();
                m.Config = AsStored(config);
                m.ImageDigest = null;
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
                    throw new ApiException(409, $"unable to destroy machine, not currently stopped (state: '{m.State}'); stop it first or pass force=true");
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
                return Ok(new JsonObject { ["previous_state"] = previous, ["migrated"] = false, ["new_host"] = "" });
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
                // Fly's spec: ?timeout= (a Go duration or seconds) and ?signal= (a name); fly-go adds force_stop.
                // Unset, the machine's stop_config applies, else SIGINT and 5 s, as /stop does. The instance_id stays.
                var q = ctx.Request.Query;
                var stopConfig = m.Config["stop_config"] as JsonObject;
                var signal = Signals.Parse(q["signal"].FirstOrDefault() is { Length: > 0 } s ? s : stopConfig?["signal"]?.GetValue<string>(), 2);
                var timeoutText = q["timeout"].FirstOrDefault();
                var timeout = long.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
                    : Durations.Parse(timeoutText is { Length: > 0 } ? timeoutText : stopConfig?["timeout"]?.GetValue<string>(), TimeSpan.FromSeconds(5));
                if (Flag(ctx, "force_stop")) (signal, timeout) = (9, TimeSpan.Zero);
                e.AddEvent(m, "restart", "restarting", "user");
                e.Replace(m, "restarting", mm => e.Launch(mm, userStart: true), signal, timeout);
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

        MapMachineWaitsLeasesAndMetadata(g, e);
    }

    /// <summary>
    /// A config as Fly keeps and returns it: as sent, plus <c>dns: {}</c> when absent (Fly's documented create
    /// response adds it). Older machines come back with more defaults filled in (env null, init with null members,
    /// restart policy ""); those are accepted when sent back but not produced here.
    /// </summary>
    private static JsonObject AsStored(JsonObject config)
    {
        var stored = (JsonObject)config.DeepClone();
        if (!stored.ContainsKey("dns")) stored["dns"] = new JsonObject();
        return stored;
    }

    /// <summary>
    /// A machine as the list shows it: Fly's list gives <c>config.image</c> normalised where GET gives it as
    /// created (<c>library/nginx:latest</c> for <c>nginx</c>), a difference clients must not take for a change.
    /// </summary>
    private static JsonObject ListEntry(MachineRecord m)
    {
        var json = m.ToJson(); // with its recent events, as Fly's list shows them
        if (json["config"] is JsonObject config && config["image"]?.GetValue<string>() is { Length: > 0 } image)
        {
            var r = FlyIo.Machines.ImageReference.Parse(image);
            if (r.Registry == FlyIo.Machines.ImageReference.DockerHub)
                config["image"] = r.Repository + (r.Tag.Length > 0 ? ":" + r.Tag : "") + (r.Digest is null ? "" : "@" + r.Digest);
        }
        return json;
    }

    /// <summary>wait, events, leases and metadata of one machine.</summary>
    private static void MapMachineWaitsLeasesAndMetadata(RouteGroupBuilder g, MachineEngine e)
    {
        g.MapGet("/{id}/wait", async (HttpContext ctx, string app, string id) =>
        {
            var q = ctx.Request.Query;
            var states = q["state"].SelectMany(s => (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
            if (states.Count == 0) states.Add("started");
            string[] allowed = { "started", "stopped", "suspended", "destroyed", "failed", "settled" };
            foreach (var s in states)
                if (!allowed.Contains(s)) throw new ApiException(400, $"invalid state '{s}': use one of {string.Join(", ", allowed)}");
            // Fly's docs name the instance instance_id=; fly-go and the current spec send version=. Both are accepted.
            var version = q["version"].FirstOrDefault() is { Length: > 0 } v ? v : q["instance_id"].FirstOrDefault();
            var timeoutText = q["timeout"].FirstOrDefault();
            // The wait timeout is whole seconds (fly-go sends timeout=60); a Go duration is taken too.
            var timeout = long.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(Math.Min(seconds, 60)) : Durations.Parse(timeoutText, TimeSpan.FromSeconds(60));
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
                        if (reached) return Ok(new JsonObject { ["ok"] = true, ["state"] = state, ["version"] = m.InstanceId });
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
                    if (nonce is null || nonce != lease.Nonce || m.Lease is null) throw MachineEngine.LeaseHeld(m, lease);
                    lease.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(ttl);
                    return Ok(lease.ToJson(), 201);
                }
                m.Lease = new LeaseRecord
                {
                    Nonce = Ids.Hex(12), ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(ttl), Owner = e.LeaseOwner,
                    Description = body["description"]?.GetValue<string>() ?? "", Version = m.InstanceId,
                };
                return Ok(m.Lease.ToJson(), 201);
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
                if (Nonce(ctx) != lease.Nonce || m.Lease is null) throw MachineEngine.LeaseHeld(m, lease);
                m.Lease = null;
                return Ok(new JsonObject { ["status"] = "success", ["data"] = new JsonObject { ["ok"] = true } });
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
}
