namespace FlyIo.Launch;

/// <summary>
/// Properties/PublishProfiles/Fly.pubxml: the publish profile that makes <c>dotnet publish -p:PublishProfile=Fly</c>
/// (and Visual Studio's Publish button, which lists every .pubxml there) deploy to Fly. The SDK reacts to the profile
/// name alone, so the file only says so explicitly and gives Visual Studio what it reads from a profile.
/// </summary>
public static class PublishProfileWriter
{
    /// <summary>Where the profile goes, relative to the project folder (the .NET SDK's default profile folder).</summary>
    public const string RelativePath = "Properties/PublishProfiles/Fly.pubxml";

    /// <summary>
    /// The profile's text. The same for every project and every platform, LF line ends, so it is byte-for-byte
    /// deterministic and a checkout with autocrlf converts it like any other text file.
    /// WebPublishMethod Custom: a method of no built-in publish target, so the Web SDK copies nothing on its own;
    /// FlyDeployOnPublish makes Publish the deploy (see FlyIo.Sdk.Deploy.targets).
    /// </summary>
    public static string Render() =>
        """
        <?xml version="1.0" encoding="utf-8"?>
        <!--
          Deploys this project to Fly.io with FlyIo.Sdk, written by FlyLaunch:
            dotnet publish -p:PublishProfile=Fly
          does what dotnet publish -t:FlyDeploy does (fly.toml, the image, the machines), without the ordinary
          publish to bin/: the image build publishes the app inside the image.
          https://github.com/flyio-sdk/FlyIo.Sdk/blob/main/docs/deploy.md
        -->
        <Project>
          <PropertyGroup>
            <WebPublishMethod>Custom</WebPublishMethod>
            <LastUsedBuildConfiguration>Release</LastUsedBuildConfiguration>
            <LastUsedPlatform>Any CPU</LastUsedPlatform>
            <FlyDeployOnPublish>true</FlyDeployOnPublish>
          </PropertyGroup>
        </Project>

        """.Replace("\r\n", "\n");
}
