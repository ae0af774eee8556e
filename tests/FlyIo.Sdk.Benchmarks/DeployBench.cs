using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Diagnostics;
using FlyIo.Machines;

using FlyIo.Deploy;
using FlyIo.Testing;

namespace FlyIo.Sdk.Benchmarks;

/// <summary>One measured deploy: its wall time against the strategy's floor, and its API calls.</summary>
public sealed record DeployBenchResult(int Machines, TimeSpan WallTime, TimeSpan LowerBound, double ApiCallsPerMachine, TimeSpan? FailureToRollbackDone)
{
    public string Strategy { get; init; } = "rolling";

    /// <summary>Calls naming one machine (lease, update, wait, GET...) per machine: the per-deploy calls left out.</summary>
    public double MachineCallsPerMachine { get; init; }

    /// <summary>Calls and time per endpoint (ids folded into {id}).</summary>
    public IReadOnlyList<(string Endpoint, int Calls, TimeSpan Time)> Profile { get; init; } = Array.Empty<(string, int, TimeSpan)>();

    public double Ratio => WallTime.TotalMilliseconds / Math.Max(1, LowerBound.TotalMilliseconds);

    public override string ToString() =>
        $"{Strategy} N={Machines}: {WallTime.TotalSeconds:0.00}s (strategy floor {LowerBound.TotalSeconds:0.00}s, x{Ratio:0.00}), {ApiCallsPerMachine:0.0} API calls/machine" +
        (FailureToRollbackDone is { } r ? $", failed check → rollback done {r.TotalSeconds:0.00}s" : "");
}

/// <summary>
/// The deploy benchmark (build/bench.sh deploy; also run small by FlyIo.Deploy.Tests), against a Machines API the caller started (the local one, with a
/// latency fault rule for "fixed added latency"). Creates apps named <c>bench-*</c>.
/// </summary>
public static class DeployBench
{
    /// <summary>The rolling deploy of v2 over v1 on <paramref name="machines"/> machines (see <see cref="StrategyAsync"/>).</summary>
    public static Task<DeployBenchResult> RollingAsync(string baseUrl, FlyToken token, int machines, TimeSpan startDelay, CancellationToken cancellationToken = default) =>
        StrategyAsync(baseUrl, token, "rolling", machines, startDelay, cancellationToken);

    /// <summary>
    /// Deploys v1 to <paramref name="machines"/> machines, then measures the deploy of v2 with <paramref name="strategy"/>,
    /// against its floor (<see cref="DeployFloor"/>): the strategy's own waits plus the calls it cannot do without, each
    /// at the time one call takes on this server, measured just before.
    /// </summary>
    public static async Task<DeployBenchResult> StrategyAsync(string baseUrl, FlyToken token, string strategy, int machines, TimeSpan startDelay, CancellationToken cancellationToken = default)
    {
        using var client = new MachinesApiClient(baseUrl, token);
        var app = "bench-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        var config = FlyAppConfig.Parse(BenchToml(app));
        var options = Options(app, machines);
        await new DeployEngine(client, config, options).DeployAsync("registry.fly.io/bench:v1", cancellationToken).ConfigureAwait(false);
        // What one call costs on this server now (the latency rule included): a GET of the app.
        var call = await DeployFloor.CallTimeAsync(() => client.GetAppAsync(app, cancellationToken)).ConfigureAwait(false);
        var profile = new EndpointProfile();
        client.Observer = profile.Record;
        var before = client.RequestCount;
        var watch = Stopwatch.StartNew();
        var deploy = Options(app, machines);
        deploy.Strategy = strategy;
        await new DeployEngine(client, config, deploy).DeployAsync("registry.fly.io/bench:v2", cancellationToken).ConfigureAwait(false);
        watch.Stop();
        client.Observer = null;
        var floor = new DeployFloor(call, startDelay, options.SmokeCheckWindow, config.MaxUnavailable, options.MaxConcurrency).For(strategy, machines);
        return new DeployBenchResult(machines, watch.Elapsed, floor, (client.RequestCount - before) / (double)machines, null)
        {
            Strategy = strategy,
            MachineCallsPerMachine = profile.MachineCalls / (double)machines,
            Profile = profile.Rows(),
        };
    }

    /// <summary>
    /// A first deploy of <paramref name="machines"/> machines whose group mounts a volume (one created per machine
    /// before any machine changes) and the same first deploy without [[mounts]]: the cost of the volumes.
    /// </summary>
    public static async Task<(TimeSpan WithVolumes, TimeSpan Without)> FirstDeployWithVolumesAsync(string baseUrl, FlyToken token, int machines, CancellationToken cancellationToken = default)
    {
        using var client = new MachinesApiClient(baseUrl, token);
        async Task<TimeSpan> Once(string extra)
        {
            var app = "bench-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            var watch = Stopwatch.StartNew();
            await new DeployEngine(client, FlyAppConfig.Parse(BenchToml(app) + extra), Options(app, machines)).DeployAsync("registry.fly.io/bench:v1", cancellationToken).ConfigureAwait(false);
            return watch.Elapsed;
        }

        var without = await Once("").ConfigureAwait(false);
        var with = await Once("[[mounts]]\n  source = \"data\"\n  destination = \"/data\"\n").ConfigureAwait(false);
        return (with, without);
    }

    /// <summary>
    /// Time from a health check going critical (the wait timeout of the first updated machine) to the end of the
    /// automatic rollback: the server must fail checks of images containing "bench-bad" (a check_fail rule).
    /// </summary>
    public static async Task<DeployBenchResult> FailedCheckRollbackAsync(string baseUrl, FlyToken token, int machines, TimeSpan waitTimeout, CancellationToken cancellationToken = default)
    {
        using var client = new MachinesApiClient(baseUrl, token);
        var app = "bench-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        var config = FlyAppConfig.Parse(BenchToml(app));
        await new DeployEngine(client, config, Options(app, machines)).DeployAsync("registry.fly.io/bench:v1", cancellationToken).ConfigureAwait(false);
        var options = Options(app, machines);
        options.WaitTimeout = waitTimeout;
        DateTime? failedAt = null;
        options.Log = new RollbackWatch(() => failedAt = DateTime.UtcNow);
        var before = client.RequestCount;
        var watch = Stopwatch.StartNew();
        try
        {
            await new DeployEngine(client, config, options).DeployAsync("registry.fly.io/bench-bad:v2", cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException("the deploy succeeded: the server has no check_fail rule for 'bench-bad'");
        }
        catch (DeployException)
        {
        }

        var done = DateTime.UtcNow;
        return new DeployBenchResult(machines, watch.Elapsed, waitTimeout, (client.RequestCount - before) / (double)machines, failedAt is null ? null : done - failedAt.Value);
    }

    private static DeployOptions Options(string app, int machines) => new()
    {
        App = app,
        Org = "personal",
        MachineCount = machines,
        SmokeCheckWindow = TimeSpan.FromMilliseconds(500),
        PollInterval = TimeSpan.FromMilliseconds(100),
        WaitTimeout = TimeSpan.FromSeconds(30),
    };

    private static string BenchToml(string app) =>
        string.Join("\n", "app = \"" + app + "\"", "primary_region = \"iad\"", "[http_service]", "  internal_port = 8080",
            "[checks.alive]", "  type = \"tcp\"", "  port = 8080", "  interval = \"1s\"", "  timeout = \"1s\"", "");

    /// <summary>Notes the moment the engine says it is rolling back.</summary>
    private sealed class RollbackWatch : IFlyLog
    {
        private readonly Action _rollingBack;

        public RollbackWatch(Action rollingBack) => _rollingBack = rollingBack;

        public void Progress(string message)
        {
            if (message.StartsWith("Rolling back", StringComparison.Ordinal))
            {
                _rollingBack();
            }
        }

        public void Detail(string message)
        {
        }

        public void Report(FlyDiagnostic diagnostic)
        {
        }
    }

    internal static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
}
