using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// The first step of FlyDeploy: the token is in the environment and not in a property, secrets resolve, and the
/// deploy properties parse; before any validation, image build or push, so a missing token fails in a second, not
/// after the image build.
/// </summary>
public sealed class FlyCheckDeploySettings : FlyDeployTaskBase, ICancelableTask
{
    public override bool Execute()
    {
        var settings = Prepare(withSecrets: true);
        if (settings is null)
        {
            return false;
        }

        Log.LogMessage(MessageImportance.Normal, $"{Name}: app {settings.App ?? "(none)"}, Fly token from {settings.Token.Source}, Machines API {ApiUrl}.");
        return true;
    }
}
