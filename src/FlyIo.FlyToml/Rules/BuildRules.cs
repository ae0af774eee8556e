using FlyIo.AppModel;
using FlyIo.Diagnostics;
using System.Collections.Generic;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Rules;

/// <summary>flyctl's validateBuildStrategies: one build source only (it warns and picks one).</summary>
internal sealed class BuildRules : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        if (TomlRead.Table(context.Root, "build") is not { } build)
        {
            return;
        }

        var sources = new List<string>();
        if (NonEmpty(build, "image"))
        {
            sources.Add($"the \"{TomlRead.String(build, "image")}\" image");
        }

        if (NonEmpty(build, "builder") || TomlRead.Get(build, "buildpacks") is TomlArray { Count: > 0 })
        {
            sources.Add("a buildpack builder");
        }

        if (NonEmpty(build, "dockerfile") || NonEmpty(build, "build-target") || NonEmpty(build, "build_target"))
        {
            sources.Add("a Dockerfile");
        }

        if (NonEmpty(build, "builtin"))
        {
            sources.Add($"the \"{TomlRead.String(build, "builtin")}\" builtin");
        }

        if (sources.Count > 1)
        {
            context.Sink.Warning(FlyCodes.MultipleBuildSources, build.Position,
                $"[build] names more than one build source ({string.Join(", ", sources)}); flyctl uses only one. Keep exactly one of image, builder/buildpacks, dockerfile or builtin.");
        }
    }

    private static bool NonEmpty(TomlTable table, string key) => TomlRead.String(table, key) is { Length: > 0 };
}
