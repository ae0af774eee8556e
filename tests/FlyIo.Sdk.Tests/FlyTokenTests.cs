using System;
using System.Collections;
using System.Collections.Generic;
using FlyIo.Machines;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>The token's sources and the Authorization header forms Fly's clients use.</summary>
[TestFixture]
public sealed class FlyTokenTests
{
    // Built at run time: nothing shaped like a real token is committed.
    private static readonly string Macaroon = "fm2_" + new string('q', 24);
    private static readonly string Other = "personal-" + Guid.NewGuid().ToString("N");

    [Test]
    public void Macaroons_GoAsFlyV1_AndOtherTokensAsBearer()
    {
        Assert.That(FlyToken.FromValue(Macaroon).AuthorizationHeader(), Is.EqualTo("FlyV1 " + Macaroon));
        Assert.That(FlyToken.FromValue(Macaroon + ",fm1r_" + new string('z', 8)).AuthorizationHeader(), Does.StartWith("FlyV1 "));
        Assert.That(FlyToken.FromValue(Other).AuthorizationHeader(), Is.EqualTo("Bearer " + Other));
    }

    [TestCase("\n")]
    [TestCase("\r\n")]
    [TestCase("\u0000")]
    [TestCase("\t")]
    public void AControlCharacterInside_IsRefused_SayingWhereButNeverWhat(string control)
    {
        var e = Assert.Throws<InvalidFlyTokenException>(() => FlyToken.FromValue(Macaroon + control + "X-Injected: 1", "FLY_API_TOKEN"))!;

        Assert.That(e.Message, Does.Contain("FLY_API_TOKEN").And.Contain("position " + (Macaroon.Length + 1)));
        Assert.That(e.Message, Does.Not.Contain(Macaroon).And.Not.Contain("X-Injected"));
        Assert.That(FlyToken.FromValue(Macaroon + "\n").AuthorizationHeader(), Is.EqualTo("FlyV1 " + Macaroon), "a trailing line break is trimmed, as before");
    }

    [Test]
    public void ACopiedSchemePrefix_IsStrippedFirst()
    {
        Assert.That(FlyToken.FromValue("FlyV1 " + Macaroon).AuthorizationHeader(), Is.EqualTo("FlyV1 " + Macaroon));
        Assert.That(FlyToken.FromValue("Bearer " + Other).AuthorizationHeader(), Is.EqualTo("Bearer " + Other));
        Assert.That(FlyToken.FromValue("FlyV1 " + Macaroon).RegistryPassword(), Is.EqualTo(Macaroon));
    }

    [Test]
    public void TheEnvironment_IsReadInOrder_OrFromTheNamedVariable()
    {
        IDictionary env = new Dictionary<string, string> { ["FLY_ACCESS_TOKEN"] = Other, ["MY_TOKEN"] = Macaroon };

        Assert.That(FlyToken.FromEnvironment(null, env)!.Source, Is.EqualTo("FLY_ACCESS_TOKEN"));
        Assert.That(FlyToken.FromEnvironment("MY_TOKEN", env)!.AuthorizationHeader(), Is.EqualTo("FlyV1 " + Macaroon));
        Assert.That(FlyToken.FromEnvironment("UNSET_VARIABLE", env), Is.Null);
    }

    [Test]
    public void ToString_NeverShowsTheToken()
    {
        var token = FlyToken.FromValue(Macaroon, "FLY_API_TOKEN");

        Assert.That(token.ToString(), Does.Not.Contain(Macaroon).And.Contain("FLY_API_TOKEN"));
        Assert.That(token.AppearsIn("log line with " + Macaroon), Is.True);
        Assert.That(token.Redact("log line with " + Macaroon + "."), Is.EqualTo("log line with ***."));
        Assert.That(token.Redact("no secret here"), Is.EqualTo("no secret here"));
    }
}
