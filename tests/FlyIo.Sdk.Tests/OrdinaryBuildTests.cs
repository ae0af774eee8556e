using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>Importing the SDK must not change an ordinary build or publish.</summary>
[TestFixture]
public sealed class OrdinaryBuildTests : BuildTestBase
{
    [Test]
    public void BuildAndPublish_ProduceTheSameFiles_AndRunNoFlyTarget()
    {
        var with = SdkImportTests.WebAppWithExplicitVersion();
        var without = TestProject.Create("WebApp").WithGlobalJson(withSdkVersion: false);
        without.Write("WebApp.csproj", without.Read("WebApp.csproj").Replace("  <Sdk Name=\"FlyIo.Sdk\" />\n", ""));
        Assert.That(without.Read("WebApp.csproj"), Does.Not.Contain("FlyIo"));

        var withLog = with.Dotnet("publish", "-v:d", "-o", with.PathOf("out")).AssertSucceeded();
        without.Dotnet("publish", "-o", without.PathOf("out")).AssertSucceeded();

        Assert.That(FilesBelow(with.PathOf("out")), Is.EqualTo(FilesBelow(without.PathOf("out"))));
        var flyTargets = Regex.Matches(withLog.Output, "Target \"(_?Fly[A-Za-z]*)\"").Select(m => m.Groups[1].Value).Distinct();
        Assert.That(flyTargets, Is.Empty, "no FlyIo.Sdk target runs unless asked for");
    }

    private static string[] FilesBelow(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => f.Substring(directory.Length + 1).Replace('\\', '/'))
            .OrderBy(f => f, System.StringComparer.Ordinal)
            .ToArray();
}
