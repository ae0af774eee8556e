using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// FlySetReleaseCommand on real projects: EF Core migrations detected and run through the app's own host with no
/// code from the user (the SDK compiles its helper in), fly.toml edited without losing a byte, and a release command
/// that cannot work under Fly's "replaces CMD only" rule rejected.
/// </summary>
[TestFixture]
public sealed class FlySetReleaseCommandTargetTests : BuildTestBase
{
    private const string EfWebApp = "release/EfWebApp";

    [Test]
    public void EfCoreApp_GetsMigrate_AndTheEditKeepsEveryOtherByte_AndIsIdempotent()
    {
        var project = TestProject.Create(EfWebApp, withNuGetOrg: true).AddSdkTo("EfWebApp.csproj");
        var before = project.Read("fly.toml");

        var first = project.Dotnet("build", "-t:FlySetReleaseCommand").AssertSucceeded();
        var after = project.Read("fly.toml");
        var written = File.GetLastWriteTimeUtc(project.PathOf("fly.toml"));
        var second = project.Dotnet("build", "-t:FlySetReleaseCommand").AssertSucceeded();

        Assert.That(first.Output, Does.Contain("release_command = \"migrate\""));
        // The key lands in a new [deploy] table after the top-level keys; every original line stays, in order.
        var added = after.Split('\n').Except(before.Split('\n')).Where(l => l.Trim().Length > 0).Select(l => l.Trim());
        Assert.That(added, Is.EqualTo(new[] { "[deploy]", "release_command = \"migrate\"" }));
        static string[] Content(string text) => text.Split('\n').Where(l => l.Trim().Length > 0).ToArray();
        Assert.That(Content(after).Where(l => Content(before).Contains(l)), Is.EqualTo(Content(before)));
        Assert.That(second.Output, Does.Contain("unchanged"));
        Assert.That(project.Read("fly.toml"), Is.EqualTo(after));
        Assert.That(File.GetLastWriteTimeUtc(project.PathOf("fly.toml")), Is.EqualTo(written), "not rewritten");
    }

    [Test]
    public void WithAnotherConfigFile_TheMessagesNameThatFile()
    {
        var project = TestProject.Create().WithGlobalJson(withSdkVersion: false);
        project.Write("app.proj", $"<Project Sdk=\"FlyIo.Sdk/{PackagedSdk.Version}\" />\n");
        project.Write("fly.staging.toml", "app = \"staging-app\"\nprimary_region = \"iad\"\n");
        project.Write("main.py", "print('hello')\n");

        var result = project.Dotnet("build", "-t:FlySetReleaseCommand", "-p:FlyConfigFile=fly.staging.toml").AssertSucceeded();

        Assert.That(result.Output, Does.Contain("fly.staging.toml unchanged"));
        Assert.That(result.Output, Does.Not.Contain(" fly.toml unchanged"));
    }

    [Test]
    public void EfCoreApp_MigratesARealDatabase_WithNoCodeFromTheUser()
    {
        var databaseUrl = TestPostgres.FreshDatabaseUrl();
        var project = TestProject.Create(EfWebApp, withNuGetOrg: true).AddSdkTo("EfWebApp.csproj");
        project.Dotnet("build", "-c", "Release").AssertSucceeded();
        var app = project.PathOf("bin/Release/net10.0/EfWebApp.dll");
        var environment = new Dictionary<string, string?> { ["DATABASE_URL"] = databaseUrl };

        var (firstExit, firstOutput) = ChildProcess.Run("dotnet", new[] { app, "migrate" }, project.Directory, environment, TimeSpan.FromMinutes(2));
        var (secondExit, secondOutput) = ChildProcess.Run("dotnet", new[] { app, "migrate" }, project.Directory, environment, TimeSpan.FromMinutes(2));

        Assert.That(firstExit, Is.EqualTo(0), firstOutput);
        Assert.That(firstOutput, Does.Contain("fly-migrate:"));
        Assert.That(secondExit, Is.EqualTo(0), secondOutput);
        Assert.That(secondOutput, Does.Contain("No pending migrations"));
    }

    [Test]
    public void EfCoreApp_MigratesFromTheBuiltImage_AsFlysReleaseMachineRunsIt()
    {
        var registry = LocalRegistry.Require();
        var databaseUrl = TestPostgres.FreshDatabaseUrl();
        var project = TestProject.Create(EfWebApp, withNuGetOrg: true).AddSdkTo("EfWebApp.csproj").AsRepositoryRoot();
        // FlyIo.Sdk from the feed TestProject vendors inside the build context; EF Core from nuget.org, inside the image too.
        var image = $"{registry.Address}/efwebapp:test-{Guid.NewGuid().ToString("N").Substring(0, 8)}";
        File.Delete(project.PathOf("Dockerfile"));

        DotNet.Run(project.Directory, new Dictionary<string, string?> { ["FLY_API_TOKEN"] = registry.Password },
            "build", "-t:FlySetReleaseCommand;FlyDockerfile;FlyBuildImage", "-p:FlyImage=" + image,
            "-p:FlyBaseImageRegistry=" + registry.Address, "-p:FlyImageBuilder=buildah").AssertSucceeded();
        Assert.That(project.Read("Dockerfile"), Does.Contain("ENTRYPOINT [\"dotnet\", \"EfWebApp.dll\"]"));
        Assert.That(project.Read("fly.toml"), Does.Contain("release_command = \"migrate\""));

        // Fly's release machine runs ENTRYPOINT + release_command: dotnet EfWebApp.dll migrate, in the image.
        var container = Buildah("from", "--pull-never", image).Output.Trim().Split('\n').Last().Trim();
        try
        {
            var first = Buildah("run", "--isolation", "chroot", "--network", "host", "-e", "DATABASE_URL=" + databaseUrl, container, "--", "dotnet", "EfWebApp.dll", "migrate");
            var second = Buildah("run", "--isolation", "chroot", "--network", "host", "-e", "DATABASE_URL=" + databaseUrl, container, "--", "dotnet", "EfWebApp.dll", "migrate");

            Assert.That(first.ExitCode, Is.EqualTo(0), first.Output);
            Assert.That(first.Output, Does.Contain("fly-migrate:"));
            Assert.That(second.ExitCode, Is.EqualTo(0), second.Output);
            Assert.That(second.Output, Does.Contain("No pending migrations"));
        }
        finally
        {
            Buildah("rm", container);
            Buildah("rmi", "-f", image);
        }
    }

    private static (int ExitCode, string Output) Buildah(params string[] arguments) =>
        ChildProcess.Run("buildah", arguments, RepoPaths.RepoRoot, new Dictionary<string, string?>(), TimeSpan.FromMinutes(3));

    [Test]
    public void AReleaseCommandRepeatingTheEntrypoint_IsRejected_BeforeFlyTomlChanges()
    {
        var project = TestProject.Create(EfWebApp, withNuGetOrg: true).AddSdkTo("EfWebApp.csproj");
        var before = project.Read("fly.toml");

        var result = project.Dotnet("build", "-t:FlySetReleaseCommand", "-p:FlyReleaseCommand=dotnet EfWebApp.dll migrate").AssertFailed();

        Assert.That(result.Errors.Select(e => e.Code), Does.Contain("FLY4002"));
        Assert.That(project.Read("fly.toml"), Is.EqualTo(before));
    }

    [Test]
    public void StandaloneAlembicApp_GetsAlembicUpgradeHead()
    {
        var project = TestProject.Create("PythonApi").WithGlobalJson(withSdkVersion: false);
        project.Write("PythonApi.proj", $"<Project Sdk=\"FlyIo.Sdk/{PackagedSdk.Version}\" />\n");
        project.Write("alembic.ini", "[alembic]\nscript_location = alembic\n");

        project.Dotnet("build", "-t:FlySetReleaseCommand").AssertSucceeded();

        Assert.That(project.Read("fly.toml"), Does.Contain("release_command = \"alembic upgrade head\""));
    }
}
