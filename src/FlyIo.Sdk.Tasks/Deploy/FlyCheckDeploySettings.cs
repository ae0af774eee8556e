using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// The first step of FlyDeploy: the token is in the environment and not in a property, secrets resolve, and the
/// deploy properties parse, and a skipped image step has an image to deploy; before any validation, image build or push, so a missing token fails in a second, not
/// after the image build.
/// </summary>
public sealed class FlyCheckDeploySettings : FlyDeployTaskBase
{
    /// <summary>FlyImage as given; with <see cref="SkipImage"/> it must name the image to deploy.</summary>
    public string? Image { get; set; }

    /// <summary>FlySkipImage: no image step will set FlyImage later.</summary>
    public bool SkipImage { get; set; }

    protected override bool Run()
    {
        var settings = Prepare(withSecrets: true);
        if (settings is null)
        {
            return false;
        }

        if (SkipImage && NoImage(Image, imageStepSkipped: true) is { } noImage)
        {
            FlyLog.Report(noImage);
            return false;
        }

        FlyLog.Detail($"app {settings.App ?? "(none)"}, Fly token from {settings.Token.Source}, Machines API {ApiUrl}.");
        return true;
    }
}
