using FlyIo.Sdk.Benchmarks;
using FlyIo.Deploy;
using FlyIo.Machines;
using NUnit.Framework;

namespace FlyIo.Deploy.Tests;

/// <summary>Runs the bench helper once at small sizes so it stays working; the lead's benchmark runs 1, 4, 16.</summary>
[TestFixture]
public sealed class BenchTests
{
    [Test]
    public async Task Bench_helper_measures_rolling_deploys_and_rollback_time()
    {
        await using var api = await LocalApi.StartAsync("""{"seed": 1, "rules": [{"kind": "latency", "endpoint": "*", "delay_ms": 20}, {"kind": "check_fail", "image": "bench-bad", "check": "alive"}]}""");
        var lines = new List<string>();
        foreach (var n in new[] { 1, 4, 16 })
        {
            var r = await DeployBench.RollingAsync(api.BaseUrl, FlyToken.FromValue(api.Token), n, TimeSpan.FromMilliseconds(30));
            lines.Add(r.ToString());
            Assert.That(r.WallTime, Is.GreaterThanOrEqualTo(r.LowerBound));
            Assert.That(r.ApiCallsPerMachine, Is.GreaterThan(3).And.LessThan(60));
        }
        var rb = await DeployBench.FailedCheckRollbackAsync(api.BaseUrl, FlyToken.FromValue(api.Token), 4, TimeSpan.FromSeconds(2));
        lines.Add(rb.ToString());
        Assert.That(rb.FailureToRollbackDone, Is.Not.Null);
        TestContext.Out.WriteLine(string.Join("\n", lines));
    }
}
