using System.IO;
using FlyIo.AppModel;
using FlyIo.Diagnostics;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Rules;

/// <summary>
/// A [[files]] local_path is sent as the file's content, read relative to fly.toml's folder at deploy time; a missing
/// file would stop the deploy halfway, so it is reported here first.
/// </summary>
internal sealed class FileLocalPathRule : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(context.Config.Path)) ?? "";
        foreach (var file in TomlRead.Tables(context.Root, "files"))
        {
            if (TomlRead.Get(file, "local_path") is TomlString { Value.Length: > 0 } local
                && !File.Exists(Path.Combine(directory, local.Value)))
            {
                context.Sink.Error(FlyCodes.FileLocalPathNotFound, local.Position,
                    $"[[files]] local_path '{local.Value}' does not exist (looked at '{Path.GetFullPath(Path.Combine(directory, local.Value))}'); the deploy sends this file's content to the Machines, so create it or fix the path (it is relative to fly.toml's folder).");
            }
        }
    }
}
