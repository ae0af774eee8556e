using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;

namespace FlyIo.Machines;

/// <summary>App secrets: names only when listing, one POST to set or unset many.</summary>
public sealed partial class MachinesApiClient
{
    /// <summary>The names (never the values) of the app's secrets: GET /v1/apps/{app}/secrets.</summary>
    public async Task<IReadOnlyList<string>> GetSecretNamesAsync(string app, CancellationToken cancellationToken = default) =>
        (await GetSecretsAsync(app, cancellationToken).ConfigureAwait(false)).Select(s => s.Name).ToArray();

    /// <summary>The app's secrets as Fly lists them: names and digests (an opaque mark of each value), never values.</summary>
    public async Task<IReadOnlyList<AppSecret>> GetSecretsAsync(string app, CancellationToken cancellationToken = default)
    {
        var op = $"listing the secrets of '{app}'";
        var r = await SendAsync(HttpMethod.Get, $"v1/apps/{E(app)}/secrets", null, op, Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return Secrets(r, op) ?? throw new MachinesApiException(op, r.Status, "the response has no 'secrets' array", r.RequestId);
    }

    /// <summary>
    /// Sets (value) and unsets (null) secrets in ONE POST; returns the new secrets version, to pass as
    /// <c>min_secrets_version</c>, and the secrets as Fly lists them after it. Repeating the same values converges on
    /// the same state, so the call is retried. Values never appear in messages.
    /// </summary>
    public async Task<SecretsUpdate> UpdateSecretsAsync(string app, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken = default)
    {
        var op = $"updating {values.Count} secret(s) of '{app}'";
        var map = Js.Obj();
        foreach (var kv in values)
        {
            map.Set(kv.Key, kv.Value is null ? Js.Null() : Js.Str(kv.Value));
        }

        var r = await SendAsync(HttpMethod.Post, $"v1/apps/{E(app)}/secrets", Js.Obj().Set("values", map), op, Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return new SecretsUpdate((r.Json as JsonObject)?.GetLong("version"), Secrets(r, op) ?? Array.Empty<AppSecret>());
    }

    private static IReadOnlyList<AppSecret>? Secrets(Response r, string op) =>
        ((r.Json as JsonObject)?["secrets"] as JsonArray)?.Items.OfType<JsonObject>()
            .Where(s => !string.IsNullOrEmpty(s.GetString("name")))
            .Select(s => new AppSecret(s.GetString("name")!, s.GetString("digest")))
            .ToArray();
}

/// <summary>One of an app's secrets as Fly lists it: its name and digest, never its value.</summary>
public sealed record AppSecret(string Name, string? Digest);

/// <summary>What setting secrets returned: the new secrets version and the secrets after it.</summary>
public sealed record SecretsUpdate(long? Version, IReadOnlyList<AppSecret> Secrets);
