using FlyIo.Toml;

namespace FlyIo.FlyToml.Rules;

/// <summary>flyctl needs an app name: from fly.toml's app (or legacy app_name) or, here, the FlyApp property.</summary>
internal sealed class AppNameRule : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        if (!string.IsNullOrWhiteSpace(context.Options.AppName))
        {
            return;
        }

        var entry = context.Root.GetEntry("app") ?? context.Root.GetEntry("app_name");
        if (entry?.Value is TomlString { Value: var name } && name.Trim().Length > 0)
        {
            return;
        }

        var at = entry?.Value.Position ?? TomlRead.WholeFile;
        context.Sink.Error(FlyTomlCodes.MissingAppName, at,
            "No app name: fly.toml has no (non-empty) app = \"...\" and the FlyApp property is not set; add app = \"your-app\" to fly.toml or set <FlyApp>your-app</FlyApp> in the project.");
    }
}
