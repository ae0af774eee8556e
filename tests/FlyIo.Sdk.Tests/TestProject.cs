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

    public static TestProject Create(string? sample = null)
    {
        var directory = Path.Combine(PackagedSdk.WorkRoot, (sample ?? "project") + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        System.IO.Directory.CreateDirectory(directory);
        var project = new TestProject(directory);
        project.Write("NuGet.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="flyio-sdk-under-test" value="{PackagedSdk.FeedDirectory}" />
              </packageSources>
            </configuration>
            """);
        // An empty Directory.Build.props stops MSBuild from walking up into the temp folder's parents.
        project.Write("Directory.Build.props", "<Project />");
        if (sample is not null)
        {
            CopyDirectory(Path.Combine(RepoPaths.RepoRoot, "tests", "samples", sample), directory);
        }

        return project;
    }

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
