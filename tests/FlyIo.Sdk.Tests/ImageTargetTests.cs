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
        var project = SdkImportTests.WebAppWithExplicitVersion().AsRepositoryRoot();

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
        var project = SdkImportTests.WebAppWithExplicitVersion().AsRepositoryRoot();
        const string mine = "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY out/ /app/\nENTRYPOINT [\"dotnet\", \"/app/WebApp.dll\"]\n";
        project.Write("Dockerfile", mine);

        var result = project.Dotnet("build", "-t:FlyDockerfile").AssertSucceeded();

        Assert.That(result.Output, Does.Contain("using your own"));
        Assert.That(project.Read("Dockerfile"), Is.EqualTo(mine));
    }

    [Test]
    public void FlyDockerfileCheck_FailsWithADiff_WhenTheCommittedFileDrifted()
    {
        var project = SdkImportTests.WebAppWithExplicitVersion().AsRepositoryRoot();
        project.Dotnet("build", "-t:FlyDockerfile").AssertSucceeded();
        project.Dotnet("build", "-t:FlyDockerfile", "-p:FlyDockerfileCheck=true").AssertSucceeded();
        project.Write("fly.toml", project.Read("fly.toml").Replace("internal_port = 8080", "internal_port = 5000").Replace("ASPNETCORE_HTTP_PORTS = \"8080\"", "ASPNETCORE_HTTP_PORTS = \"5000\""));

        var drifted = project.Dotnet("build", "-t:FlyDockerfile", "-p:FlyDockerfileCheck=true").AssertFailed();

        Assert.That(drifted.Errors.Select(e => e.Code), Does.Contain("FLY3002"));
        Assert.That(drifted.Output, Does.Contain("-EXPOSE 8080").And.Contain("+EXPOSE 5000"));
    }

    [Test]
    public void FlyPushImage_WithoutAToken_IsFly3035()
    {
        var project = SdkImportTests.WebAppWithExplicitVersion().AsRepositoryRoot();
        project.Dotnet("build", "-t:FlyDockerfile").AssertSucceeded();

        var result = project.Dotnet("build", "-t:FlyPushImage").AssertFailed();

        Assert.That(result.Errors.Single().Code, Is.EqualTo("FLY3035"));
    }
}
