using FlyIo.AppModel.Project;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Testing;

namespace FlyIo.Images.Tests;

/// <summary>
/// The image samples under tests/samples/images, copied to a fresh temporary folder per test (generating writes a
/// Dockerfile beside the project), and the <see cref="DotNetAppFacts"/> the MSBuild task would evaluate for them.
/// </summary>
internal static class Samples
{
    public static string SourceRoot => Path.Combine(RepoPaths.RepoRoot, "tests", "samples", "images");

    /// <summary>Copies a sample byte for byte (CRLF files stay CRLF) to a new temp folder and returns that folder.</summary>
    public static string Copy(string sample)
    {
        var target = Path.Combine(Path.GetTempPath(), "flyio-images-" + sample.ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        CopyDirectory(Path.Combine(SourceRoot, sample), target);
        return target;
    }

    public static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = file.Substring(source.Length + 1);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p == "bin" || p == "obj"))
            {
                continue;
            }

            var dest = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }
    }

    /// <summary>The facts for WebApp or CrlfApp (one project at the folder root) under <paramref name="root"/>.</summary>
    public static DotNetAppFacts SingleProject(string root, string name) => new()
    {
        ProjectPath = Path.Combine(root, name + ".csproj"),
        ProjectClosure = new[] { Path.Combine(root, name + ".csproj") },
        RestoreInputs = Array.Empty<string>(),
        BuildContextRoot = root,
        IsAspNetCore = true,
        TargetFrameworkMajor = 10,
    };

    /// <summary>The facts for MultiProject: src/Api references ../Shared, central package versions, context = root.</summary>
    public static DotNetAppFacts MultiProject(string root) => new()
    {
        ProjectPath = Path.Combine(root, "src", "Api", "Api.csproj"),
        ProjectClosure = new[] { Path.Combine(root, "src", "Api", "Api.csproj"), Path.Combine(root, "src", "Shared", "Shared.csproj") },
        RestoreInputs = new[] { Path.Combine(root, "Directory.Build.props"), Path.Combine(root, "Directory.Packages.props") },
        BuildContextRoot = root,
        IsAspNetCore = true,
        TargetFrameworkMajor = 10,
        PackageReferences = new[] { new PackageRef("Humanizer.Core", "2.14.1") },
    };

    public static DockerfileInputs Inputs(DotNetAppFacts app, string? registry = null, int? vmMemoryMb = null, bool mounts = false) => new(app)
    {
        TargetFrameworks = "net10.0",
        InternalPort = 8080,
        VmMemoryMb = vmMemoryMb,
        HasMounts = mounts,
        BaseImageRegistry = registry,
    };

    public static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
