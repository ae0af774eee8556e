using System.Globalization;
using FlyIo.Diagnostics;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// The app's logs (like `fly logs`): the last FlyLogLines lines, of one machine (FlyLogMachine) or region
/// (FlyLogRegion) when asked; with FlyFollow, new lines as they arrive until Ctrl+C.
/// </summary>
public sealed class FlyLogs : FlyDeployTaskBase
{
    public string? Lines { get; set; }

    public string? Machine { get; set; }

    public string? Region { get; set; }

    public bool Follow { get; set; }

    protected override bool Run()
    {
        var settings = Prepare(withSecrets: false);
        if (settings is null)
        {
            return false;
        }

        var count = 100;
        if (!string.IsNullOrWhiteSpace(Lines) && !(int.TryParse(Lines!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out count) && count >= 1))
        {
            FlyLog.Report(FlyCodes.DeployPropertyInvalid.Create($"FlyLogLines is '{Lines}': use a whole number of lines, 1 or more.", System.IO.Path.GetFullPath(ProjectPath)));
            return false;
        }

        var machine = string.IsNullOrWhiteSpace(Machine) ? null : Machine!.Trim();
        var region = string.IsNullOrWhiteSpace(Region) ? null : Region!.Trim().ToLowerInvariant();
        var shown = 0;
        var ok = RunEngine(settings, (engine, ct) => engine.LogsAsync(count, machine, region, Follow, line =>
        {
            shown++;
            FlyLog.Progress($"{line.Timestamp} app[{line.Instance}] {line.Region} [{line.Level}] {line.Message}");
        }, ct));
        if (ok && !Follow)
        {
            FlyLog.Progress($"{settings.App}: {shown} line(s){(machine is null ? "" : " of machine " + machine)}{(region is null ? "" : " in " + region)}.");
        }

        return ok && !Log.HasLoggedErrors;
    }
}
