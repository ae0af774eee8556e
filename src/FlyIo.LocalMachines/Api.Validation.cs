using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FlyIo.LocalMachines;

/// <summary>The machine config checks Fly makes before it accepts a create or update.</summary>
public static partial class Api
{
    private static readonly int[] Cpus = { 1, 2, 4, 6, 8, 12, 16 };

    [GeneratedRegex("^(shared-cpu|performance)-[0-9]+x$")]
    private static partial Regex SizePreset();

    /// <summary>The validation Fly applies to a machine config, as far as the public clients show it.</summary>
    private static void ValidateConfig(JsonObject config)
    {
        if (config["image"]?.GetValue<string>() is not { Length: > 0 }) throw new ApiException(422, "invalid config: image is required");
        if (config["guest"] is JsonObject guest)
        {
            // Empty and zero values are what Fly itself returns for a guest created without them (cpu_kind "",
            // cpus 0): they mean the defaults, and a config read back from Fly must be accepted as sent.
            var kind = guest["cpu_kind"]?.GetValue<string>() is { Length: > 0 } k ? k : "shared";
            if (kind is not ("shared" or "performance")) throw new ApiException(422, $"invalid cpu_kind '{kind}': use shared or performance");
            var cpus = guest["cpus"]?.GetValue<int>() is > 0 and var c ? c : 1;
            if (!Cpus.Contains(cpus)) throw new ApiException(422, $"invalid number of cpus {cpus}");
            var memory = guest["memory_mb"]?.GetValue<int>() is > 0 and var mb ? mb : 256 * cpus * (kind == "performance" ? 8 : 1);
            if (memory <= 0 || memory % 256 != 0) throw new ApiException(422, $"invalid memory size {memory}: must be a multiple of 256 MB");
            var (min, max) = kind == "shared" ? (256 * cpus, 2048 * cpus) : (2048 * cpus, 8192 * cpus);
            if (memory < min || memory > max) throw new ApiException(422, $"invalid memory size {memory} for {cpus} {kind} cpu(s): must be between {min} and {max} MB");
        }
        // "" is what Fly returns for a machine created without a policy (the platform default, on-failure).
        if (config["restart"] is JsonObject restart && restart["policy"]?.GetValue<string>() is { } policy && policy is not ("" or "no" or "always" or "on-failure"))
            throw new ApiException(422, $"invalid restart policy '{policy}': use no, always or on-failure");
        // The legacy top-level size (a preset name, e.g. shared-cpu-1x), which older machines carry instead of guest.
        if (config["size"]?.GetValue<string>() is { Length: > 0 } size && !SizePreset().IsMatch(size))
            throw new ApiException(422, $"invalid size '{size}': use a preset such as shared-cpu-1x or performance-2x");
        if (config["services"] is JsonArray services)
            foreach (var s in services.OfType<JsonObject>())
            {
                if (s["internal_port"]?.GetValue<int>() is not (> 0 and < 65536)) throw new ApiException(422, "services[].internal_port must be between 1 and 65535");
                var protocol = s["protocol"]?.GetValue<string>() ?? "tcp";
                if (protocol is not ("tcp" or "udp")) throw new ApiException(422, $"invalid service protocol '{protocol}'");
            }
        foreach (var key in new[] { "checks" })
            if (config[key] is JsonObject checks)
                foreach (var (name, c) in checks)
                    if ((c as JsonObject)?["type"]?.GetValue<string>() is { } t && t is not ("tcp" or "http"))
                        throw new ApiException(422, $"check '{name}': invalid type '{t}'");
        try
        {
            foreach (var d in DurationsIn(config)) Durations.Parse(d, TimeSpan.Zero);
        }
        catch (ArgumentException ex)
        {
            throw new ApiException(422, ex.Message);
        }
    }

    private static IEnumerable<string> DurationsIn(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    if (k is "interval" or "timeout" or "grace_period" && v is JsonValue jv && jv.TryGetValue<string>(out var s)) yield return s;
                    foreach (var d in DurationsIn(v)) yield return d;
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    foreach (var d in DurationsIn(item)) yield return d;
                break;
        }
    }
}
