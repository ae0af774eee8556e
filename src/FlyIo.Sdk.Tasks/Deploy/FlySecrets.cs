using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.Deploy;
using FlyIo.Deploy.Secrets;
using FlyIo.Diagnostics;
using FlyIo.Machines;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// The app's secrets without a deploy (like `fly secrets list|set|unset`). With no Update it lists names and digests.
/// With Update=stage or apply it sets the FlySecret items and FlySecretsFile and unsets FlyUnsetSecret's names, in one
/// call; apply then updates every machine to the new secrets, rolling, each healthy before the next.
/// </summary>
public sealed class FlySecrets : FlyDeployTaskBase
{
    /// <summary>FlySecretsUpdate: empty (list), stage or apply.</summary>
    public string? Update { get; set; }

    /// <summary>FlyUnsetSecret: names to unset, `;`-separated.</summary>
    public string? Unset { get; set; }

    /// <summary>FlyAppSecret items for CI (`-getItem:FlyAppSecret`): the name, with a Digest metadata.</summary>
    [Output]
    public ITaskItem[] AppSecrets { get; private set; } = new ITaskItem[0];

    protected override bool Run()
    {
        var mode = (Update ?? "").Trim().ToLowerInvariant();
        if (mode is not ("" or "stage" or "apply"))
        {
            FlyLog.Report(FlyCodes.DeployPropertyInvalid.Create($"FlySecretsUpdate is '{Update}': leave it empty to list the secrets, or use stage or apply.", System.IO.Path.GetFullPath(ProjectPath)));
            return false;
        }

        var settings = Prepare(withSecrets: mode.Length > 0);
        if (settings is null)
        {
            return false;
        }

        var values = settings.Options.Secrets.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var name in (Unset ?? "").Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            if (!DeploySecrets.IsValidName(name))
            {
                FlyLog.Report(FlyCodes.DeployPropertyInvalid.Create($"FlyUnsetSecret names '{name}', which is not a secret name (letters, digits and '_', not starting with a digit).", System.IO.Path.GetFullPath(ProjectPath)));
                return false;
            }

            values[name] = null;
        }

        if (mode.Length > 0 && values.Count == 0)
        {
            FlyLog.Report(FlyCodes.DeployPropertyInvalid.Create(
                $"FlySecretsUpdate={mode} has nothing to set or unset: add FlySecret items, a FlySecretsFile, or FlyUnsetSecret names.", System.IO.Path.GetFullPath(ProjectPath)));
            return false;
        }

        IReadOnlyList<AppSecret>? secrets = null;
        DeployResult? applied = null;
        var ok = RunEngine(settings, async (engine, ct) =>
        {
            if (mode.Length > 0)
            {
                applied = await engine.UpdateSecretsAsync(values, mode == "apply", ct).ConfigureAwait(false);
            }

            secrets = await engine.SecretsAsync(ct).ConfigureAwait(false);
        });
        if (!ok || secrets is null)
        {
            return false;
        }

        if (applied is not null)
        {
            // Fly's release of the apply (none when the app has no machine yet, as flyctl records none).
            var release = applied.ReleaseVersion > 0 ? $" as release v{applied.ReleaseVersion}" : "";
            FlyLog.Progress($"applied to {applied.Updated.Count} machine(s){release}, each healthy: {string.Join(", ", applied.Updated)}.");
        }

        var ordered = secrets.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        LogResult(TextTable.Render($"{settings.App}: {ordered.Count} secret(s)", new[] { "NAME", "DIGEST" },
            ordered.Select(s => new[] { s.Name, s.Digest ?? "-" })));
        AppSecrets = ordered.Select(s =>
        {
            var item = new TaskItem(s.Name);
            item.SetMetadata("Digest", s.Digest ?? "");
            return (ITaskItem)item;
        }).ToArray();
        return !Log.HasLoggedErrors;
    }
}
