using System;
using System.IO;
using System.Linq;
using FlyIo.AppModel.Project;
using NUnit.Framework;

namespace FlyIo.AppModel.Tests;

/// <summary>The build context and the restore inputs, found on a real folder tree.</summary>
[TestFixture]
public sealed class BuildContextTests
{
    private string _root = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), "context-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string text = "")
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void The_context_is_the_property_else_the_repository_else_the_common_folder()
    {
        var app = Write("repo/src/App/App.csproj");
        var shared = Write("repo/lib/Shared/Shared.csproj");
        var appDir = Path.GetDirectoryName(app)!;
        Assert.That(BuildContextRoot.Resolve(null, appDir, new[] { app, shared }), Is.EqualTo(Path.Combine(_root, "repo")), "no .git: the folder holding every project");

        Directory.CreateDirectory(Path.Combine(_root, "repo", ".git"));
        Assert.That(BuildContextRoot.Resolve(null, appDir, new[] { app }), Is.EqualTo(Path.Combine(_root, "repo")), "the repository root");
        Assert.That(BuildContextRoot.Resolve("..", appDir, new[] { app }), Is.EqualTo(Path.Combine(_root, "repo", "src")), "FlyBuildContext, relative to the project");
    }

    [Test]
    public void Restore_inputs_include_configs_above_and_packages_of_feeds_inside_the_context()
    {
        var app = Write("repo/src/App/App.csproj");
        var globalJson = Write("repo/global.json", "{}");
        var inside = Write("repo/feed/Vendored.1.0.0.nupkg");
        Write("outside-feed/Elsewhere.1.0.0.nupkg");
        var config = Write("repo/src/NuGet.Config",
            "<configuration><packageSources><add key=\"vendored\" value=\"../feed\" /><add key=\"machine\" value=\"../../outside-feed\" /></packageSources></configuration>");
        var context = Path.Combine(_root, "repo");

        var inputs = RestoreFiles.All(new[] { app, app }, Path.GetDirectoryName(app)!, new[] { app }, context);

        Assert.That(inputs, Is.EqualTo(new[] { app, globalJson, config, inside }.OrderBy(p => p, StringComparer.Ordinal)),
            "sorted, once each; NuGet.Config found whatever its case; the feed outside the context is left to the outside-feed check");
    }
}
