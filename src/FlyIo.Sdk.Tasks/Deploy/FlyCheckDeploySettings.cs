using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// The first step of FlyDeploy (and of FlyPlan, FlyRollback, FlyStatus): the token is in the environment and not in a
/// property, secrets resolve, the deploy properties parse, and there will be an image to deploy. Checked before any
/// validation, image build or push, so a missing token fails in a second, not after the image build.
/// </summary>
public sealed class FlyCheckDeploySettings : FlyDeployTaskBase, ICancelableTask
{
    /// <summary>FlyImage as given by the user (the image step sets it later otherwise).</summary>
    public string? Image { get; set; }

    /// <summary>True when no image will be built and pushed in this run (FlySkipImage).</summary>
    public bool SkipImage { get; set; }

    /// <summary>False for FlyRollback and FlyStatus, which set no secrets.</summary>
    public bool CheckSecrets { get; set; } = true;

    public override bool Execute()
    {
        var settings = Prepare(CheckSecrets);
        if (settings is null)
        {
            return false;
        }

        if (SkipImage && string.IsNullOrWhiteSpace(Image))
        {
            DiagnosticLogger.Log(Log, NoImage(ProjectPath));
            return false;
        }

        Log.LogMessage(MessageImportance.Normal, $"{Name}: app {settings.App ?? "(none)"}, Fly token from {settings.Token.Source}, Machines API {ApiUrl}.");
        return true;
    }

    internal static FlyIo.Diagnostics.FlyDiagnostic NoImage(string projectPath) => new(
        DeployTaskCodes.NoImage, FlyIo.Diagnostics.DiagnosticSeverity.Error,
        "No image to deploy: the image step is skipped (FlySkipImage) and FlyImage is empty. Pass -p:FlyImage=registry.fly.io/<app>:<tag> to deploy an image that exists, or let FlyPushImage build and push one.",
        System.IO.Path.GetFullPath(projectPath), 0, 0);
}
