using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// The package builds from a clean copy of the repository, as a new user's clone is: no obj/ folders, an empty
/// NUGET_PACKAGES, and a path with a folder named "src" above the repository (as in ~/src/FlyIo.Sdk), which must not
/// change what any project targets.
/// </summary>
[TestFixture]
public sealed class FreshCloneTests : BuildTestBase
{
    private string clone = "";
    private Dictionary<string, string?> environment = new();

    [OneTimeSetUp]
    public void CopyTheRepository()
    {
        if (!Directory.Exists(Path.Combine(RepoPaths.RepoRoot, ".git")))
        {
            Assert.Ignore("the repository is not a git checkout here, so its tracked files cannot be listed");
        }

        // Tracked files plus new ones git does not ignore, as they are in the working tree: what a clone of this
        // commit would hold once it is committed.
        var (exit, listing) = ChildProcess.Run(
            "git", new[] { "ls-files", "-z", "--cached", "--others", "--exclude-standard" },
            RepoPaths.RepoRoot, new Dictionary<string, string?>(), TimeSpan.FromMinutes(1));
        Assert.That(exit, Is.EqualTo(0), "git ls-files failed: " + listing);

        clone = Path.Combine(PackagedSdk.WorkRoot, "fresh", "home", "src", "FlyIo.Sdk");
        foreach (var relative in listing.Split('\0').Select(f => f.Trim('\r', '\n')).Where(f => f.Length > 0))
        {
            var source = Path.Combine(RepoPaths.RepoRoot, relative);
            if (!File.Exists(source))
            {
                continue; // deleted in the working tree, not yet committed
            }

            var target = Path.Combine(clone, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }

        environment = new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = Path.Combine(PackagedSdk.WorkRoot, "fresh", "nuget-packages"),
        };
    }

    [Test]
    public void PackingProjectPacksFromACleanCloneWithNoRestoreBeforeIt()
    {
        Assert.That(Directory.GetDirectories(clone, "obj", SearchOption.AllDirectories), Is.Empty);
        var output = Path.Combine(PackagedSdk.WorkRoot, "fresh", "out");

        DotNet.Run(clone, environment, "pack", "nuget/FlyIo.Sdk.csproj", "-c", "Release", "-o", output).AssertSucceeded();

        var package = Directory.GetFiles(output, "FlyIo.Sdk.*.nupkg").Single();
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        Assert.That(entries, Does.Contain("tasks/net8.0/FlyIo.Sdk.Tasks.dll"));
        Assert.That(entries, Does.Contain("tasks/net472/FlyIo.Sdk.Tasks.dll"));
        Assert.That(entries, Does.Contain("Sdk/Sdk.targets"));
    }

    [TestCase("src/FlyIo.Toml/FlyIo.Toml.csproj", "net8.0;net472", "")]
    [TestCase("src/FlyIo.LocalMachines/FlyIo.LocalMachines.csproj", "", "net10.0")]
    [TestCase("tests/FlyIo.Toml.Tests/FlyIo.Toml.Tests.csproj", "", "net10.0")]
    [TestCase("tests/FlyIo.Sdk.Benchmarks/FlyIo.Sdk.Benchmarks.csproj", "", "net10.0")]
    public void TargetFrameworksDoNotDependOnWhereTheCloneLives(string project, string frameworks, string framework)
    {
        Assert.That(clone, Does.Contain(Path.DirectorySeparatorChar + "src" + Path.DirectorySeparatorChar));

        var result = DotNet.Run(clone, environment, "msbuild", project, "-getProperty:TargetFrameworks", "-getProperty:TargetFramework")
            .AssertSucceeded();

        Assert.That(result.Output, Does.Contain($"\"TargetFrameworks\": \"{frameworks}\""));
        Assert.That(result.Output, Does.Contain($"\"TargetFramework\": \"{framework}\""));
    }
}
