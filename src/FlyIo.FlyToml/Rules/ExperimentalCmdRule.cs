using System.Linq;
using FlyIo.AppModel;
using FlyIo.Diagnostics;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Rules;

/// <summary>
/// [experimental] cmd is the command of a group whose [processes] entry is empty; when every group has its own
/// command, flyctl (and this SDK) never send it.
/// </summary>
internal sealed class ExperimentalCmdRule : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        if (TomlRead.Table(context.Root, "experimental") is not { } experimental
            || experimental.Entries.FirstOrDefault(e => e.Key == "cmd") is not { } cmd
            || TomlRead.Table(context.Root, "processes") is not { Count: > 0 } processes)
        {
            return;
        }

        if (processes.All(e => e.Value is TomlString { Value.Length: > 0 }))
        {
            context.Sink.Warning(FlyCodes.CmdOverriddenByProcesses, cmd.KeyPosition,
                "[experimental] cmd is never used: every group in [processes] has its own command, which replaces it. Remove cmd, or leave a group's command empty to run it.");
        }
    }
}
