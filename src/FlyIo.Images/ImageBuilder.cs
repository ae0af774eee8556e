using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Diagnostics;

namespace FlyIo.Images;

/// <summary>FlyImageBuilder: which tool builds and pushes the image.</summary>
public enum ImageBuilderKind
{
    /// <summary>docker when its daemon answers, else podman, else buildah, else the SDK's PublishContainer.</summary>
    Auto,
    Docker,
    Podman,
    Buildah,

    /// <summary>The .NET SDK's daemonless <c>dotnet publish -t:PublishContainer</c> (no Dockerfile, cannot RUN).</summary>
    Sdk,
}

/// <summary>One image to build from a Dockerfile (or, with the sdk builder, from the project) and push.</summary>
public sealed class ImageBuildRequest
{
    public ImageBuildRequest(string contextDirectory, string dockerfilePath, string imageReference)
    {
        ContextDirectory = contextDirectory ?? throw new ArgumentNullException(nameof(contextDirectory));
        DockerfilePath = dockerfilePath ?? throw new ArgumentNullException(nameof(dockerfilePath));
        ImageReference = imageReference ?? throw new ArgumentNullException(nameof(imageReference));
    }

    public string ContextDirectory { get; }

    public string DockerfilePath { get; }

    /// <summary>e.g. <c>registry.fly.io/my-app:deployment-01J...</c></summary>
    public string ImageReference { get; }

    public string Platform { get; init; } = "linux/amd64";

    /// <summary>The project, for the sdk builder.</summary>
    public string? ProjectPath { get; init; }

    /// <summary>The sdk builder's ContainerBaseImage (the generated Dockerfile's runtime image), when not the SDK's default.</summary>
    public string? BaseImage { get; init; }

    /// <summary>Push after the build (false: build only).</summary>
    public bool Push { get; init; } = true;

    /// <summary>
    /// Credentials for the push registry, asked for right before the push (a deploy token can expire during a long
    /// build: superfly/flyctl#4556). For the sdk builder, asked for right before the single publish-and-push step.
    /// </summary>
    public Func<CancellationToken, Task<RegistryCredentials?>>? PushCredentials { get; init; }

    /// <summary>Credentials for registries the build pulls from (a private base image mirror).</summary>
    public IReadOnlyList<RegistryCredentials> PullCredentials { get; init; } = Array.Empty<RegistryCredentials>();

    /// <summary>Registries spoken to over plain HTTP. Loopback registries (127.0.0.1:*, localhost:*) always are.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = Array.Empty<string>();

    /// <summary>
    /// More registries the build pulls from. Those the Dockerfile's FROM lines and <see cref="BaseImage"/> name are
    /// found by the builder itself (<see cref="ImageBuilder.PullRegistriesOf"/>); a plain-HTTP one is reached over
    /// HTTP for this build only, and TLS stays on for every other.
    /// </summary>
    public IReadOnlyList<string> PullRegistries { get; init; } = Array.Empty<string>();

    /// <summary>
    /// Mirrors the build pulls through (FlyRegistryMirror), e.g. docker.io to a local registry holding stand-ins for
    /// the images a Dockerfile starts FROM. buildah and podman get them through a registries.conf of their own.
    /// </summary>
    public IReadOnlyList<RegistryMirror> RegistryMirrors { get; init; } = Array.Empty<RegistryMirror>();

    /// <summary>More environment for the builder process (e.g. STORAGE_DRIVER).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// Build args (see <see cref="FlyIo.Images.BuildArgs"/>): each reaches docker, podman or buildah as
    /// <c>--build-arg NAME</c> with its value in the builder's environment, so values are on no command line and in no log.
    /// </summary>
    public IReadOnlyDictionary<string, BuildSetting> BuildArgs { get; init; } = new Dictionary<string, BuildSetting>();

    /// <summary>Set when fly.toml's [build] dockerfile named <see cref="DockerfilePath"/>: where to report a builder that reads no Dockerfile.</summary>
    public BuildSetting? DockerfileSetting { get; init; }

    /// <summary>The stage to build (<c>--target</c>); null builds the last one.</summary>
    public BuildSetting? Target { get; init; }

    /// <summary>The ignore file for the build context (<c>--ignorefile</c>); null means the builder's default.</summary>
    public BuildSetting? IgnoreFile { get; init; }

    /// <summary>More references the same image is tagged and pushed as (ContainerImageTags beyond the first).</summary>
    public IReadOnlyList<string> AdditionalReferences { get; init; } = Array.Empty<string>();

    /// <summary>
    /// The command line's configuration and global properties. The sdk builder publishes with them; a Dockerfile gets
    /// them as the build args BUILD_CONFIGURATION and BUILD_PROPERTIES when it declares those ARGs.
    /// </summary>
    public OuterBuild Outer { get; init; } = OuterBuild.From(Array.Empty<KeyValuePair<string, string>>());

    /// <summary>The sdk builder's runtime identifier (ContainerRuntimeIdentifier, else RuntimeIdentifier); linux-x64 when null.</summary>
    public string? RuntimeIdentifier { get; init; }

    /// <summary>
    /// The sdk builder's image runs as root (<c>-p:ContainerUser=root</c>): fly.toml mounts a root-owned volume and the
    /// project set no ContainerUser, so the .NET SDK's non-root default could not write to it (the generated
    /// Dockerfile does the same for [mounts]).
    /// </summary>
    public bool RunAsRoot { get; init; }
}

public sealed class ImageBuildResult
{
    internal ImageBuildResult(string builder, string imageReference, bool succeeded, IReadOnlyList<FlyDiagnostic> diagnostics, TimeSpan buildTime, TimeSpan pushTime, string output)
    {
        Builder = builder;
        ImageReference = imageReference;
        Succeeded = succeeded;
        Diagnostics = diagnostics;
        BuildTime = buildTime;
        PushTime = pushTime;
        Output = output;
    }

    /// <summary>docker, podman, buildah or sdk.</summary>
    public string Builder { get; }

    public string ImageReference { get; }

    public bool Succeeded { get; }

    public IReadOnlyList<FlyDiagnostic> Diagnostics { get; }

    public TimeSpan BuildTime { get; }

    public TimeSpan PushTime { get; }

    /// <summary>Everything the builder printed.</summary>
    public string Output { get; }
}

/// <summary>
/// Builds and pushes images with docker, podman, buildah or the .NET SDK. Registry passwords reach the child processes
/// only through an auth file (mode 600, in a private temporary folder deleted afterwards) or environment variables,
/// never through their command lines.
/// </summary>
public static class ImageBuilder
{
    public static bool TryParseKind(string? text, out ImageBuilderKind kind)
    {
        switch ((text ?? string.Empty).Trim().ToLowerInvariant())
        {
            case "":
            case "auto":
                kind = ImageBuilderKind.Auto;
                return true;
            case "docker":
                kind = ImageBuilderKind.Docker;
                return true;
            case "podman":
                kind = ImageBuilderKind.Podman;
                return true;
            case "buildah":
                kind = ImageBuilderKind.Buildah;
                return true;
            case "sdk":
                kind = ImageBuilderKind.Sdk;
                return true;
            default:
                kind = ImageBuilderKind.Auto;
                return false;
        }
    }

    /// <summary>Parses FlyImageBuilder; an unknown name is FLY3030 (error) naming the accepted values.</summary>
    public static ImageBuilderKind? ParseKind(string? text, out FlyDiagnostic? problem, string? projectFile = null)
    {
        problem = null;
        if (TryParseKind(text, out var kind))
        {
            return kind;
        }

        problem = FlyCodes.UnknownBuilder.Create($"FlyImageBuilder '{text}' is not one of auto, docker, podman, buildah, sdk.", projectFile);
        return null;
    }

    /// <summary>A program on PATH, or null.</summary>
    public static string? FindOnPath(string program)
    {
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var windows = Path.DirectorySeparatorChar == '\\';
        foreach (var dir in path.Split(Path.PathSeparator))
        {
            if (dir.Length == 0)
            {
                continue;
            }

            var candidate = Path.Combine(dir, windows ? program + ".exe" : program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Whether a docker daemon answers (docker CLI installed is not enough).</summary>
    public static async Task<bool> DockerDaemonAnswersAsync(CancellationToken cancellationToken = default)
    {
        if (FindOnPath("docker") is null)
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var result = await ProcessRunner.RunAsync(new ProcessSpec("docker", new[] { "version", "--format", "{{.Server.Version}}" }), null, timeout.Token).ConfigureAwait(false);
            return result.Succeeded && result.Output.Trim().Length > 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>The builder <paramref name="requested"/> resolves to on this machine, or a FLY3031 diagnostic.</summary>
    public static async Task<(ImageBuilderKind? Kind, FlyDiagnostic? Problem)> ResolveAsync(ImageBuilderKind requested, CancellationToken cancellationToken = default)
    {
        switch (requested)
        {
            case ImageBuilderKind.Auto:
                if (await DockerDaemonAnswersAsync(cancellationToken).ConfigureAwait(false))
                {
                    return (ImageBuilderKind.Docker, null);
                }

                if (FindOnPath("podman") is not null)
                {
                    return (ImageBuilderKind.Podman, null);
                }

                if (FindOnPath("buildah") is not null)
                {
                    return (ImageBuilderKind.Buildah, null);
                }

                return (ImageBuilderKind.Sdk, null);
            case ImageBuilderKind.Docker:
                return await DockerDaemonAnswersAsync(cancellationToken).ConfigureAwait(false)
                    ? (ImageBuilderKind.Docker, null)
                    : (null, FlyCodes.BuilderUnavailable.Create("FlyImageBuilder=docker, but no docker daemon answers ('docker version' failed). Start Docker, or use FlyImageBuilder=auto to fall back to podman, buildah or the SDK's PublishContainer."));
            case ImageBuilderKind.Podman:
            case ImageBuilderKind.Buildah:
                var name = requested == ImageBuilderKind.Podman ? "podman" : "buildah";
                return FindOnPath(name) is not null
                    ? (requested, null)
                    : (null, FlyCodes.BuilderUnavailable.Create($"FlyImageBuilder={name}, but {name} is not on PATH."));
            default:
                return (ImageBuilderKind.Sdk, null);
        }
    }

    public static async Task<ImageBuildResult> BuildAndPushAsync(ImageBuildRequest request, ImageBuilderKind requested, IFlyLog? log = null, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var (kind, problem) = await ResolveAsync(requested, cancellationToken).ConfigureAwait(false);
        if (kind is null)
        {
            return new ImageBuildResult(requested.ToString().ToLowerInvariant(), request.ImageReference, false, new[] { problem! }, TimeSpan.Zero, TimeSpan.Zero, string.Empty);
        }

        var builder = kind.Value.ToString().ToLowerInvariant();
        var output = new StringBuilder();
        var diagnostics = new List<FlyDiagnostic>(BuildSettingsSupport.Problems(kind.Value, request));
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return new ImageBuildResult(builder, request.ImageReference, false, diagnostics, TimeSpan.Zero, TimeSpan.Zero, string.Empty);
        }

        Task<ProcessResult> Step(ProcessSpec spec) => RunStep(spec, log ?? FlyLog.None, output, cancellationToken);

        var secrets = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "flyio-auth-" + Guid.NewGuid().ToString("N")));
        RestrictToOwner(secrets.FullName, directory: true);
        var buildTime = TimeSpan.Zero;
        var pushTime = TimeSpan.Zero;
        try
        {
            if (kind == ImageBuilderKind.Sdk)
            {
                if (request.RegistryMirrors.Count > 0)
                {
                    diagnostics.Add(FlyCodes.RegistryMirrorIgnored.Create(
                        $"FlyRegistryMirror ({string.Join(";", request.RegistryMirrors)}) is not used by the sdk builder, which reads no Dockerfile: " +
                        "its base image comes from FlyBaseImageRegistry.", request.ProjectPath));
                }

                var creds = request.Push && request.PushCredentials is not null ? await request.PushCredentials(cancellationToken).ConfigureAwait(false) : null;
                var r = await Step(SdkSpec(request, creds, secrets.FullName)).ConfigureAwait(false);
                buildTime = r.Duration;
                if (!r.Succeeded)
                {
                    diagnostics.Add(Failure(r, FlyCodes.ImageBuildFailed, "dotnet publish -t:PublishContainer", request.ProjectPath!));
                }

                return new ImageBuildResult(builder, request.ImageReference, r.Succeeded, diagnostics, buildTime, pushTime, output.ToString());
            }

            var authEnvironment = WriteAuth(kind.Value, secrets.FullName, request.PullCredentials);
            var buildEnvironment = new Dictionary<string, string?>(authEnvironment, StringComparer.Ordinal);
            // Plain-HTTP registries the build pulls from are marked insecure one by one in the build's own
            // registries.conf (a global --tls-verify=false would turn TLS off for Docker Hub too).
            var insecurePulls = PullRegistriesOf(request).Where(r => IsInsecure(request, r)).ToList();
            if (kind is ImageBuilderKind.Buildah or ImageBuilderKind.Podman && request.RegistryMirrors.Count == 0 && insecurePulls.Count > 0)
            {
                buildEnvironment["CONTAINERS_REGISTRIES_CONF"] = WriteRegistriesConf(secrets.FullName, request, insecurePulls);
            }

            if (request.RegistryMirrors.Count > 0)
            {
                if (kind == ImageBuilderKind.Docker)
                {
                    diagnostics.Add(FlyCodes.RegistryMirrorIgnored.Create(
                        $"FlyRegistryMirror ({string.Join(";", request.RegistryMirrors)}) is not used by docker, which pulls through its daemon: " +
                        "set registry-mirrors in the daemon's daemon.json, or build with FlyImageBuilder=buildah or podman.", request.DockerfilePath));
                }
                else
                {
                    buildEnvironment["CONTAINERS_REGISTRIES_CONF"] = WriteRegistriesConf(secrets.FullName, request, insecurePulls);
                }
            }

            var build = await Step(BuildSpec(kind.Value, request, buildEnvironment)).ConfigureAwait(false);
            buildTime = build.Duration;
            if (!build.Succeeded)
            {
                diagnostics.Add(Failure(build, FlyCodes.ImageBuildFailed, builder + " build", request.DockerfilePath));
                return new ImageBuildResult(builder, request.ImageReference, false, diagnostics, buildTime, pushTime, output.ToString());
            }

            if (!request.Push)
            {
                return new ImageBuildResult(builder, request.ImageReference, true, diagnostics, buildTime, pushTime, output.ToString());
            }

            // Credentials right before the push, not before the build.
            var push = request.PushCredentials is null ? null : await request.PushCredentials(cancellationToken).ConfigureAwait(false);
            var all = new List<RegistryCredentials>(request.PullCredentials);
            if (push is not null)
            {
                all.RemoveAll(c => string.Equals(c.Registry, push.Registry, StringComparison.OrdinalIgnoreCase));
                all.Add(push);
            }

            authEnvironment = WriteAuth(kind.Value, secrets.FullName, all);
            foreach (var spec in PushSpecs(kind.Value, request, authEnvironment))
            {
                var pushed = await Step(spec).ConfigureAwait(false);
                pushTime += pushed.Duration;
                if (!pushed.Succeeded)
                {
                    diagnostics.Add(Failure(pushed, FlyCodes.ImagePushFailed, builder + " push", request.DockerfilePath));
                    return new ImageBuildResult(builder, request.ImageReference, false, diagnostics, buildTime, pushTime, output.ToString());
                }
            }

            return new ImageBuildResult(builder, request.ImageReference, true, diagnostics, buildTime, pushTime, output.ToString());
        }
        catch (OperationCanceledException)
        {
            diagnostics.Add(FlyCodes.ImageBuildCancelled.Create("The image build was cancelled; the builder's processes were stopped.", request.DockerfilePath));
            return new ImageBuildResult(builder, request.ImageReference, false, diagnostics, buildTime, pushTime, output.ToString());
        }
        finally
        {
            try
            {
                secrets.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>One builder command: shown, run, and its output kept for the result (and a failure's last lines).</summary>
    private static async Task<ProcessResult> RunStep(ProcessSpec spec, IFlyLog log, StringBuilder output, CancellationToken cancellationToken)
    {
        var command = "> " + spec.FileName + " " + CommandLine.Join(spec.Arguments);
        log.Detail(command);
        var result = await ProcessRunner.RunAsync(spec, log, cancellationToken).ConfigureAwait(false);
        output.Append(command).Append('\n').Append(result.Output);
        if (result.Cancelled)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return result;
    }

    private static FlyDiagnostic Failure(ProcessResult result, DiagnosticDescriptor code, string step, string file)
    {
        var lines = DockerfileText.SplitLines(result.Output);
        var tail = string.Join("\n", lines.Skip(Math.Max(0, lines.Count - 15)));
        return code.Create($"{step} exited with code {result.ExitCode}. Last lines:\n{tail}", file);
    }

    internal static bool IsLoopback(string registry)
    {
        var host = registry.ToLowerInvariant();
        return host.StartsWith("127.", StringComparison.Ordinal) || host.StartsWith("localhost", StringComparison.Ordinal) || host.StartsWith("[::1]", StringComparison.Ordinal);
    }

    private static bool IsInsecure(ImageBuildRequest request, string registry) =>
        IsLoopback(registry) || request.InsecureRegistries.Any(r => string.Equals(r, registry, StringComparison.OrdinalIgnoreCase));

    /// <summary>The build's registries.conf, beside the auth file in the private folder; returns its path.</summary>
    private static string WriteRegistriesConf(string folder, ImageBuildRequest request, IEnumerable<string> insecurePulls)
    {
        var file = Path.Combine(folder, "registries.conf");
        File.WriteAllText(file, RegistryMirrors.RegistriesConf(request.RegistryMirrors, host => IsInsecure(request, host), insecurePulls));
        return file;
    }

    /// <summary>
    /// Every registry the build pulls from: the Dockerfile's FROM images (global ARGs substituted, a build arg in place of
    /// its ARG's default; earlier stages and <c>scratch</c> are not pulled), <see cref="ImageBuildRequest.BaseImage"/>
    /// and <see cref="ImageBuildRequest.PullRegistries"/>.
    /// </summary>
    public static IReadOnlyList<string> PullRegistriesOf(ImageBuildRequest request)
    {
        var registries = new List<string>(request.PullRegistries);
        if (request.BaseImage is not null)
        {
            registries.Add(ImageTags.RegistryOf(request.BaseImage));
        }

        if (File.Exists(request.DockerfilePath))
        {
            var dockerfile = FlyIo.AppModel.Docker.Dockerfile.Load(request.DockerfilePath);
            // As the builder does: a build arg replaces the default of a global ARG of that name, and only such ARGs
            // are seen by FROM lines.
            var globals = new Dictionary<string, string?>(dockerfile.GlobalArgs.ToDictionary(a => a.Key, a => a.Value), StringComparer.Ordinal);
            foreach (var arg in request.BuildArgs.Where(a => globals.ContainsKey(a.Key)))
            {
                globals[arg.Key] = arg.Value.Value;
            }

            foreach (var stage in dockerfile.Stages.Where(s => s.BaseStage is null))
            {
                var image = request.BuildArgs.Count == 0 ? stage.ResolvedImage : FlyIo.AppModel.Docker.Dockerfile.Substitute(stage.Image, globals, dockerfile.EscapeChar);
                if (image.Length > 0 && !string.Equals(image, "scratch", StringComparison.OrdinalIgnoreCase) && image.IndexOf('$') < 0)
                {
                    registries.Add(ImageTags.RegistryOf(image));
                }
            }
        }

        return registries.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static Dictionary<string, string?> WriteAuth(ImageBuilderKind kind, string folder, IEnumerable<RegistryCredentials> credentials)
    {
        var json = new StringBuilder("{\"auths\":{");
        var first = true;
        foreach (var c in credentials)
        {
            if (!first)
            {
                json.Append(',');
            }

            first = false;
            json.Append('"').Append(JsonEscape(c.Registry)).Append("\":{\"auth\":\"").Append(c.AuthValue).Append("\"}");
        }

        json.Append("}}");
        var file = Path.Combine(folder, kind == ImageBuilderKind.Docker ? "config.json" : "auth.json");
        File.WriteAllText(file, string.Empty);
        RestrictToOwner(file, directory: false);
        File.WriteAllText(file, json.ToString());
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (kind == ImageBuilderKind.Docker)
        {
            env["DOCKER_CONFIG"] = folder;
        }
        else
        {
            env["REGISTRY_AUTH_FILE"] = file;
        }

        return env;
    }

    internal static ProcessSpec BuildSpec(ImageBuilderKind kind, ImageBuildRequest request, Dictionary<string, string?> auth)
    {
        var args = new List<string>();
        string program;
        switch (kind)
        {
            case ImageBuilderKind.Docker:
                program = "docker";
                args.AddRange(new[] { "build", "--platform", request.Platform });
                break;
            case ImageBuilderKind.Podman:
                program = "podman";
                args.AddRange(new[] { "build", "--isolation", "chroot", "--layers", "--force-rm", "--platform", request.Platform });
                break;
            default:
                program = "buildah";
                args.AddRange(new[] { "bud", "--isolation", "chroot", "--layers", "--force-rm", "--platform", request.Platform });
                break;
        }

        // Names only: each value is read from the builder's environment (docker, podman and buildah all look up a
        // --build-arg without '=' there), so it is on no command line, in no process listing and in no log.
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var arg in OuterBuildArgs(request).Concat(request.BuildArgs.Select(a => new KeyValuePair<string, string>(a.Key, a.Value.Value))))
        {
            if (!environment.ContainsKey(arg.Key))
            {
                args.AddRange(new[] { "--build-arg", arg.Key });
            }

            environment[arg.Key] = arg.Value;
        }

        if (request.Target is { } target)
        {
            args.AddRange(new[] { "--target", target.Value });
        }

        // docker has no --ignorefile; BuildSettingsSupport lets one through only when it is a file docker reads anyway.
        if (request.IgnoreFile is { } ignore && kind != ImageBuilderKind.Docker)
        {
            args.AddRange(new[] { "--ignorefile", ignore.Value });
        }

        args.AddRange(new[] { "-f", request.DockerfilePath, "-t", request.ImageReference });
        foreach (var reference in request.AdditionalReferences)
        {
            args.AddRange(new[] { "-t", reference });
        }

        args.Add(request.ContextDirectory);
        foreach (var pair in auth)
        {
            environment[pair.Key] = pair.Value;
        }

        return new ProcessSpec(program, args) { WorkingDirectory = request.ContextDirectory, Environment = Merge(request.Environment, environment) };
    }

    /// <summary>
    /// BUILD_CONFIGURATION and BUILD_PROPERTIES for a Dockerfile that declares them (the generated one does); a
    /// Dockerfile that does not is left alone (FlyCodes.OuterBuildNotInDockerfile says what the command line asked for that it cannot get).
    /// A FlyBuildArg of the same name wins.
    /// </summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> OuterBuildArgs(ImageBuildRequest request)
    {
        var declared = DeclaredArgs(request.DockerfilePath);
        var args = new List<KeyValuePair<string, string>>();
        if (declared.Contains(OuterBuild.ConfigurationArg))
        {
            args.Add(new KeyValuePair<string, string>(OuterBuild.ConfigurationArg, request.Outer.Configuration));
        }

        if (declared.Contains(OuterBuild.PropertiesArg))
        {
            args.Add(new KeyValuePair<string, string>(OuterBuild.PropertiesArg, request.Outer.PropertiesArgument()));
        }

        return args;
    }

    /// <summary>The ARG names a Dockerfile declares, in any stage.</summary>
    public static ISet<string> DeclaredArgs(string dockerfilePath)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(dockerfilePath))
        {
            return names;
        }

        foreach (var instruction in FlyIo.AppModel.Docker.Dockerfile.Load(dockerfilePath).Instructions.Where(i => string.Equals(i.Keyword, "ARG", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var pair in FlyIo.AppModel.Docker.Dockerfile.ParseAssignments(instruction.Arguments, allowBare: true))
            {
                names.Add(pair.Key);
            }
        }

        return names;
    }

    /// <summary>One push per reference: the deployed one, then ContainerImageTags' others.</summary>
    internal static IEnumerable<ProcessSpec> PushSpecs(ImageBuilderKind kind, ImageBuildRequest request, Dictionary<string, string?> auth) =>
        new[] { request.ImageReference }.Concat(request.AdditionalReferences).Select(r => PushSpec(kind, request, auth, r));

    internal static ProcessSpec PushSpec(ImageBuilderKind kind, ImageBuildRequest request, Dictionary<string, string?> auth) =>
        PushSpec(kind, request, auth, request.ImageReference);

    private static ProcessSpec PushSpec(ImageBuilderKind kind, ImageBuildRequest request, Dictionary<string, string?> auth, string reference)
    {
        var insecure = IsInsecure(request, ImageTags.RegistryOf(reference));
        var args = new List<string>();
        string program;
        switch (kind)
        {
            case ImageBuilderKind.Docker:
                program = "docker";
                args.AddRange(new[] { "push", reference });
                break;
            default:
                program = kind == ImageBuilderKind.Podman ? "podman" : "buildah";
                args.Add("push");
                if (insecure)
                {
                    args.Add("--tls-verify=false");
                }

                args.AddRange(new[] { reference, "docker://" + reference });
                break;
        }

        return new ProcessSpec(program, args) { WorkingDirectory = request.ContextDirectory, Environment = Merge(request.Environment, auth) };
    }

    /// <param name="privateFolder">Where the response file with the command line's properties is written (mode 700, deleted afterwards).</param>
    internal static ProcessSpec SdkSpec(ImageBuildRequest request, RegistryCredentials? push, string privateFolder)
    {
        if (request.ProjectPath is null)
        {
            throw new InvalidOperationException("The sdk builder needs ImageBuildRequest.ProjectPath.");
        }

        var references = new[] { request.ImageReference }.Concat(request.AdditionalReferences).ToList();
        var reference = request.ImageReference;
        var registry = ImageTags.RegistryOf(reference);
        var rest = reference.Substring(registry.Length + 1);
        var colon = rest.LastIndexOf(':');
        var repository = colon < 0 ? rest : rest.Substring(0, colon);
        var tags = references.Select(r => r.LastIndexOf(':') > r.LastIndexOf('/') ? r.Substring(r.LastIndexOf(':') + 1) : "latest").ToList();
        var rid = string.IsNullOrWhiteSpace(request.RuntimeIdentifier) ? "linux-x64" : request.RuntimeIdentifier!.Trim();

        // The reference was resolved from the project's own ContainerRegistry, ContainerRepository and
        // ContainerImageTag(s) (ContainerImageName), so these -p: agree with what the project set: they only add
        // Fly's defaults where it set nothing. The command line's other properties go in a response file, which
        // keeps their values off this process's command line.
        var responseFile = Path.Combine(privateFolder, "publish.rsp");
        File.WriteAllLines(responseFile, request.Outer.ResponseFileLines());
        var args = new List<string>
        {
            "publish", request.ProjectPath, "-t:PublishContainer", "-c", request.Outer.Configuration, "-r", rid,
            "-p:ContainerRuntimeIdentifier=" + rid, "-p:ContainerRepository=" + repository,
            // Quoted for MSBuild, which would otherwise read each ';' as the start of another property.
            tags.Count == 1 ? "-p:ContainerImageTag=" + tags[0] : "-p:ContainerImageTags=\"" + string.Join(";", tags) + "\"",
            "@" + responseFile,
        };
        if (request.Push)
        {
            args.Add("-p:ContainerRegistry=" + registry);
        }

        if (request.BaseImage is not null)
        {
            args.Add("-p:ContainerBaseImage=" + request.BaseImage);
        }

        if (request.RunAsRoot)
        {
            args.Add("-p:ContainerUser=root");
        }

        // Names from dotnet/sdk's Microsoft.NET.Build.Containers (ContainerHelpers): PUSH_* for the destination,
        // PULL_* for the base image registry; the unprefixed pair is what SDKs before 10 read for the push.
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (push is not null)
        {
            env["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = push.Username;
            env["DOTNET_CONTAINER_PUSH_REGISTRY_PWORD"] = push.Password;
            env["DOTNET_CONTAINER_REGISTRY_UNAME"] = push.Username;
            env["DOTNET_CONTAINER_REGISTRY_PWORD"] = push.Password;
        }

        var pull = request.PullCredentials.FirstOrDefault();
        if (pull is not null)
        {
            env["DOTNET_CONTAINER_PULL_REGISTRY_UNAME"] = pull.Username;
            env["DOTNET_CONTAINER_PULL_REGISTRY_PWORD"] = pull.Password;
        }

        var insecure = PullRegistriesOf(request).Concat(new[] { registry }).Where(r => IsInsecure(request, r)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (insecure.Count > 0)
        {
            env["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = string.Join(";", insecure); // the SDK splits this list on semicolons
        }

        return new ProcessSpec("dotnet", args) { WorkingDirectory = Path.GetDirectoryName(request.ProjectPath), Environment = Merge(request.Environment, env) };
    }

    /// <summary>
    /// The builder's environment: the request's and the step's variables, and never the Fly token variables the build
    /// itself was given (a builder and what it runs get credentials only through the files and variables made for them).
    /// </summary>
    private static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?> a, Dictionary<string, string?> b)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal) { ["FLY_API_TOKEN"] = null, ["FLY_ACCESS_TOKEN"] = null };
        foreach (var pair in a)
        {
            result[pair.Key] = pair.Value;
        }

        foreach (var pair in b)
        {
            result[pair.Key] = pair.Value;
        }

        return result;
    }

    private static string JsonEscape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");

    /// <summary>chmod 600 (files) or 700 (folders) on Unix; on Windows the user's temp folder is already private.</summary>
    private static void RestrictToOwner(string path, bool directory)
    {
        if (Path.DirectorySeparatorChar == '\\')
        {
            return;
        }

#if NET
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(path, directory ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite);
#else
        // .NET Framework has no File.SetUnixFileMode; this branch runs only on a Unix .NET Framework runtime.
        ProcessRunner.RunAsync(new ProcessSpec("chmod", new[] { directory ? "700" : "600", path })).GetAwaiter().GetResult();
#endif
    }
}
