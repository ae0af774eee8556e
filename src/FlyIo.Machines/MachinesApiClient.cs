using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;

namespace FlyIo.Machines;

/// <summary>
/// Calls the Fly Machines API (https://api.machines.dev by default, or the local Machines API for rehearsals).
/// Every error carries Fly's message and the fly-request-id of the response. Calls are retried with exponential
/// backoff and jitter on 429 (honouring Retry-After), 5xx and connection errors; a call that is not idempotent is
/// retried only when that is safe (see <see cref="SendAsync"/>). The token never appears in a message.
/// </summary>
public sealed partial class MachinesApiClient : IDisposable
{
    public const string DefaultBaseUrl = "https://api.machines.dev";
    public const string NonceHeader = "fly-machine-lease-nonce";

    private static readonly Random Jitter = new();
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private long _requests;

    public MachinesApiClient(string? baseUrl, FlyToken token, TimeSpan? timeout = null)
    {
        var root = string.IsNullOrWhiteSpace(baseUrl) ? DefaultBaseUrl : baseUrl!.TrimEnd('/');
        _timeout = timeout ?? TimeSpan.FromSeconds(30);
        _http = new HttpClient { BaseAddress = new Uri(root + "/"), Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token.AuthorizationHeader());
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("FlyIo.Sdk", "0.1"));
    }

    /// <summary>Attempts per call (first try included) before an error is thrown.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The first backoff delay; doubled per attempt, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>HTTP requests sent so far (every attempt counts).</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    /// <summary>Called with one line per retried request (never holds the token).</summary>
    public Action<string>? Log { get; set; }

    public void Dispose() => _http.Dispose();

    // ------------------------------------------------------------------ transport

    /// <summary>How a call may be retried.</summary>
    public enum Retry
    {
        /// <summary>Safe to repeat: GET, DELETE, start/stop, update with a lease, wait...</summary>
        Idempotent,

        /// <summary>Repeat only when Fly certainly did not act: a 429, or no connection was made.</summary>
        UnsafeToRepeat,
    }

    /// <summary>One API response.</summary>
    public sealed class Response
    {
        internal Response(int status, string body, string? requestId)
        {
            Status = status;
            Body = body;
            RequestId = requestId;
        }

        public int Status { get; }
        public string Body { get; }
        public string? RequestId { get; }

        public JsonNode? Json => Body.Length == 0 ? null : JsonReader.Parse(Body);
    }

    /// <summary>
    /// Sends one request with retries. 429 is always retried (Fly rejects it before acting) after Retry-After, or
    /// backoff. 5xx and connection errors are retried for <see cref="Retry.Idempotent"/> calls; for others only a
    /// connection that was never made (refused, unknown host) is retried: otherwise <see cref="AmbiguousFailureException"/>
    /// tells the caller the request may have been applied. Status codes in <paramref name="accept"/> are returned, not thrown.
    /// </summary>
    public async Task<Response> SendAsync(HttpMethod method, string path, JsonNode? body, string operation, Retry retry,
        CancellationToken cancellationToken, string? nonce = null, TimeSpan? timeout = null, params int[] accept)
    {
        var attempt = 0;
        while (true)
        {
            attempt++;
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan? delay = null;
            string reason;
            Exception? failure;
            using (var request = new HttpRequestMessage(method, path))
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (body is not null)
                {
                    request.Content = new StringContent(Js.Write(body), Encoding.UTF8, "application/json");
                }

                if (nonce is not null)
                {
                    request.Headers.TryAddWithoutValidation(NonceHeader, nonce);
                }

                cts.CancelAfter(timeout ?? _timeout);
                Interlocked.Increment(ref _requests);
                HttpResponseMessage? response = null;
                try
                {
                    response = await _http.SendAsync(request, cts.Token).ConfigureAwait(false);
                    var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    var status = (int)response.StatusCode;
                    var requestId = response.Headers.TryGetValues("fly-request-id", out var ids) ? ids.FirstOrDefault() : null;
                    if ((status >= 200 && status < 300) || accept.Contains(status))
                    {
                        return new Response(status, text, requestId);
                    }

                    failure = new MachinesApiException(operation, status, ErrorMessage(text), requestId);
                    reason = status.ToString(CultureInfo.InvariantCulture);
                    if (status == 429)
                    {
                        delay = response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
                    }
                    else if (status >= 500 && retry == Retry.Idempotent)
                    {
                        // retried below
                    }
                    else if (status >= 500)
                    {
                        throw new AmbiguousFailureException((MachinesApiException)failure);
                    }
                    else
                    {
                        throw failure;
                    }
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new MachinesApiException(operation, 0, $"no response within {GoDurations.Format(timeout ?? _timeout)}", null, e);
                    reason = "timeout";
                    if (retry != Retry.Idempotent)
                    {
                        throw new AmbiguousFailureException((MachinesApiException)failure);
                    }
                }
                catch (HttpRequestException e)
                {
                    failure = new MachinesApiException(operation, 0, Describe(e), null, e);
                    reason = "connection error";
                    if (retry != Retry.Idempotent && !NeverConnected(e))
                    {
                        throw new AmbiguousFailureException((MachinesApiException)failure);
                    }
                }
                finally
                {
                    response?.Dispose();
                }
            }

            if (attempt >= MaxAttempts)
            {
                throw failure;
            }

            var wait = delay ?? Backoff(attempt);
            if (wait > TimeSpan.FromSeconds(60))
            {
                wait = TimeSpan.FromSeconds(60);
            }

            if (wait < TimeSpan.Zero)
            {
                wait = TimeSpan.Zero;
            }

            Log?.Invoke($"{operation}: {reason}, retrying in {GoDurations.Format(wait)} (attempt {attempt + 1} of {MaxAttempts})");
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var ms = RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        ms = Math.Min(ms, MaxRetryDelay.TotalMilliseconds);
        double factor;
        lock (Jitter)
        {
            factor = 0.5 + Jitter.NextDouble() * 0.5;
        }

        return TimeSpan.FromMilliseconds(ms * factor);
    }

    private static bool NeverConnected(HttpRequestException e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException s && (s.SocketErrorCode == SocketError.ConnectionRefused || s.SocketErrorCode == SocketError.HostNotFound
                || s.SocketErrorCode == SocketError.NetworkUnreachable || s.SocketErrorCode == SocketError.HostUnreachable))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            messages.Add(x.Message);
        }

        return string.Join(": ", messages.Distinct());
    }

    /// <summary>Fly's error body is {"error": "...", "status"?: "..."}; anything else is quoted as it came.</summary>
    private static string? ErrorMessage(string body)
    {
        try
        {
            if (JsonReader.Parse(body) is JsonObject error && error.GetString("error") is { } message)
            {
                return message;
            }
        }
        catch (JsonParseException)
        {
            // Not JSON (a proxy's HTML page, say): show the start of it.
        }

        return body.Length > 200 ? body.Substring(0, 200) : body;
    }

    private static string E(string s) => Uri.EscapeDataString(s);

    private static JsonObject AsObject(Response r, string operation) =>
        r.Json as JsonObject ?? throw new MachinesApiException(operation, r.Status, "the response is not a JSON object", r.RequestId);

    // ------------------------------------------------------------------ apps

    /// <summary>GET /v1/apps/{app}; null when the app does not exist (404).</summary>
    public async Task<FlyApp?> GetAppAsync(string app, CancellationToken cancellationToken = default)
    {
        var op = $"getting app '{app}'";
        var r = await SendAsync(HttpMethod.Get, $"v1/apps/{E(app)}", null, op, Retry.Idempotent, cancellationToken, accept: 404).ConfigureAwait(false);
        return r.Status == 404 ? null : FlyApp.FromJson(AsObject(r, op));
    }

    /// <summary>POST /v1/apps. After an ambiguous failure the app is looked up: when it exists now, it is returned.</summary>
    public async Task<FlyApp> CreateAppAsync(string app, string org, string? network = null, CancellationToken cancellationToken = default)
    {
        var op = $"creating app '{app}' in org '{org}'";
        var body = Js.Obj().Set("name", app).Set("org_slug", org).Set("network", network);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SendAsync(HttpMethod.Post, "v1/apps", body, op, Retry.UnsafeToRepeat, cancellationToken).ConfigureAwait(false);
                return await GetAppAsync(app, cancellationToken).ConfigureAwait(false) ?? new FlyApp(app, null, null, org);
            }
            catch (AmbiguousFailureException) when (attempt < MaxAttempts)
            {
                if (await GetAppAsync(app, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    return existing;
                }
            }
        }
    }

    public async Task<IReadOnlyList<IpAssignment>> ListIpAssignmentsAsync(string app, CancellationToken cancellationToken = default)
    {
        var op = $"listing the IP addresses of '{app}'";
        var r = await SendAsync(HttpMethod.Get, $"v1/apps/{E(app)}/ip_assignments", null, op, Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        var root = r.Json;
        var items = root as JsonArray ?? (root as JsonObject)?["ips"] as JsonArray ?? Js.Arr(Enumerable.Empty<JsonNode>());
        return items.Items.OfType<JsonObject>().Select(o => new IpAssignment(o.GetString("ip") ?? "", o.GetString("type"), o.GetString("region"), o.GetBool("shared") == true)).ToArray();
    }

    /// <summary>POST /v1/apps/{app}/ip_assignments (type v6, shared_v4, v4, private_v6).</summary>
    public async Task<IpAssignment> AssignIpAsync(string app, string type, string? region = null, CancellationToken cancellationToken = default)
    {
        var op = $"allocating a {type} address for '{app}'";
        var r = await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/ip_assignments", Js.Obj().Set("type", type).Set("region", region), op, Retry.UnsafeToRepeat, cancellationToken).ConfigureAwait(false);
        var o = AsObject(r, op);
        return new IpAssignment(o.GetString("ip") ?? "", type, o.GetString("region"), o.GetBool("shared") == true);
    }

    // ------------------------------------------------------------------ secrets

    /// <summary>The names (never the values) of the app's secrets: GET /v1/apps/{app}/secrets.</summary>
    public async Task<IReadOnlyList<string>> GetSecretNamesAsync(string app, CancellationToken cancellationToken = default)
    {
        var op = $"listing the secrets of '{app}'";
        var r = await SendAsync(HttpMethod.Get, $"v1/apps/{E(app)}/secrets", null, op, Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        var root = JsonReader.Parse(r.Body) as JsonObject;
        var secrets = root?["secrets"] as JsonArray;
        if (secrets is null)
        {
            throw new MachinesApiException(op, 200, "the response has no 'secrets' array", r.RequestId);
        }

        return secrets.Items.OfType<JsonObject>().Select(s => s.GetString("name")).Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToArray();
    }

    /// <summary>
    /// Sets (value) and unsets (null) secrets in ONE POST; returns the new secrets version, to pass as
    /// <c>min_secrets_version</c>. Repeating the same values converges on the same state, so the call is retried.
    /// Values never appear in messages.
    /// </summary>
    public async Task<long?> UpdateSecretsAsync(string app, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken = default)
    {
        var op = $"updating {values.Count} secret(s) of '{app}'";
        var map = Js.Obj();
        foreach (var kv in values)
        {
            map.Set(kv.Key, kv.Value is null ? Js.Null() : Js.Str(kv.Value));
        }

        var r = await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/secrets", Js.Obj().Set("values", map), op, Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return (r.Json as JsonObject)?.GetLong("version");
    }

    // ------------------------------------------------------------------ machines

    public async Task<IReadOnlyList<Machine>> ListMachinesAsync(string app, MachineListFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (filter is not null)
        {
            if (filter.IncludeDeleted)
            {
                query.Add("include_deleted=true");
            }

            if (filter.Region is not null)
            {
                query.Add("region=" + E(filter.Region));
            }

            query.AddRange(filter.States.Select(s => "state=" + E(s)));
            query.AddRange(filter.Metadata.Select(kv => "metadata." + E(kv.Key) + "=" + E(kv.Value)));
        }

        var op = $"listing the machines of '{app}'";
        var path = $"v1/apps/{E(app)}/machines" + (query.Count > 0 ? "?" + string.Join("&", query) : "");
        var r = await SendAsync(HttpMethod.Get, path, null, op, Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return (r.Json as JsonArray)?.Items.OfType<JsonObject>().Select(o => new Machine(o)).ToArray()
               ?? throw new MachinesApiException(op, r.Status, "the response is not a JSON array", r.RequestId);
    }

    /// <summary>
    /// POST /v1/apps/{app}/machines. The machine gets a client-generated name when none is given; after an
    /// ambiguous failure the machine is looked up by that name before the create is tried again.
    /// </summary>
    public async Task<Machine> CreateMachineAsync(string app, CreateMachineRequest request, CancellationToken cancellationToken = default)
    {
        var name = string.IsNullOrEmpty(request.Name) ? NewMachineName() : request.Name!;
        var body = Js.Obj().Set("config", request.Config).Set("region", request.Region).Set("name", name);
        if (request.SkipLaunch)
        {
            body.Set("skip_launch", true);
        }

        if (request.SkipServiceRegistration)
        {
            body.Set("skip_service_registration", true);
        }

        body.Set("lease_ttl", request.LeaseTtl).Set("min_secrets_version", request.MinSecretsVersion);
        var op = $"creating machine '{name}' in '{app}'";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var r = await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/machines", body, op, Retry.UnsafeToRepeat, cancellationToken).ConfigureAwait(false);
                return new Machine(AsObject(r, op));
            }
            catch (AmbiguousFailureException) when (attempt < MaxAttempts)
            {
                var existing = (await ListMachinesAsync(app, null, cancellationToken).ConfigureAwait(false)).FirstOrDefault(m => m.Name == name);
                if (existing is not null)
                {
                    Log?.Invoke($"{op}: the request failed after it was sent, but machine {existing.Id} exists: using it");
                    return existing;
                }

                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string NewMachineName()
    {
        var bytes = new byte[6];
        lock (Jitter)
        {
            Jitter.NextBytes(bytes);
        }

        return "flysdk-" + string.Concat(bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    public async Task<Machine> GetMachineAsync(string app, string id, CancellationToken cancellationToken = default)
    {
        var op = $"getting machine {id}";
        var r = await SendAsync(HttpMethod.Get, $"v1/apps/{E(app)}/machines/{E(id)}", null, op, Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return new Machine(AsObject(r, op));
    }

    /// <summary>POST /v1/apps/{app}/machines/{id}: replaces the whole config; the result has the new instance_id.</summary>
    public async Task<Machine> UpdateMachineAsync(string app, string id, UpdateMachineRequest request, string? nonce, CancellationToken cancellationToken = default)
    {
        var body = Js.Obj().Set("config", request.Config).Set("region", request.Region).Set("current_version", request.CurrentVersion).Set("min_secrets_version", request.MinSecretsVersion);
        if (request.SkipLaunch)
        {
            body.Set("skip_launch", true);
        }

        var op = $"updating machine {id}";
        // With current_version (or a lease) a repeat cannot apply twice; without either it could, yet ends in the same config.
        var r = await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/machines/{E(id)}", body, op, Retry.Idempotent, cancellationToken, nonce).ConfigureAwait(false);
        return new Machine(AsObject(r, op));
    }

    /// <summary>DELETE with force=true (and kill=true, as the Go client sends). A machine already gone counts as deleted.</summary>
    public async Task DeleteMachineAsync(string app, string id, string? nonce = null, bool force = true, CancellationToken cancellationToken = default)
    {
        var q = force ? "?force=true&kill=true" : "";
        await SendAsync(HttpMethod.Delete, $"v1/apps/{E(app)}/machines/{E(id)}{q}", null, $"destroying machine {id}", Retry.Idempotent, cancellationToken, nonce, accept: 404).ConfigureAwait(false);
    }

    public async Task StartMachineAsync(string app, string id, string? nonce = null, CancellationToken cancellationToken = default)
    {
        // 412 "already active": after a retried start the machine is starting, which is what was asked.
        await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/machines/{E(id)}/start", Js.Obj(), $"starting machine {id}", Retry.Idempotent, cancellationToken, nonce).ConfigureAwait(false);
    }

    public async Task StopMachineAsync(string app, string id, string? nonce = null, string? signal = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var body = Js.Obj().Set("signal", signal).Set("timeout", timeout is null ? null : GoDurations.Format(timeout.Value));
        await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/machines/{E(id)}/stop", body, $"stopping machine {id}", Retry.Idempotent, cancellationToken, nonce).ConfigureAwait(false);
    }

    public async Task CordonAsync(string app, string id, string? nonce = null, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/machines/{E(id)}/cordon", Js.Obj(), $"cordoning machine {id}", Retry.Idempotent, cancellationToken, nonce).ConfigureAwait(false);

    public async Task UncordonAsync(string app, string id, string? nonce = null, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/machines/{E(id)}/uncordon", Js.Obj(), $"uncordoning machine {id}", Retry.Idempotent, cancellationToken, nonce).ConfigureAwait(false);

    /// <summary>
    /// Waits until the machine reaches one of <paramref name="states"/> (for <paramref name="version"/> = the
    /// instance_id from create/update, when given), looping over calls of at most 60 s (and their 408s) until
    /// <paramref name="deadline"/>. Returns the state reached, or null when the deadline passed.
    /// </summary>
    public async Task<string?> WaitForStateAsync(string app, string id, string[] states, string? version, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            var seconds = (int)Math.Max(1, Math.Min(60, Math.Ceiling(left.TotalSeconds)));
            var q = string.Join("&", states.Select(s => "state=" + E(s))) + (version is null ? "" : "&version=" + E(version)) + "&timeout=" + seconds.ToString(CultureInfo.InvariantCulture);
            var r = await SendAsync(HttpMethod.Get, $"v1/apps/{E(app)}/machines/{E(id)}/wait?{q}", null, $"waiting for machine {id} to be {string.Join(" or ", states)}",
                Retry.Idempotent, cancellationToken, timeout: TimeSpan.FromSeconds(seconds + 15), accept: 408).ConfigureAwait(false);
            if (r.Status == 408)
            {
                continue;
            }

            return (r.Json as JsonObject)?.GetString("state") ?? states[0];
        }
    }

    /// <summary>GET /events, newest first.</summary>
    public async Task<IReadOnlyList<MachineEvent>> GetEventsAsync(string app, string id, int? limit = null, CancellationToken cancellationToken = default)
    {
        var q = limit is null ? "" : "?limit=" + limit.Value.ToString(CultureInfo.InvariantCulture);
        var r = await SendAsync(HttpMethod.Get, $"v1/apps/{E(app)}/machines/{E(id)}/events{q}", null, $"reading the events of machine {id}", Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return (r.Json as JsonArray)?.Items.OfType<JsonObject>().Select(o => new MachineEvent(o)).ToArray() ?? Array.Empty<MachineEvent>();
    }

    // ------------------------------------------------------------------ leases

    /// <summary>
    /// Acquires a lease (or refreshes one when <paramref name="nonce"/> is ours). 409 (held by someone else) throws
    /// <see cref="LeaseHeldException"/>. Not repeated after an ambiguous failure (a lease we got but never saw would
    /// block us until it expires); the caller decides.
    /// </summary>
    public async Task<MachineLease> AcquireLeaseAsync(string app, string id, int ttlSeconds, string? description = null, string? nonce = null, CancellationToken cancellationToken = default)
    {
        var op = nonce is null ? $"acquiring a lease on machine {id}" : $"refreshing the lease on machine {id}";
        Response r;
        try
        {
            r = await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/machines/{E(id)}/lease", Js.Obj().Set("ttl", ttlSeconds).Set("description", description), op,
                nonce is null ? Retry.UnsafeToRepeat : Retry.Idempotent, cancellationToken, nonce).ConfigureAwait(false);
        }
        catch (MachinesApiException e) when (e.StatusCode == 409)
        {
            throw new LeaseHeldException(id, e);
        }

        var data = AsObject(r, op).GetObject("data") ?? throw new MachinesApiException(op, r.Status, "the response has no 'data'", r.RequestId);
        return new MachineLease(data.GetString("nonce") ?? "", data.GetLong("expires_at") ?? 0, data.GetString("owner"));
    }

    public async Task ReleaseLeaseAsync(string app, string id, string nonce, CancellationToken cancellationToken = default)
    {
        await SendAsync(HttpMethod.Delete, $"v1/apps/{E(app)}/machines/{E(id)}/lease", null, $"releasing the lease on machine {id}", Retry.Idempotent, cancellationToken, nonce, accept: 404).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ metadata

    public async Task<IReadOnlyDictionary<string, string>> GetMetadataAsync(string app, string id, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Get, $"v1/apps/{E(app)}/machines/{E(id)}/metadata", null, $"reading the metadata of machine {id}", Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.Json is JsonObject o)
        {
            foreach (var m in o.Members)
            {
                result[m.Key] = (m.Value as JsonString)?.Value ?? Js.Write(m.Value);
            }
        }

        return result;
    }

    public async Task SetMetadataAsync(string app, string id, string key, string value, string? nonce = null, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/machines/{E(id)}/metadata/{E(key)}", Js.Obj().Set("value", value), $"setting metadata '{key}' on machine {id}", Retry.Idempotent, cancellationToken, nonce).ConfigureAwait(false);

    public async Task DeleteMetadataAsync(string app, string id, string key, string? nonce = null, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Delete, $"v1/apps/{E(app)}/machines/{E(id)}/metadata/{E(key)}", null, $"removing metadata '{key}' from machine {id}", Retry.Idempotent, cancellationToken, nonce, accept: 404).ConfigureAwait(false);
}

/// <summary>A request that failed after it may have reached Fly (5xx, reset, timeout): repeating it could apply it twice.</summary>
public sealed class AmbiguousFailureException : Exception
{
    public AmbiguousFailureException(MachinesApiException inner) : base(inner.Message, inner)
    {
        Inner = inner;
    }

    public MachinesApiException Inner { get; }
}

/// <summary>409: another deploy (or person) holds the machine's lease.</summary>
public sealed class LeaseHeldException : Exception
{
    public LeaseHeldException(string machineId, MachinesApiException inner)
        : base($"Machine {machineId} is leased by someone else ({inner.ApiMessage}){(inner.RequestId is null ? "" : $" (fly-request-id {inner.RequestId})")}.", inner)
    {
        MachineId = machineId;
    }

    public string MachineId { get; }
}
