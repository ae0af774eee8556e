using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace FlyIo.LocalMachines.Tests;

/// <summary>
/// The local Machines API runs images as root: probed as an attacker would (loopback only). No route answers without
/// the token whatever the letter case, bodies are JSON only, wrong types are 400s that change nothing, big bodies are
/// refused, and the registry password goes only to the registries it is for.
/// </summary>
[TestFixture]
public sealed class SecurityTests
{
    private Target _t = null!;

    [OneTimeSetUp]
    public async Task Start() => _t = await Target.StartAsync(_ => { });

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    [TestCase("GET", "/v1/apps?org_slug=personal")]
    [TestCase("GET", "/V1/apps?org_slug=personal")]
    [TestCase("GET", "/v1/APPS?org_slug=personal")]
    [TestCase("PUT", "/__ADMIN/faults")]
    [TestCase("DELETE", "/__Admin/faults")]
    [TestCase("GET", "/API/V1/apps/x/logs")]
    [TestCase("POST", "/V1/APPS")]
    [TestCase("GET", "/no-such-route")]
    public async Task No_request_is_served_without_the_token_whatever_its_case(string method, string path)
    {
        var r = await _t.SendAsync(new HttpMethod(method), path, method is "POST" or "PUT" ? new JsonObject() : null, auth: null);

        Assert.That(r.Code, Is.EqualTo(401), r.ToString());
    }

    [Test]
    public async Task A_wrong_token_is_refused_too()
    {
        var r = await _t.SendAsync(HttpMethod.Get, "/v1/apps?org_slug=personal", auth: "Bearer " + Target.NewToken());
        Assert.That(r.Code, Is.EqualTo(401));
    }

    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("multipart/form-data; boundary=x")]
    public async Task Bodies_are_taken_only_as_application_json(string contentType)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _t.BaseUrl + "/v1/apps");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _t.Token);
        request.Content = new StringContent("{\"name\": \"csrf-app\", \"org_slug\": \"personal\"}", Encoding.UTF8);
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await http.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(415));
        Assert.That((await _t.Get("/v1/apps/csrf-app")).Code, Is.EqualTo(404), "nothing was created");
    }

    [TestCase("{\"config\": {\"image\": \"x\"}, \"name\": 5}")]
    [TestCase("{\"config\": {\"image\": \"x\"}, \"lease_ttl\": \"30\"}")]
    [TestCase("{\"config\": {\"image\": \"x\"}, \"skip_launch\": \"yes\"}")]
    [TestCase("{\"config\": {\"image\": \"x\", \"guest\": {\"cpus\": \"two\"}}}")]
    [TestCase("{\"config\": {\"image\": 7}}")]
    public async Task Wrong_JSON_types_are_400_with_Flys_error_body_and_no_machine_is_left_behind(string body)
    {
        var app = await _t.CreateAppAsync("sec-types");

        var r = await _t.Post($"/v1/apps/{app}/machines", JsonNode.Parse(body));

        Assert.That(r.Code, Is.EqualTo(400), r.ToString());
        Assert.That(r.Error, Is.Not.Empty);
        Assert.That((await _t.Get($"/v1/apps/{app}/machines")).Body!.AsArray(), Is.Empty, "no phantom machine");
    }

    [Test]
    public async Task A_create_whose_second_mount_fails_attaches_no_volume()
    {
        var app = await _t.CreateAppAsync("sec-mounts");
        var volume = (await _t.Post($"/v1/apps/{app}/volumes", new JsonObject { ["name"] = "data", ["region"] = "iad", ["size_gb"] = 1 })).Body!["id"]!.GetValue<string>();
        var config = Target.Config(edit: c => c["mounts"] = new JsonArray(
            new JsonObject { ["volume"] = volume, ["path"] = "/data" },
            new JsonObject { ["volume"] = "vol_missing", ["path"] = "/more" }));

        var r = await _t.Post($"/v1/apps/{app}/machines", new JsonObject { ["config"] = config, ["region"] = "iad" });

        Assert.That(r.Code, Is.EqualTo(404), r.ToString());
        Assert.That((await _t.Get($"/v1/apps/{app}/volumes/{volume}")).Body!["attached_machine_id"], Is.Null);
        Assert.That((await _t.Delete($"/v1/apps/{app}/volumes/{volume}")).Code, Is.EqualTo(200), "the volume can still be deleted");
    }

    [Test]
    public async Task A_body_over_a_mebibyte_is_413_and_not_kept()
    {
        var app = await _t.CreateAppAsync("sec-big");
        var big = new JsonObject { ["config"] = Target.Config(edit: c => c["env"] = new JsonObject { ["PAD"] = new string('x', 2 * 1024 * 1024) }) };

        // Expect: 100-continue, so the 413 arrives before the 2 MiB is sent: without it the server may close the
        // connection while the client is still writing, and the client sees a broken pipe instead of the answer.
        var r = await _t.SendAsync(HttpMethod.Post, $"/v1/apps/{app}/machines", big, expectContinue: true);

        Assert.That(r.Code, Is.EqualTo(413), r.ToString());
        Assert.That((await _t.Get($"/v1/apps/{app}/machines")).Body!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Concurrent_lease_requests_give_the_lease_to_exactly_one()
    {
        var app = await _t.CreateAppAsync("sec-lease");
        var id = (await _t.CreateMachineAsync(app, edit: b => b["skip_launch"] = true))["id"]!.GetValue<string>();

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _t.Post($"/v1/apps/{app}/machines/{id}/lease", new JsonObject { ["ttl"] = 30 })));

        Assert.That(replies.Count(r => r.Code == 201), Is.EqualTo(1));
        Assert.That(replies.Count(r => r.Code == 409), Is.EqualTo(19));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_registry_password_is_sent_only_to_the_registries_it_is_for()
    {
        // A registry stand-in that records the Authorization header of every request it gets.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var seen = new List<string>();
        var serving = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var stream = client.GetStream();
            var buffer = new byte[8192];
            var read = await stream.ReadAsync(buffer);
            lock (seen) seen.Add(Encoding.ASCII.GetString(buffer, 0, read));
            var reply = Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(reply);
        });
        var cache = Path.Combine(Path.GetTempPath(), "oci-cred-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var elsewhere = $"127.0.0.1:{port}";
            using var puller = new OciPuller(cache, "registry-password-secret", Array.Empty<string>(), registry => registry == "127.0.0.1:55000");
            var failed = Assert.ThrowsAsync<LaunchFailedException>(() => puller.PullAsync(FlyIo.Machines.ImageReference.Parse(elsewhere + "/evil/image:latest"), Path.Combine(cache, "root"), CancellationToken.None));
            await serving;

            Assert.That(seen, Has.Count.EqualTo(1));
            Assert.That(seen[0], Does.Not.Contain("Authorization"), "no credentials for a registry the server is not set up for");
            Assert.That(seen[0], Does.Not.Contain(Convert.ToBase64String(Encoding.UTF8.GetBytes("x:registry-password-secret"))));
        }
        finally
        {
            listener.Stop();
            if (Directory.Exists(cache)) Directory.Delete(cache, true);
        }
    }

    [Test]
    public void By_default_credentials_go_to_Flys_registry_and_loopback_only()
    {
        var options = new ServerOptions();
        Assert.That(options.SendsCredentialsTo("registry.fly.io"), Is.True);
        Assert.That(options.SendsCredentialsTo("127.0.0.1:55000"), Is.True);
        Assert.That(options.SendsCredentialsTo("ghcr.io"), Is.False);
        Assert.That(options.SendsCredentialsTo("evil.example.com"), Is.False);
        options.Registries.Add("registry.internal:5000");
        Assert.That(options.SendsCredentialsTo("127.0.0.1:55000"), Is.False, "once named, only the named ones");
        Assert.That(options.SendsCredentialsTo("registry.internal:5000"), Is.True);
    }
}
