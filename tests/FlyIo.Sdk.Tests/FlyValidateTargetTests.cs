using System.IO;
using System.Linq;
using System.Text.Json;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>The FlyValidate target's switches, hooks and opt-ins, on real builds.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class FlyValidateTargetTests : BuildTestBase
{
    [Test]
    public void FlyConfigFile_SelectsAnotherFile()
    {
        var project = SdkImportTests.WebAppWithExplicitVersion();
        project.Write("fly.staging.toml", project.Read("fly.toml").Replace("internal_port = 8080", "internal_port = \"8080x\""));

        project.Dotnet("build", "-t:FlyValidate").AssertSucceeded();
        var staging = project.Dotnet("build", "-t:FlyValidate", "-p:FlyConfigFile=fly.staging.toml").AssertFailed();

        Assert.That(staging.Errors.Select(e => Path.GetFileName(e.File)).Distinct(), Is.EqualTo(new[] { "fly.staging.toml" }));
    }

    [Test]
    public void FlyStrict_TurnsTheUnknownKeyWarningIntoAnError()
    {
        var project = SdkImportTests.WebAppWithExplicitVersion();
        project.Write("fly.toml", project.Read("fly.toml").Replace("  force_https = true", "  force_https = true\n  interal_port = 8080"));

        var relaxed = project.Dotnet("build", "-t:FlyValidate").AssertSucceeded();
        var strict = project.Dotnet("build", "-t:FlyValidate", "-p:FlyStrict=true").AssertFailed();

        var warning = relaxed.Warnings.Single(w => w.Message.Contains("interal_port"));
        var error = strict.Errors.Single(e => e.Message.Contains("interal_port"));
        Assert.That(error.Code, Is.EqualTo(warning.Code));
        Assert.That((error.Line, error.Column), Is.EqualTo((warning.Line, warning.Column)));
        Assert.That(warning.Message, Does.Contain("internal_port"), "did you mean");
    }

    [Test]
    public void FlyApp_SatisfiesAMissingAppKey()
    {
        var project = SdkImportTests.WebAppWithExplicitVersion();
        project.Write("fly.toml", project.Read("fly.toml").Replace("app = \"flyio-sdk-sample\"\n", ""));

        var missing = project.Dotnet("build", "-t:FlyValidate").AssertFailed();
        Assert.That(missing.Errors.Single().Message, Does.Contain("FlyApp"));

        project.Dotnet("build", "-t:FlyValidate", "-p:FlyApp=from-property").AssertSucceeded();
    }

    [Test]
    public void FlyValidateOnBuild_FailsTheBuild_AndSkipsWhenNothingChanged()
    {
        var project = SdkImportTests.WebAppWithExplicitVersion();
        var good = project.Read("fly.toml");
        project.Write("fly.toml", good.Replace("strategy = \"rolling\"", "strategy = \"sideways\""));

        project.Dotnet("build").AssertSucceeded();
        var failing = project.Dotnet("build", "-p:FlyValidateOnBuild=true").AssertFailed();
        Assert.That(failing.Errors.Single().Code, Does.StartWith("FLY1"));

        project.Write("fly.toml", good);
        project.Dotnet("build", "-p:FlyValidateOnBuild=true").AssertSucceeded();
        var again = project.Dotnet("build", "-p:FlyValidateOnBuild=true", "-v:d").AssertSucceeded();
        Assert.That(again.Output, Does.Contain("Skipping target \"_FlyValidateOnBuild\" because all output files are up-to-date"));
    }

    [Test]
    public void TaskAssemblyOverride_IsHonoured_AndAMissingOneIsFly9001()
    {
        var project = SdkImportTests.WebAppWithExplicitVersion();

        var result = project.Dotnet("build", "-t:FlyValidate", "-p:FlyIoSdkTaskAssembly=" + project.PathOf("nowhere/FlyIo.Sdk.Tasks.dll")).AssertFailed();

        var error = result.Single("FLY9001");
        Assert.That(error.Message, Does.Contain("nowhere"));
    }

    [Test]
    public void MarkerProperty_Defaults_AndUserOverrides_AreVisibleToMSBuild()
    {
        var project = SdkImportTests.WebAppWithExplicitVersion();

        var result = project.Dotnet("msbuild", "-getProperty:UsingFlyIoSdk", "-getProperty:FlyConfigFile", "-getProperty:FlyIoSdkTaskAssembly",
            "-p:FlyConfigFile=fly.production.toml").AssertSucceeded();

        using var json = JsonDocument.Parse(result.Output.Substring(result.Output.IndexOf('{')));
        var properties = json.RootElement.GetProperty("Properties");
        Assert.That(properties.GetProperty("UsingFlyIoSdk").GetString(), Is.EqualTo("true"));
        Assert.That(properties.GetProperty("FlyConfigFile").GetString(), Is.EqualTo("fly.production.toml"));
        var taskAssembly = properties.GetProperty("FlyIoSdkTaskAssembly").GetString()!;
        Assert.That(taskAssembly.Replace('\\', '/'), Does.EndWith("/tasks/net8.0/FlyIo.Sdk.Tasks.dll"), "dotnet's MSBuild is Core");
        Assert.That(File.Exists(taskAssembly), Is.True);
    }

    [Test]
    public void CustomHooks_AreImportedAroundTheSdk()
    {
        var project = SdkImportTests.WebAppWithExplicitVersion();
        project.Write("before.props", "<Project><PropertyGroup><FlyConfigFile>fly.hooked.toml</FlyConfigFile></PropertyGroup></Project>");
        project.Write("after.targets", "<Project><Target Name=\"HookedTarget\"><Message Importance=\"high\" Text=\"hooked: $(FlyConfigFile) $(UsingFlyIoSdk)\" /></Target></Project>");

        var result = project.Dotnet("build", "-t:HookedTarget",
            "-p:CustomBeforeFlyIoSdkProps=" + project.PathOf("before.props"),
            "-p:CustomAfterFlyIoSdkTargets=" + project.PathOf("after.targets")).AssertSucceeded();

        Assert.That(result.Output, Does.Contain("hooked: fly.hooked.toml true"));
    }
}
