using FlyIo.AppModel;
using FlyIo.Diagnostics;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Rules;

/// <summary>[[services]] entries: empty ones are dropped by flyctl, and one without ports is reachable by no one.</summary>
internal sealed class ServiceShapeRules : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        foreach (var service in TomlRead.Tables(context.Root, "services"))
        {
            if (service.Count == 0)
            {
                context.Sink.Warning(FlyCodes.EmptyPlaceholder, service.Position,
                    "This [[services]] section is empty and flyctl ignores it; remove it or fill in internal_port, protocol and [[services.ports]].");
            }
            else if (TomlRead.Tables(service, "ports").Count == 0)
            {
                context.Sink.Warning(FlyCodes.ServiceWithoutPorts, service.Position,
                    "This service exposes no ports, so no traffic reaches it; add a [[services.ports]] section (e.g. port = 443, handlers = [\"tls\", \"http\"]) or remove the service.");
            }
        }
    }
}
