using System.Text.Json.Nodes;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.LocalMachines.Tests;

/// <summary>
/// The local server held to Fly's documentation, not to our client: Fly's documented requests (tests/FlyContract)
/// are replayed against it, and each answer must have Fly's documented status and every member of Fly's documented
/// response. Every machine config the docs show Fly returning is accepted back, as Fly accepts it.
/// </summary>
[TestFixture]
public sealed class DocumentedContractTests
{
    private Target _t = null!;

    [OneTimeSetUp]
    public async Task Start() => _t = await Target.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private static void AssertShape(string documentedFile, Reply reply)
    {
        var differences = FlyContract.ShapeDifferences(FlyContract.Load(documentedFile), reply.Body);
        Assert.That(differences, Is.Empty, $"{documentedFile} against {reply}");
    }

    private async Task<string> CreateDocumentedAppAsync()
    {
        var body = FlyContract.LoadObject("app-create.request.json");
        var name = Target.UniqueName("docs");
        body["app_name"] = name;
        body["org_slug"] = _t.Org;
        body.Remove("network");
        var created = await _t.Post("/v1/apps", body);
        Assert.That(created.Code, Is.EqualTo(201), "the docs create apps with app_name: " + created);
        AssertShape("app-create.response.json", created);
        return name;
    }

    [Test]
    public async Task Apps_are_created_with_the_documented_body_and_read_back_as_documented()
    {
        var app = await CreateDocumentedAppAsync();
        AssertShape("app-get.response.json", await _t.Get($"/v1/apps/{app}"));
        var taken = await _t.Post("/v1/apps", new JsonObject { ["app_name"] = app, ["org_slug"] = _t.Org });
        Assert.That(taken.Code, Is.EqualTo(422), taken.ToString());
        AssertShape("error.response.json", await _t.Get("/v1/apps/no-such-app-here"));
    }

    [Test]
    public async Task A_machine_created_with_the_documented_request_answers_every_call_in_the_documented_shape()
    {
        var app = await CreateDocumentedAppAsync();
        var create = FlyContract.LoadObject("machine-create.request.json");
        // The documented machine destroys itself when stopped (auto_destroy): this one is kept to be started again.
        create["config"]!["auto_destroy"] = false;
        var created = await _t.Post($"/v1/apps/{app}/machines", create);
        Assert.That(created.Code, Is.EqualTo(200), created.ToString());
        AssertShape("machine-create.response.json", created);
        var id = created.Body!["id"]!.GetValue<string>();
        var instance = created.Body!["instance_id"]!.GetValue<string>();

        // Fly's reference page waits by instance_id=, fly-go by version=: both, with the documented body.
        var byInstance = await _t.Get($"/v1/apps/{app}/machines/{id}/wait?state=started&instance_id={instance}&timeout=30");
        Assert.That(byInstance.Code, Is.EqualTo(200), byInstance.ToString());
        AssertShape("machine-wait.response.json", byInstance);
        var byVersion = await _t.Get($"/v1/apps/{app}/machines/{id}/wait?state=started&version={instance}&timeout=30");
        Assert.That(byVersion.Code, Is.EqualTo(200), byVersion.ToString());

        var got = await _t.Get($"/v1/apps/{app}/machines/{id}");
        AssertShape("machine-get.response.json", got);
        Assert.That(got.Body!["image_ref"]!["digest"]?.GetValue<string>(), Does.StartWith("sha256:"), "Fly reports the digest the machine runs");
        Assert.That(got.Body!["image_ref"]!["registry"]!.GetValue<string>(), Is.EqualTo("registry-1.docker.io"), "as Fly names Docker Hub in image_ref");
        AssertShape("machine-list.response.json", await _t.Get($"/v1/apps/{app}/machines"));

        var refused = await _t.Delete($"/v1/apps/{app}/machines/{id}");
        Assert.That(refused.Code, Is.EqualTo(409), "the docs answer 409 to destroying a running machine without force: " + refused);
        AssertShape("machine-delete-running-409.response.json", refused);

        var stopped = await _t.Post($"/v1/apps/{app}/machines/{id}/stop", FlyContract.LoadObject("machine-stop.request.json"));
        Assert.That(stopped.Code, Is.EqualTo(200), stopped.ToString());
        AssertShape("machine-stop.response.json", stopped);
        await _t.WaitAsync(app, id, "stopped", instance);
        // Now with a start, a stop and its exit. exited_at is a timestamp string, as fly-go reads it (the 2022 page
        // shows milliseconds): the one documented member held to fly-go instead.
        var events = (JsonArray)FlyContract.Load("machine-events.response.json");
        foreach (var e in events.OfType<JsonObject>())
        {
            (e["request"]?["exit_event"] as JsonObject)?.Remove("exited_at");
        }

        var differences = FlyContract.ShapeDifferences(events, (await _t.Get($"/v1/apps/{app}/machines/{id}/events")).Body);
        Assert.That(differences, Is.Empty, "events");
        var started = await _t.Post($"/v1/apps/{app}/machines/{id}/start");
        Assert.That(started.Code, Is.EqualTo(200), started.ToString());
        AssertShape("machine-start.response.json", started);

        var updated = await _t.Post($"/v1/apps/{app}/machines/{id}", FlyContract.LoadObject("machine-update.request.json"));
        Assert.That(updated.Code, Is.EqualTo(200), updated.ToString());
        // The documented update response (2023) shows a config with Fly's older defaults filled in (env null, init
        // members null, restart policy ""): accepted back below, not reproduced; the machine itself is held to GET's shape.
        AssertShape("machine-get.response.json", updated);

        Assert.That((await _t.Delete($"/v1/apps/{app}/machines/{id}?force=true")).Code, Is.EqualTo(200));
    }

    [Test]
    public async Task Leases_answer_with_the_documented_statuses_and_bodies()
    {
        var app = await CreateDocumentedAppAsync();
        var id = (await _t.CreateMachineAsync(app, edit: b => b["skip_launch"] = true))["id"]!.GetValue<string>();
        var path = $"/v1/apps/{app}/machines/{id}/lease";

        var acquired = await _t.Post(path, FlyContract.LoadObject("lease-acquire.request.json"));
        Assert.That(acquired.Code, Is.EqualTo(201), acquired.ToString());
        AssertShape("lease-acquire.response.json", acquired);
        AssertShape("lease-get.response.json", await _t.Get(path));

        var held = await _t.Post(path, FlyContract.LoadObject("lease-acquire.request.json"));
        Assert.That(held.Code, Is.EqualTo(409), held.ToString());
        AssertShape("lease-held-409.response.json", held);

        var released = await _t.Delete(path, acquired.Body!["data"]!["nonce"]!.GetValue<string>());
        Assert.That(released.Code, Is.EqualTo(200), released.ToString());
        AssertShape("lease-release.response.json", released);
    }

    [Test]
    public async Task Volumes_answer_in_the_documented_shape()
    {
        var app = await CreateDocumentedAppAsync();
        var body = FlyContract.LoadObject("volume-create.request.json");
        var created = await _t.Post($"/v1/apps/{app}/volumes", body);
        Assert.That(created.Code, Is.EqualTo(200), created.ToString());
        AssertShape("volume-create.response.json", created);
        var id = created.Body!["id"]!.GetValue<string>();
        AssertShape("volume.response.json", await _t.Get($"/v1/apps/{app}/volumes/{id}"));
        AssertShape("volumes-list.response.json", await _t.Get($"/v1/apps/{app}/volumes"));
    }

    /// <summary>Every config in a documented response: what Fly returns and what a rollback sends back.</summary>
    public static IEnumerable<TestCaseData> ConfigsFlyReturns()
    {
        foreach (var file in FlyContract.AllFiles().Where(f => f.Contains(".response.")))
        {
            var index = 0;
            foreach (var config in Configs(FlyContract.Load(file)))
            {
                if (config.Count > 0)
                {
                    yield return new TestCaseData(file, index).SetName($"A_config_Fly_returns_is_accepted_back({file}#{index})");
                }

                index++;
            }
        }
    }

    private static IEnumerable<JsonObject> Configs(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["config"] is JsonObject config && o.ContainsKey("id"))
                {
                    yield return config;
                }

                foreach (var (_, value) in o)
                {
                    foreach (var c in Configs(value))
                    {
                        yield return c;
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    foreach (var c in Configs(item))
                    {
                        yield return c;
                    }
                }

                break;
        }
    }

    [TestCaseSource(nameof(ConfigsFlyReturns))]
    public async Task A_config_Fly_returns_is_accepted_back(string file, int index)
    {
        var config = (JsonObject)Configs(FlyContract.Load(file)).ElementAt(index).DeepClone();
        var app = await _t.CreateAppAsync("docs-config");
        var created = await _t.Post($"/v1/apps/{app}/machines", new JsonObject { ["config"] = config.DeepClone(), ["region"] = "iad", ["skip_launch"] = true });
        Assert.That(created.Code, Is.EqualTo(200), $"create with the config of {file}: {created}");
        var id = created.Body!["id"]!.GetValue<string>();
        var updated = await _t.Post($"/v1/apps/{app}/machines/{id}", new JsonObject { ["config"] = config.DeepClone(), ["skip_launch"] = true });
        Assert.That(updated.Code, Is.EqualTo(200), $"update with the config of {file}: {updated}");
    }
}
