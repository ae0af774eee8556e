using System.IO;
using System.Linq;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>The three ways a user brings the SDK in, each building a real project against the packed nupkg.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class SdkImportTests : BuildTestBase
{
    [Test]
    public void SdkElementWithVersion_InWebProject_ValidatesTheSample()
    {
        var project = WebAppWithExplicitVersion();

        var result = project.Dotnet("build", "-t:FlyValidate").AssertSucceeded();

        Assert.That(result.Diagnostics.Where(d => d.Code.StartsWith("FLY")), Is.Empty, "the sample's fly.toml is clean");
        Assert.That(result.Output, Does.Contain("FlyValidate:"), "the task ran");
    }

    [Test]
    public void SdkElementWithVersion_ReportsASchemaErrorAtItsPosition()
    {
        var project = WebAppWithExplicitVersion();
        var lines = project.Read("fly.toml").Split('\n').ToList();
        var strategyLine = lines.FindIndex(l => l.Contains("strategy = \"rolling\""));
        lines[strategyLine] = "  strategy = \"sideways\"";
        project.Write("fly.toml", string.Join("\n", lines));

        var result = project.Dotnet("build", "-t:FlyValidate").AssertFailed();

        var error = result.Errors.Single(e => e.Code.StartsWith("FLY1"));
        Assert.That(Path.GetFileName(error.File), Is.EqualTo("fly.toml"));
        Assert.That(error.Line, Is.EqualTo(strategyLine + 1));
        Assert.That(error.Column, Is.EqualTo(lines[strategyLine].IndexOf('"') + 1), "the column of the bad value");
        Assert.That(error.Message, Does.Contain("sideways"));
    }

    [Test]
    public void SdkElementWithVersion_ReportsATomlSyntaxErrorAsFly0xxx()
    {
        var project = WebAppWithExplicitVersion();
        project.Write("fly.toml", "app = \"x\"\nprimary_region = \"ams\n");

        var result = project.Dotnet("build", "-t:FlyValidate").AssertFailed();

        var error = result.Errors.Single();
        Assert.That(error.Code, Does.Match("^FLY000[1-9]$"));
        Assert.That(Path.GetFileName(error.File), Is.EqualTo("fly.toml"));
        Assert.That(error.Line, Is.EqualTo(2));
        Assert.That(error.Column, Is.GreaterThan(0));
    }

    [Test]
    public void SdkElementWithoutVersion_TakesTheVersionFromGlobalJson()
    {
        var project = TestProject.Create("WebApp").WithGlobalJson(withSdkVersion: true);
        Assert.That(project.Read("WebApp.csproj"), Does.Contain("<Sdk Name=\"FlyIo.Sdk\" />"));

        var result = project.Dotnet("build", "-t:FlyValidate").AssertSucceeded();

        Assert.That(result.Output, Does.Contain("FlyValidate:"));
    }

    [Test]
    public void ProjectSdkAttribute_StandalonePythonApp_ValidatesAndBuilds()
    {
        var project = StandalonePythonApp();

        project.Dotnet("build", "-t:FlyValidate").AssertSucceeded();
        // An ordinary build of a standalone project is a no-op that succeeds.
        project.Dotnet("build").AssertSucceeded();
        project.Dotnet("publish").AssertSucceeded();
    }

    [Test]
    public void ProjectSdkAttribute_StandaloneApp_CrossChecksTheDockerfileExpose()
    {
        var project = StandalonePythonApp();
        project.Write("Dockerfile", project.Read("Dockerfile").Replace("EXPOSE 8000", "EXPOSE 5000"));

        var result = project.Dotnet("build", "-t:FlyValidate");

        var finding = result.Diagnostics.Single(d => d.Message.Contains("5000"));
        Assert.That(finding.Code, Does.StartWith("FLY1"));
    }

    internal static TestProject WebAppWithExplicitVersion()
    {
        var project = TestProject.Create("WebApp").WithGlobalJson(withSdkVersion: false);
        project.Write("WebApp.csproj", project.Read("WebApp.csproj")
            .Replace("<Sdk Name=\"FlyIo.Sdk\" />", $"<Sdk Name=\"FlyIo.Sdk\" Version=\"{PackagedSdk.Version}\" />"));
        return project;
    }

    internal static TestProject StandalonePythonApp()
    {
        var project = TestProject.Create("PythonApi").WithGlobalJson(withSdkVersion: false);
        project.Write("PythonApi.proj", project.Read("PythonApi.proj")
            .Replace("<Project Sdk=\"FlyIo.Sdk\">", $"<Project Sdk=\"FlyIo.Sdk/{PackagedSdk.Version}\">"));
        return project;
    }
}
