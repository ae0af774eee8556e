using FlyIo.AppModel.Project;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

/// <summary>
/// Generate, build with buildah, push to the local registry (basic auth), pull back and run: each app must answer its
/// health check over HTTP from inside its own network namespace.
/// </summary>
[TestFixture]
[Category("Image")]
[NonParallelizable]
public class ImageEndToEndTests
{
    internal static ImageBuildResult BuildAndPush(GeneratedDockerfile generated, DotNetAppFacts app, string repository, bool push = true, string? dockerfilePath = null)
    {
        var registry = Infrastructure.Registry;
        var creds = Infrastructure.Credentials;
        var dockerfile = dockerfilePath ?? Path.Combine(app.ProjectDirectory, "Dockerfile");
        if (dockerfilePath is null)
        {
            var written = DockerfileWriter.Write(generated, dockerfile, Path.Combine(app.BuildContextRoot, ".dockerignore"));
            Assert.That(written.Diagnostics, Is.Empty);
        }

        var reference = ImageTags.Deployment(repository, registry);
        var request = new ImageBuildRequest(app.BuildContextRoot, dockerfile, reference)
        {
            PullRegistries = new[] { registry },
            PullCredentials = new[] { creds },
            PushCredentials = _ => Task.FromResult<RegistryCredentials?>(creds),
            Push = push,
        };
        Built.Add(reference);
        return ImageBuilder.BuildAndPushAsync(request, ImageBuilderKind.Buildah).GetAwaiter().GetResult();
    }

    private static readonly System.Collections.Concurrent.ConcurrentBag<string> Built = new();

    /// <summary>Removes the tagged test images from local storage (the layer cache stays, so later runs stay fast).</summary>
    internal static void RemoveBuiltImages()
    {
        while (Built.TryTake(out var reference))
        {
            Infrastructure.Run("buildah", new[] { "rmi", "-f", reference }, TimeSpan.FromMinutes(1));
        }
    }

    [OneTimeTearDown]
    public void RemoveImages() => RemoveBuiltImages();

    private static string Describe(ImageBuildResult result) =>
        string.Join("\n", result.Diagnostics.Select(d => d.ToString())) + "\n--- builder output ---\n" + result.Output;

    [Test]
    public void WebApp_image_answers_its_health_check_with_small_vm_gc_settings_as_user_app()
    {
        var registry = Infrastructure.Registry;
        var root = Samples.Copy("WebApp");
        try
        {
            var app = Samples.SingleProject(root, "WebApp");
            var generated = DockerfileGenerator.Generate(Samples.Inputs(app, registry, vmMemoryMb: 256));
            Assert.That(generated.HasErrors, Is.False, string.Join("\n", generated.Diagnostics));
            var result = BuildAndPush(generated, app, "webapp");
            Assert.That(result.Succeeded, Is.True, Describe(result));

            using var container = RunningContainer.Start(result.ImageReference);
            Assert.That(container.WaitForHttp(8080, "/healthz", TimeSpan.FromSeconds(60)), Is.EqualTo("ok"));

            // The small-VM settings reached the runtime: workstation GC, and a heap limit of 75% of 256 MB.
            var gc = container.WaitForHttp(8080, "/gc", TimeSpan.FromSeconds(10));
            using var json = System.Text.Json.JsonDocument.Parse(gc);
            Assert.That(json.RootElement.GetProperty("serverGc").GetBoolean(), Is.False, gc);
            Assert.That(json.RootElement.GetProperty("totalAvailableMemoryBytes").GetInt64(), Is.EqualTo(256L * 1024 * 1024 * 75 / 100), gc);

            // USER $APP_UID: the app runs as uid 1654, not root.
            var pid = container.FindProcess("dotnet");
            Assert.That(pid, Is.Not.Null, "no dotnet process in the namespace");
            Assert.That(RunningContainer.Uid(pid!.Value), Is.EqualTo("1654"));
        }
        finally
        {
            Samples.TryDelete(root);
        }
    }

    [Test]
    public void MultiProject_with_shared_library_and_central_versions_builds_and_answers()
    {
        var registry = Infrastructure.Registry;
        var root = Samples.Copy("MultiProject");
        try
        {
            var app = Samples.MultiProject(root);
            var generated = DockerfileGenerator.Generate(Samples.Inputs(app, registry));
            Assert.That(generated.HasErrors, Is.False, string.Join("\n", generated.Diagnostics));
            var result = BuildAndPush(generated, app, "multiproject");
            Assert.That(result.Succeeded, Is.True, Describe(result));

            using var container = RunningContainer.Start(result.ImageReference);
            Assert.That(container.WaitForHttp(8080, "/healthz", TimeSpan.FromSeconds(60)), Is.EqualTo("ok"));
            // The Shared library and its centrally versioned package (Humanizer) are in the image and work.
            Assert.That(container.WaitForHttp(8080, "/hello/fly", TimeSpan.FromSeconds(10)), Is.EqualTo("hello fly, 1 hour, 30 minutes"));
        }
        finally
        {
            Samples.TryDelete(root);
        }
    }

    /// <summary>
    /// The Dockerfile `fly launch` writes for .NET (dotnet-on-fly.md): build context = the project folder,
    /// <c>COPY . ./</c> before restore, no USER. With a ../Shared ProjectReference the restore cannot find it.
    /// </summary>
    internal const string FlyLaunchDockerfile =
        "FROM {registry}/dotnet/sdk:10.0 AS build\n" +
        "WORKDIR /app\n" +
        "COPY . ./\n" +
        "RUN dotnet restore\n" +
        "RUN dotnet publish -c Release -o out\n" +
        "\n" +
        "FROM {registry}/dotnet/aspnet:10.0\n" +
        "WORKDIR /app\n" +
        "COPY --from=build /app/out .\n" +
        "ENTRYPOINT [\"dotnet\", \"Api.dll\"]\n";

    [Test]
    public void MultiProject_fails_with_the_fly_launch_dockerfile_and_builds_with_ours()
    {
        var registry = Infrastructure.Registry;
        var root = Samples.Copy("MultiProject");
        try
        {
            var api = Path.Combine(root, "src", "Api");
            var launchDockerfile = Path.Combine(api, "Dockerfile.flylaunch");
            File.WriteAllText(launchDockerfile, FlyLaunchDockerfile.Replace("{registry}", registry));
            var launchApp = new DotNetAppFacts { ProjectPath = Path.Combine(api, "Api.csproj"), BuildContextRoot = api };
            var launch = BuildAndPush(null!, launchApp, "multiproject-flylaunch", push: false, dockerfilePath: launchDockerfile);
            Assert.That(launch.Succeeded, Is.False, "the fly launch Dockerfile was expected to fail on ../Shared:\n" + launch.Output);
            Assert.That(launch.Diagnostics.Single().Code, Is.EqualTo(FlyCodes.ImageBuildFailed.Code));
            Assert.That(launch.Output, Does.Contain("Shared.csproj"), "the failure should be the missing ../Shared project");

            var app = Samples.MultiProject(root);
            var ours = BuildAndPush(DockerfileGenerator.Generate(Samples.Inputs(app, registry)), app, "multiproject-ours", push: false);
            Assert.That(ours.Succeeded, Is.True, Describe(ours));
        }
        finally
        {
            Samples.TryDelete(root);
        }
    }

    [Test]
    public void Crlf_entrypoint_script_is_reported_and_the_image_still_starts_through_it()
    {
        var registry = Infrastructure.Registry;
        var source = Path.Combine(Samples.SourceRoot, "CrlfApp", "entrypoint.sh");
        Assert.That(File.ReadAllBytes(source), Does.Contain((byte)'\r'), "the sample's entrypoint.sh must be committed with CRLF (.gitattributes: entrypoint.sh -text)");
        var root = Samples.Copy("CrlfApp");
        try
        {
            var app = Samples.SingleProject(root, "CrlfApp");
            var generated = DockerfileGenerator.Generate(Samples.Inputs(app, registry));
            var warning = generated.Diagnostics.Single(d => d.Code == FlyCodes.ScriptCrlf.Code);
            Assert.That(warning.Severity, Is.EqualTo(DiagnosticSeverity.Warning));
            Assert.That((warning.File, warning.Line), Is.EqualTo((Path.Combine(root, "entrypoint.sh"), 1)));
            Assert.That(warning.Message, Does.Contain("*.sh text eol=lf"));
            Assert.That(generated.Dockerfile, Does.Contain("ENTRYPOINT [\"./entrypoint.sh\"]"));

            var result = BuildAndPush(generated, app, "crlfapp");
            Assert.That(result.Succeeded, Is.True, Describe(result));
            using var container = RunningContainer.Start(result.ImageReference);
            Assert.That(container.WaitForHttp(8080, "/healthz", TimeSpan.FromSeconds(60)), Is.EqualTo("ok entrypoint.sh"));
        }
        finally
        {
            Samples.TryDelete(root);
        }
    }
}
