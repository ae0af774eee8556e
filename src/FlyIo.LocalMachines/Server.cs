using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FlyIo.LocalMachines;

public sealed class ServerOptions
{
    /// <summary>The one accepted API token (sent as <c>Bearer tok</c> or <c>FlyV1 tok</c>).</summary>
    public string Token { get; set; } = "";
    public string Urls { get; set; } = "http://127.0.0.1:4280";
    /// <summary><c>simulated</c> (default, any OS) or <c>process</c> (Linux + root: real images, namespaces).</summary>
    public string Runtime { get; set; } = "simulated";
    public TimeSpan StartDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    public FaultSet? Faults { get; set; }
    public bool RateLimits { get; set; }
    public string DefaultRegion { get; set; } = "iad";
    public string LeaseOwner { get; set; } = "local@tokens.fly.io";
    /// <summary>Password for user "x" on image registries; defaults to the token without a "FlyV1 " prefix.</summary>
    public string? RegistryPassword { get; set; }
    /// <summary>
    /// Registries the registry password goes to (<c>--registry</c>): the stand-ins for registry.fly.io. When none is
    /// named, registry.fly.io and loopback registries; never another host a machine's image names.
    /// </summary>
    public List<string> Registries { get; set; } = new();

    public bool SendsCredentialsTo(string registry) => Registries.Count > 0
        ? Registries.Contains(registry, StringComparer.OrdinalIgnoreCase)
        : registry.Equals("registry.fly.io", StringComparison.OrdinalIgnoreCase) || registry.StartsWith("127.", StringComparison.Ordinal)
          || registry.StartsWith("localhost", StringComparison.OrdinalIgnoreCase) || registry.StartsWith("[::1]", StringComparison.Ordinal);

    /// <summary>Registries reached over plain HTTP (loopback ones always are).</summary>
    public List<string> InsecureRegistries { get; set; } = new();
    public string DataDir { get; set; } = Path.Combine(Path.GetTempPath(), "flyio-local-machines");
    /// <summary>Third octet base of the per-machine /30 networks (172.30.x.y).</summary>
    public string Subnet { get; set; } = "172.30";
    /// <summary>First loopback port of the per-app edge proxies (0 = any free port).</summary>
    public int ProxyBasePort { get; set; }
    public bool Quiet { get; set; }
    /// <summary>How long a launch may take before the machine is failed (a machine never stays "starting").</summary>
    public TimeSpan LaunchTimeout { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Enforce each machine's guest.memory_mb with a memory cgroup (<c>--no-memory-limits</c> turns it off).</summary>
    public bool MemoryLimits { get; set; } = true;
    /// <summary>Host loopback services that real machines reach by name (<c>--host-service</c>).</summary>
    public List<HostService> HostServices { get; set; } = new();
}

public static class LocalMachinesServer
{
    public const string RequestIdHeader = "fly-request-id";

    public static WebApplication Build(ServerOptions options, string[]? args = null)
    {
        if (string.IsNullOrEmpty(options.Token)) throw new ArgumentException("a token is required (--token or --token-file)");
        var builder = WebApplication.CreateSlimBuilder(args ?? Array.Empty<string>());
        builder.WebHost.UseUrls(options.Urls);
        // Fly documents no request size limit; configs are a few KB. Larger bodies are refused (413), never kept.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Logging.ClearProviders();
        if (!options.Quiet) builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        var faults = new FaultInjector(options.Faults);
        IMachineRuntime runtime = options.Runtime switch
        {
            "simulated" => new SimulatedRuntime(options.StartDelay),
            "process" when OperatingSystem.IsLinux() => new ProcessRuntime(options),
            "process" => throw new PlatformNotSupportedException("the process runtime needs Linux"),
            _ => throw new ArgumentException($"unknown runtime '{options.Runtime}': use simulated or process"),
        };
        var engine = new MachineEngine(runtime, faults, options.LeaseOwner) { LaunchTimeout = options.LaunchTimeout };
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton(faults);
        var app = builder.Build();
        var limiter = new RateLimiter();
        var proxy = new EdgeProxy(engine, options.ProxyBasePort);
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            proxy.Dispose();
            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        });

        // Every response, errors included, carries fly-request-id; ApiExceptions become Fly's error body.
        app.Use(async (ctx, next) =>
        {
            ctx.Response.Headers[RequestIdHeader] = Ids.Ulid() + "-" + options.DefaultRegion;
            try
            {
                await next(ctx);
            }
            catch (ApiException e) when (!ctx.Response.HasStarted && e.LeaseErrorCode is not null)
            {
                ctx.Response.StatusCode = e.Status;
                ctx.Response.ContentType = "application/json; charset=utf-8";
                await ctx.Response.WriteAsync(new JsonObject { ["status"] = "error", ["message"] = e.Message, ["code"] = e.LeaseErrorCode }.ToJsonString());
            }
            catch (ApiException e) when (!ctx.Response.HasStarted)
            {
                await WriteError(ctx, e.Status, e.Message, e.Code);
            }
            catch (JsonException e) when (!ctx.Response.HasStarted)
            {
                await WriteError(ctx, 400, "invalid JSON body: " + e.Message, null);
            }
            catch (ArgumentException e) when (!ctx.Response.HasStarted)
            {
                await WriteError(ctx, 400, e.Message, null);
            }
            catch (InvalidOperationException e) when (!ctx.Response.HasStarted && e.TargetSite?.DeclaringType?.Namespace?.StartsWith("System.Text.Json", StringComparison.Ordinal) == true)
            {
                // A member of the wrong JSON type ("name": 5, "lease_ttl": "30"): the request is wrong, not the server.
                await WriteError(ctx, 400, "invalid request body: " + e.Message, null);
            }
            catch (FormatException e) when (!ctx.Response.HasStarted)
            {
                await WriteError(ctx, 400, "invalid request body: " + e.Message, null);
            }
            catch (BadHttpRequestException e) when (!ctx.Response.HasStarted)
            {
                await WriteError(ctx, e.StatusCode, e.StatusCode == 413 ? $"request body larger than {MaxRequestBodyBytes} bytes" : e.Message, null);
            }
            if (ctx.Response.StatusCode == 404 && !ctx.Response.HasStarted && ctx.GetEndpoint() is null)
                await WriteError(ctx, 404, "not found", null);
            else if (ctx.Response.StatusCode == 405 && !ctx.Response.HasStarted)
                await WriteError(ctx, 405, "method not allowed", null);
        });
        app.UseRouting();
        app.Use(async (ctx, next) =>
        {
            var path = ctx.Request.Path.Value ?? "";
            // Every request needs the token, whatever its path or its letter case (routing ignores case).
            if (!Authorized(ctx, options.Token))
            {
                await WriteError(ctx, 401, "unauthorized", null);
                return;
            }
            // JSON bodies only as application/json: a browser page cannot send that cross-site without a preflight,
            // so it cannot drive this server (text/plain and form posts are refused).
            if (HasBody(ctx.Request) && !IsJson(ctx.Request.ContentType))
            {
                await WriteError(ctx, 415, "request bodies must be application/json", null);
                return;
            }
            var action = ctx.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            // Fault rules reach api.fly.io's routes (/api/v1: releases, logs) as they reach the Machines API's;
            // Fly's documented rate limits are the Machines API's own.
            var machinesApi = path.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase);
            if (action is not null && (machinesApi || path.StartsWith("/api/v1/", StringComparison.OrdinalIgnoreCase)))
            {
                var appName = ctx.Request.RouteValues["app"] as string;
                var machine = ctx.Request.RouteValues["id"] as string;
                foreach (var rule in faults.ForRequest(action, ctx.Request.Method, appName, machine))
                {
                    switch (rule.Kind)
                    {
                        case "latency":
                            await Task.Delay(rule.DelayMs, ctx.RequestAborted);
                            break;
                        case "reset":
                            ctx.Abort();
                            return;
                        case "http_error":
                            if (rule.RetryAfter is { } ra) ctx.Response.Headers.RetryAfter = ra.ToString(System.Globalization.CultureInfo.InvariantCulture);
                            await WriteError(ctx, rule.Status, rule.Error ?? $"injected fault ({rule.Id})", rule.ErrorStatus);
                            return;
                    }
                }
                if (machinesApi && options.RateLimits && !limiter.TryTake(action, appName, machine, out var retryAfter))
                {
                    ctx.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    await WriteError(ctx, 429, "rate limit exceeded", null);
                    return;
                }
            }
            await next(ctx);
        });
        Api.Map(app, engine, options);
        Admin.Map(app, engine, faults, proxy);
        return app;
    }

    public static string BaseUrl(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>The largest request body accepted (1 MiB).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static bool Authorized(HttpContext ctx, string token)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        string rest;
        if (header.StartsWith("Bearer ", StringComparison.Ordinal)) rest = header[7..];
        else if (header.StartsWith("FlyV1 ", StringComparison.Ordinal)) rest = header[6..];
        else return false;
        var expected = token.StartsWith("FlyV1 ", StringComparison.Ordinal) ? token[6..] : token.StartsWith("Bearer ", StringComparison.Ordinal) ? token[7..] : token;
        return rest.Trim() == expected || rest.Split(',').Any(p => p.Trim() == expected);
    }

    public static Task WriteError(HttpContext ctx, int status, string message, string? code)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        var body = new JsonObject { ["error"] = message };
        if (code is not null) body["status"] = code;
        return ctx.Response.WriteAsync(body.ToJsonString());
    }
}

/// <summary>Token buckets per action per machine (or per app for app-wide actions): 1/s with a burst of 3, and
/// 5/s with a burst of 10 for get-machine, as Fly documents.</summary>
public sealed class RateLimiter
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();

    private sealed class Bucket(double rate, double burst)
    {
        public double Rate = rate, Burst = burst, Tokens = burst;
        public DateTimeOffset Last = DateTimeOffset.UtcNow;
    }

    public bool TryTake(string action, string? app, string? machine, out int retryAfterSeconds)
    {
        var (rate, burst) = action == "machine_get" ? (5.0, 10.0) : (1.0, 3.0);
        var bucket = _buckets.GetOrAdd($"{action}|{app}|{machine}", _ => new Bucket(rate, burst));
        lock (bucket)
        {
            var now = DateTimeOffset.UtcNow;
            bucket.Tokens = Math.Min(bucket.Burst, bucket.Tokens + (now - bucket.Last).TotalSeconds * bucket.Rate);
            bucket.Last = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfterSeconds = 0;
                return true;
            }
            retryAfterSeconds = (int)Math.Ceiling((1 - bucket.Tokens) / bucket.Rate);
            return false;
        }
    }
}
