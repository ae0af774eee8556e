using System.Diagnostics;
using NUnit.Framework;
using FlyIo.Diagnostics;

namespace FlyIo.Deploy.Tests;

/// <summary>The engine and the client report through the log they are given, and stop when their token is cancelled.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class FlyLogTests
{
    [Test]
    public async Task A_deploy_reports_each_machine_as_progress_and_its_closing_summary_as_detail()
    {
        await using var api = await LocalApi.StartAsync();
        var app = LocalApi.UniqueApp("log");
        var log = new CollectingFlyLog();

        var result = await api.DeployAsync(LocalApi.Toml(app), "registry.fly.io/app:deployment-v1", o =>
        {
            o.MachineCount = 2;
            o.Log = log;
        });

        Assert.That(log.ProgressLines.Count(l => l.StartsWith("Created ", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(log.ProgressLines, Has.None.StartsWith("Deployed release"), "hosts print their own summary");
        Assert.That(log.DetailLines, Is.EqualTo(new[] { $"Deployed release v{result.ReleaseVersion}: {result.Summary()}" }));
        Assert.That(log.Diagnostics, Is.Empty);
    }

    [Test]
    public async Task The_client_reports_a_retry_as_detail_and_a_cancel_ends_its_wait()
    {
        await using var api = await LocalApi.StartAsync();
        await api.SetFaultsAsync("""
            {"seed": 1, "rules": [{"kind": "http_error", "endpoint": "machine_list", "status": 429, "retry_after": 30, "count": 100, "error": "rate limited"}]}
            """);
        using var client = api.Client();
        var log = new CollectingFlyLog();
        client.Log = log;
        using var cts = new CancellationTokenSource();

        var list = client.ListMachinesAsync(LocalApi.UniqueApp("retry"), cancellationToken: cts.Token);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (log.DetailLines.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var watch = Stopwatch.StartNew();
        cts.Cancel();
        Assert.That(async () => await list, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "the 30 s wait was not sat out");
        Assert.That(log.DetailLines.Single(), Does.Contain("429").And.Contain("retrying in 30s"));
        Assert.That(log.ProgressLines, Is.Empty);
    }
}
