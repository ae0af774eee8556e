using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using FlyIo.Diagnostics;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// fly.toml's [build] section honoured for real: `dotnet build -t:FlyBuildImage` of the standalone BuildArgsApp
/// builds docker/Dockerfile.app ([build] dockerfile, relative to fly.toml) up to its build-target stage, with its
/// ignorefile and [build.args], using buildah; FlyBuildArg items and the FlyBuildArgs property override the args.
/// Each build is checked in the image itself, and a secret-looking arg value in no output and no binary log.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class BuildArgsTests : BuildTestBase
{
    private LocalRegistry _registry = null!;

    [OneTimeSetUp]
    public void RequireRegistry() => _registry = LocalRegistry.Require();

    [Test]
    public void FlyBuildImage_BuildsFlyTomlsDockerfileAndTargetWithItsArgsAndIgnoreFile_WithoutLoggingAValue()
    {
        var secret = "sk_live_" + Guid.NewGuid().ToString("N");
        var project = Sample(baseImage: DebianStandIn, secret);
        var binlog = project.PathOf("build.binlog");

        var (image, result) = Build(project, "-v:diag", "-bl:" + binlog);

        Assert.That(result.Output, Does.Contain("FlyBuildImage: build args: API_KEY (fly.toml [build.args]), BASE_IMAGE (fly.toml [build.args]), GREETING (fly.toml [build.args])."));
        Assert.That(result.Output, Does.Contain("--build-arg API_KEY --build-arg BASE_IMAGE --build-arg GREETING --target app --ignorefile " + project.PathOf("docker/app.ignore")));
        Assert.That(result.Output, Does.Contain("-f " + project.PathOf("docker/Dockerfile.app")));
        Assert.That(InImage(image, "cat /greeting.txt"), Is.EqualTo("hello from fly.toml"));
        Assert.That(InImage(image, "cat /api-key-length.txt"), Is.EqualTo(secret.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), "the key reached the RUN");
        Assert.That(InImage(image, "cat /etc/debian_version"), Is.Not.Empty, "FROM ${BASE_IMAGE} is the Debian stand-in");
        Assert.That(InImage(image, "ls /ctx"), Does.Contain("fly.toml").And.Not.Contain("excluded.txt"), "docker/app.ignore left excluded.txt out");
        // Judged by the exit code: buildah run has been seen to drop the output of a command this short.
        Assert.That(RunInImage(image, "test ! -e /debug.txt").ExitCode, Is.EqualTo(0), "build-target stopped at the app stage");
        Assert.That(result.Output, Does.Not.Contain(secret));
        var replay = DotNet.Run(project.Directory, "msbuild", binlog, "-v:diag");
        Assert.That(replay.Output, Does.Contain("FlyBuildImage: build args:").And.Not.Contain(secret), "replayed binary log");
        Assert.That(Contains(Gunzip(File.ReadAllBytes(binlog)), secret), Is.False, "binary log bytes, decompressed");
    }

    [Test]
    public void FlyBuildArgItems_OverrideFlyToml_AndTheFlyBuildArgsProperty_OverridesBoth()
    {
        var project = Sample(baseImage: DebianStandIn, "sk_live_" + Guid.NewGuid().ToString("N"));
        project.Write("BuildArgsApp.proj", project.Read("BuildArgsApp.proj").Replace("</Project>", $"""
              <ItemGroup>
                <FlyBuildArg Include="BASE_IMAGE" Value="{_registry.Address}/busybox:latest" />
                <FlyBuildArg Include="GREETING" Value="hello from the item" />
                <FlyBuildArg Include="API_KEY" FromEnvironment="BUILDARGS_TEST_API_KEY" />
              </ItemGroup>
            </Project>
            """));
        var fromEnvironment = "sk_env_" + Guid.NewGuid().ToString("N") + "_x";

        // Quoted, so MSBuild keeps the semicolon inside the one property.
        var (image, result) = Build(project, new Dictionary<string, string?> { ["BUILDARGS_TEST_API_KEY"] = fromEnvironment },
            "-v:diag", "-p:FlyBuildArgs=\"GREETING=hello from the command line;UNUSED=1\"");

        Assert.That(result.Output, Does.Contain("build args: API_KEY (FlyBuildArg item, from $BUILDARGS_TEST_API_KEY), BASE_IMAGE (FlyBuildArg item), GREETING (FlyBuildArgs), UNUSED (FlyBuildArgs)."));
        Assert.That(InImage(image, "cat /api-key-length.txt"), Is.EqualTo(fromEnvironment.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), "the variable's value reached the RUN");
        Assert.That(result.Output, Does.Not.Contain(fromEnvironment), "a value read from the environment is in no log, even at -v:diag");
        Assert.That(InImage(image, "cat /greeting.txt"), Is.EqualTo("hello from the command line"));
        Assert.That(InImage(image, "test -e /bin/busybox && test ! -e /etc/debian_version && echo busybox"), Is.EqualTo("busybox"), "FROM ${BASE_IMAGE} is the item's busybox");
    }

    [Test]
    public void ABuildArgFromAnUnsetVariable_IsFLY3039NamingTheVariable_AndNothingIsBuilt()
    {
        var project = Sample(baseImage: DebianStandIn, "sk_live_" + Guid.NewGuid().ToString("N"));
        project.Write("BuildArgsApp.proj", project.Read("BuildArgsApp.proj").Replace("</Project>", """
              <ItemGroup>
                <FlyBuildArg Include="NPM_TOKEN" FromEnvironment="BUILDARGS_TEST_UNSET_VARIABLE" />
              </ItemGroup>
            </Project>
            """));

        var result = DotNet.Run(project.Directory, new Dictionary<string, string?> { ["FLY_API_TOKEN"] = _registry.Password, ["BUILDARGS_TEST_UNSET_VARIABLE"] = null },
            "build", "-t:FlyBuildImage", "-p:FlyImageBuilder=buildah", "-p:FlyImage=" + _registry.Address + "/buildargs:unset").AssertFailed();

        var error = result.Single(FlyCodes.BuildArgInvalid.Code);
        Assert.That((Path.GetFileName(error.File), error.Message), Is.EqualTo(("BuildArgsApp.proj", error.Message)));
        Assert.That(error.Message, Does.Contain("FlyBuildArg 'NPM_TOKEN' reads the environment variable 'BUILDARGS_TEST_UNSET_VARIABLE', which is not set"));
        Assert.That(result.Output, Does.Not.Contain("built with buildah"));
    }

    [Test]
    public void TheSdkBuilder_RefusesBuildArgs_AtTheirFlyTomlKeys_BeforeBuilding()
    {
        var project = Sample(baseImage: DebianStandIn, "sk_live_" + Guid.NewGuid().ToString("N"));

        var result = DotNet.Run(project.Directory, new Dictionary<string, string?> { ["FLY_API_TOKEN"] = _registry.Password },
            "build", "-t:FlyBuildImage", "-p:FlyImageBuilder=sdk", "-p:FlyImage=" + _registry.Address + "/buildargs:sdk").AssertFailed();

        var refused = result.Errors.Where(e => e.Code == FlyCodes.BuildSettingNotHonoured.Code).ToList();
        Assert.That(refused.Select(e => (Path.GetFileName(e.File), e.Line)), Is.EquivalentTo(new[]
        {
            ("fly.toml", 5), ("fly.toml", 6), ("fly.toml", 7), ("fly.toml", 10), ("fly.toml", 11), ("fly.toml", 12),
        }), "dockerfile, build-target, ignorefile and the three args, each at its key");
        Assert.That(result.Errors.Select(e => e.Code).Distinct(), Is.EqualTo(new[] { FlyCodes.BuildSettingNotHonoured.Code }));
        Assert.That(result.Output, Does.Not.Contain("> dotnet publish"), "nothing ran");
    }

    [Test]
    public void FlyTomlsBuildImage_IsDeployedAsItIs_AndAnExplicitFlyDockerfileIsFLY3041AtTheKeyItOverrides()
    {
        var project = Sample(baseImage: DebianStandIn, "sk_live_" + Guid.NewGuid().ToString("N"));
        project.Write("fly.toml", project.Read("fly.toml").Replace("[build]\n", "[build]\n  image = \"registry.fly.io/prebuilt:v1\"\n"));

        var result = project.Dotnet("build", "-t:FlyBuildImage", "-p:FlyImageBuilder=buildah", "-p:FlyDockerfile=Dockerfile").AssertSucceeded();

        Assert.That(result.Output, Does.Contain("fly.toml [build] image = \"registry.fly.io/prebuilt:v1\": that image is deployed as it is; nothing to build or push."));
        Assert.That(result.Output, Does.Not.Contain("> buildah"));
        var overridden = result.Single(FlyCodes.BuildSettingOverridden.Code);
        Assert.That((Path.GetFileName(overridden.File), overridden.Line), Is.EqualTo(("fly.toml", 6)));
        Assert.That(overridden.Message, Does.Contain("docker/Dockerfile.app"));
    }

    private string DebianStandIn => $"{_registry.Address}/library/debian:{DebianSuite()}-slim";

    /// <summary>Builds with buildah into its local store, pulling through the local registry; returns the image built.</summary>
    private (string Image, BuildResult Result) Build(TestProject project, params string[] extra) => Build(project, new Dictionary<string, string?>(), extra);

    private (string Image, BuildResult Result) Build(TestProject project, Dictionary<string, string?> environment, params string[] extra)
    {
        var image = $"{_registry.Address}/buildargs-app:test-{Guid.NewGuid().ToString("N").Substring(0, 8)}";
        var arguments = new List<string>
        {
            "build", "-t:FlyBuildImage", "-p:FlyImageBuilder=buildah", "-p:FlyImage=" + image, "-p:FlyRegistryMirror=docker.io=" + _registry.Address,
        };
        arguments.AddRange(extra);
        environment["FLY_API_TOKEN"] = _registry.Password;
        var result = DotNet.Run(project.Directory, environment, arguments.ToArray()).AssertSucceeded();
        Assert.That(result.Output, Does.Contain($"{image} built with buildah"));
        return (image, result);
    }

    /// <summary>A shell command's output inside the built image (buildah run, chroot isolation).</summary>
    private static string InImage(string image, string command)
    {
        var run = RunInImage(image, command);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        return run.Output.Trim();
    }

    /// <summary>Runs a shell command in a container of the image (buildah, chroot isolation), then removes the container.</summary>
    private static (int ExitCode, string Output) RunInImage(string image, string command)
    {
        var none = new Dictionary<string, string?>();
        var from = ChildProcess.Run("buildah", new[] { "from", "--pull-never", image }, RepoPaths.RepoRoot, none, TimeSpan.FromMinutes(1));
        Assert.That(from.ExitCode, Is.EqualTo(0), from.Output);
        var container = from.Output.Trim().Split('\n').Last().Trim();
        try
        {
            return ChildProcess.Run("buildah", new[] { "run", "--isolation", "chroot", container, "--", "/bin/sh", "-c", command }, RepoPaths.RepoRoot, none, TimeSpan.FromMinutes(1));
        }
        finally
        {
            ChildProcess.Run("buildah", new[] { "rm", container }, RepoPaths.RepoRoot, none, TimeSpan.FromMinutes(1));
        }
    }

    /// <summary>A copy of the sample naming the packed SDK, with the base image and API key args set for this machine.</summary>
    private static TestProject Sample(string baseImage, string secret)
    {
        var project = TestProject.Create(Path.Combine("standalone", "BuildArgsApp")).WithGlobalJson(withSdkVersion: false).AsRepositoryRoot();
        project.Write("BuildArgsApp.proj", project.Read("BuildArgsApp.proj").Replace("<Project Sdk=\"FlyIo.Sdk\">", $"<Project Sdk=\"FlyIo.Sdk/{PackagedSdk.Version}\">"));
        project.Write("fly.toml", project.Read("fly.toml")
            .Replace("BASE_IMAGE = \"debian:bookworm-slim\"", $"BASE_IMAGE = \"{baseImage}\"")
            .Replace("sk_live_sample_not_a_real_key", secret));
        return project;
    }

    /// <summary>The Debian suite the stand-in images are tagged with (build/images/script-images.sh builds them for this machine's).</summary>
    private static string DebianSuite()
    {
        var line = File.Exists("/etc/os-release") ? File.ReadAllLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("VERSION_CODENAME=", StringComparison.Ordinal)) : null;
        var suite = line?.Substring("VERSION_CODENAME=".Length).Trim('"');
        return string.IsNullOrEmpty(suite) ? "bookworm" : suite;
    }

    private static byte[] Gunzip(byte[] bytes)
    {
        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
