using System;
using System.IO;
using System.Linq;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// The FlyIo.Sdk nupkg under test, and the private folders every test build uses. The package comes from
/// FLYIO_SDK_PACKAGE_DIR (build/test.sh packs once) or is packed here. Builds restore from a local feed into a
/// private NUGET_PACKAGES folder, so the machine's global package cache is never touched.
/// </summary>
[SetUpFixture]
public sealed class PackagedSdk
{
    public static string FeedDirectory { get; private set; } = "";

    public static string PackagePath { get; private set; } = "";

    public static string Version { get; private set; } = "";

    public static string PackagesDirectory { get; private set; } = "";

    public static string WorkRoot { get; private set; } = "";

    [OneTimeSetUp]
    public void PackOnce()
    {
        WorkRoot = Path.Combine(Path.GetTempPath(), "flyio-sdk-tests-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(WorkRoot);
        PackagesDirectory = Path.Combine(WorkRoot, "nuget-packages");

        var given = Environment.GetEnvironmentVariable("FLYIO_SDK_PACKAGE_DIR");
        FeedDirectory = !string.IsNullOrEmpty(given) ? given! : Path.Combine(WorkRoot, "feed");
        if (string.IsNullOrEmpty(given))
        {
            var (exit, output) = ChildProcess.Run(
                "dotnet",
                new[] { "pack", Path.Combine(RepoPaths.RepoRoot, "nuget", "FlyIo.Sdk.csproj"), "-c", "Release", "-o", FeedDirectory, "-nodeReuse:false" },
                RepoPaths.RepoRoot,
                DotNet.IsolatedEnvironment(),
                TimeSpan.FromMinutes(5));
            Assert.That(exit, Is.EqualTo(0), "dotnet pack failed:\n" + output);
        }

        PackagePath = Directory.GetFiles(FeedDirectory, "FlyIo.Sdk.*.nupkg").OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            ?? throw new InvalidOperationException("No FlyIo.Sdk.*.nupkg in " + FeedDirectory);
        Version = Path.GetFileNameWithoutExtension(PackagePath).Substring("FlyIo.Sdk.".Length);
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        try
        {
            Directory.Delete(WorkRoot, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the folder is in the temp directory either way.
        }
    }
}
