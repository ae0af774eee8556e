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
using FlyIo.Diagnostics;
using FlyIo.Json;
using FlyIo.AppModel.Units;

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
    private readonly FlyToken _token;
    private readonly string[] _allowTokenTo;
    private long _requests;

    /// <param name="allowTokenTo">Hosts besides Fly's (over https) and loopback that may receive the token.</param>
    public MachinesApiClient(string? baseUrl, FlyToken token, TimeSpan? timeout = null, IEnumerable<string>? allowTokenTo = null)
    {
        var root = string.IsNullOrWhiteSpace(baseUrl) ? DefaultBaseUrl : baseUrl!.TrimEnd('/');
        if (TokenDestinations.Problem(root, allowTokenTo) is { } problem)
        {
            throw new ArgumentException($"The Fly token is not sent to {problem}.", nameof(baseUrl));
        }

        _token = token;
        _allowTokenTo = (allowTokenTo ?? Array.Empty<string>()).ToArray();
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

    /// <summary>
    /// Told of every HTTP attempt once it has an answer (or fails): method, path (no query, never the token) and time
    /// taken. The deploy benchmark profiles where a deploy's wall time goes with it.
    /// </summary>
    public Action<string, string, TimeSpan>? Observer { get; set; }

    /// <summary>Gets one detail line per retried request (never holds the token).</summary>
    public IFlyLog Log { get; set; } = FlyLog.None;

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
    public Task<Response> SendAsync(HttpMethod method, string path, JsonNode? body, string operation, Retry retry,
        CancellationToken cancellationToken, string? nonce = null, TimeSpan? timeout = null, params int[] accept) =>
        SendToAsync(MachinesApi, null, method, path, body, operation, retry, cancellationToken, nonce, timeout, accept);

    private const string MachinesApi = MachinesApiException.MachinesApiName;

    /// <summary>
    /// <see cref="SendAsync"/> to any of Fly's APIs: <paramref name="api"/> names it in errors, and
    /// <paramref name="authorization"/>, when given, replaces the Machines API's Authorization header for this request.
    /// </summary>
    private async Task<Response> SendToAsync(string api, string? authorization, HttpMethod method, string path, JsonNode? body, string operation, Retry retry,
        CancellationToken cancellationToken, string? nonce, TimeSpan? timeout, int[] accept)
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

                if (authorization is not null)
                {
                    // A header on the request wins over the client's default one of the same name.
                    request.Headers.TryAddWithoutValidation("Authorization", authorization);
                }

                cts.CancelAfter(timeout ?? _timeout);
                Interlocked.Increment(ref _requests);
                HttpResponseMessage? response = null;
                var sent = System.Diagnostics.Stopwatch.StartNew();
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

                    failure = new MachinesApiException(operation, status, ErrorMessage(text), requestId, api: api);
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
                    failure = new MachinesApiException(operation, 0, $"no response within {GoDuration.FormatGo(timeout ?? _timeout)}", null, e, api);
                    reason = "timeout";
                    if (retry != Retry.Idempotent)
                    {
                        throw new AmbiguousFailureException((MachinesApiException)failure);
                    }
                }
                catch (HttpRequestException e)
                {
                    failure = new MachinesApiException(operation, 0, Describe(e), null, e, api);
                    reason = "connection error";
                    if (retry != Retry.Idempotent && !NeverConnected(e))
                    {
                        throw new AmbiguousFailureException((MachinesApiException)failure);
                    }
                }
                finally
                {
                    response?.Dispose();
                    Observer?.Invoke(method.Method, path.Split('?')[0], sent.Elapsed);
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

            Log.Detail($"{operation}: {reason}, retrying in {GoDuration.FormatGo(wait)} (attempt {attempt + 1} of {MaxAttempts})");
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

    /// <summary>
    /// Fly's error bodies are {"error": "...", "status"?: "..."} and, for leases and some other calls,
    /// {"status": "error", "message": "...", "code"?: ...}; anything else is quoted as it came.
    /// </summary>
    private static string? ErrorMessage(string body)
    {
        try
        {
            if (JsonReader.Parse(body) is JsonObject error && (error.GetString("error") ?? error.GetString("message")) is { Length: > 0 } message)
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
}
