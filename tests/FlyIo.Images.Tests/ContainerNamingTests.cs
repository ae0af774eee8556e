using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

[TestFixture]
public class ContainerNamingTests
{
    private static IReadOnlyList<string> Resolve(ContainerNaming naming, List<FlyDiagnostic> problems, string? project = null) =>
        ContainerImageName.Resolve(naming, "my-app", project, problems, ulid: "01TEST");

    [Test]
    public void Nothing_set_is_flyctls_deployment_tag_in_the_apps_repository()
    {
        var problems = new List<FlyDiagnostic>();
        Assert.That(Resolve(new ContainerNaming(), problems), Is.EqualTo(new[] { "registry.fly.io/my-app:deployment-01TEST" }));
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void ContainerImageTag_and_the_apps_own_repository_name_the_pushed_image()
    {
        var problems = new List<FlyDiagnostic>();
        Assert.That(Resolve(new ContainerNaming { ContainerRepository = "my-app", ContainerImageTag = "1.2.3" }, problems),
            Is.EqualTo(new[] { "registry.fly.io/my-app:1.2.3" }));
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void ContainerImageTags_push_every_tag_and_deploy_the_first()
    {
        var problems = new List<FlyDiagnostic>();
        Assert.That(Resolve(new ContainerNaming { ContainerImageTags = "1.2.3; latest;1.2.3" }, problems),
            Is.EqualTo(new[] { "registry.fly.io/my-app:1.2.3", "registry.fly.io/my-app:latest" }));
    }

    [Test]
    public void Another_registry_may_use_any_repository_FlyRegistry_winning_over_ContainerRegistry()
    {
        var problems = new List<FlyDiagnostic>();
        Assert.That(Resolve(new ContainerNaming { ContainerRegistry = "127.0.0.1:5000", ContainerRepository = "team/api", ContainerImageTag = "v1" }, problems),
            Is.EqualTo(new[] { "127.0.0.1:5000/team/api:v1" }));
        Assert.That(Resolve(new ContainerNaming { FlyRegistry = "127.0.0.1:6000", ContainerRegistry = "127.0.0.1:5000", ContainerImageTag = "v1" }, problems),
            Is.EqualTo(new[] { "127.0.0.1:6000/my-app:v1" }));
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void FlyImage_is_used_as_it_is()
    {
        var problems = new List<FlyDiagnostic>();
        Assert.That(Resolve(new ContainerNaming { FlyImage = "registry.fly.io/my-app:given", ContainerImageTag = "ignored" }, problems),
            Is.EqualTo(new[] { "registry.fly.io/my-app:given" }));
    }

    [Test]
    public void A_foreign_repository_on_Flys_registry_is_FLY3042_at_the_project_line()
    {
        var project = Path.Combine(Path.GetTempPath(), "naming-" + Guid.NewGuid().ToString("N") + ".csproj");
        File.WriteAllText(project, "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup>\n    <ContainerRepository>other-app</ContainerRepository>\n  </PropertyGroup>\n</Project>\n");
        try
        {
            var problems = new List<FlyDiagnostic>();
            Assert.That(Resolve(new ContainerNaming { ContainerRepository = "other-app" }, problems, project), Is.Empty);
            var problem = problems.Single();
            Assert.That(problem.Code, Is.EqualTo("FLY3042"));
            Assert.That((problem.File, problem.Line, problem.Column), Is.EqualTo((project, 3, 5)));
            Assert.That(problem.Message, Does.Contain("other-app").And.Contain("my-app"));
        }
        finally
        {
            File.Delete(project);
        }
    }

    [Test]
    public void Both_tag_properties_or_a_bad_tag_is_FLY3043()
    {
        var problems = new List<FlyDiagnostic>();
        Assert.That(Resolve(new ContainerNaming { ContainerImageTag = "a", ContainerImageTags = "b;c" }, problems), Is.Empty);
        Assert.That(Resolve(new ContainerNaming { ContainerImageTag = "has space" }, problems), Is.Empty);
        Assert.That(Resolve(new ContainerNaming { ContainerImageTags = ";" }, problems), Is.Empty);
        Assert.That(problems.Select(p => p.Code), Is.EqualTo(new[] { "FLY3043", "FLY3043", "FLY3043" }));
    }
}

[TestFixture]
public class OuterBuildTests
{
    private static OuterBuild From(params (string Name, string Value)[] globals) =>
        OuterBuild.From(globals.Select(g => new KeyValuePair<string, string>(g.Name, g.Value)), "MY_TOKEN");

    [Test]
    public void Configuration_travels_as_dash_c_and_defaults_to_Release()
    {
        Assert.That(From().Configuration, Is.EqualTo("Release"));
        Assert.That(From().IsDefault, Is.True);
        Assert.That(From(("Configuration", "Debug")).Configuration, Is.EqualTo("Debug"));
        Assert.That(From(("Configuration", "Debug")).Properties, Is.Empty);
    }

    [Test]
    public void Tokens_Fly_settings_MSBuilds_own_and_what_the_builders_decide_are_withheld()
    {
        var outer = From(("Foo", "bar"), ("FlyImage", "x"), ("FlyApiToken", "secret"), ("FLY_API_TOKEN", "secret"), ("MY_TOKEN", "secret"),
            ("_IsPublishing", "true"), ("DOTNET_CLI_DISABLE_PUBLISH_AND_PACK_RELEASE", "true"), ("NuGetInteractive", "true"), ("MSBuildExtensionsPath", "/x"), ("RuntimeIdentifier", "linux-x64"), ("TargetFramework", "net10.0"),
            ("ContainerRepository", "r"), ("ContainerImageTag", "t"), ("PublishProfile", "Fly"), ("PublishDir", "/tmp/out/"));
        Assert.That(outer.Properties.Keys, Is.EqualTo(new[] { "Foo" }));
        Assert.That(outer.WithheldNames, Has.Member("PublishProfile").And.Member("PublishDir"), "the profile would switch the image's own publish off");
        Assert.That(outer.WithheldNames, Has.Member("FlyApiToken").And.Member("MY_TOKEN").And.Member("_IsPublishing"));
        Assert.That(outer.PropertiesArgument(), Does.Not.Contain("secret"));
    }

    [Test]
    public void Values_are_escaped_so_an_unquoted_shell_word_gives_MSBuild_the_same_value()
    {
        var outer = From(("B", "two words;$(x) * 100%"), ("A", "plain-1.0"));
        Assert.That(outer.PropertiesArgument(), Is.EqualTo("-p:A=plain-1.0 -p:B=two%20words%3B%24%28x%29%20%2A%20100%25"));
        Assert.That(outer.PropertiesArgument().Split(' ').Length, Is.EqualTo(2), "one shell word per property");
    }
}

[TestFixture]
public class OuterBuildSpecTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "outer-" + Guid.NewGuid().ToString("N"))).FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private static OuterBuild Outer() => OuterBuild.From(new[]
    {
        new KeyValuePair<string, string>("Configuration", "Debug"), new KeyValuePair<string, string>("Foo", "a secret-ish value"),
        new KeyValuePair<string, string>("FlyApiToken", "never-forwarded"),
    });

    [Test]
    public void The_sdk_builder_gets_configuration_rid_and_names_on_its_command_line_and_the_values_in_a_response_file()
    {
        var request = new ImageBuildRequest(_folder, Path.Combine(_folder, "Dockerfile"), "127.0.0.1:5000/app:one")
        {
            ProjectPath = Path.Combine(_folder, "App.csproj"),
            Outer = Outer(),
            RuntimeIdentifier = "linux-arm64",
            AdditionalReferences = new[] { "127.0.0.1:5000/app:two" },
        };

        var spec = ImageBuilder.SdkSpec(request, null, _folder);

        Assert.That(spec.Arguments, Is.SupersetOf(new[] { "-c", "Debug", "-r", "linux-arm64", "-p:ContainerRepository=app", "-p:ContainerImageTags=\"one;two\"", "-p:ContainerRegistry=127.0.0.1:5000" }));
        Assert.That(string.Join(" ", spec.Arguments), Does.Not.Contain("secret").And.Not.Contain("never-forwarded"));
        var rsp = spec.Arguments.Single(a => a.StartsWith("@", StringComparison.Ordinal)).Substring(1);
        Assert.That(File.ReadAllText(rsp).Trim(), Is.EqualTo("-p:Foo=a%20secret-ish%20value"));

        // [mounts] and no ContainerUser: root, as the generated Dockerfile; otherwise the SDK's default user.
        Assert.That(spec.Arguments, Does.Not.Contain("-p:ContainerUser=root"), "the SDK's default user unless asked");
        Assert.That(ImageBuilder.SdkSpec(new ImageBuildRequest(_folder, "Dockerfile", "127.0.0.1:5000/app:one") { ProjectPath = request.ProjectPath, RunAsRoot = true }, null, _folder).Arguments,
            Does.Contain("-p:ContainerUser=root"));
    }

    [Test]
    public void A_Dockerfile_declaring_the_args_gets_them_by_name_with_values_in_the_environment_and_every_tag()
    {
        var dockerfile = Path.Combine(_folder, "Dockerfile");
        File.WriteAllText(dockerfile, "FROM scratch AS build\nARG BUILD_CONFIGURATION=Release\nARG BUILD_PROPERTIES=\n");
        var request = new ImageBuildRequest(_folder, dockerfile, "127.0.0.1:5000/app:one") { Outer = Outer(), AdditionalReferences = new[] { "127.0.0.1:5000/app:two" } };

        var spec = ImageBuilder.BuildSpec(ImageBuilderKind.Buildah, request, new Dictionary<string, string?>());

        Assert.That(string.Join(" ", spec.Arguments), Does.Contain("--build-arg BUILD_CONFIGURATION --build-arg BUILD_PROPERTIES").And.Contain("-t 127.0.0.1:5000/app:one -t 127.0.0.1:5000/app:two"));
        Assert.That(string.Join(" ", spec.Arguments), Does.Not.Contain("secret"));
        Assert.That(spec.Environment["BUILD_CONFIGURATION"], Is.EqualTo("Debug"));
        Assert.That(spec.Environment["BUILD_PROPERTIES"], Is.EqualTo("-p:Foo=a%20secret-ish%20value"));
        Assert.That(ImageBuilder.PushSpecs(ImageBuilderKind.Buildah, request, new Dictionary<string, string?>()).Count(), Is.EqualTo(2));

        File.WriteAllText(dockerfile, "FROM scratch\n");
        var plain = ImageBuilder.BuildSpec(ImageBuilderKind.Buildah, request, new Dictionary<string, string?>());
        Assert.That(plain.Arguments, Does.Not.Contain("BUILD_CONFIGURATION"), "an undeclared arg is not passed");
    }
}
