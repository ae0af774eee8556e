using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FlyIo.LocalMachines;
using Microsoft.AspNetCore.Builder;
using NUnit.Framework;

namespace FlyIo.LocalMachines.Tests;

/// <summary>A response: status, headers, parsed JSON body (null when empty).</summary>
public sealed record Reply(HttpStatusCode Status, HttpResponseHeaders Headers, JsonNode? Body, string Text)
{
    public int Code => (int)Status;
    /// <summary>Fly's error text: "error" in most error bodies, "message" in the lease endpoints' {status, message, code}.</summary>
    public string Error => Body?["error"]?.GetValue<string>() ?? Body?["message"]?.GetValue<string>() ?? "";
    public override string ToString() => $"{Code} {Text}";
}

/// <summary>
/// The API under test: by default a local server started in-process on a free loopback port with a token generated
/// now; with FLYIO_MACHINES_API_URL and FLYIO_MACHINES_API_TOKEN set, any server speaking Fly's Machines API (tests
/// that need this server's admin endpoints are then skipped).
/// </summary>
public sealed class Target : IAsyncDisposable
{
    public string BaseUrl { get; }
    public string Token { get; }
    public bool IsLocal => _app is not null;
    public string Org { get; }
    private readonly WebApplication? _app;
    private readonly HttpClient _http;

    private Target(string baseUrl, string token, WebApplication? app, string org)
    {
        BaseUrl = baseUrl.TrimEnd('/');
        Token = token;
        _app = app;
        Org = org;
        _http = new HttpClient { BaseAddress = new Uri(BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(90) };
    }

    public static string NewToken() => "local-test-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    public static async Task<Target> StartAsync(Action<ServerOptions>? configure = null)
    {
        var remote = Environment.GetEnvironmentVariable("FLYIO_MACHINES_API_URL");
        if (!string.IsNullOrEmpty(remote) && configure is null)
        {
            var token = Environment.GetEnvironmentVariable("FLYIO_MACHINES_API_TOKEN") ?? throw new InvalidOperationException("FLYIO_MACHINES_API_TOKEN is required with FLYIO_MACHINES_API_URL");
            return new Target(remote, token, null, Environment.GetEnvironmentVariable("FLYIO_MACHINES_API_ORG") ?? "personal");
        }
        if (!string.IsNullOrEmpty(remote)) Assert.Ignore("this test configures the local server itself (FLYIO_MACHINES_API_URL points elsewhere)");
        var options = new ServerOptions { Token = NewToken(), Urls = "http://127.0.0.1:0", StartDelay = TimeSpan.FromMilliseconds(50), Quiet = true };
        configure?.Invoke(options);
        var app = LocalMachinesServer.Build(options);
        await app.StartAsync();
        return new Target(LocalMachinesServer.BaseUrl(app), options.Token, app, "personal");
    }

    public void RequireLocal()
    {
        if (!IsLocal) Assert.Ignore("needs the local server's /__admin endpoints");
    }

    public async Task<Reply> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? nonce = null, string? auth = "default", bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (auth == "default") request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Token);
        else if (auth is not null) request.Headers.TryAddWithoutValidation("Authorization", auth);
        if (nonce is not null) request.Headers.TryAddWithoutValidation("fly-machine-lease-nonce", nonce);
        // Lets a server that refuses the body say so before it is sent, instead of closing mid-upload.
        if (expectContinue) request.Headers.ExpectContinue = true;
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.Length > 0)
        {
            try { json = JsonNode.Parse(text); }
            catch (System.Text.Json.JsonException) { }
        }
        return new Reply(response.StatusCode, response.Headers, json, text);
    }

    public Task<Reply> Get(string path) => SendAsync(HttpMethod.Get, path);
    public Task<Reply> Post(string path, JsonNode? body = null, string? nonce = null) => SendAsync(HttpMethod.Post, path, body ?? new JsonObject(), nonce);
    public Task<Reply> Delete(string path, string? nonce = null) => SendAsync(HttpMethod.Delete, path, null, nonce);
    public Task<Reply> Put(string path, JsonNode body) => SendAsync(HttpMethod.Put, path, body);

    public static string UniqueName(string prefix) => $"{prefix}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";

    public async Task<string> CreateAppAsync(string prefix = "lm-test")
    {
        var name = UniqueName(prefix);
        var r = await Post("/v1/apps", new JsonObject { ["name"] = name, ["org_slug"] = Org });
        Assert.That(r.Code, Is.EqualTo(201), r.ToString());
        return name;
    }

    public static JsonObject Config(string image = "registry.fly.io/test-app:deployment-01", Action<JsonObject>? edit = null)
    {
        var c = new JsonObject
        {
            ["image"] = image,
            ["guest"] = new JsonObject { ["cpu_kind"] = "shared", ["cpus"] = 1, ["memory_mb"] = 256 },
            ["metadata"] = new JsonObject { ["fly_platform_version"] = "v2", ["fly_process_group"] = "app" },
        };
        edit?.Invoke(c);
        return c;
    }

    public async Task<JsonObject> CreateMachineAsync(string app, JsonObject? config = null, Action<JsonObject>? edit = null)
    {
        var body = new JsonObject { ["config"] = config ?? Config(), ["region"] = "iad" };
        edit?.Invoke(body);
        var r = await Post($"/v1/apps/{app}/machines", body);
        Assert.That(r.Code, Is.EqualTo(200), r.ToString());
        return (JsonObject)r.Body!;
    }

    public async Task WaitAsync(string app, string id, string state, string? version = null, int timeout = 30)
    {
        var q = $"/v1/apps/{app}/machines/{id}/wait?state={state}&timeout={timeout}" + (version is null ? "" : "&version=" + version);
        var r = await Get(q);
        Assert.That(r.Code, Is.EqualTo(200), $"wait {state}: {r}");
    }

    public async Task<JsonObject> MachineAsync(string app, string id)
    {
        var r = await Get($"/v1/apps/{app}/machines/{id}");
        Assert.That(r.Code, Is.EqualTo(200), r.ToString());
        return (JsonObject)r.Body!;
    }

    public async Task<JsonArray> EventsAsync(string app, string id)
    {
        var r = await Get($"/v1/apps/{app}/machines/{id}/events");
        Assert.That(r.Code, Is.EqualTo(200), r.ToString());
        return (JsonArray)r.Body!;
    }

    /// <summary>Exit code of the newest exit event, read as flyctl does (MonitorEvent first; a missing code is 0).</summary>
    public static int? LatestExitCode(JsonArray eventsNewestFirst)
    {
        var exit = eventsNewestFirst.OfType<JsonObject>().FirstOrDefault(e => e["type"]?.GetValue<string>() == "exit");
        if (exit is null) return null;
        var ev = exit["request"]?["MonitorEvent"]?["exit_event"] ?? exit["request"]?["exit_event"];
        return ev?["exit_code"]?.GetValue<int>() ?? 0;
    }

    public async Task SetFaultsAsync(JsonObject faultSet)
    {
        RequireLocal();
        var r = await SendAsync(HttpMethod.Put, "/__admin/faults", faultSet);
        Assert.That(r.Code, Is.EqualTo(200), r.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
