using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>The package holds exactly what an MSBuild SDK needs, task dependencies bundled, nothing else.</summary>
[TestFixture]
public sealed class PackageContentsTests
{
    private static readonly string[] TaskFiles =
    {
        "FlyIo.AppModel.dll",
        "FlyIo.Dependencies.dll",
        "FlyIo.Deploy.dll",
        "FlyIo.Diagnostics.dll",
        "FlyIo.FlyToml.dll",
        "FlyIo.Images.dll",
        "FlyIo.Json.dll",
        "FlyIo.Launch.dll",
        "FlyIo.Machines.dll",
        "FlyIo.Release.dll",
        "FlyIo.Sdk.Tasks.dll",
        "FlyIo.Toml.dll",
    };

    [Test]
    public void PackageHoldsExactlyTheExpectedFiles()
    {
        var expected = new[]
            {
                "[Content_Types].xml",
                "_rels/.rels",
                "FlyIo.Sdk.nuspec",
                "README.md",
                "Sdk/Sdk.props",
                "Sdk/Sdk.targets",
                "build/FlyIo.Sdk.Deploy.targets",
                "build/FlyIo.Sdk.Image.targets",
                "build/FlyIo.Sdk.Launch.targets",
                "build/FlyIo.Sdk.ProjectGraph.targets",
                "build/FlyIo.Sdk.props",
                "build/FlyIo.Sdk.Standalone.targets",
                "build/FlyIo.Sdk.targets",
                "package/services/metadata/core-properties/<id>.psmdcp",
                "runtime/FlyDatabaseUrl.cs",
                "runtime/Migrations/FlyMigrations.cs",
            }
            .Concat(TaskFiles.Select(f => "tasks/net8.0/" + f))
            .Concat(TaskFiles.Select(f => "tasks/net472/" + f))
            .OrderBy(f => f, System.StringComparer.Ordinal);

        using var package = ZipFile.OpenRead(PackagedSdk.PackagePath);
        var actual = package.Entries
            .Select(e => Regex.Replace(e.FullName, @"core-properties/[^/]+\.psmdcp$", "core-properties/<id>.psmdcp"))
            .OrderBy(f => f, System.StringComparer.Ordinal);

        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void NuspecDeclaresAnMSBuildSdkWithNoDependencies()
    {
        using var package = ZipFile.OpenRead(PackagedSdk.PackagePath);
        using var reader = new System.IO.StreamReader(package.GetEntry("FlyIo.Sdk.nuspec")!.Open());
        var nuspec = reader.ReadToEnd();

        Assert.That(nuspec, Does.Contain("<packageType name=\"MSBuildSdk\" />"));
        Assert.That(nuspec, Does.Not.Contain("<dependency "), "an SDK package brings its dependencies inside tasks/");
        Assert.That(nuspec, Does.Contain($"<version>{PackagedSdk.Version}</version>"));
    }
}
