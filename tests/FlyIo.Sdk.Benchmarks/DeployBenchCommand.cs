using FlyIo.Sdk.Benchmarks;
using System;
using System.Security.Cryptography;
using System.Threading.Tasks;
using FlyIo.Deploy;
using FlyIo.LocalMachines;
using FlyIo.Machines;

namespace FlyIo.Sdk.Benchmarks;

/// <summary>
/// Deploys of 1, 4, 16 and 64 machines with each strategy against the local Machines API with 20 ms added to every
/// call and a fixed time to start, each against the floor the strategy allows (its ratio), plus API calls per machine
/// beside flyctl's, where the calls went, and the time from a failed health check to a finished rollback.
/// </summary>
internal static class DeployBenchCommand
{
    public static async Task<int> RunAsync()
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var options = new ServerOptions
        {
            Token = token, Urls = "http://127.0.0.1:0", StartDelay = TimeSpan.FromMilliseconds(30), Quiet = true,
            Faults = FaultInjector.Parse("""{"seed": 1, "rules": [{"kind": "latency", "endpoint": "*", "delay_ms": 20}, {"kind": "check_fail", "image": "bench-bad", "check": "alive"}]}"""),
        };
        var server = LocalMachinesServer.Build(options);
        await server.StartAsync();
        try
        {
            var url = LocalMachinesServer.BaseUrl(server);
            // Every strategy the engine has, at 1, 4, 16 and 64 machines: ratio to its floor (DeployFloor, from the call time
            // measured in the same run), our calls per machine (all, and those naming a machine) next to flyctl's (FlyctlCallCount).
            Console.WriteLine("strategy   machines  wall time  floor    ratio  calls/machine  machine calls/machine  flyctl/machine");
            DeployBenchResult? profiled = null;
            foreach (var strategy in new[] { "rolling", "immediate", "canary", "bluegreen" })
            {
                foreach (var n in new[] { 1, 4, 16, 64 })
                {
                    var r = await DeployBench.StrategyAsync(url, FlyToken.FromValue(token), strategy, n, TimeSpan.FromMilliseconds(30));
                    Console.WriteLine($"{strategy,-9}  {n,8}  {r.WallTime.TotalSeconds,8:F2}s  {r.LowerBound.TotalSeconds,5:F2}s  {r.Ratio,5:F2}  {r.ApiCallsPerMachine,13:F1}  {r.MachineCallsPerMachine,21:F1}  {FlyctlCallCount.PerMachine(strategy, n),14:F1}");
                    if (strategy == "rolling" && n == 16)
                    {
                        profiled = r;
                    }
                }
            }

            Console.WriteLine("where the calls of the rolling deploy of 16 machines went (calls, summed time):");
            foreach (var (endpoint, calls, time) in profiled!.Profile)
            {
                Console.WriteLine($"  {endpoint,-48} {calls,5}  {time.TotalSeconds,7:F2}s");
            }

            var (withVolumes, without) = await DeployBench.FirstDeployWithVolumesAsync(url, FlyToken.FromValue(token), 4);
            Console.WriteLine($"first deploy of 4 machines with a volume each: {withVolumes.TotalSeconds:F2}s vs {without.TotalSeconds:F2}s without [[mounts]] (x{withVolumes.TotalSeconds / without.TotalSeconds:F2})");
            var rollback = await DeployBench.FailedCheckRollbackAsync(url, FlyToken.FromValue(token), 4, TimeSpan.FromSeconds(2));
            Console.WriteLine($"failed health check to finished rollback (4 machines): {rollback.FailureToRollbackDone?.TotalSeconds:F2}s");
            return 0;
        }
        finally
        {
            await server.StopAsync();
        }
    }
}
