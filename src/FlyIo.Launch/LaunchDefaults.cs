namespace FlyIo.Launch;

/// <summary>
/// The values `fly launch` writes for a new app (flyctl's internal/command/launch: determineCompute, updateConfig),
/// so a fly.toml from FlyLaunch deploys the app the way a fly.toml from flyctl would.
/// </summary>
public static class LaunchDefaults
{
    /// <summary>
    /// flyctl asks Fly's API for the nearest region; with no network call to make, FlyLaunch uses Ashburn, Virginia
    /// (Fly's first region, and the one flyctl falls back to) unless FlyRegion names another.
    /// </summary>
    public const string Region = "iad";

    /// <summary>flyctl's default guest: shared-cpu-1x with its memory raised to 1 GB ("most apps need about 1GB of RAM").</summary>
    public const string Memory = "1gb";

    public const string CpuKind = "shared";

    public const int Cpus = 1;

    /// <summary>[http_service] as flyctl writes it: machines stop when idle and start on the next request.</summary>
    public const string AutoStopMachines = "stop";

    public const bool AutoStartMachines = true;

    public const int MinMachinesRunning = 0;

    public const bool ForceHttps = true;

    /// <summary>The process group a fly.toml without [processes] deploys: flyctl names it in processes = ['app'].</summary>
    public const string ProcessGroup = "app";

    /// <summary>The port flyctl's .NET scanner uses, which is also what .NET 8+ images make Kestrel listen on.</summary>
    public const int DotNetPort = 8080;

    /// <summary>
    /// The HTTP check: a grace period long enough for a cold .NET start on a shared CPU, and an interval short enough
    /// that a deploy, which waits for the check to pass, is not held up by it.
    /// </summary>
    public const string CheckGracePeriod = "10s";

    public const string CheckInterval = "15s";

    public const string CheckTimeout = "5s";

    /// <summary>Route names that are a health endpoint by convention, most specific first.</summary>
    public static readonly string[] HealthPaths =
    {
        "/healthz", "/health", "/healthcheck", "/health-check", "/_health", "/livez", "/readyz", "/up", "/ping", "/status",
    };
}
