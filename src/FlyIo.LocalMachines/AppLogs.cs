using System.Globalization;
using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

/// <summary>
/// What machines wrote to stdout and stderr, kept per app for Fly's logs API (<c>GET /api/v1/apps/{app}/logs</c>, the
/// endpoint flyctl polls): pages of lines after an opaque <c>next_token</c>, filterable by instance and region.
/// Bounded, so a chatty machine cannot grow the server without limit.
/// </summary>
public sealed class AppLogs
{
    private const int KeptPerApp = 10_000;
    private const int PageSize = 100;
    private readonly Dictionary<string, LinkedList<Entry>> _apps = new(StringComparer.Ordinal);
    private long _sequence;

    private sealed record Entry(long Sequence, DateTimeOffset Time, string Instance, string Region, string Message);

    public void Append(string app, string instance, string region, string message)
    {
        lock (_apps)
        {
            if (!_apps.TryGetValue(app, out var lines)) _apps[app] = lines = new LinkedList<Entry>();
            lines.AddLast(new Entry(++_sequence, DateTimeOffset.UtcNow, instance, region, message));
            if (lines.Count > KeptPerApp) lines.RemoveFirst();
        }
    }

    public void Forget(string app)
    {
        lock (_apps) _apps.Remove(app);
    }

    /// <summary>The next page after <paramref name="nextToken"/> (empty: from the oldest kept line).</summary>
    public JsonObject Page(string app, string? nextToken, string? instance, string? region)
    {
        long after = 0;
        if (!string.IsNullOrEmpty(nextToken) && !long.TryParse(nextToken, NumberStyles.None, CultureInfo.InvariantCulture, out after))
            throw new ApiException(400, $"invalid next_token '{nextToken}'");
        var data = new JsonArray();
        var last = after;
        lock (_apps)
        {
            if (_apps.TryGetValue(app, out var lines))
            {
                foreach (var e in lines)
                {
                    if (e.Sequence <= after) continue;
                    if (!string.IsNullOrEmpty(instance) && e.Instance != instance) continue;
                    if (!string.IsNullOrEmpty(region) && e.Region != region) continue;
                    data.Add(new JsonObject
                    {
                        ["id"] = e.Sequence.ToString(CultureInfo.InvariantCulture),
                        ["type"] = "logs",
                        ["attributes"] = new JsonObject
                        {
                            ["timestamp"] = e.Time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                            ["message"] = e.Message,
                            ["level"] = "info",
                            ["instance"] = e.Instance,
                            ["region"] = e.Region,
                            ["meta"] = new JsonObject { ["instance"] = e.Instance, ["region"] = e.Region, ["event"] = new JsonObject { ["provider"] = "app" } },
                        },
                    });
                    last = e.Sequence;
                    if (data.Count == PageSize) break;
                }
            }
        }
        return new JsonObject { ["data"] = data, ["meta"] = new JsonObject { ["next_token"] = last.ToString(CultureInfo.InvariantCulture) } };
    }
}
