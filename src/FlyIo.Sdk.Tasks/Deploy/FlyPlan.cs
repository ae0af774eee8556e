using FlyIo.Deploy;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Prints what FlyDeploy would do (app and addresses to create, secrets, release command, each machine to create,
/// update or destroy with its config differences) and changes nothing: only reads go to the Machines API.
/// </summary>
public sealed class FlyPlan : FlyDeployTaskBase
{
    /// <summary>FlyImage; empty means the image FlyDeploy would push, shown as a placeholder reference.</summary>
    public string? Image { get; set; }

    /// <summary>FlyRegistry, for the placeholder reference.</summary>
    public string? Registry { get; set; }

    protected override bool Run()
    {
        var settings = Prepare(withSecrets: true);
        if (settings is null)
        {
            return false;
        }

        var registry = string.IsNullOrWhiteSpace(Registry) ? "registry.fly.io" : Registry!.Trim().TrimEnd('/');
        var image = string.IsNullOrWhiteSpace(Image) ? $"{registry}/{settings.App ?? "app"}:deployment-(next)" : Image!.Trim();
        DeployPlan? plan = null;
        if (!RunEngine(settings, async (engine, ct) => plan = await engine.PlanAsync(image, ct).ConfigureAwait(false)) || plan is null)
        {
            return false;
        }

        LogResult($"image {image}{System.Environment.NewLine}{plan}{System.Environment.NewLine}nothing was changed.");
        return !Log.HasLoggedErrors;
    }
}
