using FlyIo.AppModel;
using FlyIo.Diagnostics;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Rules;

/// <summary>Commands flyctl splits with shlex before running them; a line that cannot be split fails the deploy.</summary>
internal sealed class ShellCommandRules : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        CheckLine(context, TomlRead.Get(context.Root, "console_command"), "console_command");
        var deploy = TomlRead.Table(context.Root, "deploy");
        CheckLine(context, TomlRead.Get(deploy, "release_command"), "deploy.release_command");
        CheckLine(context, TomlRead.Get(deploy, "seed_command"), "deploy.seed_command");
        if (TomlRead.Table(context.Root, "processes") is { } processes)
        {
            foreach (var entry in processes)
            {
                CheckLine(context, entry.Value, "processes." + entry.Key);
            }
        }

        foreach (var legacy in TomlRead.Tables(context.Root, "processes"))
        {
            if (TomlRead.Table(context.Root, "processes") is null)
            {
                CheckLine(context, TomlRead.Get(legacy, "command"), "processes." + TomlRead.String(legacy, "name"));
            }
        }
    }

    private static void CheckLine(RuleContext context, TomlValue? value, string path)
    {
        if (value is not TomlString line)
        {
            return;
        }

        var split = ShellWords.Split(line.Value);
        if (!split.Success)
        {
            context.Sink.Error(FlyCodes.ShellSplit, line.Position,
                $"'{path}' cannot be split like a shell command line: {split.Error} (at character {split.ErrorIndex + 1}). Close the quote or escape it (\\\" or \\'), or remove the trailing backslash.");
        }
    }
}
