using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// Standalone apps for real: `dotnet publish -t:FlyDeploy` of a `&lt;Project Sdk="FlyIo.Sdk/x"&gt;` folder holding a
/// Python (FastAPI) or Node (Express) app builds the image from the app's own Dockerfile with buildah, its
/// docker.io base image pulled through FlyRegistryMirror from the local registry (build/images/script-images.sh),
/// pushes it, and the local Machines API runs it until its health check passes; the app then answers through the
/// edge proxy.
/// </summary>
[TestFixture]
public sealed partial class StandaloneDeployTests : BuildTestBase
{
    private LocalRegistry _registry = null!;
    private LocalMachinesApi _api = null!;

    [OneTimeSetUp]
    public void StartServers()
    {
        _registry = LocalRegistry.Require();
        RequireScriptImages();
        // A range and data folder of their own: other suites run real machines at the same time.
        var data = Path.Combine(PackagedSdk.WorkRoot, "machines-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        _api = LocalMachinesApi.Start(_registry.Password, "--runtime", "process", "--subnet", "172.28", "--data-dir", data);
    }

    [OneTimeTearDown]
    public void StopServers() => _api?.Dispose();

    [Test]
    public void FlyDeploy_OfAFastApiAppWithItsOwnDockerfile_AnswersThroughTheEdgeProxy()
    {
        var (app, result, _) = Deploy("PythonFastApi", "debian:bookworm-slim", $"debian:{HostImages.DebianSuite}-slim");

        Assert.That(Get(app, "/"), Is.EqualTo($"\"Hello from {app} on FastAPI\""));
        Assert.That(result.Output, Does.Contain("FlyCheckDependencies: 0 error(s)"));
        Assert.That(result.Output, Does.Not.Contain(_registry.Password));
    }

    [Test]
    public void FlyDeploy_OfAnExpressAppWithItsOwnDockerfile_AnswersThroughTheEdgeProxy()
    {
        var (app, result, _) = Deploy("NodeApp", "node:20-slim", $"node:{HostImages.NodeMajor}-slim");

        Assert.That(Get(app, "/"), Is.EqualTo($"Hello from {app} on Express"));
        Assert.That(result.Output, Does.Contain("FlyCheckDependencies: 0 error(s)"));
        Assert.That(result.Output, Does.Not.Contain(_registry.Password));
    }

    [Test]
    public void FlyCheckDependencies_OfTheFastApiApp_ReportsAnImportNeitherRequiredNorInstalledWithApt()
    {
        var project = Sample("PythonFastApi");
        project.Write("main.py", "import httpx\n" + project.Read("main.py"));

        var result = project.Dotnet("build", "-t:FlyCheckDependencies").AssertFailed();

        var error = result.Errors.Single();
        Assert.That((error.Code, Path.GetFileName(error.File), error.Line, error.Column), Is.EqualTo(("FLY2050", "main.py", 1, 8)));
        Assert.That(error.Message, Does.Contain("'httpx'"));
    }

    /// <summary>
    /// Deploys a sample whose Dockerfile starts FROM <paramref name="pinned"/>, rewritten to <paramref name="local"/>:
    /// the stand-in script-images.sh built for this machine's Debian suite and node major version.
    /// </summary>
    private (string App, BuildResult Result, TestProject Project) Deploy(string sample, string pinned, string local, bool launch = false)
    {
        var baseImage = "docker.io/library/" + local;
        // Untag the base image in buildah's store, so the build has to pull it through the mirror: a short name
        // (FROM node:20-slim) also matches a local image of any registry, e.g. the stand-in script-images.sh built.
        // The pull brings back the same image, so the cached layers built on it still count.
        foreach (var name in new[] { baseImage, _registry.Address + baseImage.Substring("docker.io".Length) })
        {
            ChildProcess.Run("buildah", new[] { "rmi", name }, RepoPaths.RepoRoot, new Dictionary<string, string?>(), TimeSpan.FromMinutes(1));
        }
        var project = Sample(sample).AsRepositoryRoot();
        project.Write("Dockerfile", project.Read("Dockerfile").Replace("FROM " + pinned, "FROM " + local));
        var app = "std-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        if (launch)
        {
            // The fly.toml FlyLaunch writes, deployed exactly as written.
            File.Delete(project.PathOf("fly.toml"));
            project.Dotnet("build", "-t:FlyLaunch", "-p:FlyApp=" + app).AssertSucceeded();
            Assert.That(project.Dotnet("build", "-t:FlyValidate", "-p:FlyStrict=true").AssertSucceeded().Diagnostics, Is.Empty);
        }
        else
        {
            project.Write("fly.toml", System.Text.RegularExpressions.Regex.Replace(project.Read("fly.toml"), "(?m)^app = \".*\"$", $"app = \"{app}\""));
        }

        var launched = project.Read("fly.toml");

        // A 3 s smoke check window instead of 10 s: the suite's time, while the app still has to stay up and healthy.
        var result = DotNet.Run(project.Directory, new Dictionary<string, string?> { ["FLY_API_TOKEN"] = _registry.Password },
            "publish", "-t:FlyDeploy", "-p:FlyApiUrl=" + _api.Url, "-p:FlyRegistry=" + _registry.Address,
            "-p:FlyRegistryMirror=docker.io=" + _registry.Address, "-p:FlyImageBuilder=buildah", "-p:FlySmokeCheckWindow=3s").AssertSucceeded();

        Assert.That(result.Output, Does.Contain($"deployed {app} release v1"));
        Assert.That(project.Read("fly.toml"), Is.EqualTo(launched), "the deploy needed no edit of fly.toml");
        return (app, result, project);
    }

    /// <summary>A copy of tests/samples/standalone/&lt;name&gt; whose project names the packed SDK's version.</summary>
    private static TestProject Sample(string name)
    {
        var project = TestProject.Create(Path.Combine("standalone", name)).WithGlobalJson(withSdkVersion: false);
        project.Write(name + ".proj", project.Read(name + ".proj")
            .Replace("<Project Sdk=\"FlyIo.Sdk\">", $"<Project Sdk=\"FlyIo.Sdk/{PackagedSdk.Version}\">"));
        return project;
    }

    private string Get(string app, string path) => _api.GetThroughProxy(app, path);

    /// <summary>The tags script-images.sh gives its stand-ins on this machine.</summary>
    private static class HostImages
    {
        public static string DebianSuite { get; } = ReadSuite();

        public static string NodeMajor { get; } = ReadNodeMajor();

        private static string ReadSuite()
        {
            foreach (var line in File.Exists("/etc/os-release") ? File.ReadAllLines("/etc/os-release") : Array.Empty<string>())
            {
                if (line.StartsWith("VERSION_CODENAME=", StringComparison.Ordinal) && line.Length > "VERSION_CODENAME=".Length)
                {
                    return line.Substring("VERSION_CODENAME=".Length).Trim('"');
                }
            }

            return "bookworm";
        }

        private static string ReadNodeMajor()
        {
            var (exit, output) = ChildProcess.Run("node", new[] { "--version" }, RepoPaths.RepoRoot, new Dictionary<string, string?>(), TimeSpan.FromSeconds(30));
            Assert.That(exit, Is.EqualTo(0), "node --version: " + output);
            return output.Trim().TrimStart('v').Split('.')[0];
        }
    }

    /// <summary>
    /// The docker.io stand-ins the samples start FROM (debian:bookworm-slim, node:20-slim): build/test.sh builds them
    /// before the suites run; the script is cached, so here it only confirms they are in the registry.
    /// </summary>
    private static void RequireScriptImages()
    {
        var script = Path.Combine(RepoPaths.RepoRoot, "build", "images", "script-images.sh");
        var run = ChildProcess.Run("bash", new[] { script }, RepoPaths.RepoRoot, new Dictionary<string, string?>(), TimeSpan.FromMinutes(10));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
    }
}
