using System;
using System.Linq;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

[TestFixture]
public class UlidAndCredentialTests
{
    [Test]
    public void Ulid_matches_the_spec_encoding()
    {
        // The spec's example timestamp: 01ARYZ6S41 is 1469918176385 ms.
        Assert.That(Ulid.Format(1469918176385, new byte[10]), Is.EqualTo("01ARYZ6S410000000000000000"));
        Assert.That(Ulid.Format(0xFFFFFFFFFFFF, Enumerable.Repeat((byte)0xFF, 10).ToArray()), Is.EqualTo("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
        Assert.That(Ulid.Format(0, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }), Is.EqualTo("00000000000000000000000001"));
        Assert.That(Ulid.Timestamp("01ARYZ6S41TSV4RRFFQ69G5FAV").ToUnixTimeMilliseconds(), Is.EqualTo(1469918176385));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ulid.Format(1L << 48, new byte[10]));
    }

    [Test]
    public void New_ulids_are_crockford_base32_random_and_sort_by_time()
    {
        var t = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 200).Select(i => Ulid.NewUlid(t.AddMilliseconds(i))).ToList();
        Assert.That(ids.All(id => id.Length == 26 && id.All(c => "0123456789ABCDEFGHJKMNPQRSTVWXYZ".IndexOf(c) >= 0)), Is.True);
        Assert.That(ids, Is.EqualTo(ids.OrderBy(x => x, StringComparer.Ordinal).ToList()));
        Assert.That(ids.Select(id => id.Substring(10)).Distinct().Count(), Is.EqualTo(200));
        Assert.That(Ulid.Timestamp(ids[5]), Is.EqualTo(t.AddMilliseconds(5)));
    }

    [Test]
    public void Deployment_tags_look_like_flyctls()
    {
        var tag = ImageTags.Deployment("My-App");
        Assert.That(tag, Does.Match("^registry\\.fly\\.io/my-app:deployment-[0-9A-HJKMNP-TV-Z]{26}$"));
        Assert.That(ImageTags.Deployment("app", "127.0.0.1:55000/", "01ARYZ6S41TSV4RRFFQ69G5FAV"), Is.EqualTo("127.0.0.1:55000/app:deployment-01ARYZ6S41TSV4RRFFQ69G5FAV"));
        Assert.That(ImageTags.RegistryOf("127.0.0.1:55000/app:x"), Is.EqualTo("127.0.0.1:55000"));
    }

    [Test]
    public void Fly_credentials_drop_the_FlyV1_prefix_and_never_print_the_password()
    {
        // Built at run time: nothing shaped like a real token is committed.
        var fake = "test-only-" + System.Guid.NewGuid().ToString("N");
        var macaroons = "fm2" + "_" + fake + ",fm2" + "_second-" + fake;
        var creds = RegistryCredentials.ForFly("FlyV1 " + macaroons);
        Assert.That((creds.Registry, creds.Username, creds.Password), Is.EqualTo(("registry.fly.io", "x", macaroons)));
        Assert.That(RegistryCredentials.ForFly("plain-token").Password, Is.EqualTo("plain-token"));
        Assert.That(creds.ToString(), Does.Not.Contain("fm2_").And.Not.Contain(fake));
    }

    [TestCase("", ImageBuilderKind.Auto)]
    [TestCase("AUTO", ImageBuilderKind.Auto)]
    [TestCase("docker", ImageBuilderKind.Docker)]
    [TestCase(" podman ", ImageBuilderKind.Podman)]
    [TestCase("buildah", ImageBuilderKind.Buildah)]
    [TestCase("sdk", ImageBuilderKind.Sdk)]
    public void Builder_names_parse(string text, ImageBuilderKind expected)
    {
        Assert.That(ImageBuilder.TryParseKind(text, out var kind), Is.True);
        Assert.That(kind, Is.EqualTo(expected));
    }

    [Test]
    public void Unknown_builder_name_is_FLY3030()
    {
        Assert.That(ImageBuilder.TryParseKind("kaniko", out _), Is.False);
        Assert.That(ImageBuilder.ParseKind("kaniko", out var problem, "App.csproj"), Is.Null);
        Assert.That(problem!.ToString(), Is.EqualTo("App.csproj: error FLY3030: FlyImageBuilder 'kaniko' is not one of auto, docker, podman, buildah, sdk."));
        Assert.That(ImageBuilder.ParseKind("Buildah", out var none), Is.EqualTo(ImageBuilderKind.Buildah));
        Assert.That(none, Is.Null);
    }
}
