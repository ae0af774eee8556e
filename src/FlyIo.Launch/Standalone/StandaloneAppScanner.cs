using FlyIo.AppModel.Docker;

namespace FlyIo.Launch.Standalone;

/// <summary>
/// Tells FlyLaunch what a Python or Node app folder is: its language, framework, the port it listens on (and whether
/// the fly.toml must pass it in PORT), and an obvious health route. Each fact comes from the Dockerfile or the app's
/// own files, with a reason naming where; what cannot be told is null.
/// </summary>
public static class StandaloneAppScanner
{
    /// <summary>The facts about <paramref name="folder"/>, or null when it is neither a Python nor a Node app.</summary>
    /// <param name="folder">The app folder (the Docker build context).</param>
    /// <param name="dockerfile">The app's Dockerfile, read with <see cref="Dockerfile.Load"/>; null when there is none.</param>
    public static StandaloneAppFacts? Scan(string folder, Dockerfile? dockerfile)
    {
        var stage = dockerfile?.FinalStage;
        var dockerfileName = dockerfile is null ? "Dockerfile" : DockerfilePorts.DisplayName(folder, dockerfile);
        var invocations = StartCommand.Read(stage, dockerfileName);
        var language = StandaloneLanguage.Detect(folder, invocations);
        if (language is null)
        {
            return null;
        }

        var reading = language == StandaloneFrameworks.Python
            ? PythonAppReader.Read(folder, invocations)
            : NodeAppReader.Read(folder, invocations);

        // The order of trust: what the image says, then how it starts the server, then the app's own code, then a default.
        var port = (stage is null ? null : DockerfilePorts.Exposed(stage, dockerfileName))
                   ?? StartCommandPort.Find(reading.Invocations)
                   ?? (stage is null ? null : DockerfilePorts.EnvPort(stage, dockerfileName))
                   ?? reading.Facts.PortLiteral
                   ?? FrameworkDefaultPorts.Find(reading.Invocations, reading.Framework);

        var takesPortVariable = reading.Facts.ReadsPortVariable
                                || StartCommand.ExpandsPortVariable(reading.Invocations)
                                || StartCommandPort.GunicornTakesPortVariable(reading.Invocations);
        var portVariable = takesPortVariable && !DockerfilePorts.SetsPortVariable(stage) ? "PORT" : null;

        var health = reading.Facts.BestHealthRoute();
        return new StandaloneAppFacts(
            language,
            reading.Framework,
            port?.Port,
            port?.Reason,
            portVariable,
            health?.Path,
            health?.Where.Reason);
    }
}
