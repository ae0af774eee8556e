using System.Collections.Generic;
using System.Globalization;
using System.IO;
using FlyIo.Diagnostics;

namespace FlyIo.Launch.Standalone;

/// <summary>
/// A fly.toml plan for a standalone Python or Node app folder: the port and health path from its Dockerfile and
/// sources (<see cref="StandaloneAppScanner"/>), the release command from its migrations tool.
/// </summary>
public static class StandaloneLaunchPlanner
{
    public static LaunchResult Plan(LaunchInputs inputs)
    {
        var diagnostics = new List<FlyDiagnostic>();
        if (inputs.Dockerfile is null)
        {
            diagnostics.Add(FlyCodes.LaunchNotPossible.Create(
                $"FlyLaunch found no Dockerfile beside {inputs.ProjectFileName}: a standalone app is built from its own Dockerfile, and FlyLaunch reads the app's port from it (EXPOSE, the start command). Add the Dockerfile (or point FlyDockerfile at it) and run FlyLaunch again.",
                inputs.ProjectPath, 0, 0));
            return new LaunchResult(null, diagnostics);
        }

        var facts = StandaloneAppScanner.Scan(inputs.ProjectDirectory, inputs.Dockerfile);
        if (facts is null)
        {
            diagnostics.Add(FlyCodes.LaunchNotPossible.Create(
                $"FlyLaunch cannot tell what the app beside {inputs.ProjectFileName} is: no Python (requirements.txt, pyproject.toml, *.py) or Node (package.json) app was found, and the Dockerfile runs neither. Write fly.toml by hand for it.",
                inputs.ProjectPath, 0, 0));
            return new LaunchResult(null, diagnostics);
        }

        if (LaunchCommon.AppName(inputs, Path.GetFileNameWithoutExtension(inputs.ProjectPath), diagnostics) is not { } app)
        {
            return new LaunchResult(null, diagnostics);
        }

        var env = new List<LaunchEnvVar>();
        LaunchHttpService? http = null;
        if (facts.Port is { } port)
        {
            var portText = port.ToString(CultureInfo.InvariantCulture);
            if (facts.PortVariable is { } variable)
            {
                env.Add(new LaunchEnvVar(variable, portText, $"The app takes its port from {variable}, which the Dockerfile does not set; this makes it listen on internal_port."));
            }

            var health = facts.HealthPath is null
                ? $"No [[http_service.checks]]: the app maps no route with a health name ({string.Join(", ", LaunchDefaults.HealthPaths)}). Add one and a check here, so a deploy waits until the app answers."
                : $"{facts.HealthPathReason} maps it.";
            http = new LaunchHttpService(port, $"The app listens on {portText}: {facts.PortReason}.", facts.HealthPath, health);
        }

        var region = LaunchCommon.Region(inputs);
        var plan = new LaunchPlan
        {
            App = app.Name,
            AppReason = app.Reason,
            Region = region.Value,
            RegionReason = region.Reason,
            MadeFrom = $"the {facts.Framework ?? facts.Language} app beside {inputs.ProjectFileName}",
            Http = http,
            NoHttpReason = $"No [http_service]: the Dockerfile EXPOSEs no port and no web framework was recognised, so nothing tells which port the app serves HTTP on. Add EXPOSE <port> if it does.",
            Vm = LaunchCommon.Vm(inputs),
            ReleaseCommand = inputs.Release?.Command,
            ReleaseReason = LaunchCommon.ReleaseReason(inputs.Release),
            Env = env,
        };
        return new LaunchResult(plan, diagnostics);
    }
}
