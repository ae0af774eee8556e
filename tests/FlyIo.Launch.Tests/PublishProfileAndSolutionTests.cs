using System;
using System.IO;
using NUnit.Framework;

namespace FlyIo.Launch.Tests;

/// <summary>The publish profile FlyLaunch writes, and the solution hint it gives, on real folders.</summary>
public sealed class PublishProfileAndSolutionTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot()
    {
        _root = Path.Combine(Path.GetTempPath(), "flyio-launch-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(Path.Combine(_root, ".git"));
        Directory.CreateDirectory(Path.Combine(_root, "src", "Api"));
    }

    [TearDown]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    [Test]
    public void TheProfile_IsTheSameLfTextEveryTime_AndSaysItDeploys()
    {
        var text = PublishProfileWriter.Render();

        Assert.That(text, Is.EqualTo(PublishProfileWriter.Render()));
        Assert.That(text, Does.Not.Contain("\r"));
        Assert.That(text, Does.StartWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n").And.EndWith("</Project>\n"));
        Assert.That(System.Xml.Linq.XDocument.Parse(text).Root!.Name.LocalName, Is.EqualTo("Project"), "well-formed MSBuild XML");
        Assert.That(text, Does.Contain("<FlyDeployOnPublish>true</FlyDeployOnPublish>"));
    }

    [Test]
    public void NoSolution_UpToTheRepositoryRoot_NoHint() =>
        Assert.That(SolutionDeployHint.For(Path.Combine(_root, "src", "Api")), Is.Null);

    [Test]
    public void ASolutionAbove_WithoutDirectorySolutionTargets_IsOfferedTheFile()
    {
        File.WriteAllText(Path.Combine(_root, "Shop.sln"), "");

        var hint = SolutionDeployHint.For(Path.Combine(_root, "src", "Api"));

        Assert.That(hint, Does.StartWith("Shop.sln in " + _root).And.Contain("dotnet publish -t:FlyDeploy Shop.sln")
            .And.Contain("add a Directory.Solution.targets beside it holding <Project>   <Import Project=\"Solution.targets\" Sdk=\"FlyIo.Sdk\" /> </Project>"));
    }

    [Test]
    public void ASolutionWhoseDirectorySolutionTargetsImportsTheSdk_NoHint_AndOneThatDoesNot_IsToldWhatToAdd()
    {
        File.WriteAllText(Path.Combine(_root, "Shop.slnx"), "");
        var targets = Path.Combine(_root, "Directory.Solution.targets");
        File.WriteAllText(targets, "<Project />\n");
        Assert.That(SolutionDeployHint.For(Path.Combine(_root, "src", "Api")), Does.Contain("add <Import Project=\"Solution.targets\" Sdk=\"FlyIo.Sdk\" /> to its Directory.Solution.targets"));

        File.WriteAllText(targets, SolutionDeployHint.FileText);
        Assert.That(SolutionDeployHint.For(Path.Combine(_root, "src", "Api")), Is.Null);
    }
}
