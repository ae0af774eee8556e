using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

/// <summary>
/// One fault rule. HTTP kinds (<c>http_error</c>, <c>latency</c>, <c>reset</c>) match an API action (<c>endpoint</c>:
/// "machine_start", "machine_*", "*"); machine kinds (<c>start_fail</c>, <c>crash_after</c>, <c>exit</c>,
/// <c>check_fail</c>, <c>ignore_stop_signal</c>, <c>lease_held</c>, <c>launch_fail</c>: the launch itself fails, no
/// process ever runs; <c>launch_hang</c>: the launch takes <c>seconds</c>) match machines by app, id, process group or image.
/// </summary>
public sealed class FaultRule
{
    public string? Id { get; set; }
    public string Kind { get; set; } = "";
    public string? Endpoint { get; set; }
    public string? Method { get; set; }
    public string? App { get; set; }
    public string? Machine { get; set; }
    public string? ProcessGroup { get; set; }
    public string? Image { get; set; }
    public string? Check { get; set; }
    /// <summary>Probability in [0, 1] that a matching request or launch is affected (default 1).</summary>
    public double Rate { get; set; } = 1;
    /// <summary>Affect at most this many matches, then stop (null = forever).</summary>
    public int? Count { get; set; }
    /// <summary>Let this many matches through untouched first.</summary>
    public int Skip { get; set; }
    public int Status { get; set; } = 500;
    public string? Error { get; set; }
    public string? ErrorStatus { get; set; }
    public int? RetryAfter { get; set; }
    public int DelayMs { get; set; }
    public double Seconds { get; set; }
    public int ExitCode { get; set; } = 1;
    public bool OomKilled { get; set; }
    public string Owner { get; set; } = "someone-else@tokens.fly.io";
    public int TtlSeconds { get; set; } = 3600;

    internal int Seen;
    internal int Applied;
}

public sealed class FaultSet
{
    public int Seed { get; set; }
    public List<FaultRule> Rules { get; set; } = new();
}

/// <summary>The active rule set and the seeded random source; every decision is made under one lock, so a
/// given seed, rule set and request order always give the same faults.</summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private FaultSet _set = new();
    private Random _random = new(0);
    private int _counter;

    public FaultInjector(FaultSet? initial) => Replace(initial ?? new FaultSet());

    public static FaultSet Parse(string json)
    {
        var set = JsonSerializer.Deserialize<FaultSet>(json, Json.Options) ?? new FaultSet();
        Validate(set);
        return set;
    }

    public static void Validate(FaultSet set)
    {
        string[] kinds = { "http_error", "latency", "reset", "start_fail", "crash_after", "exit", "check_fail", "ignore_stop_signal", "lease_held", "launch_fail", "launch_hang" };
        foreach (var r in set.Rules)
        {
            if (!kinds.Contains(r.Kind)) throw new ArgumentException($"unknown fault kind '{r.Kind}'; use one of {string.Join(", ", kinds)}");
            if (r.Rate is < 0 or > 1) throw new ArgumentException($"fault rate {r.Rate} is outside [0, 1]");
        }
    }

    public void Replace(FaultSet set)
    {
        Validate(set);
        lock (_gate)
        {
            _set = set;
            _random = new Random(set.Seed);
            foreach (var r in set.Rules) r.Id ??= "rule-" + (++_counter);
        }
    }

    public FaultRule Add(FaultRule rule)
    {
        Validate(new FaultSet { Rules = { rule } });
        lock (_gate)
        {
            rule.Id ??= "rule-" + (++_counter);
            _set.Rules.Add(rule);
            return rule;
        }
    }

    public bool Remove(string id)
    {
        lock (_gate) return _set.Rules.RemoveAll(r => r.Id == id) > 0;
    }

    public JsonNode Snapshot()
    {
        lock (_gate)
        {
            var node = JsonSerializer.SerializeToNode(_set, Json.Options)!;
            var rules = (JsonArray)node["rules"]!;
            for (var i = 0; i < _set.Rules.Count; i++) rules[i]!["applied"] = _set.Rules[i].Applied;
            return node;
        }
    }

    /// <summary>HTTP rules for one request, in rule order, each already rolled.</summary>
    public List<FaultRule> ForRequest(string action, string method, string? app, string? machine)
    {
        lock (_gate)
        {
            var hits = new List<FaultRule>();
            foreach (var r in _set.Rules)
            {
                if (r.Kind is not ("http_error" or "latency" or "reset")) continue;
                if (!NameMatches(r.Endpoint, action)) continue;
                if (r.Method is not null && !string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)) continue;
                if (r.App is not null && r.App != app) continue;
                if (r.Machine is not null && r.Machine != machine) continue;
                if (Roll(r)) hits.Add(r);
            }
            return hits;
        }
    }

    /// <summary>The first machine rule of <paramref name="kind"/> that matches and fires.</summary>
    public FaultRule? ForMachine(string kind, string app, string machineId, JsonObject config, string? check = null)
    {
        lock (_gate)
        {
            foreach (var r in _set.Rules)
            {
                if (r.Kind != kind || !MachineMatches(r, app, machineId, config)) continue;
                if (check is not null && r.Check is not null && r.Check != check) continue;
                if (Roll(r)) return r;
            }
            return null;
        }
    }

    /// <summary>A lease_held rule matching this machine, without consuming it (a held lease persists).</summary>
    public FaultRule? HeldLease(string app, string machineId, JsonObject config)
    {
        lock (_gate) return _set.Rules.FirstOrDefault(r => r.Kind == "lease_held" && MachineMatches(r, app, machineId, config) && (r.Count is null || r.Applied < r.Count));
    }

    private static bool MachineMatches(FaultRule r, string app, string machineId, JsonObject config)
    {
        if (r.App is not null && r.App != app) return false;
        if (r.Machine is not null && r.Machine != machineId) return false;
        if (r.ProcessGroup is not null && (config["metadata"] as JsonObject)?["fly_process_group"]?.GetValue<string>() != r.ProcessGroup) return false;
        if (r.Image is not null && !(config["image"]?.GetValue<string>() ?? "").Contains(r.Image, StringComparison.Ordinal)) return false;
        return true;
    }

    private bool Roll(FaultRule r)
    {
        if (r.Count is not null && r.Applied >= r.Count) return false;
        r.Seen++;
        if (r.Seen <= r.Skip) return false;
        var fire = r.Rate >= 1 || _random.NextDouble() < r.Rate;
        if (fire) r.Applied++;
        return fire;
    }

    private static bool NameMatches(string? pattern, string action)
    {
        if (pattern is null or "*") return true;
        foreach (var p in pattern.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (p.EndsWith('*') ? action.StartsWith(p[..^1], StringComparison.Ordinal) : p == action) return true;
        }
        return false;
    }
}
