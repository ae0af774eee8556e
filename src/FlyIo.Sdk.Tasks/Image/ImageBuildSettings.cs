using System.Collections.Generic;
using System.Linq;
using FlyIo.AppModel;
using FlyIo.Diagnostics;
using FlyIo.Images;
using FlyIo.Toml;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// The build args, target stage and ignore file of one image build, each with where it was set: fly.toml's [build]
/// first, then FlyBuildArg items, then the FlyBuildArgs property (later sources win, as flyctl's --build-arg wins
/// over [build.args]).
/// </summary>
internal sealed class ImageBuildSettings
{
    private ImageBuildSettings(IReadOnlyDictionary<string, BuildSetting> args, BuildSetting? target, BuildSetting? ignoreFile)
    {
        Args = args;
        Target = target;
        IgnoreFile = ignoreFile;
    }

    public IReadOnlyDictionary<string, BuildSetting> Args { get; }

    public BuildSetting? Target { get; }

    public BuildSetting? IgnoreFile { get; }

    public static ImageBuildSettings From(FlyConfig config, ITaskItem[] items, string? property, string projectFile, ICollection<FlyDiagnostic> problems)
    {
        var fly = FlyBuildSettings.Of(config);
        var fromToml = fly.Args.Select(a => Pair(a.Name, At(config, a.Value, "fly.toml [build.args]", a.Position)));
        var fromItems = items.Select(item =>
        {
            // The item's own project file (a Directory.Build.props, say) is where a fix goes.
            var definedIn = item.GetMetadata("DefiningProjectFullPath");
            var file = string.IsNullOrEmpty(definedIn) ? projectFile : definedIn;
            // FromEnvironment="VAR": the value is read here, so it is never MSBuild data that a diag or binary log records.
            var variable = item.GetMetadata("FromEnvironment").Trim();
            var value = item.GetMetadata("Value");
            if (variable.Length > 0)
            {
                value = System.Environment.GetEnvironmentVariable(variable) ?? "";
                if (System.Environment.GetEnvironmentVariable(variable) is null)
                {
                    problems.Add(FlyCodes.BuildArgInvalid.Create(
                        $"FlyBuildArg '{item.ItemSpec.Trim()}' reads the environment variable '{variable}', which is not set. Set it (in CI, map a secret to it) or give the item a Value.", file, 0, 0));
                }
            }

            return Pair(item.ItemSpec.Trim(), new BuildSetting(value, variable.Length > 0 ? $"FlyBuildArg item, from ${variable}" : "FlyBuildArg item", file));
        });
        var fromProperty = BuildArgs.ParseProperty(property, projectFile, problems);
        return new ImageBuildSettings(
            BuildArgs.Merge(fromToml.ToList(), fromItems.ToList(), fromProperty),
            fly.Target is { } target ? At(config, target.Value, "fly.toml [build] build-target", target.Position) : null,
            fly.Ignorefile is { } ignore ? At(config, fly.IgnorefilePath!, "fly.toml [build] ignorefile", ignore.Position) : null);
    }

    private static KeyValuePair<string, BuildSetting> Pair(string name, BuildSetting setting) => new(name, setting);

    private static BuildSetting At(FlyConfig config, string value, string origin, TomlPosition position) =>
        new(value, origin, config.Path, position.Line, position.Column);
}
