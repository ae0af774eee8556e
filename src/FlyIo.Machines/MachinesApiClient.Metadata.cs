using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;

namespace FlyIo.Machines;

/// <summary>Machine metadata.</summary>
public sealed partial class MachinesApiClient
{
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
