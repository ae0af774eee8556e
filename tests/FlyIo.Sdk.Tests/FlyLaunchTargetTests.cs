using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// FlyLaunch on real projects with their fly.toml removed: what it writes, that FlyValidate passes it strictly with no
/// warning, that it never overwrites, and app creation against the local Machines API (a new name, a taken one).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class FlyLaunchTargetTests : BuildTestBase
{
    [Test]
    public void TheSampleWebApp_GetsAFlyTomlFromWhatItIs_WhichValidatesStrictlyWithNoWarning()
    {
        var project = WebAppWithoutFlyToml();

        var launch = project.Dotnet("build", "-t:FlyLaunch").AssertSucceeded();

        var written = project.Read("fly.toml");
        Assert.That(written, Does.Contain("app = \"webapp\""), "the project name, made a Fly app name");
        Assert.That(written, Does.Contain("primary_region = \"iad\""));
        Assert.That(written, Does.Contain("internal_port = 8080"), "net10.0 images make Kestrel listen on 8080");
        Assert.That(written, Does.Contain(".NET 10 images default ASPNETCORE_HTTP_PORTS to 8080"), "the reason is the port cross-check's own");
        Assert.That(written, Does.Contain("path = \"/healthz\""), "Program.cs maps MapHealthChecks(\"/healthz\")");
        Assert.That(written, Does.Contain("# Program.cs(8,5) maps it with MapHealthChecks."));
        Assert.That(written, Does.Contain("memory = \"1gb\"").And.Contain("cpu_kind = \"shared\"").And.Contain("cpus = 1"));
        Assert.That(written, Does.Contain("auto_stop_machines = \"stop\"").And.Contain("min_machines_running = 0").And.Contain("force_https = true"));
        Assert.That(written, Does.Not.Contain("release_command"), "no EF Core migrations in the sample");
        Assert.That(written, Does.Not.Contain("\r"), "LF line ends");
        Assert.That(launch.Output, Does.Contain("FlyLaunch: wrote"));

        var validate = project.Dotnet("build", "-t:FlyValidate", "-p:FlyStrict=true").AssertSucceeded();
        Assert.That(validate.Diagnostics, Is.Empty);
        Assert.That(validate.Output, Does.Contain("0 error(s), 0 warning(s)"));
    }

    [Test]
    public void ASecondRun_RefusesToOverwrite_AndForceKeepsTheOldFileAsBak()
    {
        var project = WebAppWithoutFlyToml();
        project.Dotnet("build", "-t:FlyLaunch").AssertSucceeded();
        var edited = project.Read("fly.toml").Replace("primary_region = \"iad\"", "primary_region = \"ams\"");
        project.Write("fly.toml", edited);

        var again = project.Dotnet("build", "-t:FlyLaunch").AssertFailed();
        var error = again.Single("FLY1003");
        Assert.That(Path.GetFileName(error.File), Is.EqualTo("fly.toml"));
        Assert.That(error.Message, Does.Contain("FlyLaunchForce"));
        Assert.That(project.Read("fly.toml"), Is.EqualTo(edited), "the user's file is untouched");
        Assert.That(File.Exists(project.PathOf("fly.toml.bak")), Is.False);

        project.Dotnet("build", "-t:FlyLaunch", "-p:FlyLaunchForce=true", "-p:FlyRegion=fra").AssertSucceeded();
        Assert.That(project.Read("fly.toml.bak"), Is.EqualTo(edited));
        Assert.That(project.Read("fly.toml"), Does.Contain("primary_region = \"fra\"").And.Contain("# The FlyRegion property."));
    }

    [Test]
    public void FlyLaunch_WritesTheFlyPublishProfile_NeverOverAnExistingOne_AndForceKeepsItAsBak()
    {
        var project = WebAppWithoutFlyToml();
        const string profile = "Properties/PublishProfiles/Fly.pubxml";

        var launch = project.Dotnet("build", "-t:FlyLaunch").AssertSucceeded();

        var written = File.ReadAllBytes(project.PathOf(profile));
        var text = System.Text.Encoding.UTF8.GetString(written);
        Assert.That(written.Take(3), Is.Not.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 without a byte order mark");
        Assert.That(text, Does.Not.Contain("\r"), "LF line ends on every platform");
        Assert.That(text, Does.Contain("<WebPublishMethod>Custom</WebPublishMethod>").And.Contain("<FlyDeployOnPublish>true</FlyDeployOnPublish>")
            .And.Contain("dotnet publish -p:PublishProfile=Fly"));
        Assert.That(launch.Output, Does.Contain("wrote " + profile));
        // The .NET SDK imports the file itself: under another name, only the file's own FlyDeployOnPublish counts.
        project.Write("Properties/PublishProfiles/Production.pubxml", text);
        var evaluated = project.Dotnet("msbuild", "-p:PublishProfile=Production", "-getProperty:FlyDeployOnPublish", "-getProperty:IsPublishable").AssertSucceeded();
        Assert.That(evaluated.Output, Does.Contain("\"FlyDeployOnPublish\": \"true\"").And.Contain("\"IsPublishable\": \"false\""));
        File.Delete(project.PathOf("Properties/PublishProfiles/Production.pubxml"));

        // A second launch (a fly.toml of the user's own, deleted and relaunched) keeps a profile the user edited.
        var edited = text.Replace("<LastUsedPlatform>Any CPU</LastUsedPlatform>", "<LastUsedPlatform>x64</LastUsedPlatform>");
        project.Write(profile, edited);
        File.Delete(project.PathOf("fly.toml"));
        var again = project.Dotnet("build", "-t:FlyLaunch").AssertSucceeded();
        Assert.That(project.Read(profile), Is.EqualTo(edited));
        Assert.That(again.Output, Does.Contain("kept the existing " + profile));

        project.Dotnet("build", "-t:FlyLaunch", "-p:FlyLaunchForce=true").AssertSucceeded();
        Assert.That(project.Read(profile), Is.EqualTo(text), "the same bytes as the first time: deterministic");
        Assert.That(project.Read(profile + ".bak"), Is.EqualTo(edited));
    }

    [Test]
    public void ProjectNames_BecomeValidAppNames_AndAnInvalidFlyAppIsRefused()
    {
        var project = WebAppWithoutFlyToml();
        File.Move(project.PathOf("WebApp.csproj"), project.PathOf("My_Shop.Api.csproj"));

        project.Dotnet("build", "-t:FlyLaunch").AssertSucceeded();
        Assert.That(project.Read("fly.toml"), Does.Contain("app = \"my-shop-api\""));

        File.Delete(project.PathOf("fly.toml"));
        var refused = project.Dotnet("build", "-t:FlyLaunch", "-p:FlyApp=My App").AssertFailed();
        Assert.That(refused.Single("FLY1067").Message, Does.Contain("FlyApp"));
        Assert.That(File.Exists(project.PathOf("fly.toml")), Is.False, "nothing written");
    }

    [Test]
    public void AFlyVmMemoryFlyCannotRun_IsRefusedBeforeAnythingIsWritten_AndASmallOneValidates()
    {
        var project = WebAppWithoutFlyToml();

        var refused = project.Dotnet("build", "-t:FlyLaunch", "-p:FlyVmMemory=lots").AssertFailed();
        var error = refused.Single("FLY1004");
        Assert.That(error.Message, Does.Contain("memory = \"lots\"").And.Contain("FLY1023"));
        Assert.That(File.Exists(project.PathOf("fly.toml")), Is.False);

        project.Dotnet("build", "-t:FlyLaunch", "-p:FlyVmMemory=512mb").AssertSucceeded();
        Assert.That(project.Read("fly.toml"), Does.Contain("memory = \"512mb\""));
        // 512 MB with Server GC off in the sample: no warning. The generated Dockerfile adds the heap limit.
        Assert.That(project.Dotnet("build", "-t:FlyValidate", "-p:FlyStrict=true").AssertSucceeded().Diagnostics, Is.Empty);
        project.Dotnet("build", "-t:FlyDockerfile").AssertSucceeded();
        Assert.That(project.Read("Dockerfile"), Does.Contain("ENV DOTNET_GCHeapHardLimit="));
    }

    [Test]
    public void TheEfCoreSample_GetsItsReleaseCommand_AndItsDatabaseUrlNamedAsASecret()
    {
        var project = TestProject.Create("release/EfWebApp", withNuGetOrg: true).AddSdkTo("EfWebApp.csproj");
        File.Delete(project.PathOf("fly.toml"));
        File.Delete(project.PathOf("Dockerfile"));

        project.Dotnet("build", "-t:FlyLaunch").AssertSucceeded();

        var written = project.Read("fly.toml");
        Assert.That(written, Does.Contain("[deploy]\n  # release_command = \"migrate\": EF Core migrations (2) for AppDbContext"));
        Assert.That(written, Does.Contain("  release_command = \"migrate\"\n"));
        Assert.That(written, Does.Contain("#   DATABASE_URL: Program.cs(5,74) reads configuration key ConnectionStrings:Default, which FlyIo.Sdk fills from DATABASE_URL; set at deploy by the project's FlySecret items."));
        Assert.That(written, Does.Not.Contain("DATABASE_URL ="), "a secret never gets a value in fly.toml");
        Assert.That(written, Does.Contain("path = \"/healthz\""));
        Assert.That(project.Dotnet("build", "-t:FlyValidate", "-p:FlyStrict=true").AssertSucceeded().Diagnostics, Is.Empty);
    }

    [Test]
    public void FlyCreateApp_CreatesTheApp_AndATakenNameWritesNothing()
    {
        using var api = LocalMachinesApi.Start();
        var project = WebAppWithoutFlyToml();
        var env = new Dictionary<string, string?> { ["FLY_API_TOKEN"] = api.Token };
        var app = "launch-" + Guid.NewGuid().ToString("N").Substring(0, 8);

        var created = DotNet.Run(project.Directory, env, "build", "-t:FlyLaunch", "-p:FlyCreateApp=true", "-p:FlyApp=" + app, "-p:FlyOrg=acme", "-p:FlyApiUrl=" + api.Url).AssertSucceeded();
        Assert.That(created.Output, Does.Contain($"created app {app} in org acme"));
        Assert.That(api.SendForBody(HttpMethod.Get, "v1/apps/" + app), Does.Contain("\"acme\""));
        Assert.That(project.Read("fly.toml"), Does.Contain($"app = \"{app}\""));
        Assert.That(created.Output, Does.Not.Contain(api.Token));

        // A name another organization owns: Fly answers 422 "Name has already been taken".
        File.Delete(project.PathOf("fly.toml"));
        api.Send(HttpMethod.Post, "__admin/foreign-apps/webapp");
        var taken = DotNet.Run(project.Directory, env, "build", "-t:FlyLaunch", "-p:FlyCreateApp=true", "-p:FlyApiUrl=" + api.Url).AssertFailed();
        Assert.That(taken.Single("FLY5016").Message, Does.Contain("'webapp' is taken").And.Contain("FlyApp"));
        Assert.That(File.Exists(project.PathOf("fly.toml")), Is.False, "no fly.toml names an app the user does not own");

        var noToken = project.Dotnet("build", "-t:FlyLaunch", "-p:FlyCreateApp=true", "-p:FlyApiUrl=" + api.Url).AssertFailed();
        Assert.That(noToken.Errors.Select(e => e.Code), Does.Contain("FLY5020"));
        Assert.That(File.Exists(project.PathOf("fly.toml")), Is.False);
    }

    [Test]
    public void AnApiWithASharedProjectNextToIt_IsLaunched_AndItsImageReachesTheSharedProject()
    {
        // fly launch copies only the project folder into the image, so ../Shared is missing; FlyIo.Sdk's build context
        // is the repository, and the file FlyLaunch writes deploys with it.
        var project = TestProject.Create("images/MultiProject", withNuGetOrg: true).AsRepositoryRoot().AddSdkTo("src/Api/Api.csproj");
        File.Delete(project.PathOf("src/Api/fly.toml"));

        project.DotnetIn("src/Api", "build", "-t:FlyLaunch").AssertSucceeded();

        var written = project.Read("src/Api/fly.toml");
        Assert.That(written, Does.Contain("app = \"api\"").And.Contain("path = \"/healthz\"").And.Contain("# Program.cs(4,5) maps it with MapGet."));
        Assert.That(project.DotnetIn("src/Api", "build", "-t:FlyValidate", "-p:FlyStrict=true").AssertSucceeded().Diagnostics, Is.Empty);
        project.DotnetIn("src/Api", "build", "-t:FlyDockerfile").AssertSucceeded();
        Assert.That(project.Read("src/Api/Dockerfile"), Does.Contain("src/Shared/Shared.csproj"));
    }

    [Test]
    public void AStandaloneFolderWithoutADockerfile_IsRefusedWithTheReason()
    {
        var project = TestProject.Create(Path.Combine("standalone", "PythonFastApi")).WithGlobalJson(withSdkVersion: false);
        project.Write("PythonFastApi.proj", project.Read("PythonFastApi.proj").Replace("<Project Sdk=\"FlyIo.Sdk\">", $"<Project Sdk=\"FlyIo.Sdk/{PackagedSdk.Version}\">"));
        File.Delete(project.PathOf("fly.toml"));
        File.Delete(project.PathOf("Dockerfile"));

        var refused = project.Dotnet("build", "-t:FlyLaunch").AssertFailed();
        Assert.That(refused.Single("FLY1004").Message, Does.Contain("no Dockerfile"));
        Assert.That(File.Exists(project.PathOf("fly.toml")), Is.False);
    }

    internal static TestProject WebAppWithoutFlyToml()
    {
        var project = SdkImportTests.WebAppWithExplicitVersion();
        File.Delete(project.PathOf("fly.toml"));
        return project;
    }
}
