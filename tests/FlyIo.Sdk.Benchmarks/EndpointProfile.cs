using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace FlyIo.Sdk.Benchmarks;

/// <summary>Calls and time per endpoint, from <see cref="FlyIo.Machines.MachinesApiClient.Observer"/>: where a deploy's calls go.</summary>
internal sealed class EndpointProfile
{
    private static readonly Regex MachinePath = new("/machines/[^/]+", RegexOptions.Compiled);
    private readonly Dictionary<string, (int Calls, TimeSpan Time)> _rows = new(StringComparer.Ordinal);

    public int MachineCalls { get; private set; }

    public void Record(string method, string path, TimeSpan time)
    {
        var local = Regex.Replace(Regex.Replace(path, "^https?://[^/]+/", ""), "releases/[^/]+", "releases/{id}");
        var key = method + " " + MachinePath.Replace(Regex.Replace(local, "apps/[^/]+", "apps/{app}"), "/machines/{id}");
        lock (_rows)
        {
            _rows[key] = _rows.TryGetValue(key, out var r) ? (r.Calls + 1, r.Time + time) : (1, time);
            if (key.Contains("/machines/{id}", StringComparison.Ordinal))
            {
                MachineCalls++;
            }
        }
    }

    public IReadOnlyList<(string Endpoint, int Calls, TimeSpan Time)> Rows()
    {
        lock (_rows)
        {
            return _rows.OrderByDescending(r => r.Value.Calls).Select(r => (r.Key, r.Value.Calls, r.Value.Time)).ToList();
        }
    }
}
