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
}
