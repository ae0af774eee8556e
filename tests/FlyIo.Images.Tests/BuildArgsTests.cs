using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

/// <summary>
/// fly.toml's [build] settings on the builders' command lines: build args as <c>--build-arg NAME</c> with the value
/// only in the builder's environment, <c>--target</c>, <c>--ignorefile</c>; and the settings a builder cannot
/// honour refused before it runs.
/// </summary>
[TestFixture]
public sealed class BuildArgsTests
{
    private const string Secret = "sk_live_0123456789abcdef";

    private static ImageBuildRequest Request(string context = "/tmp/ctx", string? ignore = null) =>
        new(context, Path.Combine(context, "Dockerfile"), "registry.fly.io/app:deployment-1")
        {
            ProjectPath = Path.Combine(context, "App.csproj"),
            BuildArgs = BuildArgs.Merge(new[]
            {
                Arg("API_KEY", Secret, "fly.toml [build.args]", "/tmp/ctx/fly.toml", 7, 3),
                Arg("GREETING", "hello world", "FlyBuildArg item", "/tmp/ctx/App.csproj"),
            }),
            Target = new BuildSetting("runtime", "fly.toml [build] build-target", "/tmp/ctx/fly.toml", 4, 3),
            IgnoreFile = ignore is null ? null : new BuildSetting(ignore, "fly.toml [build] ignorefile", "/tmp/ctx/fly.toml", 5, 3),
        };

    private static KeyValuePair<string, BuildSetting> Arg(string name, string value, string origin, string file, int line = 0, int column = 0) =>
        new(name, new BuildSetting(value, origin, file, line, column));

    [TestCase(ImageBuilderKind.Buildah, "buildah")]
    [TestCase(ImageBuilderKind.Podman, "podman")]
    [TestCase(ImageBuilderKind.Docker, "docker")]
    public void Build_args_are_names_on_the_command_line_and_values_in_the_environment(ImageBuilderKind kind, string program)
    {
        var spec = ImageBuilder.BuildSpec(kind, Request(), new Dictionary<string, string?> { ["REGISTRY_AUTH_FILE"] = "/tmp/auth.json" });

        Assert.That(spec.FileName, Is.EqualTo(program));
        var args = spec.Arguments.ToList();
        Assert.That(Pairs(args, "--build-arg"), Is.EqualTo(new[] { "API_KEY", "GREETING" }));
        Assert.That(Pairs(args, "--target"), Is.EqualTo(new[] { "runtime" }));
        Assert.That(string.Join(" ", args), Does.Not.Contain(Secret).And.Not.Contain("hello world").And.Not.Contain("API_KEY="));
        Assert.That(spec.Environment["API_KEY"], Is.EqualTo(Secret));
        Assert.That(spec.Environment["GREETING"], Is.EqualTo("hello world"));
        Assert.That(spec.Environment["REGISTRY_AUTH_FILE"], Is.EqualTo("/tmp/auth.json"));
        Assert.That(args.Last(), Is.EqualTo("/tmp/ctx"), "the context stays the last argument");
    }

    [TestCase(ImageBuilderKind.Buildah, true)]
    [TestCase(ImageBuilderKind.Podman, true)]
    [TestCase(ImageBuilderKind.Docker, false)]
    public void The_ignore_file_is_passed_to_buildah_and_podman_and_docker_reads_its_own(ImageBuilderKind kind, bool passed)
    {
        var spec = ImageBuilder.BuildSpec(kind, Request(ignore: "/tmp/ctx/Dockerfile.dockerignore"), new Dictionary<string, string?>());

        Assert.That(Pairs(spec.Arguments.ToList(), "--ignorefile"), Is.EqualTo(passed ? new[] { "/tmp/ctx/Dockerfile.dockerignore" } : Array.Empty<string>()));
        Assert.That(BuildSettingsSupport.Problems(kind, Request(ignore: "/tmp/ctx/Dockerfile.dockerignore")), Is.Empty);
    }

    [Test]
    public void An_ignore_file_docker_would_not_read_is_FLY3040_at_its_key()
    {
        var problem = BuildSettingsSupport.Problems(ImageBuilderKind.Docker, Request(ignore: "/tmp/ctx/docker/custom.ignore")).Single();

        Assert.That((problem.Code, problem.File, problem.Line, problem.Column), Is.EqualTo((FlyCodes.BuildSettingNotHonoured.Code, "/tmp/ctx/fly.toml", 5, 3)));
        Assert.That(problem.Message, Does.Contain("no --ignorefile").And.Contain("Dockerfile.dockerignore"));
        Assert.That(BuildSettingsSupport.Problems(ImageBuilderKind.Buildah, Request(ignore: "/tmp/ctx/docker/custom.ignore")), Is.Empty);
    }

    [Test]
    public void The_sdk_builder_refuses_each_setting_where_it_was_set()
    {
        var problems = BuildSettingsSupport.Problems(ImageBuilderKind.Sdk, Request(ignore: "/tmp/ctx/.dockerignore"));

        Assert.That(problems.Select(p => (p.Code, p.File, p.Line)), Is.EqualTo(new[]
        {
            (FlyCodes.BuildSettingNotHonoured.Code, (string?)"/tmp/ctx/fly.toml", 7),
            (FlyCodes.BuildSettingNotHonoured.Code, "/tmp/ctx/App.csproj", 0),
            (FlyCodes.BuildSettingNotHonoured.Code, "/tmp/ctx/fly.toml", 4),
            (FlyCodes.BuildSettingNotHonoured.Code, "/tmp/ctx/fly.toml", 5),
        }));
        Assert.That(string.Join("\n", problems.Select(p => p.Message)), Does.Not.Contain(Secret));
    }

    [Test]
    public async Task The_sdk_builder_with_build_args_fails_before_anything_runs()
    {
        var result = await ImageBuilder.BuildAndPushAsync(Request(), ImageBuilderKind.Sdk);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Output, Is.Empty, "no dotnet publish ran");
        Assert.That(result.Diagnostics.Select(d => d.Code).Distinct(), Is.EqualTo(new[] { FlyCodes.BuildSettingNotHonoured.Code }));
    }

    [TestCase("PATH")]
    [TestCase("home")]
    [TestCase("DOCKER_HOST")]
    [TestCase("REGISTRY_AUTH_FILE")]
    [TestCase("FLY_API_TOKEN")]
    [TestCase("A B")]
    [TestCase("")]
    public void A_name_the_builder_reads_itself_or_no_name_is_FLY3039(string name)
    {
        var request = new ImageBuildRequest("/tmp/ctx", "/tmp/ctx/Dockerfile", "r/app:1")
        {
            BuildArgs = BuildArgs.Merge(new[] { Arg(name, "x", "FlyBuildArg item", "/tmp/ctx/App.csproj") }),
        };

        var problem = BuildSettingsSupport.Problems(ImageBuilderKind.Buildah, request).Single();

        Assert.That((problem.Code, problem.File), Is.EqualTo((FlyCodes.BuildArgInvalid.Code, "/tmp/ctx/App.csproj")));
    }

    [Test]
    public void Later_sources_win_fly_toml_then_items_then_the_property()
    {
        var problems = new List<FlyDiagnostic>();
        var property = BuildArgs.ParseProperty("B=from-property; C = x=y ;;", "/p/App.csproj", problems);

        var merged = BuildArgs.Merge(
            new[] { Arg("A", "toml", "fly.toml [build.args]", "fly.toml"), Arg("B", "toml", "fly.toml [build.args]", "fly.toml") },
            new[] { Arg("B", "item", "FlyBuildArg item", "/p/App.csproj"), Arg("A", "item", "FlyBuildArg item", "/p/App.csproj") },
            property);

        Assert.That(problems, Is.Empty);
        Assert.That(merged.ToDictionary(p => p.Key, p => p.Value.Value), Is.EqualTo(new Dictionary<string, string> { ["A"] = "item", ["B"] = "from-property", ["C"] = "x=y" }));
        Assert.That(BuildArgs.Describe(merged), Is.EqualTo("A (FlyBuildArg item), B (FlyBuildArgs), C (FlyBuildArgs)"));
    }

    [Test]
    public void A_property_entry_without_a_name_and_value_is_FLY3039_without_its_value()
    {
        var problems = new List<FlyDiagnostic>();

        var parsed = BuildArgs.ParseProperty("GOOD=1;LONELY;=orphan", "/p/App.csproj", problems);

        Assert.That(parsed.Select(p => p.Key), Is.EqualTo(new[] { "GOOD" }));
        Assert.That(problems.Select(p => p.Code), Is.EqualTo(new[] { FlyCodes.BuildArgInvalid.Code, FlyCodes.BuildArgInvalid.Code }));
        Assert.That(problems[1].Message, Does.Not.Contain("orphan"));
    }

    [Test]
    public void A_build_arg_replaces_the_FROM_lines_ARG_default_when_finding_the_registries_to_pull_from()
    {
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "flyio-buildargs-" + Guid.NewGuid().ToString("N").Substring(0, 8))).FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "Dockerfile"), "ARG BASE_IMAGE=debian:bookworm-slim\nFROM ${BASE_IMAGE}\nARG NOT_GLOBAL\n");
            var plain = new ImageBuildRequest(dir, Path.Combine(dir, "Dockerfile"), "r/app:1");
            var overridden = new ImageBuildRequest(dir, Path.Combine(dir, "Dockerfile"), "r/app:1")
            {
                BuildArgs = BuildArgs.Merge(new[] { Arg("BASE_IMAGE", "127.0.0.1:55000/library/debian:bookworm-slim", "FlyBuildArgs", "App.proj") }),
            };

            Assert.That(ImageBuilder.PullRegistriesOf(plain), Is.EqualTo(new[] { "docker.io" }));
            Assert.That(ImageBuilder.PullRegistriesOf(overridden), Is.EqualTo(new[] { "127.0.0.1:55000" }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The claim itself, with a stand-in buildah that records its command line and environment.</summary>
    [Test]
    public async Task The_builder_process_gets_values_only_through_its_environment()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("uses a shell script as the stand-in builder");
            return;
        }

        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "flyio-buildargs-" + Guid.NewGuid().ToString("N").Substring(0, 8))).FullName;
        var oldPath = Environment.GetEnvironmentVariable("PATH");
        try
        {
            var record = Path.Combine(dir, "record");
            var tool = Path.Combine(dir, "buildah");
            File.WriteAllText(tool, $"#!/bin/sh\necho \"$@\" > {record}.args\nenv > {record}.env\n");
            File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.WriteAllText(Path.Combine(dir, "Dockerfile"), "FROM scratch\n");
            Environment.SetEnvironmentVariable("PATH", dir + ":/usr/bin:/bin");
            var log = new RecordingLog();
            var request = Request(dir);

            var result = await ImageBuilder.BuildAndPushAsync(new ImageBuildRequest(dir, request.DockerfilePath, "localhost/app:1")
            {
                Push = false, BuildArgs = request.BuildArgs, Target = request.Target,
            }, ImageBuilderKind.Buildah, log);

            Assert.That(result.Succeeded, Is.True, result.Output);
            Assert.That(File.ReadAllText(record + ".args"), Does.Contain("--build-arg API_KEY --build-arg GREETING --target runtime").And.Not.Contain(Secret));
            Assert.That(File.ReadAllText(record + ".env"), Does.Contain("API_KEY=" + Secret).And.Contain("GREETING=hello world"));
            Assert.That(result.Output + string.Join("\n", log.Lines), Does.Contain("--build-arg API_KEY").And.Not.Contain(Secret));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", oldPath);
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The values after each occurrence of <paramref name="flag"/>.</summary>
    private static IReadOnlyList<string> Pairs(IReadOnlyList<string> args, string flag) =>
        args.Select((a, i) => (a, i)).Where(x => x.a == flag && x.i + 1 < args.Count).Select(x => args[x.i + 1]).ToList();

    private sealed class RecordingLog : IFlyLog
    {
        public List<string> Lines { get; } = new();

        public void Progress(string message) => Lines.Add(message);

        public void Detail(string message) => Lines.Add(message);

        public void Report(FlyDiagnostic diagnostic) => Lines.Add(diagnostic.ToString());
    }
}
