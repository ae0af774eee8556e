using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.Json;

namespace FlyIo.Machines;

public sealed class FlyApp
{
    public FlyApp(string name, string? id, string? status, string? orgSlug)
    {
        Name = name;
        Id = id;
        Status = status;
        OrgSlug = orgSlug;
    }

    public string Name { get; }
    public string? Id { get; }
    public string? Status { get; }
    public string? OrgSlug { get; }

    internal static FlyApp FromJson(JsonObject o) =>
        new(o.GetString("name") ?? "", o.GetString("id"), o.GetString("status"), o.GetObject("organization")?.GetString("slug"));
}

/// <summary>An IP address of an app. <see cref="Type"/> is what was asked for when allocating, or read from the address.</summary>
public sealed record IpAssignment(string Ip, string? Type, string? Region, bool Shared)
{
    /// <summary>
    /// v6, shared_v4, v4 or private_v6. Fly's list gives no type ({ip, region, service_name, shared, created_at}),
    /// so it is read from the address: shared means shared_v4; Fly's private IPv6 range is fdaa::/16.
    /// </summary>
    public string Kind => Type is { Length: > 0 } t ? t
        : Shared ? "shared_v4"
        : Ip.IndexOf(':') < 0 ? "v4"
        : Ip.StartsWith("fdaa:", StringComparison.OrdinalIgnoreCase) ? "private_v6" : "v6";
}

public sealed record MachineCheck(string Name, string Status, string? Output);

public sealed class MachineEvent
{
    public MachineEvent(JsonObject json)
    {
        Json = json;
        Type = json.GetString("type") ?? "";
        Status = json.GetString("status") ?? "";
        Timestamp = json.GetLong("timestamp") ?? 0;
    }

    public string Type { get; }
    public string Status { get; }
    public long Timestamp { get; }
    public JsonObject Json { get; }

    /// <summary>For an <c>exit</c> event: the exit code (MonitorEvent first, a missing code meaning 0).</summary>
    public int? ExitCode
    {
        get
        {
            if (Type != "exit")
            {
                return null;
            }

            var request = Json.GetObject("request");
            var exit = request?.GetObject("MonitorEvent")?.GetObject("exit_event") ?? request?.GetObject("exit_event");
            return exit is null ? 0 : (int)(exit.GetLong("exit_code") ?? 0);
        }
    }

    public bool OomKilled => ExitEvent?.GetBool("oom_killed") == true;

    /// <summary>For an <c>exit</c> event: the process was stopped on request (a stop, an update, a destroy), not by itself.</summary>
    public bool RequestedStop => ExitEvent?.GetBool("requested_stop") == true;

    /// <summary>For a failed <c>launch</c>: Fly's reason, when the event carries one.</summary>
    public string? Error => Json.GetObject("request")?.GetString("error") ?? Json.GetString("error");

    private JsonObject? ExitEvent
    {
        get
        {
            var request = Json.GetObject("request");
            return request?.GetObject("MonitorEvent")?.GetObject("exit_event") ?? request?.GetObject("exit_event");
        }
    }

    /// <summary>
    /// The exit code as flyctl reads it from events listed newest first: the newest <c>exit</c> newer than the last
    /// <c>start</c>; null when the machine has not exited since it last started.
    /// </summary>
    public static int? LatestExitCode(IReadOnlyList<MachineEvent> newestFirst)
    {
        foreach (var e in newestFirst)
        {
            if (e.Type == "exit")
            {
                return e.ExitCode;
            }

            if (e.Type == "start")
            {
                return null;
            }
        }

        return null;
    }
}

/// <summary>A machine as the API returns it; <see cref="Config"/> is kept exactly as sent back (for rollback and diffs).</summary>
public sealed class Machine
{
    public Machine(JsonObject json)
    {
        Json = json;
        Id = json.GetString("id") ?? "";
        Name = json.GetString("name") ?? "";
        State = json.GetString("state") ?? "";
        Region = json.GetString("region") ?? "";
        InstanceId = json.GetString("instance_id") ?? "";
        PrivateIp = json.GetString("private_ip");
        Config = json.GetObject("config") ?? Js.Obj();
        Nonce = json.GetString("nonce");
        Checks = json.GetObjects("checks").Select(c => new MachineCheck(c.GetString("name") ?? "", c.GetString("status") ?? "", c.GetString("output"))).ToList();
        Events = json.GetObjects("events").Select(e => new MachineEvent(e)).ToList();
        Cordoned = json.GetBool("cordoned") == true;
    }

    public string Id { get; }
    public string Name { get; }
    public string State { get; }
    public string Region { get; }
    public string InstanceId { get; }
    public string? PrivateIp { get; }
    public JsonObject Config { get; }
    public JsonObject Json { get; }
    /// <summary>Lease nonce, when the machine was created with <c>lease_ttl</c>.</summary>
    public string? Nonce { get; }
    public IReadOnlyList<MachineCheck> Checks { get; }
    public IReadOnlyList<MachineEvent> Events { get; }
    public bool Cordoned { get; }

    public string Image => Config.GetString("image") ?? "";

    public string? Metadata(string key) => Config.GetObject("metadata")?.GetString(key);

    public string ProcessGroup => Metadata("fly_process_group") ?? "app";

    /// <summary>
    /// Whether deploys manage this machine: flyctl (and this SDK) create theirs with <c>fly_platform_version = "v2"</c>
    /// metadata and leave every other machine alone (one made by <c>fly machine run</c> or straight through the API).
    /// </summary>
    public bool IsManagedByDeploys => Metadata("fly_platform_version") == "v2";

    public override string ToString() => $"{Id} ({State}, {Region}, {InstanceId})";
}

public sealed class MachineLease
{
    public MachineLease(string nonce, long expiresAt, string? owner)
    {
        Nonce = nonce;
        ExpiresAt = expiresAt;
        Owner = owner;
    }

    public string Nonce { get; }
    public long ExpiresAt { get; }
    public string? Owner { get; }
}

/// <summary>What to send when creating a machine.</summary>
public sealed class CreateMachineRequest
{
    public CreateMachineRequest(JsonObject config)
    {
        Config = config;
    }

    public JsonObject Config { get; }
    public string? Region { get; set; }
    /// <summary>Generated by the client when empty, so a retried create can be recognised.</summary>
    public string? Name { get; set; }
    public bool SkipLaunch { get; set; }
    public bool SkipServiceRegistration { get; set; }
    public int? LeaseTtl { get; set; }
    public long? MinSecretsVersion { get; set; }
}

public sealed class UpdateMachineRequest
{
    public UpdateMachineRequest(JsonObject config)
    {
        Config = config;
    }

    public JsonObject Config { get; }
    public string? Region { get; set; }
    public bool SkipLaunch { get; set; }
    public string? CurrentVersion { get; set; }
    public long? MinSecretsVersion { get; set; }
}

/// <summary>Filters for listing machines.</summary>
public sealed class MachineListFilter
{
    public bool IncludeDeleted { get; set; }
    public string? Region { get; set; }
    public List<string> States { get; } = new();
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);
}
