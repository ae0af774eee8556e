using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

/// <summary>The Fly token goes to the push registry only; loopback and named registries are plain HTTP.</summary>
[TestFixture]
public sealed class RegistryAccessTests
{
    private const string Image = "registry.fly.io/app:deployment-1";

    private static IReadOnlyList<RegistryMirror> Mirrors(params string[] entries)
    {
        var problems = new List<FlyDiagnostic>();
        var mirrors = RegistryMirrors.Parse(entries, problems);
        Assert.That(problems, Is.Empty);
        return mirrors;
    }

    [Test]
    public void Pulls_from_other_registries_get_no_token()
    {
        var access = RegistryAccess.Decide(Image, "secret-password", "mcr.microsoft.com", Mirrors("docker.io=mirror.example:5000"), Array.Empty<string>());
        Assert.That(access.PushRegistry, Is.EqualTo("registry.fly.io"));
        Assert.That(access.PullCredentials, Is.Empty);
        Assert.That(access.InsecureRegistries, Is.Empty);
        Assert.That(RegistryAccess.SendsToken(false, Image, "mcr.microsoft.com", Mirrors("docker.io=mirror.example:5000")), Is.False);
        Assert.That(RegistryAccess.SendsToken(true, Image, "mcr.microsoft.com", Mirrors()), Is.True, "a push always sends it");
    }

    [TestCase("127.0.0.1:5000", "")]
    [TestCase("mcr.microsoft.com", "docker.io=127.0.0.1:5000")]
    public void Base_images_or_a_mirror_on_the_push_registry_get_the_token(string baseRegistry, string mirror)
    {
        var image = "127.0.0.1:5000/app:deployment-1";
        var mirrors = mirror.Length == 0 ? Mirrors() : Mirrors(mirror);
        var access = RegistryAccess.Decide(image, "secret-password", baseRegistry, mirrors, Array.Empty<string>());
        Assert.That(access.PullCredentials.Select(c => c.Registry), Is.EqualTo(new[] { "127.0.0.1:5000" }));
        Assert.That(access.InsecureRegistries, Is.EqualTo(new[] { "127.0.0.1:5000" }), "loopback is plain HTTP");
        Assert.That(RegistryAccess.SendsToken(false, image, baseRegistry, mirrors), Is.True, "so the destination check runs for it");
        Assert.That(RegistryAccess.Decide(image, null, baseRegistry, mirrors, Array.Empty<string>()).PullCredentials, Is.Empty, "no token, no credentials");
    }

    [Test]
    public void Named_insecure_registries_stay_insecure()
    {
        var access = RegistryAccess.Decide("registry.internal:5000/app:1", null, null, Mirrors(), new[] { "registry.internal:5000", "other:80" });
        Assert.That(access.InsecureRegistries, Is.EquivalentTo(new[] { "registry.internal:5000", "other:80" }));
    }
}
