using System.Collections.Generic;
using System.Linq;
using FlyIo.AppModel;
using FlyIo.Diagnostics;
using FlyIo.Release;

namespace FlyIo.Launch;

/// <summary>The parts of a plan that do not depend on the app's language: name, region, VM and release command.</summary>
internal static class LaunchCommon
{
    public static (string Name, string Reason)? AppName(LaunchInputs inputs, string derivedFrom, List<FlyDiagnostic> diagnostics)
    {
        if (!string.IsNullOrWhiteSpace(inputs.AppName))
        {
            var given = inputs.AppName!.Trim();
            if (!AppNames.IsValid(given))
            {
                diagnostics.Add(FlyCodes.InvalidAppName.Create(AppNames.Problem(given, "The FlyApp property"), inputs.ProjectPath, 0, 0));
                return null;
            }

            return (given, "The FlyApp property.");
        }

        var name = LaunchAppName.FromProjectName(derivedFrom);
        if (name.Length == 0)
        {
            diagnostics.Add(FlyCodes.LaunchNotPossible.Create(
                $"FlyLaunch cannot make an app name from \"{derivedFrom}\": Fly's app names are lowercase letters, digits and dashes. Set FlyApp, e.g. -p:FlyApp=my-app.",
                inputs.ProjectPath, 0, 0));
            return null;
        }

        return (name, $"From the project name {derivedFrom}; app names are global on Fly, so set FlyApp for another (FlyLaunch -p:FlyCreateApp=true claims it).");
    }

    public static (string Value, string Reason) Region(LaunchInputs inputs) =>
        string.IsNullOrWhiteSpace(inputs.Region)
            ? (LaunchDefaults.Region, "FlyRegion's default (Ashburn, Virginia); set FlyRegion for a region nearer your users: https://fly.io/docs/reference/regions/")
            : (inputs.Region!.Trim().ToLowerInvariant(), "The FlyRegion property.");

    public static LaunchVm Vm(LaunchInputs inputs) =>
        string.IsNullOrWhiteSpace(inputs.VmMemory)
            ? new LaunchVm(LaunchDefaults.Memory, LaunchDefaults.CpuKind, LaunchDefaults.Cpus,
                "fly launch's default machine: shared-cpu-1x with 1 GB (\"most apps need about 1GB of RAM\"); FlyVmMemory sets another size.")
            : new LaunchVm(inputs.VmMemory!.Trim().ToLowerInvariant(), LaunchDefaults.CpuKind, LaunchDefaults.Cpus,
                "The FlyVmMemory property, on a shared CPU; at 512 MB or less the generated Dockerfile turns Server GC off and caps the GC heap.");

    /// <summary>Why the release command is what it is: the planner's own words when it detected it.</summary>
    public static string? ReleaseReason(ReleasePlan? release)
    {
        if (release?.Command is null)
        {
            return null;
        }

        if (release.Source == ReleaseCommandSource.Property)
        {
            return "The FlyReleaseCommand property: it runs on a temporary machine before any machine gets the new version.";
        }

        var detected = release.Diagnostics.FirstOrDefault(d => d.Code == FlyCodes.ReleaseCommandDetected.Code)?.Message;
        return detected ?? "The release command FlySetReleaseCommand chose: it runs before any machine gets the new version.";
    }
}
