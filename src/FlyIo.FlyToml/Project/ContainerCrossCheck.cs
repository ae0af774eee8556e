using System;
using System.Globalization;
using System.Linq;
using FlyIo.AppModel;
using FlyIo.Diagnostics;
using FlyIo.FlyToml.Rules;

namespace FlyIo.FlyToml.Project;

/// <summary>
/// The .NET SDK's container settings (ContainerPort, ContainerUser, ContainerEnvironmentVariable) against fly.toml,
/// which decides at run time: Fly routes to internal_port whatever the image EXPOSEs, [env] replaces the image's
/// variables, and a root-owned volume is not writable by a non-root user. Each finding is at the fly.toml line that wins.
/// </summary>
internal sealed class ContainerCrossCheck : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        if (context.Options.Project is not { } facts)
        {
            return;
        }

        if (facts.ContainerPorts.Count > 0)
        {
            var declared = string.Join(", ", facts.ContainerPorts.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            foreach (var service in context.Config.Services)
            {
                var value = TomlRead.Get(service, "internal_port");
                if (TomlRead.Integer(value) is { } port && !facts.ContainerPorts.Contains((int)port))
                {
                    context.Sink.Warning(FlyCodes.ContainerPortMismatch, value!.Position,
                        $"internal_port is {port} but the project's ContainerPort is {declared}: Fly sends traffic to internal_port whatever the image exposes. " +
                        $"Make them agree: internal_port = {facts.ContainerPorts[0]}, or <ContainerPort Include=\"{port}\" /> (and the app listening there).");
                }
            }
        }

        if (context.Config.HasMounts && facts.ContainerUser is { } user && !IsRoot(user))
        {
            var mounts = TomlRead.Get(context.Root, "mounts") ?? TomlRead.Get(context.Root, "mount");
            context.Sink.Warning(FlyCodes.ContainerUserWithVolume, mounts!.Position,
                $"fly.toml mounts a volume, but the project's ContainerUser is '{user}': Fly volumes are owned by root, so that user cannot write to it " +
                "(superfly/flyctl#1400). Set <ContainerUser>root</ContainerUser>, or remove ContainerUser when the image comes from the generated Dockerfile (it runs as root for [mounts]).");
        }

        var env = TomlRead.Table(context.Root, "env");
        foreach (var variable in facts.ContainerEnvironment)
        {
            var value = TomlRead.Get(env, variable.Key);
            if (value is not null && context.Config.Env.TryGetValue(variable.Key, out var flyValue) && !string.Equals(flyValue, variable.Value, StringComparison.Ordinal))
            {
                context.Sink.Warning(FlyCodes.ContainerEnvironmentMismatch, value.Position,
                    $"[env] {variable.Key} is \"{flyValue}\" but the project's ContainerEnvironmentVariable sets \"{variable.Value}\": on Fly, [env] replaces the image's value. " +
                    "Keep one of them, or make them agree.");
            }
        }
    }

    // "root", uid 0, or root's group spelled after it ("0:0", "root:root").
    private static bool IsRoot(string user)
    {
        var name = user.Trim().Split(':')[0];
        return name == "0" || string.Equals(name, "root", StringComparison.Ordinal);
    }
}
