using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using FlyIo.Deploy;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Redeploys the previous release: every machine gets back the image and config it had before the last deploy,
/// rolling, with the same health waits as a deploy.
/// </summary>
public sealed class FlyRollback : FlyDeployTaskBase
{
    [Output]
    public string? ReleaseVersion { get; private set; }

    [Output]
    public string? ReleaseId { get; private set; }

    protected override bool Run()
    {
        var settings = Prepare(withSecrets: false);
        if (settings is null)
        {
            return false;
        }

        var watch = Stopwatch.StartNew();
        DeployResult? result = null;
        if (!RunEngine(settings, async (engine, ct) => result = await engine.RollbackAsync(ct).ConfigureAwait(false)) || result is null)
        {
            return false;
        }

        ReleaseVersion = result.ReleaseVersion.ToString(CultureInfo.InvariantCulture);
        ReleaseId = result.ReleaseId;
        var nl = Environment.NewLine;
        FlyLog.Progress($"rolled {result.App} back to {result.Image} as release v{result.ReleaseVersion} in {watch.Elapsed.TotalSeconds:0.0}s: {result.Updated.Count} machine(s) restored" +
            $"{nl}  url:    {result.Url}" +
            string.Concat(result.Machines.Select(m => $"{nl}  {m}")));
        LogResult($"{result.Url} (release v{result.ReleaseVersion}: {result.Image})");
        return !Log.HasLoggedErrors;
    }
}
