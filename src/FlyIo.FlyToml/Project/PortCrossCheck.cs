using FlyIo.AppModel;
using FlyIo.AppModel.Docker;
using System;
using System.Globalization;
using System.IO;
using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.FlyToml.Rules;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Project;

/// <summary>internal_port must be the port the app really listens on, and should be among the Dockerfile's EXPOSE ports.</summary>
internal sealed class PortCrossCheck : IFlyTomlRule
{
    public void Check(RuleContext context)
    {
        var internalPort = context.Config.InternalPortValue;
        if (TomlRead.Integer(internalPort) is not { } port)
        {
            return;
        }

        var env = TomlRead.Table(context.Root, "env");
        var dockerfile = context.Options.Dockerfile;
        // The image's ENV counts too (fly.toml's [env] overrides it): a Dockerfile may move Kestrel off 8080.
        var imageEnv = dockerfile is { IsGenerated: false } ? dockerfile.FinalStage?.EffectiveEnv : null;
        if (context.Options.Project is { } facts && ListeningPortResolver.Resolve(env, imageEnv, facts) is { } listening && listening.Port != port)
        {
            context.Sink.Error(FlyCodes.InternalPortMismatch, internalPort!.Position,
                $"internal_port is {port} but the app listens on {listening.Port} ({listening.Reason}); set internal_port = {listening.Port}, or make the app listen on {port} with [env] ASPNETCORE_HTTP_PORTS = \"{port}\".");
        }

        var exposed = dockerfile?.FinalStage?.ExposedPorts ?? Array.Empty<ExposedPort>();
        if (exposed.Count > 0 && exposed.All(e => e.Port != port))
        {
            var list = string.Join(", ", exposed.Select(e => e.Port.ToString(CultureInfo.InvariantCulture)));
            context.Sink.AddElsewhere(FlyCodes.DockerfileExposeMismatch, DiagnosticSeverity.Warning, dockerfile!.Path ?? "Dockerfile", exposed[0].Line, 1,
                $"The Dockerfile EXPOSEs {list} but fly.toml's internal_port is {port}; change EXPOSE to {port} (or internal_port to the port the app listens on) so they agree.");
        }
    }
}
