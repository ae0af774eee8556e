using NUnit.Framework;

namespace FlyIo.Launch.Tests;

public sealed class NamesTests
{
    [TestCase("WebApp", "webapp")]
    [TestCase("My_Shop.Api", "my-shop-api")]
    [TestCase("--Orders  Service--", "orders-service")]
    [TestCase("Café.Web", "caf-web")]
    [TestCase("日本", "")]
    public void ProjectNames_BecomeFlyAppNames_AsFlyctlSanitizesThem(string project, string expected) =>
        Assert.That(LaunchAppName.FromProjectName(project), Is.EqualTo(expected));

    [Test]
    public void ALongName_IsCutToFlysSixtyThreeCharacters_WithoutATrailingDash()
    {
        var name = LaunchAppName.FromProjectName(new string('a', 62) + ".Api");
        Assert.That(name, Is.EqualTo(new string('a', 62)));
    }

    [TestCase("DATABASE_URL", true)]
    [TestCase("REDIS_URL", true)]
    [TestCase("ConnectionStrings__Default", true)]
    [TestCase("STRIPE_API_KEY", true)]
    [TestCase("Jwt__SigningKey", true)]
    [TestCase("MONKEY_COUNT", false)]
    [TestCase("Jwt__Key", true)]
    [TestCase("SMTP_PASSWORD", true)]
    [TestCase("GITHUB_TOKEN", true)]
    [TestCase("PUBLIC_URL", false)]
    [TestCase("Shop__Mode", false)]
    [TestCase("LOG_LEVEL", false)]
    public void SecretLookingNames_AreToldApartFromSettings(string name, bool secret) =>
        Assert.That(SecretLookingNames.IsSecret(name), Is.EqualTo(secret));
}
