using FlyIo.AppModel;
using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Rules;

/// <summary>
/// flyctl's validateServicesSection and validateRestartPolicy: with [processes], every service lists its groups, and every
/// processes list names defined groups. Other sections naming an unknown group are only warned about (flyctl skips them).
/// </summary>
internal sealed class ProcessGroupRules : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        foreach (var service in context.AllServices())
        {
            if (context.DefinedGroups.Count > 0 && TomlRead.Get(service, "processes") is null)
            {
                context.Sink.Error(FlyCodes.ServiceWithoutProcesses, service.Position,
                    $"This service has no processes set but the app defines {context.DefinedGroups.Count} process group(s) in [processes]; add processes = [\"{context.DefaultGroup}\"] (the groups that should receive its traffic).");
            }

            CheckNames(context, service, "service", DiagnosticSeverity.Error);
        }

        foreach (var restart in TomlRead.Tables(context.Root, "restart"))
        {
            CheckNames(context, restart, "[[restart]]", DiagnosticSeverity.Error);
        }

        foreach (var section in new[] { "vm", "compute", "mounts", "mount", "metrics", "files" })
        {
            foreach (var table in TomlRead.Tables(context.Root, section))
            {
                CheckNames(context, table, $"[[{section}]]", DiagnosticSeverity.Warning);
            }
        }

        if (TomlRead.Table(context.Root, "checks") is { } checks)
        {
            foreach (var check in checks.Select(e => e.Value).OfType<TomlTable>())
            {
                CheckNames(context, check, "check", DiagnosticSeverity.Warning);
            }
        }
    }

    private static void CheckNames(RuleContext context, TomlTable section, string what, DiagnosticSeverity severity)
    {
        var names = TomlRead.Strings(section, "processes");
        if (names.Count > 0 && names.All(n => !context.ValidGroups.Contains(n.Value)))
        {
            context.Sink.Warning(FlyCodes.AppliesToNoGroup, section.Position,
                $"This {what} applies to no process group: none of its processes ({string.Join(", ", names.Select(n => n.Value))}) is a group in [processes] ({string.Join(", ", context.ValidGroups)}), so nothing in it is deployed.");
        }

        foreach (var name in TomlRead.Strings(section, "processes").Where(n => !context.ValidGroups.Contains(n.Value)))
        {
            var defined = string.Join(", ", context.ValidGroups.Select(g => "'" + g + "'"));
            context.Sink.Add(FlyCodes.UnknownProcessGroup, severity, name.Position,
                $"The {what} lists process group '{name.Value}', but no process group has that name (defined: {defined}); add '{name.Value}' to [processes] or remove it from this processes list.");
        }
    }
}
