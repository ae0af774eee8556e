using FlyIo.Testing;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using FlyIo.Deploy;
using FlyIo.LocalMachines;
using FlyIo.Machines;
using Microsoft.AspNetCore.Builder;

namespace FlyIo.Deploy.Tests;

/// <summary>The real local Machines API, in-process on a free loopback port, with a token generated now.</summary>
public sealed class LocalApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _admin;

    private LocalApi(WebApplication app, string baseUrl, string token)
    {
        _app = app;
        BaseUrl = baseUrl;
        Token = token;
        _admin = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/") };
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public string BaseUrl { get; }
    public string Token { get; }

    /// <summary>Every progress line, client log line and error message a test produced (searched for the token).</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    public static async Task<LocalApi> StartAsync(string? faultsJson = null)
    {
        var token = "fm2_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var options = new ServerOptions { Token = token, Urls = "http://127.0.0.1:0", StartDelay = TimeSpan.FromMilliseconds(30), Quiet = true };
        if (faultsJson is not null) options.Faults = FaultInjector.Parse(faultsJson);
        var app = LocalMachinesServer.Build(options);
        await app.StartAsync();
        return new LocalApi(app, LocalMachinesServer.BaseUrl(app), token);
    }

    /// <summary>Lines as if machine <paramref name="instance"/> of <paramref name="app"/> had printed them.</summary>
    public void Print(string app, string instance, IEnumerable<string> lines)
    {
        var logs = _app.Services.GetRequiredService<MachineEngine>().Logs;
        foreach (var line in lines) logs.Append(app, instance, "iad", line);
    }

    public MachinesApiClient Client()
    {
        var client = new MachinesApiClient(BaseUrl, FlyToken.FromValue(Token)) { RetryBaseDelay = TimeSpan.FromMilliseconds(50), MaxAttempts = 8 };
        client.Log = new LineLog(line => Output.Enqueue("client: " + line));
        return client;
    }

    public DeployOptions Options(string app, Action<DeployOptions>? edit = null)
    {
        var o = new DeployOptions
        {
            App = app, Org = "personal", SmokeCheckWindow = TimeSpan.FromMilliseconds(300), PollInterval = TimeSpan.FromMilliseconds(100),
            WaitTimeout = TimeSpan.FromSeconds(15), Log = new LineLog(Output.Enqueue),
        };
        edit?.Invoke(o);
        return o;
    }

    public async Task<DeployResult> DeployAsync(string toml, string image, Action<DeployOptions>? edit = null, CancellationToken ct = default)
    {
        using var client = Client();
        var config = FlyAppConfig.Parse(toml);
        var engine = new DeployEngine(client, config, Options(config.App!, edit));
        try
        {
            var result = await engine.DeployAsync(image, ct);
            Output.Enqueue(result.Summary());
            return result;
        }
        catch (Exception e)
        {
            Output.Enqueue(e.ToString());
            throw;
        }
    }

    public async Task<DeployException> DeployFailsAsync(string toml, string image, Action<DeployOptions>? edit = null, CancellationToken ct = default)
    {
        try
        {
            await DeployAsync(toml, image, edit, ct);
        }
        catch (DeployException e)
        {
            return e;
        }

        Assert.Fail("the deploy should have failed");
        throw new InvalidOperationException();
    }

    public async Task SetFaultsAsync(string json)
    {
        using var r = await _admin.PutAsync("__admin/faults", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.That((int)r.StatusCode, Is.EqualTo(200), await r.Content.ReadAsStringAsync());
    }

    public async Task ClearFaultsAsync() => (await _admin.DeleteAsync("__admin/faults")).Dispose();

    public async Task<IReadOnlyList<Machine>> MachinesAsync(string app)
    {
        using var client = Client();
        return await client.ListMachinesAsync(app);
    }

    /// <summary>Machines that still have a lease (none should after any deploy, failed or cancelled).</summary>
    public async Task<List<string>> LeasedMachinesAsync(string app)
    {
        var leased = new List<string>();
        foreach (var m in await MachinesAsync(app))
        {
            using var r = await _admin.GetAsync($"v1/apps/{app}/machines/{m.Id}/lease");
            if ((int)r.StatusCode == 200) leased.Add(m.Id + ": " + await r.Content.ReadAsStringAsync());
        }
        return leased;
    }

    public void AssertTokenNeverShown()
    {
        var all = string.Join("\n", Output);
        Assert.That(all, Is.Not.Empty);
        Assert.That(all.Contains(Token, StringComparison.Ordinal), Is.False, "the token appeared in output");
        Assert.That(all.Contains(Token.Substring(4, 20), StringComparison.Ordinal), Is.False, "part of the token appeared in output");
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public static string UniqueApp(string prefix) => $"{prefix}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";

    public static string Toml(string app, string extra = "") => $"""
        app = "{app}"
        primary_region = "iad"

        [env]
          GREETING = "hello"

        [http_service]
          internal_port = 8080
          force_https = true

        [checks.alive]
          type = "tcp"
          port = 8080
          interval = "1s"
          timeout = "1s"

        {extra}
        """;
}
