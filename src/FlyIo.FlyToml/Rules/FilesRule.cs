using FlyIo.AppModel;
using FlyIo.Diagnostics;
using System.Linq;

namespace FlyIo.FlyToml.Rules;

/// <summary>A [[files]] entry takes its content from exactly one source; flyctl silently uses the first it finds.</summary>
internal sealed class FilesRule : IFlyTomlRule
{
    private static readonly string[] Sources = { "local_path", "secret_name", "raw_value" };

    public void Check(RuleContext context)
    {
        foreach (var file in TomlRead.Tables(context.Root, "files"))
        {
            var count = Sources.Count(s => TomlRead.Get(file, s) is not null);
            if (count != 1)
            {
                var guest = TomlRead.String(file, "guest_path") ?? "?";
                var problem = count == 0 ? "has no content source" : "has more than one content source (flyctl uses only the first)";
                context.Sink.Warning(FlyCodes.FileSourceCount, file.Position,
                    $"The [[files]] entry for '{guest}' {problem}; set exactly one of local_path, secret_name or raw_value.");
            }
        }
    }
}
