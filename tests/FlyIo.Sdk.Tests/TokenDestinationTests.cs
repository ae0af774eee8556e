using System.Linq;
using FlyIo.Machines;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>The token goes over https to Fly's hosts, or to this machine; anywhere else only when the user names the host.</summary>
[TestFixture]
public sealed class TokenDestinationTests : BuildTestBase
{
    [TestCase("https://api.machines.dev")]
    [TestCase("https://api.fly.io/api/v1")]
    [TestCase("registry.fly.io")]
    [TestCase("http://127.0.0.1:4280")]
    [TestCase("127.0.0.1:55000")]
    [TestCase("http://localhost:4280")]
    [TestCase("http://[::1]:4280")]
    public void Fly_and_loopback_are_fine(string destination) => Assert.That(TokenDestinations.Problem(destination), Is.Null);

    [TestCase("http://api.machines.dev", "plain http")]
    [TestCase("https://machines.example.com", "not one of Fly's hosts")]
    [TestCase("ghcr.io", "not one of Fly's hosts")]
    [TestCase("https://api.machines.dev.example.com", "not one of Fly's hosts")]
    [TestCase("http://10.0.0.5:4280", "plain http")]
    public void Elsewhere_is_refused(string destination, string why) => Assert.That(TokenDestinations.Problem(destination), Does.Contain(why));

    [Test]
    public void A_host_the_user_names_is_allowed()
    {
        Assert.That(TokenDestinations.Problem("https://machines.example.com", new[] { "machines.example.com" }), Is.Null);
        Assert.That(TokenDestinations.Problem("registry.example.com:5000", new[] { "registry.example.com:5000" }), Is.Null);
        Assert.That(() => new MachinesApiClient("https://machines.example.com", FlyToken.FromValue("fm2_" + new string('t', 20))), Throws.ArgumentException);
    }

    [Test]
    public void FlyDeploy_with_an_api_url_that_is_not_Flys_is_FLY5027_before_any_request()
    {
        var project = TestProject.Create("WebApp").AddSdkTo("WebApp.csproj");
        var token = "fm2_" + System.Guid.NewGuid().ToString("N");

        var result = DotNet.Run(project.Directory, new System.Collections.Generic.Dictionary<string, string?> { ["FLY_API_TOKEN"] = token },
            "publish", "-t:FlyDeploy", "-p:FlyApiUrl=https://machines.example.invalid").AssertFailed();

        var error = result.Errors.Single(e => e.Code == "FLY5027");
        Assert.That(error.Message, Does.Contain("machines.example.invalid").And.Contain("FlyAllowTokenTo"));
        Assert.That(result.Output, Does.Not.Contain(token));
    }

    [Test]
    public void The_platform_api_follows_the_machines_api_and_is_held_to_the_same_rules()
    {
        var token = FlyToken.FromValue("fm2_" + new string('t', 20));
        using (var fly = new MachinesApiClient(null, token))
        {
            Assert.That(fly.PlatformBaseUrl, Is.EqualTo("https://api.fly.io"), "Fly's Machines API goes with api.fly.io");
            Assert.That(() => fly.PlatformBaseUrl = "https://releases.example.com", Throws.ArgumentException.With.Message.Contains("not one of Fly's hosts"));
        }

        using var local = new MachinesApiClient("http://127.0.0.1:4280", token);
        Assert.That(local.PlatformBaseUrl, Is.EqualTo("http://127.0.0.1:4280"), "a rehearsal's token stays on this machine");
        Assert.That(token.BearerHeader(), Is.EqualTo("Bearer fm2_" + new string('t', 20)), "api.fly.io gets Bearer, as flyctl sends it, macaroons too");
    }

    [Test]
    public void FlyDeploy_with_a_platform_api_url_that_is_not_Flys_is_FLY5027_before_any_request()
    {
        var project = TestProject.Create("WebApp").AddSdkTo("WebApp.csproj");
        var token = "fm2_" + System.Guid.NewGuid().ToString("N");

        var result = DotNet.Run(project.Directory, new System.Collections.Generic.Dictionary<string, string?> { ["FLY_API_TOKEN"] = token },
            "publish", "-t:FlyDeploy", "-p:FlyPlatformApiUrl=https://releases.example.invalid").AssertFailed();

        var error = result.Errors.Single(e => e.Code == "FLY5027");
        Assert.That(error.Message, Does.Contain("FlyPlatformApiUrl").And.Contain("releases.example.invalid").And.Contain("FlyAllowTokenTo"));
        Assert.That(result.Output, Does.Not.Contain(token));
    }
}
