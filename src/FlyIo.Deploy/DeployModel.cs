using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FlyIo.Diagnostics;

namespace FlyIo.Deploy;

public sealed class DeployOptions
{
    /// <summary>The app name; defaults to fly.toml's <c>app</c>.</summary>
    public string? App { get; set; }
    /// <summary>The org slug used when the app has to be created.</summary>
    public string? Org { get; set; }
    /// <summary>Regions for new machines (round robin), as <c>fly scale count --region</c> places them; default fly.toml's primary_region.</summary>
    public IReadOnlyList<string> NewMachineRegions { get; set; } = Array.Empty<string>();
    /// <summary>flyctl's <c>--regions</c>: only machines in these regions are deployed to; the others are left as they are.</summary>
    public IReadOnlyList<string> OnlyRegions { get; set; } = Array.Empty<string>();
    /// <summary>flyctl's <c>--exclude-regions</c>: machines in these regions are left as they are.</summary>
    public IReadOnlyList<string> ExcludeRegions { get; set; } = Array.Empty<string>();
    /// <summary>
    /// Machines per process group with no machines yet; null follows flyctl's <c>--ha</c> rules (see <see cref="HighAvailability"/>).
    /// </summary>
    public int? MachineCount { get; set; }
    /// <summary>
    /// flyctl's <c>--ha</c> (on by default): a new group with services gets two machines, so a rolling deploy never
    /// takes it down; one without services gets a stopped standby; one with a volume gets one machine.
    /// </summary>
    public bool HighAvailability { get; set; } = true;
    /// <summary>Overrides [deploy] strategy.</summary>
    public string? Strategy { get; set; }
    public bool RollbackOnFailure { get; set; } = true;
    /// <summary>Secrets to set (a value) or unset (null) in one call before machines change. Values are never logged.</summary>
    public IReadOnlyDictionary<string, string?> Secrets { get; set; } = new Dictionary<string, string?>();
    /// <summary>
    /// How long past a check's grace period and first interval a started machine may go without reporting any check
    /// result before the deploy stops waiting for it (FLY5013) rather than running out wait_timeout.
    /// </summary>
    public TimeSpan ChecksReportMargin { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Gets one progress line per phase and per machine.</summary>
    public IFlyLog Log { get; set; } = FlyLog.None;
    /// <summary>Overrides [deploy] wait_timeout.</summary>
    public TimeSpan? WaitTimeout { get; set; }
    /// <summary>How long a started machine must keep running (no non-zero exit) before it counts as up. flyctl: ~10 s.</summary>
    public TimeSpan SmokeCheckWindow { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Interval between state/check polls of a machine being deployed.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Machine operations in flight at once.</summary>
    public int MaxConcurrency { get; set; } = 8;
    public int LeaseTtlSeconds { get; set; } = 13;
    public TimeSpan LeaseRefreshInterval { get; set; } = TimeSpan.FromSeconds(4);
}

public enum MachineChangeKind
{
    Create,
    Update,
    Destroy,
}

/// <summary>Where one machine ended up.</summary>
public sealed record MachineVersion(string Id, string Group, string Region, string State, string InstanceId, string Image, string? ReleaseVersion)
{
    public override string ToString() => $"{Id} [{Group}, {Region}] {State}: {Image} (release {ReleaseVersion ?? "?"}, instance {InstanceId})";
}

public sealed class DeployResult
{
    public string App { get; internal set; } = "";
    public string Image { get; internal set; } = "";
    public string Strategy { get; internal set; } = "";
    /// <summary>Fly's version of the release this run recorded: what `fly releases` lists and machines carry in fly_release_version.</summary>
    public int ReleaseVersion { get; internal set; }

    /// <summary>Fly's id of that release (machines' fly_release_id).</summary>
    public string ReleaseId { get; internal set; } = "";
    public List<string> Created { get; } = new();
    public List<string> Updated { get; } = new();
    public List<string> Destroyed { get; } = new();
    /// <summary>Machines restored to their previous release by the automatic rollback.</summary>
    public List<string> RolledBack { get; } = new();

    /// <summary>Machines of the app the deploy left alone: not managed by deploys.</summary>
    public List<string> NotManaged { get; } = new();
    public List<(string Phase, TimeSpan Elapsed)> Phases { get; } = new();
    /// <summary>Every app machine at the end (also after a failure or cancellation).</summary>
    public List<MachineVersion> Machines { get; } = new();
    public int? ReleaseCommandExitCode { get; internal set; }
    public long ApiRequests { get; internal set; }
    public string Url => $"https://{App}.fly.dev";

    public string Summary()
    {
        var sb = new StringBuilder();
        sb.Append($"{App}: release v{ReleaseVersion} of {Image} ({Strategy}): {Created.Count} created, {Updated.Count} updated, {Destroyed.Count} destroyed");
        if (RolledBack.Count > 0)
        {
            sb.Append($", {RolledBack.Count} rolled back");
        }

        sb.Append($"; {Url}; ").Append(string.Join(", ", Phases.Select(p => $"{p.Phase} {p.Elapsed.TotalSeconds:0.0}s")));
        return sb.ToString();
    }

    public override string ToString() => Summary();
}

/// <summary>A deploy (or plan, rollback, status) that failed, with its FLY50xx code and what it left behind.</summary>
public sealed class DeployException : Exception
{
    public DeployException(DiagnosticDescriptor code, string message, DeployResult? result = null, Exception? inner = null, string? logTail = null) : base(message, inner)
    {
        Descriptor = code;
        Result = result;
        LogTail = logTail ?? (inner as DeployException)?.LogTail;
    }

    /// <summary>The FLY50xx row of <see cref="FlyCodes"/> this failure belongs to.</summary>
    public DiagnosticDescriptor Descriptor { get; }

    public string Code => Descriptor.Code;

    /// <summary>The failed machine's last log lines (a header line, then the lines), shown after the one-line error.</summary>
    public string? LogTail { get; }

    /// <summary>What had happened up to the failure (machines and their versions at the end).</summary>
    public DeployResult? Result { get; }

    public override string ToString() => $"{Code}: {Message}";
}

public sealed class PlannedChange
{
    public PlannedChange(MachineChangeKind kind, string? machineId, string group, string? region, IReadOnlyList<string> diff)
    {
        Kind = kind;
        MachineId = machineId;
        Group = group;
        Region = region;
        Diff = diff;
    }

    public MachineChangeKind Kind { get; }
    public string? MachineId { get; }
    public string Group { get; }
    public string? Region { get; }
    /// <summary>"path: old → new" lines (for creates: "path: value").</summary>
    public IReadOnlyList<string> Diff { get; }

    public override string ToString() =>
        $"{Kind.ToString().ToLowerInvariant()} {MachineId ?? "(new)"} [{Group}{(Region is null ? "" : ", " + Region)}]" + (Diff.Count == 0 ? "" : Environment.NewLine + string.Join(Environment.NewLine, Diff.Select(d => "    " + d)));
}

public sealed class DeployPlan
{
    public string App { get; internal set; } = "";
    public bool CreatesApp { get; internal set; }
    public List<string> IpsToAllocate { get; } = new();
    /// <summary>Volumes the deploy creates for new machines: "name (size, region)".</summary>
    public List<string> VolumesToCreate { get; } = new();
    /// <summary>Machines left as they are because they are outside the deploy's regions: "id (region)".</summary>
    public List<string> OutsideRegions { get; } = new();
    public string Strategy { get; internal set; } = "";
    public List<string>? ReleaseCommand { get; internal set; }
    public List<PlannedChange> Changes { get; } = new();
    public List<string> SecretsToSet { get; } = new();
    public List<string> SecretsToRemove { get; } = new();

    /// <summary>Machines the deploy leaves alone (no <c>fly_platform_version = "v2"</c>): "id (state, region, image)".</summary>
    public List<string> NotManaged { get; } = new();

    public override string ToString()
    {
        var lines = new List<string> { $"Plan for {App} ({Strategy}):" };
        if (CreatesApp)
        {
            lines.Add("  create the app");
        }

        lines.AddRange(IpsToAllocate.Select(ip => $"  allocate a {ip} address"));
        lines.AddRange(VolumesToCreate.Select(v => $"  create volume {v}"));
        if (SecretsToSet.Count > 0)
        {
            lines.Add("  set secrets: " + string.Join(", ", SecretsToSet));
        }

        if (SecretsToRemove.Count > 0)
        {
            lines.Add("  remove secrets: " + string.Join(", ", SecretsToRemove));
        }

        if (ReleaseCommand is not null)
        {
            lines.Add("  run release command: " + string.Join(" ", ReleaseCommand));
        }

        lines.AddRange(Changes.Select(c => "  " + c));
        lines.AddRange(OutsideRegions.Select(m => $"  leave alone {m}: outside the deploy's regions"));
        lines.AddRange(NotManaged.Select(m => $"  leave alone {m}: not managed by deploys (no fly_platform_version = \"v2\" metadata)"));
        return string.Join(Environment.NewLine, lines);
    }
}

public sealed record MachineStatus(string Id, string Group, string Region, string State, string InstanceId, string Image, string? ReleaseVersion, IReadOnlyList<FlyIo.Machines.MachineCheck> Checks)
{
    /// <summary>False for a machine deploys leave alone (no <c>fly_platform_version = "v2"</c> metadata).</summary>
    public bool Managed { get; init; } = true;

    /// <summary>The release column: "v3", or "not managed".</summary>
    public string Release => Managed ? "v" + (ReleaseVersion ?? "?") : "not managed";

    public override string ToString() =>
        $"{Id} {Group} {Region} {State} {Release} {Image} checks: " +
        (Checks.Count == 0 ? "none" : string.Join(", ", Checks.Select(c => $"{c.Name}={c.Status}")));
}
