using System;
using System.IO;
using FlyIo.Diagnostics;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using FlyIo.Deploy;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Deploys an image to the app through the Machines API: secrets in one call, the release command, then every
/// machine with the strategy, health checks and automatic rollback. Each phase and machine is logged as it happens;
/// one summary closes the run. Cancelling the build cancels the deploy, which releases its leases and reports where
/// each machine ended up.
/// </summary>
public sealed class FlyDeploy : FlyDeployTaskBase
{
    /// <summary>The image reference (FlyImage: pushed by FlyPushImage, or given with -p:FlyImage=...).</summary>
    public string? Image { get; set; }

    /// <summary>Fly's version of the release this deploy recorded (what `fly releases` lists).</summary>
    [Output]
    public string? ReleaseVersion { get; private set; }

    /// <summary>Fly's id of that release (machines' fly_release_id).</summary>
    [Output]
    public string? ReleaseId { get; private set; }

    [Output]
    public string? AppUrl { get; private set; }

    /// <summary>The app deployed (FlyApp, or fly.toml's app): what a solution's deploy summary names.</summary>
    [Output]
    public string? DeployedApp { get; private set; }

    protected override bool Run()
    {
        var settings = Prepare(withSecrets: true);
        if (settings is null)
        {
            return false;
        }

        if (NoImage(Image, imageStepSkipped: false) is { } noImage)
        {
            FlyLog.Report(noImage);
            return false;
        }

        var watch = Stopwatch.StartNew();
        DeployResult? result = null;
        var ok = RunEngine(settings, async (engine, ct) => result = await engine.DeployAsync(Image!.Trim(), ct).ConfigureAwait(false));
        if (!ok || result is null)
        {
            return false;
        }

        ReleaseVersion = result.ReleaseVersion.ToString(CultureInfo.InvariantCulture);
        ReleaseId = result.ReleaseId;
        AppUrl = result.Url;
        DeployedApp = result.App;
        FlyLog.Progress(Summary(result, watch.Elapsed));
        FlyLog.Detail("machines now:" + string.Concat(result.Machines.Select(m => Environment.NewLine + "  " + m)));
        // The terminal logger shows this as the project's result: "WebApp succeeded → https://app.fly.dev (release v3)".
        LogResult($"{result.Url} (release v{ReleaseVersion})");
        if (StepSummary.Append(result, watch.Elapsed) is { } summary)
        {
            FlyLog.Detail($"appended the deploy summary to {StepSummary.Variable} ({summary}).");
        }
        return !Log.HasLoggedErrors;
    }

    private string Summary(DeployResult r, TimeSpan elapsed)
    {
        var nl = Environment.NewLine;
        var rolledBack = r.RolledBack.Count > 0 ? $", {r.RolledBack.Count} rolled back" : "";
        var release = r.ReleaseCommandExitCode is int code ? $"{nl}  release command: exit code {code}" : "";
        return $"deployed {r.App} release v{r.ReleaseVersion} in {elapsed.TotalSeconds:0.0}s" +
               $"{nl}  image:    {r.Image}" +
               $"{nl}  machines: {r.Created.Count} created, {r.Updated.Count} updated, {r.Destroyed.Count} destroyed{rolledBack} ({r.Strategy}); {r.Machines.Count} in the app" +
               release +
               $"{nl}  url:      {r.Url}" +
               $"{nl}  phases:   {string.Join(", ", r.Phases.Select(p => $"{p.Phase} {p.Elapsed.TotalSeconds:0.0}s"))}" +
               $"{nl}  API requests: {r.ApiRequests}";
    }
}
