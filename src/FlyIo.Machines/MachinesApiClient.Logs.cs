using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;

namespace FlyIo.Machines;

/// <summary>One line a machine wrote to stdout or stderr, as Fly's logs API returns it.</summary>
public sealed record AppLogLine(string Timestamp, string Instance, string Region, string Level, string Message);

/// <summary>
/// Fly's logs API: <c>GET /api/v1/apps/{app}/logs?next_token=&amp;instance=</c> on api.fly.io (the endpoint flyctl polls;
/// <see cref="PlatformBaseUrl"/>),
/// answering <c>{"data":[{"id","attributes":{timestamp,message,level,instance,region}}],"meta":{"next_token"}}</c>.
/// </summary>
public sealed partial class MachinesApiClient
{
    /// <summary>Pages one <see cref="GetAppLogsAsync"/> call reads at most.</summary>
    public int MaxLogPages { get; set; } = 200;

    /// <summary>The lines logged so far (optionally by one machine or in one region), following <c>next_token</c> until no more arrive.</summary>
    public async Task<IReadOnlyList<AppLogLine>> GetAppLogsAsync(string app, string? instance = null, CancellationToken cancellationToken = default, string? region = null)
    {
        var lines = new List<AppLogLine>();
        var token = "";
        // Pages run oldest to newest and the caller usually wants the newest, so the walk goes to the end; it is
        // bounded all the same, so a very busy app cannot keep a failed deploy waiting.
        for (var page = 0; page < MaxLogPages; page++)
        {
            var (data, next) = await GetAppLogsPageAsync(app, token, instance, region, cancellationToken).ConfigureAwait(false);
            lines.AddRange(data);
            if (data.Count == 0 || next == token)
            {
                break;
            }

            token = next;
        }

        return lines;
    }

    /// <summary>
    /// One page of logs after <paramref name="nextToken"/> ("" for the oldest), and the token to ask with next: what
    /// `fly logs` polls with, so a follower sees each line once.
    /// </summary>
    public async Task<(IReadOnlyList<AppLogLine> Lines, string NextToken)> GetAppLogsPageAsync(string app, string nextToken, string? instance = null,
        string? region = null, CancellationToken cancellationToken = default)
    {
        var query = "next_token=" + E(nextToken) + (string.IsNullOrEmpty(instance) ? "" : "&instance=" + E(instance!)) +
                    (string.IsNullOrEmpty(region) ? "" : "&region=" + E(region!));
        // flyctl sends the logs API the token as the Machines API gets it (fly-go's BubblegumHeader: FlyV1 for macaroons).
        var r = await SendToAsync(PlatformApi, null, HttpMethod.Get, $"{PlatformBaseUrl}/api/v1/apps/{E(app)}/logs?{query}", null, $"reading the logs of {app}",
            Retry.Idempotent, cancellationToken, null, null, Array.Empty<int>()).ConfigureAwait(false);
        var json = r.Json as JsonObject;
        var lines = new List<AppLogLine>();
        foreach (var item in (json?["data"] as JsonArray)?.Items.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
        {
            if (item["attributes"] is JsonObject a)
            {
                lines.Add(new AppLogLine(a.GetString("timestamp") ?? "", a.GetString("instance") ?? "", a.GetString("region") ?? "",
                    a.GetString("level") ?? "", a.GetString("message") ?? ""));
            }
        }

        var next = (json?["meta"] as JsonObject)?.GetString("next_token");
        return (lines, string.IsNullOrEmpty(next) ? nextToken : next!);
    }
}
