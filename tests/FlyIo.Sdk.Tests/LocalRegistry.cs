using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text;
using FlyIo.Json;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// The local registry of build/registry.sh (basic auth, user "x") holding the base images of
/// build/images/base-images.sh; build/test.sh starts both. Tests that need them skip with the reason elsewhere.
/// </summary>
internal sealed class LocalRegistry
{
    private LocalRegistry(string address, string password)
    {
        Address = address;
        Password = password;
    }

    public string Address { get; }

    public string Password { get; }

    public static LocalRegistry Require()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || Environment.UserName != "root")
        {
            Assert.Ignore("Image builds need Linux and root (buildah --isolation chroot, the local registry).");
        }

        if (!File.Exists("/usr/bin/buildah"))
        {
            Assert.Ignore("buildah is not installed; build/images/base-images.sh installs it (build/test.sh runs it).");
        }

        var script = Path.Combine(RepoPaths.RepoRoot, "build", "registry.sh");
        var start = ChildProcess.Run("bash", new[] { script, "start" }, RepoPaths.RepoRoot, new Dictionary<string, string?>(), TimeSpan.FromMinutes(2));
        Assert.That(start.ExitCode, Is.EqualTo(0), start.Output);
        var password = ChildProcess.Run("bash", new[] { script, "password" }, RepoPaths.RepoRoot, new Dictionary<string, string?>(), TimeSpan.FromSeconds(30));
        return new LocalRegistry(start.Output.Trim().Split('\n').Last().Trim(), password.Output.Trim());
    }

    /// <summary>The repository's tags, through the registry's own HTTP API.</summary>
    public IReadOnlyList<string> Tags(string repository)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Address}/v2/{repository}/tags/list");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + Password)));
        using var response = http.Send(request);
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Assert.That(response.IsSuccessStatusCode, Is.True, body);
        var tags = (JsonReader.Parse(body) as JsonObject)?["tags"] as JsonArray;
        return tags?.Items.OfType<JsonString>().Select(t => t.Value).ToList() ?? new List<string>();
    }
}
