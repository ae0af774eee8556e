using System;
using System.IO;
using FlyIo.Testing;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// A user project in a fresh temporary folder: a NuGet.config that restores only from the local feed holding the
/// packed FlyIo.Sdk, and optionally a copy of one of the repository's samples.
/// </summary>
internal sealed class TestProject
{
    private TestProject(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>
    /// A fresh folder, optionally holding a copy of tests/samples/&lt;sample&gt;. Its NuGet.config restores FlyIo.Sdk
    /// from a feed folder inside it only, plus nuget.org when the sample has package references of its own.
    /// </summary>
    public static TestProject Create(string? sample = null, bool withNuGetOrg = false)
    {
        var name = sample is null ? "project" : Path.GetFileName(sample);
        var directory = Path.Combine(PackagedSdk.WorkRoot, name + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        System.IO.Directory.CreateDirectory(directory);
        var project = new TestProject(directory);
        if (sample is not null)
        {
            CopyDirectory(Path.Combine(RepoPaths.RepoRoot, "tests", "samples", sample), directory);
        }

        // The package under test is vendored in the project's own feed folder, as a team without a feed of its own
        // does: a feed outside the build context is one the restore inside the image cannot reach (FLY2001).
        System.IO.Directory.CreateDirectory(project.PathOf("feed"));
        File.Copy(PackagedSdk.PackagePath, project.PathOf(Path.Combine("feed", Path.GetFileName(PackagedSdk.PackagePath))));
        var nugetOrg = withNuGetOrg ? "\n    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" />" : "";
        project.Write("NuGet.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="flyio-sdk-under-test" value="feed" />{nugetOrg}
              </packageSources>
            </configuration>
            """);
        if (!File.Exists(project.PathOf("Directory.Build.props")))
        {
            // An empty Directory.Build.props stops MSBuild from walking up into the temp folder's parents.
            project.Write("Directory.Build.props", "<Project />");
        }

        return project;
    }

    /// <summary>Adds &lt;Sdk Name="FlyIo.Sdk" Version="…" /&gt; to an SDK-style project of the copy.</summary>
    public TestProject AddSdkTo(string relativeProjectPath)
    {
        var text = Read(relativeProjectPath);
        var start = text.IndexOf("<Project", StringComparison.Ordinal);
        var end = text.IndexOf('>', start) + 1;
        Write(relativeProjectPath, text.Substring(0, end) + $"\n  <Sdk Name=\"FlyIo.Sdk\" Version=\"{PackagedSdk.Version}\" />" + text.Substring(end));
        return this;
    }

    /// <summary>Makes the copy's root a repository root, as a clone would be (the default Docker build context).</summary>
    public TestProject AsRepositoryRoot()
    {
        System.IO.Directory.CreateDirectory(PathOf(".git"));
        return this;
    }

    /// <summary>Copies tests/samples/&lt;sample&gt; into a subfolder, as one project of a solution.</summary>
    public TestProject CopySample(string sample, string relativeDirectory)
    {
        CopyDirectory(Path.Combine(RepoPaths.RepoRoot, "tests", "samples", sample), PathOf(relativeDirectory));
        return this;
    }

    /// <summary>Runs dotnet in a subfolder of the copy.</summary>
    public BuildResult DotnetIn(string relativeDirectory, params string[] arguments) => DotNet.Run(PathOf(relativeDirectory), arguments);

    /// <summary>global.json pinning the running SDK's major line and, optionally, FlyIo.Sdk's version.</summary>
    public TestProject WithGlobalJson(bool withSdkVersion)
    {
        var sdks = withSdkVersion ? $",\n  \"msbuild-sdks\": {{ \"FlyIo.Sdk\": \"{PackagedSdk.Version}\" }}" : "";
        Write("global.json", "{\n  \"sdk\": { \"version\": \"10.0.100\", \"rollForward\": \"latestFeature\" }" + sdks + "\n}\n");
        return this;
    }

    public TestProject Write(string relativePath, string content)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.Replace("\r\n", "\n"));
        return this;
    }

    public string Read(string relativePath) => File.ReadAllText(Path.Combine(Directory, relativePath));

    public string PathOf(string relativePath) => Path.Combine(Directory, relativePath);

    public BuildResult Dotnet(params string[] arguments) => DotNet.Run(Directory, arguments);

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var file in System.IO.Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = file.Substring(source.Length + 1);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar) || relative.StartsWith("obj" + Path.DirectorySeparatorChar))
            {
                continue;
            }

            var target = Path.Combine(destination, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
