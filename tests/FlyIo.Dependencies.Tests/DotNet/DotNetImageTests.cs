using FlyIo.AppModel.Project;
using FlyIo.Dependencies.DotNet;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.DotNet;

public class DotNetImageTests
{
    [TestCase("mcr.microsoft.com/dotnet/aspnet:10.0", "aspnet", 10, false, false, false)]
    [TestCase("mcr.microsoft.com/dotnet/aspnet:10.0-alpine", "aspnet", 10, true, false, false)]
    [TestCase("mcr.microsoft.com/dotnet/runtime:10.0-alpine3.22", "runtime", 10, true, false, false)]
    [TestCase("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra", "aspnet", 10, false, true, true)]
    [TestCase("mcr.microsoft.com/dotnet/runtime-deps:8.0.11-bookworm-slim", "runtime-deps", 8, false, false, false)]
    [TestCase("mcr.microsoft.com/dotnet/sdk:9.0@sha256:0123456789abcdef", "sdk", 9, false, false, false)]
    [TestCase("myregistry.azurecr.io:5000/mirror/dotnet/aspnet:8.0-jammy-chiseled", "aspnet", 8, false, true, false)]
    [TestCase("mcr.microsoft.com/dotnet/nightly/aspnet:10.0.0-preview.7-alpine", "aspnet", 10, true, false, false)]
    [TestCase("mcr.microsoft.com/dotnet/aspnet:10.0-azurelinux3.0-distroless-extra", "aspnet", 10, false, false, true)]
    public void Parses_dotnet_image_tags(string reference, string kind, int major, bool alpine, bool chiseled, bool extra)
    {
        var image = DotNetImage.Parse(reference);
        Assert.That(image.Kind, Is.EqualTo(kind));
        Assert.That(image.Major, Is.EqualTo(major));
        Assert.That(image.IsAlpine, Is.EqualTo(alpine));
        Assert.That(image.IsChiseled, Is.EqualTo(chiseled));
        Assert.That(image.IsExtra, Is.EqualTo(extra));
    }

    [Test]
    public void Digest_only_and_foreign_images()
    {
        var digest = DotNetImage.Parse("mcr.microsoft.com/dotnet/aspnet@sha256:abc");
        Assert.That((digest.Kind, digest.Major, digest.Digest), Is.EqualTo(("aspnet", (int?)null, "sha256:abc")));
        var alpine = DotNetImage.Parse("alpine:3.20");
        Assert.That((alpine.Kind, alpine.IsAlpine), Is.EqualTo(((string?)null, true)));
        Assert.That(DotNetImage.Parse("ubuntu:24.04").IsDotNetImage, Is.False);
        Assert.That(DotNetImage.Parse("localhost:5000/dotnet/runtime:10.0").Registry, Is.EqualTo("localhost:5000"));
    }

    [Test]
    public void Required_kind_and_extra_variant()
    {
        Assert.That(BaseImageRules.RequiredImageKind(new DotNetAppFacts { IsAspNetCore = true }), Is.EqualTo("aspnet"));
        Assert.That(BaseImageRules.RequiredImageKind(new DotNetAppFacts { IsAspNetCore = false }), Is.EqualTo("runtime"));
        Assert.That(BaseImageRules.RequiredImageKind(new DotNetAppFacts { IsAspNetCore = true, SelfContained = true }), Is.EqualTo("runtime-deps"));
        Assert.That(BaseImageRules.RequiredImageKind(new DotNetAppFacts { PublishAot = true }), Is.EqualTo("runtime-deps"));
        Assert.That(BaseImageRules.NeedsExtraVariant(new DotNetAppFacts { InvariantGlobalization = true }), Is.False);
        Assert.That(BaseImageRules.NeedsExtraVariant(new DotNetAppFacts { InvariantGlobalization = true }, looksUpTimeZones: true), Is.True);
        Assert.That(BaseImageRules.NeedsExtraVariant(new DotNetAppFacts { InvariantGlobalization = false }), Is.True);
        Assert.That(BaseImageRules.RecommendedImage(new DotNetAppFacts { IsAspNetCore = true, TargetFrameworkMajor = 9 }), Is.EqualTo("mcr.microsoft.com/dotnet/aspnet:9.0"));
    }

    [Test]
    public void Suggested_images_keep_registry_and_flavor()
    {
        var image = DotNetImage.Parse("myregistry.io/dotnet/runtime:8.0-noble-chiseled");
        Assert.That(image.WithKind("aspnet", 10), Is.EqualTo("myregistry.io/dotnet/aspnet:10.0-noble-chiseled"));
        Assert.That(image.WithFlavor("noble-chiseled-extra"), Is.EqualTo("myregistry.io/dotnet/runtime:8.0-noble-chiseled-extra"));
    }
}
