using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FlyIo.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlyIo.Deploy.Tests;

/// <summary>What a machine does when it is launched (created, started or updated while running), in the fake.</summary>
public enum Launch
{
    /// <summary>Starts and passes every configured check.</summary>
    Healthy,
    /// <summary>Runs its command and exits 0 (a one-shot job, as a release command).</summary>
    ExitsZero,
    /// <summary>Runs its command and exits 1.</summary>
    ExitsNonZero,
    /// <summary>Never starts: state failed, a launch/failed event, no exit event.</summary>
    FailsToLaunch,
    /// <summary>Starts, and its GET never lists any check result.</summary>
    ReportsNoChecks,
    /// <summary>Stays "starting" for a moment, then is healthy (an update that raced a restart).</summary>
    StartsSlowly,
    /// <summary>Starts, runs its command for a moment, then exits 0 (a release command that takes a while).</summary>
    ExitsZeroLater,
}

/// <summary>
/// A plain fake of Fly's Machines API that answers with the bodies Fly documents (tests/FlyContract): the wait body is
/// <c>{"ok": true}</c> and nothing else, leases answer 201 with Fly's wrapper, a held lease is Fly's
/// <c>{status, message, code}</c>, the IP list has no type, the list shows Docker Hub images normalised. It is not
/// the local Machines API: no process runs; each launch ends as the scenario says.
/// </summary>
public sealed class DocumentedFly : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly object _gate = new();
    private readonly Dictionary<string, FakeMachine> _machines = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _ips = new();
    private readonly List<JsonObject> _releases = new();
    private bool _appExists;
    private long _secretsVersion;

    private DocumentedFly(WebApplication web, string app)
    {
        _web = web;
        App = app;
    }

    public string App { get; }
    public string BaseUrl => _web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>How each launch ends; by default release machines exit 0 and app machines are healthy.</summary>
    public Func<FakeMachine, Launch> OnLaunch { get; set; } = m => m.IsRelease ? Launch.ExitsZero : Launch.Healthy;

    /// <summary>The owner of a lease someone else holds on every app machine, or null.</summary>
    public string? LeaseHeldBy { get; set; }

    /// <summary>When set, the update of a running machine records the old instance's exit after the update event:
    /// code 137, signal 9, requested_stop (Fly stopping it), as Fly was seen to report it.</summary>
    public bool OldInstanceExitAfterUpdate { get; set; }

    /// <summary>Answers to hand out before the real one, per "METHOD action": e.g. 429 with Retry-After, or 500.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<(int Status, int? RetryAfter)>> Faults { get; } = new();

    /// <summary>Every request, as "METHOD path" (query left out), in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Every call to api.fly.io's /api/v1/releases: "METHOD path", its Authorization header and its body.</summary>
    public ConcurrentQueue<(string Request, string Authorization, JsonObject Body)> ReleaseCalls { get; } = new();

    public static async Task<DocumentedFly> StartAsync(string app, bool appExists = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var web = builder.Build();
        var fake = new DocumentedFly(web, app) { _appExists = appExists };
        web.Run(fake.HandleAsync);
        await web.StartAsync();
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }

    // ---------------------------------------------------------------- seeding and reading

    /// <summary>A running machine of an earlier release (or one deploys do not manage, with <paramref name="managed"/> false).</summary>
    public FakeMachine Seed(string image, bool managed = true, string state = "started", string group = "app", Action<JsonObject>? edit = null)
    {
        lock (_gate)
        {
            var config = new JsonObject { ["image"] = image, ["guest"] = new JsonObject { ["cpu_kind"] = "shared", ["cpus"] = 1, ["memory_mb"] = 256 } };
            if (managed)
            {
                config["metadata"] = new JsonObject { ["fly_platform_version"] = "v2", ["fly_process_group"] = group, ["fly_release_version"] = "1" };
            }

            edit?.Invoke(config);

            var m = new FakeMachine(NewId(), config) { State = state };
            m.Event("launch", "created", "user");
            m.Event("start", "started", "flyd");
            _machines[m.Id] = m;
            _appExists = true;
            if (managed && _releases.Count == 0)
            {
                // The earlier release the seeded machines carry (fly_release_version 1), as Fly would list it.
                _releases.Add(Release(image, "ROLLING", "complete"));
            }

            return m;
        }
    }

    /// <summary>The releases recorded on api.fly.io, oldest first (each the JSON flyctl's uiex.Release reads).</summary>
    public IReadOnlyList<JsonObject> Releases
    {
        get
        {
            lock (_gate)
            {
                return _releases.Select(r => (JsonObject)r.DeepClone()).ToList();
            }
        }
    }

    public IReadOnlyList<FakeMachine> Machines
    {
        get
        {
            lock (_gate)
            {
                return _machines.Values.ToList();
            }
        }
    }

    // ---------------------------------------------------------------- the API

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        var method = ctx.Request.Method;
        Requests.Enqueue($"{method} {path}");
        var parts = path.Trim('/').Split('/');
        var action = Action(method, parts);
        if (Faults.TryGetValue($"{method} {action}", out var queue) && queue.TryDequeue(out var fault))
        {
            if (fault.RetryAfter is { } seconds)
            {
                ctx.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await Write(ctx, fault.Status, new JsonObject { ["error"] = $"injected {fault.Status}" });
            return;
        }

        JsonObject body = new();
        if (ctx.Request.ContentLength is > 0 || ctx.Request.Headers.ContainsKey("Transfer-Encoding"))
        {
            body = JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync()) as JsonObject ?? new JsonObject();
        }

        if (path.StartsWith("/api/v1/releases", StringComparison.Ordinal))
        {
            ReleaseCalls.Enqueue(($"{method} {path}", ctx.Request.Headers.Authorization.ToString(), (JsonObject)body.DeepClone()));
        }

        var (status, reply) = await AnswerAsync(ctx, method, parts, action, body);
        await Write(ctx, status, reply);
    }

    private static string Action(string method, string[] p) => p switch
    {
        ["v1", "apps"] => "apps",
        ["v1", "apps", _] => "app",
        ["v1", "apps", _, "ip_assignments"] => "ips",
        ["v1", "apps", _, "secrets"] => "secrets",
        ["v1", "apps", _, "machines"] => "machines",
        ["v1", "apps", _, "machines", _] => "machine",
        ["v1", "apps", _, "machines", _, var verb] => verb,
        ["api", "v1", "apps", _, "logs"] => "logs",
        ["api", "v1", "releases"] => "releases",
        ["api", "v1", "releases", _] => "release",
        ["api", "v1", "apps", _, "releases"] => "releases",
        ["api", "v1", "apps", _, "releases", "current"] => "current_release",
        _ => "unknown",
    };

    private async Task<(int, JsonNode)> AnswerAsync(HttpContext ctx, string method, string[] p, string action, JsonObject body)
    {
        switch (method, action)
        {
            case ("GET", "app"):
                lock (_gate)
                {
                    if (!_appExists)
                    {
                        return (404, Doc("error.response.json").Set("error", "app not found"));
                    }
                }

                return (200, Doc("app-get.response.json").Set("name", App));
            case ("POST", "apps"):
                lock (_gate)
                {
                    _appExists = true;
                }

                return (201, Doc("app-create.response.json"));
            case ("GET", "ips"):
                lock (_gate)
                {
                    return (200, new JsonObject { ["ips"] = new JsonArray(_ips.Select(i => (JsonNode)i.DeepClone()).ToArray()) });
                }

            case ("POST", "ips"):
                lock (_gate)
                {
                    // The list's documented members (ip, region, service_name, shared, created_at): no type.
                    var type = body["type"]?.GetValue<string>();
                    var ip = new JsonObject
                    {
                        ["ip"] = type == "v6" ? $"2a09:8280:1::{_ips.Count + 1:x}" : "66.241.124.1",
                        ["region"] = "global", ["service_name"] = "", ["shared"] = type == "shared_v4", ["created_at"] = "2024-01-01T00:00:00Z",
                    };
                    _ips.Add(ip);
                    return (200, ip.DeepClone());
                }

            case ("POST", "secrets"):
                lock (_gate)
                {
                    return (200, new JsonObject { ["secrets"] = new JsonArray(), ["version"] = ++_secretsVersion });
                }

            case ("GET", "secrets"):
                return (200, new JsonObject { ["secrets"] = new JsonArray() });
            case ("GET", "logs"):
                return (200, new JsonObject { ["data"] = new JsonArray(), ["meta"] = new JsonObject { ["next_token"] = "" } });
            // api.fly.io's releases, in the shapes flyctl's internal/uiex/releases.go reads: the create wrapped in
            // {"release"}, the update and the current release bare, the list in {"releases"}.
            case ("POST", "releases"):
                lock (_gate)
                {
                    var release = Release(body["image"]?.GetValue<string>() ?? "", body["strategy"]?.GetValue<string>() ?? "", "pending");
                    _releases.Add(release);
                    return (201, new JsonObject { ["release"] = release.DeepClone() });
                }

            case ("PATCH", "release"):
                lock (_gate)
                {
                    var release = _releases.FirstOrDefault(r => r["id"]!.GetValue<string>() == p[3]);
                    if (release is null)
                    {
                        return (404, new JsonObject { ["error"] = "release not found" });
                    }

                    var status = body["status"]?.GetValue<string>() ?? "";
                    release["status"] = status;
                    release["in_progress"] = status is "pending" or "running";
                    release["stable"] = status == "complete";
                    return (200, release.DeepClone());
                }

            case ("GET", "releases"):
                lock (_gate)
                {
                    return (200, new JsonObject { ["releases"] = new JsonArray(_releases.AsEnumerable().Reverse().Select(r => (JsonNode)r.DeepClone()).ToArray()) });
                }

            case ("GET", "current_release"):
                lock (_gate)
                {
                    var current = _releases.LastOrDefault(r => r["status"]!.GetValue<string>() == "complete");
                    return current is null ? (404, new JsonObject { ["error"] = "no current release" }) : (200, current.DeepClone());
                }
            case ("GET", "machines"):
                lock (_gate)
                {
                    return (200, new JsonArray(_machines.Values.Select(m => (JsonNode)m.ToJson(listed: true)).ToArray()));
                }

            case ("POST", "machines"):
                lock (_gate)
                {
                    var config = (JsonObject)body["config"]!.DeepClone();
                    var m = new FakeMachine(NewId(), config) { Region = body["region"]?.GetValue<string>() ?? "iad" };
                    m.Event("launch", "created", "user");
                    _machines[m.Id] = m;
                    if (body["skip_launch"]?.GetValue<bool>() != true)
                    {
                        Run(m);
                    }

                    var created = m.ToJson(listed: false);
                    created["state"] = "created";
                    return (200, created);
                }
        }

        FakeMachine machine;
        lock (_gate)
        {
            if (p.Length < 5 || !_machines.TryGetValue(p[4], out machine!))
            {
                return (404, new JsonObject { ["error"] = "machine not found" });
            }

            machine.Tick();
        }

        switch (method, action)
        {
            case ("GET", "machine"):
                lock (_gate)
                {
                    machine.Tick();
                    return (200, machine.ToJson(listed: false));
                }

            case ("POST", "machine"):
                lock (_gate)
                {
                    machine.Mutations++;
                    var wasRunning = machine.State is "started" or "starting";
                    machine.Config = (JsonObject)body["config"]!.DeepClone();
                    machine.InstanceId = NewInstance();
                    machine.Checks = null;
                    machine.Event("update", "replacing", "user");
                    // Fly starts the machine on the new config unless told to skip the launch.
                    if (body["skip_launch"]?.GetValue<bool>() != true)
                    {
                        Run(machine);
                        if (wasRunning && OldInstanceExitAfterUpdate)
                        {
                            machine.Exit(137, signal: 9, requestedStop: true);
                        }
                    }
                    else
                    {
                        machine.State = "stopped";
                    }

                    return (200, machine.ToJson(listed: false));
                }

            case ("POST", "start"):
                lock (_gate)
                {
                    var previous = machine.State;
                    Run(machine);
                    return (200, Doc("machine-start.response.json").Set("previous_state", previous));
                }

            case ("POST", "stop"):
                lock (_gate)
                {
                    machine.Mutations++;
                    machine.Exit(0, signal: 2, requestedStop: true);
                    machine.State = "stopped";
                    return (200, Doc("machine-stop.response.json"));
                }

            case ("DELETE", "machine"):
                lock (_gate)
                {
                    machine.Mutations++;
                    machine.State = "destroyed";
                    machine.Event("destroy", "destroyed", "user");
                    return (200, Doc("machine-delete.response.json"));
                }

            case ("POST", "cordon" or "uncordon"):
                return (200, Doc("machine-cordon.response.json"));
            case ("GET", "events"):
                lock (_gate)
                {
                    return (200, new JsonArray(machine.EventsNewestFirst().Select(e => (JsonNode)e.DeepClone()).ToArray()));
                }

            case ("GET", "wait"):
                var state = ctx.Request.Query["state"].FirstOrDefault() ?? "started";
                var seconds = double.TryParse(ctx.Request.Query["timeout"].FirstOrDefault(), out var t) ? t : 60;
                var until = DateTime.UtcNow + TimeSpan.FromSeconds(Math.Min(seconds, 0.3));
                while (true)
                {
                    lock (_gate)
                    {
                        machine.Tick();
                        if (machine.State == state)
                        {
                            return (200, Doc("machine-wait.response.json"));
                        }
                    }

                    if (DateTime.UtcNow >= until)
                    {
                        return (408, new JsonObject { ["error"] = "deadline_exceeded: machine did not reach state " + state });
                    }

                    await Task.Delay(20);
                }

            case ("POST", "lease"):
                if (LeaseHeldBy is { } owner && !machine.IsRelease)
                {
                    return (409, Doc("lease-held-409.response.json")
                        .Set("message", $"machine ID {machine.Id} lease currently held by {owner}, expires at 2030-01-01 00:00:00 +0000 UTC"));
                }

                var lease = Doc("lease-acquire.response.json");
                ((JsonObject)lease["data"]!).Set("nonce", Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant())
                    .Set("expires_at", DateTimeOffset.UtcNow.AddSeconds(13).ToUnixTimeSeconds()).Set("version", machine.InstanceId);
                return (201, lease);
            case ("DELETE", "lease"):
                return (200, Doc("lease-release.response.json"));
            default:
                return (404, new JsonObject { ["error"] = $"the fake does not answer {method} {string.Join('/', p)}" });
        }
    }

    /// <summary>Runs a launch to the end the scenario gives it (called with the lock held).</summary>
    private void Run(FakeMachine m)
    {
        switch (OnLaunch(m))
        {
            case Launch.Healthy:
                m.State = "started";
                m.Event("start", "started", "flyd");
                m.Checks = Passing(m.Config);
                break;
            case Launch.ReportsNoChecks:
                m.State = "started";
                m.Event("start", "started", "flyd");
                m.Checks = null;
                break;
            case Launch.StartsSlowly:
                m.State = "starting";
                m.Later(TimeSpan.FromMilliseconds(400), () =>
                {
                    m.State = "started";
                    m.Event("start", "started", "flyd");
                    m.Checks = Passing(m.Config);
                });
                break;
            case Launch.ExitsZeroLater:
                m.State = "started";
                m.Event("start", "started", "flyd");
                m.Later(TimeSpan.FromMilliseconds(600), () =>
                {
                    m.Exit(0, signal: -1, requestedStop: false);
                    m.State = "destroyed";
                    m.Event("destroy", "destroyed", "flyd");
                });
                break;
            case Launch.ExitsZero or Launch.ExitsNonZero:
                m.Event("start", "started", "flyd");
                m.Exit(OnLaunch(m) == Launch.ExitsZero ? 0 : 1, signal: -1, requestedStop: false);
                m.State = m.Config["auto_destroy"]?.GetValue<bool>() == true ? "destroyed" : "stopped";
                if (m.State == "destroyed")
                {
                    m.Event("destroy", "destroyed", "flyd");
                }

                break;
            case Launch.FailsToLaunch:
                m.State = "failed";
                m.Event("launch", "failed", "flyd", new JsonObject { ["error"] = "failed to pull image: manifest unknown" });
                break;
        }
    }

    private static JsonArray Passing(JsonObject config)
    {
        var names = (config["checks"] as JsonObject)?.Select(kv => kv.Key).ToList() ?? new List<string>();
        foreach (var s in (config["services"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
        {
            var port = s["internal_port"]?.GetValue<int>() ?? 0;
            var i = 0;
            foreach (var c in (s["checks"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            {
                names.Add($"servicecheck-{i++:00}-{c["type"]?.GetValue<string>() ?? "tcp"}-{port}");
            }
        }

        return new JsonArray(names.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["status"] = "passing", ["output"] = "Success", ["updated_at"] = "2024-01-01T00:00:00Z" }).ToArray());
    }

    private static JsonObject Doc(string name) => FlyContract.LoadObject(name);

    /// <summary>A release with the app's next version (called with the lock held).</summary>
    private JsonObject Release(string image, string strategy, string status) => new()
    {
        ["id"] = "rel" + NewId(),
        ["version"] = _releases.Count + 1,
        ["stable"] = status == "complete",
        ["in_progress"] = status is "pending" or "running",
        ["status"] = status,
        ["strategy"] = strategy,
        ["user"] = "hello@fly.io",
        ["created_at"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        ["image_ref"] = image,
    };

    private static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(7)).ToLowerInvariant();

    internal static string NewInstance() => "01" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToUpperInvariant();

    private static Task Write(HttpContext ctx, int status, JsonNode body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers["fly-request-id"] = "01FAKE-iad";
        return ctx.Response.WriteAsync(body.ToJsonString());
    }
}

/// <summary>One machine of the fake, rendered from Fly's documented GET response.</summary>
public sealed class FakeMachine
{
    private readonly List<JsonObject> _events = new(); // oldest first

    public FakeMachine(string id, JsonObject config)
    {
        Id = id;
        Config = config;
        InstanceId = DocumentedFly.NewInstance();
    }

    public string Id { get; }
    public string Region { get; set; } = "iad";
    public string State { get; set; } = "created";
    public string InstanceId { get; set; }
    public JsonObject Config { get; set; }
    public JsonArray? Checks { get; set; }
    private (DateTime Due, Action Apply)? _pending;

    /// <summary>What happens to the machine after <paramref name="delay"/> (applied when it is next read or waited on).</summary>
    public void Later(TimeSpan delay, Action apply) => _pending = (DateTime.UtcNow + delay, apply);

    public void Tick()
    {
        if (_pending is { } p && DateTime.UtcNow >= p.Due)
        {
            _pending = null;
            p.Apply();
        }
    }

    /// <summary>Updates, stops and deletes this machine received.</summary>
    public int Mutations { get; set; }

    public string Image => Config["image"]?.GetValue<string>() ?? "";
    public bool IsRelease => (Config["metadata"] as JsonObject)?["fly_process_group"]?.GetValue<string>() == "fly_app_release_command";

    private long _clock = 1_700_000_000_000;

    public void Event(string type, string status, string source, JsonObject? request = null)
    {
        var e = new JsonObject { ["type"] = type, ["status"] = status, ["source"] = source, ["timestamp"] = _clock += 10 };
        if (request is not null)
        {
            e["request"] = request;
        }

        _events.Add(e);
    }

    /// <summary>An exit event in the shape of Fly's documented one.</summary>
    public void Exit(int code, int signal, bool requestedStop)
    {
        var exit = (JsonObject)((JsonArray)FlyContract.Load("machine-events.response.json"))[0]!["request"]!.DeepClone();
        var e = (JsonObject)exit["exit_event"]!;
        e["exit_code"] = code;
        e["signal"] = signal;
        e["requested_stop"] = requestedStop;
        Event("exit", "stopped", "flyd", exit);
    }

    public IEnumerable<JsonObject> EventsNewestFirst() => Enumerable.Reverse(_events);

    public JsonObject ToJson(bool listed)
    {
        var o = FlyContract.LoadObject("machine-get.response.json");
        var config = (JsonObject)Config.DeepClone();
        var reference = FlyIo.Machines.ImageReference.Parse(Image);
        if (listed && reference.Registry == FlyIo.Machines.ImageReference.DockerHub)
        {
            config["image"] = reference.Repository + ":" + reference.Tag;
        }

        o["id"] = Id;
        o["name"] = "fake-" + Id;
        o["state"] = State;
        o["region"] = Region;
        o["instance_id"] = InstanceId;
        o["config"] = config;
        o["image_ref"] = new JsonObject { ["registry"] = reference.Registry, ["repository"] = reference.Repository, ["tag"] = reference.Tag, ["digest"] = "sha256:" + new string('0', 64) };
        o["events"] = new JsonArray(EventsNewestFirst().Take(10).Select(e => (JsonNode)e.DeepClone()).ToArray());
        if (Checks is not null)
        {
            o["checks"] = Checks.DeepClone();
        }

        return o;
    }
}

internal static class JsonObjectSet
{
    public static JsonObject Set(this JsonObject o, string key, JsonNode? value)
    {
        o[key] = value;
        return o;
    }
}
