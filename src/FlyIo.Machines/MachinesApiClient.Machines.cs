using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;
using FlyIo.AppModel.Units;

namespace FlyIo.Machines;

/// <summary>Machines: list, create, get, update, delete, start, stop, restart, cordon, wait, events.</summary>
public sealed partial class MachinesApiClient
{
    /// <summary>
    /// The wait call's instance parameter. Fly's reference page names it <c>instance_id</c>; the current OpenAPI spec
    /// marks that deprecated in favour of <c>version</c>, which is what fly-go (and so flyctl) sends: followed here.
    /// </summary>
    internal const string WaitInstanceParameter = "version";

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
                    Log.Detail($"{op}: the request failed after it was sent, but machine {existing.Id} exists: using it");
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
        var body = Js.Obj().Set("signal", signal).Set("timeout", timeout is null ? null : GoDuration.FormatGo(timeout.Value));
        await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/machines/{E(id)}/stop", body, $"stopping machine {id}", Retry.Idempotent, cancellationToken, nonce).ConfigureAwait(false);
    }

    /// <summary>
    /// POST /restart as fly-go's flaps Restart sends it: <c>force_stop</c>, and <c>timeout</c> (a Go duration) and
    /// <c>signal</c> when given; no body. Fly keeps the machine's instance_id, so a caller that must know the restart
    /// happened reads the machine's events.
    /// </summary>
    public async Task RestartMachineAsync(string app, string id, string? nonce = null, string? signal = null, TimeSpan? timeout = null, bool forceStop = false, CancellationToken cancellationToken = default)
    {
        var q = "force_stop=" + (forceStop ? "true" : "false") + (timeout is null ? "" : "&timeout=" + E(GoDuration.FormatGo(timeout.Value))) + (signal is null ? "" : "&signal=" + E(signal));
        await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/machines/{E(id)}/restart?{q}", null, $"restarting machine {id}", Retry.Idempotent, cancellationToken, nonce).ConfigureAwait(false);
    }

    public async Task CordonAsync(string app, string id, string? nonce = null, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/machines/{E(id)}/cordon", Js.Obj(), $"cordoning machine {id}", Retry.Idempotent, cancellationToken, nonce).ConfigureAwait(false);

    public async Task UncordonAsync(string app, string id, string? nonce = null, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/machines/{E(id)}/uncordon", Js.Obj(), $"uncordoning machine {id}", Retry.Idempotent, cancellationToken, nonce).ConfigureAwait(false);

    /// <summary>
    /// One wait call: blocks until the machine is in <paramref name="state"/> (for <paramref name="instanceId"/>, the
    /// instance_id from create/update, when given) or <paramref name="timeout"/> passes (at most 60 s, Fly's limit).
    /// True when the state was reached; false on 408. Fly's answer says no more than that (its documented body is
    /// <c>{"ok": true}</c>), so a caller that must know what the machine is doing reads the machine itself.
    /// </summary>
    public async Task<bool> WaitForStateAsync(string app, string id, string state, string? instanceId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var seconds = (int)Math.Max(1, Math.Min(60, Math.Ceiling(timeout.TotalSeconds)));
        var q = "state=" + E(state) + (instanceId is null ? "" : "&" + WaitInstanceParameter + "=" + E(instanceId)) + "&timeout=" + seconds.ToString(CultureInfo.InvariantCulture);
        var r = await SendAsync(HttpMethod.Get, $"v1/apps/{E(app)}/machines/{E(id)}/wait?{q}", null, $"waiting for machine {id} to be {state}",
            Retry.Idempotent, cancellationToken, timeout: TimeSpan.FromSeconds(seconds + 15), accept: 408).ConfigureAwait(false);
        return r.Status != 408;
    }

    /// <summary>GET of one machine; null when Fly no longer knows it (404).</summary>
    public async Task<Machine?> TryGetMachineAsync(string app, string id, CancellationToken cancellationToken = default)
    {
        var op = $"getting machine {id}";
        var r = await SendAsync(HttpMethod.Get, $"v1/apps/{E(app)}/machines/{E(id)}", null, op, Retry.Idempotent, cancellationToken, accept: 404).ConfigureAwait(false);
        return r.Status == 404 ? null : new Machine(AsObject(r, op));
    }

    /// <summary>GET /events, newest first.</summary>
    public async Task<IReadOnlyList<MachineEvent>> GetEventsAsync(string app, string id, int? limit = null, CancellationToken cancellationToken = default)
    {
        var q = limit is null ? "" : "?limit=" + limit.Value.ToString(CultureInfo.InvariantCulture);
        var r = await SendAsync(HttpMethod.Get, $"v1/apps/{E(app)}/machines/{E(id)}/events{q}", null, $"reading the events of machine {id}", Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return (r.Json as JsonArray)?.Items.OfType<JsonObject>().Select(o => new MachineEvent(o)).ToArray() ?? Array.Empty<MachineEvent>();
    }
}
