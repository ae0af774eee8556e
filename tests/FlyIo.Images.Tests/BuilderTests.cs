using System;
using FlyIo.Diagnostics;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

[TestFixture]
[NonParallelizable]
public class BuilderTests
{
    /// <summary>Runs <paramref name="body"/> with PATH = a folder holding the given shell scripts (and the system tools).</summary>
    private static async Task WithFakeTools(Dictionary<string, string> tools, Func<Task> body)
    {
        var dir = Path.Combine(Path.GetTempPath(), "flyio-fake-path-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(dir);
        var oldPath = Environment.GetEnvironmentVariable("PATH");
        try
        {
            foreach (var tool in tools)
            {
                var file = Path.Combine(dir, tool.Key);
                File.WriteAllText(file, "#!/bin/sh\n" + tool.Value + "\n");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            Environment.SetEnvironmentVariable("PATH", dir);
            await body();
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", oldPath);
            Samples.TryDelete(dir);
        }
    }

    [Test]
    public async Task Auto_takes_docker_only_when_its_daemon_answers_else_podman_buildah_then_the_sdk()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            Assert.Ignore("uses shell scripts as stand-in tools");
        }

        await WithFakeTools(new() { ["docker"] = "echo 'Cannot connect to the Docker daemon' >&2; exit 1", ["buildah"] = "exit 0" }, async () =>
        {
            Assert.That((await ImageBuilder.ResolveAsync(ImageBuilderKind.Auto)).Kind, Is.EqualTo(ImageBuilderKind.Buildah));
            var (kind, problem) = await ImageBuilder.ResolveAsync(ImageBuilderKind.Docker);
            Assert.That(kind, Is.Null);
            Assert.That(problem!.Code, Is.EqualTo(FlyCodes.BuilderUnavailable.Code));
        });
        await WithFakeTools(new() { ["docker"] = "echo 28.2.2", ["podman"] = "exit 0", ["buildah"] = "exit 0" }, async () =>
            Assert.That((await ImageBuilder.ResolveAsync(ImageBuilderKind.Auto)).Kind, Is.EqualTo(ImageBuilderKind.Docker)));
        await WithFakeTools(new() { ["podman"] = "exit 0", ["buildah"] = "exit 0" }, async () =>
            Assert.That((await ImageBuilder.ResolveAsync(ImageBuilderKind.Auto)).Kind, Is.EqualTo(ImageBuilderKind.Podman)));
        await WithFakeTools(new(), async () =>
        {
            Assert.That((await ImageBuilder.ResolveAsync(ImageBuilderKind.Auto)).Kind, Is.EqualTo(ImageBuilderKind.Sdk));
            Assert.That((await ImageBuilder.ResolveAsync(ImageBuilderKind.Buildah)).Problem!.Code, Is.EqualTo(FlyCodes.BuilderUnavailable.Code));
        });
    }

    /// <summary>A second local registry whose password is the fake Fly token (without "FlyV1 "), on its own port.</summary>
    private static string StartTokenRegistry(string token, out string state)
    {
        state = Path.Combine(Path.GetTempPath(), "flyio-token-registry-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        var env = new Dictionary<string, string?> { ["FLYIO_REGISTRY_PORT"] = "55001", ["FLYIO_REGISTRY_STATE"] = state, ["FLYIO_REGISTRY_PASSWORD"] = token };
        var result = Infrastructure.Run(Path.Combine(RepoPaths.RepoRoot, "build", "registry.sh"), new[] { "start" }, TimeSpan.FromMinutes(2), env);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Output);
        return "127.0.0.1:55001";
    }

    /// <summary>Removes the local images of one repository (tests' throwaway tags).</summary>
    private static void RemoveImages(string repository)
    {
        var list = Infrastructure.Run("buildah", new[] { "images", "--format", "{{.Name}}:{{.Tag}}" }, TimeSpan.FromMinutes(1));
        foreach (var image in list.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith(repository + ":", StringComparison.Ordinal)))
        {
            Infrastructure.Run("buildah", new[] { "rmi", "-f", image }, TimeSpan.FromMinutes(1));
        }
    }

    private static void StopTokenRegistry(string state)
    {
        Infrastructure.Run(Path.Combine(RepoPaths.RepoRoot, "build", "registry.sh"), new[] { "stop" }, TimeSpan.FromMinutes(1),
            new Dictionary<string, string?> { ["FLYIO_REGISTRY_PORT"] = "55001", ["FLYIO_REGISTRY_STATE"] = state });
        Samples.TryDelete(state);
    }

    [Test]
    [Category("Image")]
    public async Task Buildah_pulls_base_images_from_a_plain_HTTP_registry_into_an_empty_store_with_TLS_kept_for_the_rest()
    {
        // No image in the store and no PullRegistries given: the builder finds the registries in the FROM lines (an ARG
        // default included) and reaches the loopback one over HTTP, as a fresh machine's first build must.
        var baseRegistry = Infrastructure.Registry;
        var store = Path.Combine(Path.GetTempPath(), "flyio-empty-store-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        var context = Path.Combine(store, "context");
        Directory.CreateDirectory(context);
        try
        {
            var storageConf = Path.Combine(store, "storage.conf");
            File.WriteAllText(storageConf, $"[storage]\ndriver = \"vfs\"\ngraphroot = \"{store}/graph\"\nrunroot = \"{store}/run\"\n");
            File.WriteAllText(Path.Combine(context, "Dockerfile"),
                $"ARG BASE={baseRegistry}/busybox:latest\nFROM ${{BASE}} AS build\nRUN echo built > /out\nFROM {baseRegistry}/busybox:latest\nCOPY --from=build /out /out\n");
            var request = new ImageBuildRequest(context, Path.Combine(context, "Dockerfile"), baseRegistry + "/empty-store-test:t1")
            {
                PullCredentials = new[] { Infrastructure.Credentials },
                Environment = new Dictionary<string, string?> { ["CONTAINERS_STORAGE_CONF"] = storageConf },
            };

            Assert.That(ImageBuilder.PullRegistriesOf(request), Is.EqualTo(new[] { baseRegistry }));
            var result = await ImageBuilder.BuildAndPushAsync(request, ImageBuilderKind.Buildah);

            Assert.That(result.Succeeded, Is.True, string.Join("\n", result.Diagnostics) + "\n" + result.Output);
            Assert.That(result.Output, Does.Not.Contain("HTTP response to HTTPS client"));
            Assert.That(Directory.Exists(Path.Combine(store, "graph")), Is.True, "the build used the empty store");
        }
        finally
        {
            ProcessRunnerCleanup(store);
        }
    }

    [Test]
    [Category("Image")]
    public async Task A_Dockerfile_that_creates_its_own_app_user_builds_on_the_debian_slim_stand_in()
    {
        // Docker Hub's debian:<suite>-slim has no "app" user; Dockerfiles that create one must build on the stand-in too.
        var baseRegistry = Infrastructure.Registry;
        var suite = File.ReadAllLines("/etc/os-release").First(l => l.StartsWith("VERSION_CODENAME=", StringComparison.Ordinal)).Split('=')[1];
        var scripts = Infrastructure.Run(Path.Combine(RepoPaths.RepoRoot, "build", "images", "script-images.sh"), Array.Empty<string>(), TimeSpan.FromMinutes(15));
        Assert.That(scripts.ExitCode, Is.EqualTo(0), scripts.Output);
        var context = Path.Combine(Path.GetTempPath(), "flyio-useradd-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(context);
        try
        {
            File.WriteAllText(Path.Combine(context, "Dockerfile"),
                $"FROM {baseRegistry}/library/debian:{suite}-slim\nRUN groupadd --system app && useradd --system --gid app --create-home app && id app\nUSER app\n");
            var request = new ImageBuildRequest(context, Path.Combine(context, "Dockerfile"), baseRegistry + "/useradd-test:t1")
            {
                PullCredentials = new[] { Infrastructure.Credentials },
            };

            var result = await ImageBuilder.BuildAndPushAsync(request, ImageBuilderKind.Buildah);

            Assert.That(result.Succeeded, Is.True, string.Join("\n", result.Diagnostics) + "\n" + result.Output);
            Assert.That(result.Output, Does.Not.Contain("already exists"));
        }
        finally
        {
            Samples.TryDelete(context);
            RemoveImages(baseRegistry + "/useradd-test");
        }
    }

    private static void ProcessRunnerCleanup(string store)
    {
        // vfs layers are plain directories, some read-only: remove them as root would.
        using var rm = System.Diagnostics.Process.Start("rm", new[] { "-rf", store });
        rm?.WaitForExit();
    }

    /// <summary>
    /// The builds' auth folders still in the temp folder whose credentials name <paramref name="registry"/>. Other
    /// suites build images at the same time and make (and delete) auth folders of their own, for other registries;
    /// a folder deleted while it is read is not left behind.
    /// </summary>
    private static List<string> AuthFoldersNaming(string registry) =>
        Directory.GetDirectories(Path.GetTempPath(), "flyio-auth-*").Where(folder =>
        {
            try
            {
                return Directory.GetFiles(folder).Any(f => File.ReadAllText(f).Contains('"' + registry + '"', StringComparison.Ordinal));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }).ToList();

    [Test]
    [Category("Image")]
    public async Task Buildah_push_with_a_fly_token_never_shows_it_on_a_command_line_or_in_the_output()
    {
        var baseRegistry = Infrastructure.Registry;
        var token = "fm2_" + Guid.NewGuid().ToString("N") + "secretsecret";
        var tokenRegistry = StartTokenRegistry(token, out var state);
        var context = Path.Combine(Path.GetTempPath(), "flyio-secret-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(context);
        try
        {
            File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM " + baseRegistry + "/busybox:latest\nRUN echo " + Guid.NewGuid().ToString("N") + " > /stamp\n");
            var reference = ImageTags.Deployment("secret-app", tokenRegistry);
            var asked = 0;
            var request = new ImageBuildRequest(context, Path.Combine(context, "Dockerfile"), reference)
            {
                PullRegistries = new[] { baseRegistry },
                PullCredentials = new[] { Infrastructure.Credentials },
                PushCredentials = _ =>
                {
                    asked++;
                    return Task.FromResult<RegistryCredentials?>(RegistryCredentials.ForFly("FlyV1 " + token, tokenRegistry));
                },
            };
            ImageBuildResult result;
            using (var watch = new CommandLineWatch(token))
            {
                result = await ImageBuilder.BuildAndPushAsync(request, ImageBuilderKind.Buildah);
                Assert.That(watch.Samples, Is.GreaterThan(10), "the /proc watcher should have sampled during the build");
                Assert.That(watch.Seen.Keys.Any(k => k.EndsWith("buildah", StringComparison.Ordinal)), Is.True, "the watcher should have seen buildah running");
                Assert.That(watch.Leaks, Is.Empty, "the token appeared on a command line");
            }

            Assert.That(result.Succeeded, Is.True, string.Join("\n", result.Diagnostics) + "\n" + result.Output);
            Assert.That(asked, Is.EqualTo(1));
            Assert.That(result.Output, Does.Not.Contain(token));
            Assert.That(AuthFoldersNaming(tokenRegistry), Is.Empty, "the auth folder was not deleted");

            // The registry really checks the password: a wrong token cannot push.
            var wrong = new ImageBuildRequest(context, Path.Combine(context, "Dockerfile"), ImageTags.Deployment("secret-app", tokenRegistry))
            {
                PullRegistries = request.PullRegistries,
                PullCredentials = request.PullCredentials,
                PushCredentials = _ => Task.FromResult<RegistryCredentials?>(RegistryCredentials.ForFly("FlyV1 " + "fm2" + "_wrong", tokenRegistry)),
            };
            var denied = await ImageBuilder.BuildAndPushAsync(wrong, ImageBuilderKind.Buildah);
            Assert.That(denied.Succeeded, Is.False);
            Assert.That(denied.Diagnostics.Single().Code, Is.EqualTo(FlyCodes.ImagePushFailed.Code));
        }
        finally
        {
            StopTokenRegistry(state);
            Samples.TryDelete(context);
            RemoveImages("127.0.0.1:55001/secret-app");
        }
    }

    [Test]
    [Category("Image")]
    public async Task Sdk_builder_pushes_with_the_token_in_its_environment_only_and_the_image_runs()
    {
        var baseRegistry = Infrastructure.Registry;
        var token = "fm2_" + Guid.NewGuid().ToString("N") + "sdksecret";
        var tokenRegistry = StartTokenRegistry(token, out var state);
        var root = Samples.Copy("WebApp");
        var packages = Path.Combine(Path.GetTempPath(), "flyio-images-nuget-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        try
        {
            var reference = ImageTags.Deployment("sdk-app", tokenRegistry);
            var request = new ImageBuildRequest(root, Path.Combine(root, "Dockerfile"), reference)
            {
                ProjectPath = Path.Combine(root, "WebApp.csproj"),
                BaseImage = baseRegistry + "/dotnet/aspnet:10.0",
                PullRegistries = new[] { baseRegistry },
                PullCredentials = new[] { Infrastructure.Credentials },
                PushCredentials = _ => Task.FromResult<RegistryCredentials?>(RegistryCredentials.ForFly("FlyV1 " + token, tokenRegistry)),
                Environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packages, ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0" },
            };
            ImageBuildResult result;
            using (var watch = new CommandLineWatch(token))
            {
                result = await ImageBuilder.BuildAndPushAsync(request, ImageBuilderKind.Sdk);
                Assert.That(watch.Seen.Keys.Any(k => k.EndsWith("dotnet", StringComparison.Ordinal)), Is.True);
                Assert.That(watch.Leaks, Is.Empty, "the token appeared on a command line");
            }

            Assert.That(result.Succeeded, Is.True, string.Join("\n", result.Diagnostics) + "\n" + result.Output);
            Assert.That(result.Output, Does.Not.Contain(token));

            // The pushed image is really there, behind the token.
            var creds = Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + token));
            using var http = new System.Net.Http.HttpClient();
            var tag = reference.Substring(reference.LastIndexOf(':') + 1);
            using var message = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Get, "http://" + tokenRegistry + "/v2/sdk-app/manifests/" + tag);
            message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", creds);
            message.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
            message.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
            using var response = await http.SendAsync(message);
            Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());

            // Pulled back with the token and run: the SDK-built image answers its health check.
            using var container = RunningContainer.Start(reference, credentials: new RegistryCredentials(tokenRegistry, "x", token));
            Assert.That(container.WaitForHttp(8080, "/healthz", TimeSpan.FromSeconds(60)), Is.EqualTo("ok"));
        }
        finally
        {
            StopTokenRegistry(state);
            Samples.TryDelete(root);
            Samples.TryDelete(packages);
            RemoveImages("127.0.0.1:55001/sdk-app");
        }
    }
}
