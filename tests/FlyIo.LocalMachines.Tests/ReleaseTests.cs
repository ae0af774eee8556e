using System.Text.Json.Nodes;
using NUnit.Framework;

namespace FlyIo.LocalMachines.Tests;

/// <summary>
/// api.fly.io's release endpoints as this server serves them, in the shapes flyctl's internal/uiex/releases.go
/// reads: one version sequence per app, the token the Machines API takes, the statuses flyctl sets, fault rules.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class ReleaseTests
{
    private static readonly string[] ReleaseMembers = { "id", "version", "stable", "in_progress", "status", "strategy", "user", "created_at", "image_ref" };

    private static JsonObject Create(string app, string image, string strategy = "ROLLING") => new()
    {
        ["app_name"] = app, ["build_id"] = 0, ["image"] = image, ["strategy"] = strategy,
        ["definition"] = new JsonObject { ["app"] = app, ["primary_region"] = "iad" },
    };

    private static Task<Reply> Patch(Target t, string id, string status) =>
        t.SendAsync(HttpMethod.Patch, $"/api/v1/releases/{id}", new JsonObject { ["status"] = status, ["metadata"] = null });

    [Test]
    public async Task Each_app_numbers_its_releases_and_lists_them_newest_first()
    {
        await using var t = await Target.StartAsync(_ => { });
        var app = await t.CreateAppAsync();
        var other = await t.CreateAppAsync();

        var first = await t.Post("/api/v1/releases", Create(app, "registry.fly.io/a:one"));
        Assert.That(first.Code, Is.EqualTo(201), first.ToString());
        var release = (JsonObject)first.Body!["release"]!;
        Assert.That(ReleaseMembers.Where(m => !release.ContainsKey(m)), Is.Empty, "flyctl's uiex.Release members: " + first);
        Assert.That((release["version"]!.GetValue<int>(), release["status"]!.GetValue<string>(), release["in_progress"]!.GetValue<bool>(), release["stable"]!.GetValue<bool>()),
            Is.EqualTo((1, "pending", true, false)));
        Assert.That((release["strategy"]!.GetValue<string>(), release["image_ref"]!.GetValue<string>(), release["user"]!.GetValue<string>()),
            Is.EqualTo(("ROLLING", "registry.fly.io/a:one", "local@tokens.fly.io")));
        Assert.That(release["created_at"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"), "UTC, RFC 3339");

        var running = await Patch(t, release["id"]!.GetValue<string>(), "running");
        Assert.That((running.Code, running.Body!["status"]!.GetValue<string>()), Is.EqualTo((200, "running")), "the update answers the release itself");
        var complete = await Patch(t, release["id"]!.GetValue<string>(), "complete");
        Assert.That((complete.Body!["status"]!.GetValue<string>(), complete.Body!["stable"]!.GetValue<bool>(), complete.Body!["in_progress"]!.GetValue<bool>()),
            Is.EqualTo(("complete", true, false)));
        Assert.That((await Patch(t, release["id"]!.GetValue<string>(), "complete")).Code, Is.EqualTo(200), "a retried update changes nothing");
        Assert.That((await Patch(t, release["id"]!.GetValue<string>(), "failed")).Code, Is.EqualTo(422), "a finished release stays finished");

        Assert.That((await t.Post("/api/v1/releases", Create(app, "registry.fly.io/a:two", "CANARY"))).Body!["release"]!["version"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That((await t.Post("/api/v1/releases", Create(other, "registry.fly.io/b:one"))).Body!["release"]!["version"]!.GetValue<int>(), Is.EqualTo(1), "per app");

        var list = await t.Get($"/api/v1/apps/{app}/releases");
        Assert.That(list.Body!["releases"]!.AsArray().Select(r => (r!["version"]!.GetValue<int>(), r["status"]!.GetValue<string>())), Is.EqualTo(new[] { (2, "pending"), (1, "complete") }));
        var limited = await t.Get($"/api/v1/apps/{app}/releases?limit=1");
        Assert.That(limited.Body!["releases"]!.AsArray().Select(r => r!["version"]!.GetValue<int>()), Is.EqualTo(new[] { 2 }));
        Assert.That((await t.Get($"/api/v1/apps/{app}/releases?limit=0")).Code, Is.EqualTo(400));

        var current = await t.Get($"/api/v1/apps/{app}/releases/current");
        Assert.That((current.Code, current.Body!["version"]!.GetValue<int>()), Is.EqualTo((200, 1)), "the newest complete release");
        Assert.That((await t.Get($"/api/v1/apps/{other}/releases/current")).Code, Is.EqualTo(404), "none complete yet");
    }

    [Test]
    public async Task Requests_Fly_would_refuse_are_refused()
    {
        await using var t = await Target.StartAsync(_ => { });
        var app = await t.CreateAppAsync();

        Assert.That((await t.Post("/api/v1/releases", Create("no-such-app", "registry.fly.io/a:one"))).Code, Is.EqualTo(404));
        Assert.That((await t.Post("/api/v1/releases", Create(app, "registry.fly.io/a:one", "SIDEWAYS"))).Code, Is.EqualTo(422));
        Assert.That((await t.Post("/api/v1/releases", Create(app, ""))).Code, Is.EqualTo(422));
        Assert.That((await Patch(t, "rel_nothing", "complete")).Code, Is.EqualTo(404));
        var created = (await t.Post("/api/v1/releases", Create(app, "registry.fly.io/a:one"))).Body!["release"]!["id"]!.GetValue<string>();
        Assert.That((await Patch(t, created, "done")).Code, Is.EqualTo(422), "only the statuses flyctl sets");
        foreach (var auth in new string?[] { null, "Bearer wrong" })
        {
            var r = await t.SendAsync(HttpMethod.Get, $"/api/v1/apps/{app}/releases", auth: auth);
            Assert.That(r.Code, Is.EqualTo(401), "the Machines API's token, as on every route: " + r);
        }
    }

    [Test]
    public async Task Fault_rules_reach_the_release_endpoints()
    {
        await using var t = await Target.StartAsync(_ => { });
        var app = await t.CreateAppAsync();
        await t.SetFaultsAsync(new JsonObject
        {
            ["rules"] = new JsonArray(new JsonObject { ["kind"] = "http_error", ["endpoint"] = "release_create", ["status"] = 503, ["error"] = "releases are down", ["count"] = 1 }),
        });

        var failed = await t.Post("/api/v1/releases", Create(app, "registry.fly.io/a:one"));
        Assert.That((failed.Code, failed.Error), Is.EqualTo((503, "releases are down")));
        Assert.That((await t.Post("/api/v1/releases", Create(app, "registry.fly.io/a:one"))).Code, Is.EqualTo(201), "count 1: only the first");
        Assert.That((await t.Get($"/api/v1/apps/{app}/releases")).Body!["releases"]!.AsArray(), Has.Count.EqualTo(1), "the refused one was not recorded");
    }
}
