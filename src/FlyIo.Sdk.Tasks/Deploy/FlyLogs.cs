using System;
using System.Collections.Generic;
using System.Linq;
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
        // Followed lines stream as progress, as `fly logs` prints them (shown live by the classic console logger); the
        // newest lines are the target's result, which every logger shows, the terminal logger included.
        var lines = new List<string>();
        var ok = RunEngine(settings, (engine, ct) => engine.LogsAsync(count, machine, region, Follow, line =>
        {
            var text = $"{line.Timestamp} app[{line.Instance}] {line.Region} [{line.Level}] {line.Message}";
            lock (lines)
            {
                lines.Add(text);
            }

            if (Follow)
            {
                FlyLog.Progress(text);
            }
        }, ct));
        var scope = $"{(machine is null ? "" : " of machine " + machine)}{(region is null ? "" : " in " + region)}";
        if (ok && !Follow)
        {
            LogResult($"{settings.App}: {lines.Count} line(s){scope}." + string.Concat(lines.Select(l => Environment.NewLine + l)));
        }
        else if (Follow)
        {
            LogResult($"{settings.App}: followed {lines.Count} line(s){scope} until stopped.");
        }

        return ok && !Log.HasLoggedErrors;
    }
}
