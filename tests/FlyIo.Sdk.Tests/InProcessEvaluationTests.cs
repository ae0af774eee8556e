using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Locator;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// Loads MSBuild in-process (through Microsoft.Build.Locator) and evaluates the package's own Sdk.props and
/// Sdk.targets, extracted from the nupkg, to check the property contract precisely: defaults, overrides, the
/// task assembly chosen by runtime, and standalone detection.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class InProcessEvaluationTests
{
    private string _extracted = "";

    [OneTimeSetUp]
    public void LoadMSBuild()
    {
        if (!MSBuildLocator.IsRegistered)
        {
            MSBuildLocator.RegisterDefaults();
        }

        _extracted = Path.Combine(PackagedSdk.WorkRoot, "extracted-" + TestContext.CurrentContext.Random.GetString(6));
        ZipFile.ExtractToDirectory(PackagedSdk.PackagePath, _extracted);
    }

    [Test]
    public void Defaults_AreSetOnlyWhenEmpty() => CheckDefaults();

    [Test]
    public void StandaloneProjects_AreDetected_AndGetTheStandardEntryTargets() => CheckStandalone();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CheckDefaults()
    {
        using var collection = new ProjectCollection();
        var plain = Evaluate(collection, new Dictionary<string, string>());
        Assert.That(plain.GetPropertyValue("UsingFlyIoSdk"), Is.EqualTo("true"));
        Assert.That(plain.GetPropertyValue("FlyConfigFile"), Is.EqualTo("fly.toml"));
        Assert.That(plain.GetPropertyValue("FlyStrict"), Is.EqualTo("false"));
        Assert.That(plain.GetPropertyValue("FlyValidateOnBuild"), Is.EqualTo("false"));
        Assert.That(plain.GetPropertyValue("FlyIoSdkTaskAssembly"),
            Is.EqualTo(Path.Combine(_extracted, "tasks", "net8.0", "FlyIo.Sdk.Tasks.dll")));
        Assert.That(plain.Targets.ContainsKey("FlyValidate"), Is.True);

        using var other = new ProjectCollection();
        var overridden = Evaluate(other, new Dictionary<string, string>
        {
            ["FlyConfigFile"] = "fly.staging.toml",
            ["FlyStrict"] = "true",
            ["FlyIoSdkTaskAssembly"] = "/opt/custom/FlyIo.Sdk.Tasks.dll",
        });
        Assert.That(overridden.GetPropertyValue("FlyConfigFile"), Is.EqualTo("fly.staging.toml"));
        Assert.That(overridden.GetPropertyValue("FlyStrict"), Is.EqualTo("true"));
        Assert.That(overridden.GetPropertyValue("FlyIoSdkTaskAssembly"), Is.EqualTo("/opt/custom/FlyIo.Sdk.Tasks.dll"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CheckStandalone()
    {
        using var collection = new ProjectCollection();
        var project = Evaluate(collection, new Dictionary<string, string>());
        Assert.That(project.GetPropertyValue("FlyStandalone"), Is.EqualTo("true"), "no Microsoft.NET.Sdk imported");
        foreach (var target in new[] { "Restore", "Build", "Publish", "Clean", "Rebuild" })
        {
            Assert.That(project.Targets.ContainsKey(target), Is.True, target);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Project Evaluate(ProjectCollection collection, Dictionary<string, string> globalProperties)
    {
        var directory = Path.Combine(PackagedSdk.WorkRoot, "eval-" + System.Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        var path = Path.Combine(directory, "app.proj");
        var sdk = Path.Combine(_extracted, "Sdk");
        File.WriteAllText(path, $"""
            <Project>
              <Import Project="{sdk}/Sdk.props" />
              <Import Project="{sdk}/Sdk.targets" />
            </Project>
            """);
        return new Project(path, globalProperties, toolsVersion: null, collection);
    }
}
