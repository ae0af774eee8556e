using System;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>FlyDockerfile on real projects: deterministic bytes, never over the user's own file, and the CI check.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class ImageTargetTests : BuildTestBase
{
    [Test]
    public void FlyDockerfile_WritesADeterministicLfDockerfile_ThenLeavesItAlone()
    {
        var project = WebAppWithVendoredFeed();

        var first = project.Dotnet("build", "-t:FlyDockerfile").AssertSucceeded();
        var bytes = File.ReadAllBytes(project.PathOf("Dockerfile"));
        var second = project.Dotnet("build", "-t:FlyDockerfile").AssertSucceeded();

        Assert.That(first.Output, Does.Contain("FlyDockerfile: wrote"));
        Assert.That(second.Output, Does.Contain("is up to date"));
        Assert.That(File.ReadAllBytes(project.PathOf("Dockerfile")), Is.EqualTo(bytes));
        var text = Encoding.UTF8.GetString(bytes);
        Assert.That(bytes.Take(3), Is.Not.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "no BOM");
        Assert.That(text, Does.Not.Contain("\r"));
        Assert.That(text, Does.Contain("dotnet restore").And.Contain("EXPOSE 8080").And.Contain("ENTRYPOINT [\"dotnet\", \"WebApp.dll\"]"));
        Assert.That(text.IndexOf("COPY WebApp.csproj", StringComparison.Ordinal), Is.LessThan(text.IndexOf("dotnet restore", StringComparison.Ordinal)));
        Assert.That(File.Exists(project.PathOf(".dockerignore")), Is.True);
    }

    [Test]
    public void FlyDockerfile_NeverOverwritesTheUsersOwnDockerfile()
    {
        var project = WebAppWithVendoredFeed();
        const string mine = "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY out/ /app/\nENTRYPOINT [\"dotnet\", \"/app/WebApp.dll\"]\n";
        project.Write("Dockerfile", mine);

        var result = project.Dotnet("build", "-t:FlyDockerfile").AssertSucceeded();

        Assert.That(result.Output, Does.Contain("using your own"));
        Assert.That(project.Read("Dockerfile"), Is.EqualTo(mine));
    }

    [Test]
    public void FlyBuildImage_WithNoDockerfile_IsFLY3038_BeforeAnyBuilderRuns()
    {
        var project = WebAppWithVendoredFeed();
        File.Delete(project.PathOf("Dockerfile"));

        var result = project.Dotnet("build", "-t:FlyBuildImage", "-p:FlyImageBuilder=buildah").AssertFailed();

        Assert.That(result.Errors.Select(e => e.Code), Is.EqualTo(new[] { FlyIo.Diagnostics.FlyCodes.NoDockerfileToBuild.Code }));
        Assert.That(result.Output, Does.Contain("run the FlyDockerfile target first"));
        Assert.That(result.Output, Does.Not.Contain("buildah bud").And.Not.Contain("> buildah"));
    }

    [Test]
    public void FlyDockerfileCheck_FailsWithADiff_WhenTheCommittedFileDrifted()
    {
        var project = WebAppWithVendoredFeed();
        project.Dotnet("build", "-t:FlyDockerfile").AssertSucceeded();
        project.Dotnet("build", "-t:FlyDockerfile", "-p:FlyDockerfileCheck=true").AssertSucceeded();
        project.Write("fly.toml", project.Read("fly.toml").Replace("internal_port = 8080", "internal_port = 5000").Replace("ASPNETCORE_HTTP_PORTS = \"8080\"", "ASPNETCORE_HTTP_PORTS = \"5000\""));

        var drifted = project.Dotnet("build", "-t:FlyDockerfile", "-p:FlyDockerfileCheck=true").AssertFailed();

        Assert.That(drifted.Errors.Select(e => e.Code), Does.Contain("FLY3002"));
        Assert.That(drifted.Output, Does.Contain("-EXPOSE 8080").And.Contain("+EXPOSE 5000"));
    }

    [Test]
    public void FlyPushImage_BuildsWithBuildah_AndPushesToARegistryWithBasicAuth_WithoutShowingTheToken()
    {
        var registry = LocalRegistry.Require();
        var project = WebAppWithVendoredFeed();
        var image = $"{registry.Address}/flyio-sdk-sample:test-{Guid.NewGuid().ToString("N").Substring(0, 8)}";

        var result = DotNet.Run(project.Directory, new System.Collections.Generic.Dictionary<string, string?> { ["FLY_API_TOKEN"] = registry.Password },
            "build", "-t:FlyDockerfile;FlyPushImage", "-p:FlyImage=" + image, "-p:FlyBaseImageRegistry=" + registry.Address,
            "-p:FlyImageBuilder=buildah", "-v:d").AssertSucceeded();

        Assert.That(project.Read("Dockerfile"), Does.Contain("COPY feed/" + Path.GetFileName(PackagedSdk.PackagePath) + " feed/"));
        Assert.That(registry.Tags("flyio-sdk-sample"), Does.Contain(image.Substring(image.LastIndexOf(':') + 1)));
        Assert.That(result.Output, Does.Not.Contain(registry.Password));
    }

    [Test]
    public void FlyPushImage_WithoutAToken_IsFly3035()
    {
        var project = WebAppWithVendoredFeed();
        project.Dotnet("build", "-t:FlyDockerfile").AssertSucceeded();

        var result = project.Dotnet("build", "-t:FlyPushImage").AssertFailed();

        Assert.That(result.Errors.Single().Code, Is.EqualTo("FLY3035"));
    }

    /// <summary>
    /// The sample with FlyIo.Sdk in the vendored feed TestProject puts inside the build context: the SDK must be
    /// restorable inside the image too (a feed outside the context is FLY3003), and FlyDockerfile copies its packages
    /// before the restore.
    /// </summary>
    private static TestProject WebAppWithVendoredFeed() => SdkImportTests.WebAppWithExplicitVersion().AsRepositoryRoot();
}
