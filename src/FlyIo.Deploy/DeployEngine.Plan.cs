using FlyIo.AppModel;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>FlyPlan: what a deploy would do, changing nothing.</summary>
public sealed partial class DeployEngine
{
    /// <summary>What <see cref="DeployAsync"/> would do, changing nothing.</summary>
    public async Task<DeployPlan> PlanAsync(string image, CancellationToken cancellationToken = default)
    {
        Validate();
        var plan = new DeployPlan { App = _app, Strategy = Strategy };
        var app = await _client.GetAppAsync(_app, cancellationToken).ConfigureAwait(false);
        plan.CreatesApp = app is null;
        var (machines, notManaged) = app is null ? (new List<Machine>(), new List<Machine>()) : await MachineSetAsync(cancellationToken).ConfigureAwait(false);
        plan.NotManaged.AddRange(notManaged.Select(m => $"{m.Id} ({m.State}, {m.Region}, {m.Image})"));
        if (machines.Count == 0 && _config.HasPublicServices)
        {
            var ips = app is null ? Array.Empty<IpAssignment>() : await _client.ListIpAssignmentsAsync(_app, cancellationToken).ConfigureAwait(false);
            plan.IpsToAllocate.AddRange(new[] { "v6", "shared_v4" }.Where(t => !ips.Any(ip => ip.Kind == t)));
        }

        var existing = app is null || _options.Secrets.Count == 0 ? Array.Empty<AppSecret>() : await _client.GetSecretsAsync(_app, cancellationToken).ConfigureAwait(false);
        var digests = existing.ToDictionary(s => s.Name, s => s.Digest, StringComparer.Ordinal);
        var ledger = SecretsLedger.Read(machines);
        plan.SecretsToSet.AddRange(_options.Secrets.Where(kv => kv.Value is not null && !ledger.Unchanged(kv.Key, kv.Value, digests)).Select(kv => kv.Key).OrderBy(k => k, StringComparer.Ordinal));
        plan.SecretsToRemove.AddRange(_options.Secrets.Where(kv => kv.Value is null && digests.ContainsKey(kv.Key)).Select(kv => kv.Key).OrderBy(k => k, StringComparer.Ordinal));
        if (!string.IsNullOrWhiteSpace(_config.ReleaseCommand))
        {
            plan.ReleaseCommand = ShellWords.Split(_config.ReleaseCommand!).Words.ToList();
        }

        var deployed = machines.Where(InDeployRegions).ToList();
        plan.OutsideRegions.AddRange(machines.Where(m => !InDeployRegions(m)).Select(m => $"{m.Id} ({m.Region})"));
        CheckMountedVolumes(deployed);
        foreach (var m in deployed.Where(m => !_config.Groups.Contains(m.ProcessGroup)))
        {
            plan.Changes.Add(new PlannedChange(MachineChangeKind.Destroy, m.Id, m.ProcessGroup, m.Region, Array.Empty<string>()));
        }

        foreach (var m in deployed.Where(m => _config.Groups.Contains(m.ProcessGroup)))
        {
            var target = TargetConfig(m.ProcessGroup, image, null, m.Config);
            plan.Changes.Add(new PlannedChange(MachineChangeKind.Update, m.Id, m.ProcessGroup, m.Region, Diff(m.Config, target)));
        }

        var creates = NewMachines(machines);
        plan.VolumesToCreate.AddRange((await AssignVolumesAsync(creates, image, false, app is not null, cancellationToken).ConfigureAwait(false))
            .Select(v => $"{v.Name} ({v.SizeGb} GB, {v.Region ?? "default region"})"));
        foreach (var c in creates)
        {
            var target = TargetConfig(c.Group, image, null, null, c.Volume?.Id ?? (_config.MountFor(c.Group) is null ? null : "(new volume)"), c.StandbyFor is null ? null : "(the group's first machine)");
            plan.Changes.Add(new PlannedChange(MachineChangeKind.Create, null, c.Group, c.Region, Diff(null, target)));
        }

        return plan;
    }

    /// <summary>
    /// Config differences by JSON path ("path: old → new"), ignoring the release bookkeeping metadata. Images are
    /// compared as references (Fly lists <c>nginx</c> as <c>library/nginx:latest</c>), not as text.
    /// </summary>
    public static IReadOnlyList<string> Diff(JsonObject? before, JsonObject after)
    {
        static bool Bookkeeping(string path) => ReleaseKeys.Any(k => path == "metadata." + k);
        var a = before is null ? new SortedDictionary<string, string>(StringComparer.Ordinal) : Js.Flatten(before);
        var b = Js.Flatten(after);
        var lines = new List<string>();
        foreach (var path in a.Keys.Union(b.Keys).Distinct().OrderBy(p => p, StringComparer.Ordinal))
        {
            if (Bookkeeping(path))
            {
                continue;
            }

            var hasA = a.TryGetValue(path, out var va) && !(before is not null && IsUnset(va));
            var hasB = b.TryGetValue(path, out var vb) && !(before is not null && IsUnset(vb));
            if (!hasA && !hasB)
            {
                continue;
            }

            if (before is null)
            {
                lines.Add($"{path}: {vb}");
            }
            else if (!hasA)
            {
                lines.Add($"{path}: (none) → {vb}");
            }
            else if (!hasB)
            {
                lines.Add($"{path}: {va} → (removed)");
            }
            else if (va != vb && !(path == "image" && ImageReference.Same(Unquote(va), Unquote(vb))))
            {
                lines.Add($"{path}: {va} → {vb}");
            }
        }

        return lines;
    }

    /// <summary>
    /// Values Fly returns for what was never set (<c>null</c>, <c>""</c>, <c>false</c>, <c>{}</c>, <c>[]</c>: env null,
    /// restart policy "", dns {}, init.tty false): the same as absent, so they are no change.
    /// </summary>
    private static bool IsUnset(string? json) => json is null or "null" or "\"\"" or "false" or "{}" or "[]";

    private static string? Unquote(string? json) => json is { Length: >= 2 } && json[0] == '"' && json[json.Length - 1] == '"' ? json.Substring(1, json.Length - 2) : json;
}
