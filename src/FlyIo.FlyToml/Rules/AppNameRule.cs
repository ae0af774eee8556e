using FlyIo.AppModel;
using FlyIo.Diagnostics;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Rules;

/// <summary>flyctl needs an app name: from fly.toml's app (or legacy app_name) or, here, the FlyApp property.</summary>
internal sealed class AppNameRule : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        var entry = context.Root.GetEntry("app") ?? context.Root.GetEntry("app_name");
        if (!string.IsNullOrWhiteSpace(context.Options.AppName))
        {
            if (!AppNames.IsValid(context.Options.AppName!.Trim()))
            {
                context.Sink.Error(FlyCodes.InvalidAppName, TomlRead.WholeFile, AppNames.Problem(context.Options.AppName!.Trim(), "The FlyApp property"));
            }

            return;
        }

        if (entry?.Value is TomlString { Value: var name } && name.Trim().Length > 0)
        {
            if (!AppNames.IsValid(name))
            {
                context.Sink.Error(FlyCodes.InvalidAppName, entry.Value.Position, AppNames.Problem(name, $"'{entry.Key}'"));
            }

            return;
        }

        var at = entry?.Value.Position ?? TomlRead.WholeFile;
        context.Sink.Error(FlyCodes.MissingAppName, at,
            "No app name: fly.toml has no (non-empty) app = \"...\" and the FlyApp property is not set; add app = \"your-app\" to fly.toml or set <FlyApp>your-app</FlyApp> in the project.");
    }
}
