using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;

namespace FlyIo.Machines;

/// <summary>Apps and their IP assignments.</summary>
public sealed partial class MachinesApiClient
{
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
}
