using FlyIo.Sdk.Benchmarks;
using System;
using System.Security.Cryptography;
using System.Threading.Tasks;
using FlyIo.Deploy;
using FlyIo.LocalMachines;
using FlyIo.Machines;

namespace FlyIo.Sdk.Benchmarks;

/// <summary>
/// Rolling deploys of 1, 4 and 16 machines against the local Machines API with 20 ms added to every call and a fixed
/// time to start, each against the lower bound the strategy allows (its ratio), plus API calls per machine and the time
/// from a failed health check to a finished rollback.
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
            Console.WriteLine("machines  wall time  lower bound  ratio  API calls/machine");
            foreach (var n in new[] { 1, 4, 16 })
            {
                var r = await DeployBench.RollingAsync(url, FlyToken.FromValue(token), n, TimeSpan.FromMilliseconds(30));
                Console.WriteLine($"{n,8}  {r.WallTime.TotalSeconds,8:F2}s  {r.LowerBound.TotalSeconds,10:F2}s  {r.WallTime.TotalSeconds / r.LowerBound.TotalSeconds,5:F2}  {r.ApiCallsPerMachine,17:F1}");
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
