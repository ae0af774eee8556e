using FlyIo.Machines;
using NUnit.Framework;

namespace FlyIo.Deploy.Tests;

/// <summary>The client's walk over Fly's logs API: pages of 100, oldest first, followed to the newest line.</summary>
[TestFixture]
public sealed class AppLogsTests
{
    [Test]
    public async Task A_machines_lines_are_read_across_pages_to_the_newest_and_other_machines_are_left_out()
    {
        await using var api = await LocalApi.StartAsync();
        using var client = api.Client();
        await client.CreateAppAsync("logs-app", "personal");
        api.Print("logs-app", "m1", Enumerable.Range(1, 1234).Select(i => $"line {i}"));
        api.Print("logs-app", "m2", new[] { "another machine" });

        var before = client.RequestCount;
        var lines = await client.GetAppLogsAsync("logs-app", "m1");

        Assert.That(lines.Select(l => l.Message), Is.EqualTo(Enumerable.Range(1, 1234).Select(i => $"line {i}")));
        Assert.That(lines.Select(l => l.Instance), Is.All.EqualTo("m1"));
        Assert.That(client.RequestCount - before, Is.EqualTo(14), "12 full pages, one of 34 lines, and an empty one");
        Assert.That((await client.GetAppLogsAsync("logs-app")).Count, Is.EqualTo(1235), "no instance filter: every machine");
    }

    [Test]
    public async Task The_pages_read_are_bounded()
    {
        await using var api = await LocalApi.StartAsync();
        using var client = api.Client();
        client.MaxLogPages = 3;
        await client.CreateAppAsync("logs-app", "personal");
        api.Print("logs-app", "m1", Enumerable.Range(1, 1000).Select(i => $"line {i}"));

        var lines = await client.GetAppLogsAsync("logs-app", "m1");

        Assert.That(lines.Count, Is.EqualTo(300));
    }
}
