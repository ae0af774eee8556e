namespace FlyIo.Launch.Standalone;

/// <summary>
/// What FlyLaunch needs to know about a Python or Node app folder to write its fly.toml. Every fact comes with the
/// reason that decided it, so the generated file can say where each value came from; a fact that cannot be told is
/// null rather than a guess.
/// </summary>
/// <param name="Language">"Python" or "Node".</param>
/// <param name="Framework">"FastAPI", "Flask", "Django", "Express", "Fastify", or null when none is recognised.</param>
/// <param name="Port">The port the app listens on inside the container; null when it cannot be told.</param>
/// <param name="PortReason">What decided <paramref name="Port"/>, e.g. <c>Dockerfile(8): EXPOSE 8000</c>.</param>
/// <param name="PortVariable">
/// "PORT" when the app takes its port from the PORT environment variable and the image does not set it, so the
/// fly.toml must set <c>[env] PORT</c> to <paramref name="Port"/>; else null.
/// </param>
/// <param name="HealthPath">An obvious health route the app maps, e.g. <c>/healthz</c>; null when none.</param>
/// <param name="HealthPathReason">Where that route is mapped, e.g. <c>main.py(14,1): @app.get("/healthz")</c>.</param>
public sealed record StandaloneAppFacts(
    string Language,
    string? Framework,
    int? Port,
    string? PortReason,
    string? PortVariable,
    string? HealthPath,
    string? HealthPathReason);
