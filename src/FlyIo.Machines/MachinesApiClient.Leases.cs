using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;

namespace FlyIo.Machines;

/// <summary>Machine leases.</summary>
public sealed partial class MachinesApiClient
{
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
}
