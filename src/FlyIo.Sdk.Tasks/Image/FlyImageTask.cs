using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using FlyIo.AppModel;
using FlyIo.Diagnostics;
using FlyIo.Images;
using FlyIo.Machines;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Builds the app's image with the chosen builder (auto | docker | podman | buildah | sdk), streaming its output as
/// MSBuild messages, and pushes it when asked. Registry credentials (user "x", the Fly token without "FlyV1 ") are
/// read from the environment right before the push and reach the builder only through its environment or a private
/// auth file, never its command line.
/// </summary>
public abstract class FlyImageTask : FlyAppTask
{
    public string? Builder { get; set; }

    /// <summary>FlyRegistry: registry.fly.io, or a local registry for a rehearsal.</summary>
    public string? Registry { get; set; }

    /// <summary>FlyImage: a full reference to use instead of registry/app:deployment-ULID.</summary>
    public string? Image { get; set; }

    /// <summary>FlyAllowTokenTo: hosts besides Fly's and loopback that may receive the token (`;`-separated).</summary>
    public string? AllowTokenTo { get; set; }

    public string? TokenVariable { get; set; }

    /// <summary>The registry the base images come from (FlyBaseImageRegistry); it gets the same credentials when it is the push registry.</summary>
    public string? BaseImageRegistry { get; set; }

    /// <summary>Registries reached over plain HTTP; loopback registries always are.</summary>
    public string[] InsecureRegistries { get; set; } = Array.Empty<string>();

    /// <summary>FlyRegistryMirror: registry=mirror pairs the build pulls through, e.g. docker.io=127.0.0.1:55000.</summary>
    public string[] RegistryMirrors { get; set; } = Array.Empty<string>();

    /// <summary>FlyBuildArg items: Include is the name, Value metadata the value.</summary>
    public ITaskItem[] BuildArgItems { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>FlyBuildArgs: <c>NAME=VALUE;OTHER=VALUE</c>, for the command line; wins over items and fly.toml.</summary>
    public string? BuildArgs { get; set; }

    /// <summary>FlyRegistry was set by the project or command line (not the registry.fly.io default): it wins over ContainerRegistry.</summary>
    public bool RegistrySetByUser { get; set; }

    /// <summary>The .NET SDK's container naming properties (see <see cref="ContainerImageName"/>).</summary>
    public string? ContainerRegistry { get; set; }

    public string? ContainerRepository { get; set; }

    public string? ContainerImageTag { get; set; }

    public string? ContainerImageTags { get; set; }

    /// <summary>ContainerUser: when unset and fly.toml mounts a volume, the sdk builder's image runs as root.</summary>
    public string? ContainerUser { get; set; }

    /// <summary>ContainerRuntimeIdentifier: the sdk builder's runtime identifier, before RuntimeIdentifier.</summary>
    public string? ContainerRuntimeIdentifier { get; set; }

    [Output]
    public string? ImageReference { get; private set; }

    protected abstract bool Push { get; }

    protected override bool Run()
    {
        var fly = FlyConfig;
        var flyBuild = FlyBuildSettings.Of(fly);
        // fly.toml's [build] image is deployed as it is; building over that reference would replace the user's image.
        if (flyBuild.Image is { } prebuilt && (string.IsNullOrWhiteSpace(Image) || string.Equals(Image!.Trim(), prebuilt.Value, StringComparison.Ordinal)))
        {
            ImageReference = prebuilt.Value;
            FlyLog.Progress($"fly.toml [build] image = \"{prebuilt.Value}\": that image is deployed as it is; nothing to build or push.");
            return true;
        }

        var kind = ImageBuilder.ParseKind(string.IsNullOrWhiteSpace(Builder) ? "auto" : Builder, out var problem, ProjectPath);
        if (kind is null)
        {
            FlyLog.Report(problem!);
            return false;
        }

        // The sdk builder publishes the project itself: a Dockerfile is neither needed nor read.
        var dockerfile = ExistingDockerfile;
        if (dockerfile is null && kind != ImageBuilderKind.Sdk)
        {
            // Located at [build] dockerfile when that is where the path came from.
            var fromToml = flyBuild.Dockerfile is not null && string.Equals(flyBuild.DockerfilePath, DockerfilePath, StringComparison.Ordinal);
            FlyLog.Report(fromToml
                ? FlyCodes.NoDockerfileToBuild.Create($"There is no Dockerfile at '{DockerfilePath}' ([build] dockerfile) to build: create it, or correct the path (it is relative to fly.toml's folder).", fly.Path, flyBuild.Dockerfile!.Position.Line, flyBuild.Dockerfile.Position.Column)
                : FlyCodes.NoDockerfileToBuild.Create($"There is no Dockerfile at '{DockerfilePath}' to build: run the FlyDockerfile target first, or set FlyDockerfile to your own.", ProjectPath));
            return false;
        }

        var settingProblems = new List<FlyDiagnostic>();
        var settings = ImageBuildSettings.From(fly, BuildArgItems, BuildArgs, ProjectPath, settingProblems);
        foreach (var settingProblem in settingProblems)
        {
            FlyLog.Report(settingProblem);
        }

        if (settingProblems.Count > 0)
        {
            return false;
        }

        var mirrorProblems = new List<FlyDiagnostic>();
        var mirrors = FlyIo.Images.RegistryMirrors.Parse(RegistryMirrors, mirrorProblems, ProjectPath);
        foreach (var mirrorProblem in mirrorProblems)
        {
            FlyLog.Report(mirrorProblem);
        }

        if (mirrorProblems.Count > 0)
        {
            return false;
        }

        var app = string.IsNullOrWhiteSpace(AppName) ? fly.App : AppName;
        var registry = string.IsNullOrWhiteSpace(Registry) ? ImageTags.FlyRegistry : Registry!.Trim();
        var namingProblems = new List<FlyDiagnostic>();
        var references = ContainerImageName.Resolve(new ContainerNaming
        {
            FlyImage = Image,
            FlyRegistry = RegistrySetByUser ? registry : null,
            ContainerRegistry = ContainerRegistry,
            ContainerRepository = ContainerRepository,
            ContainerImageTag = ContainerImageTag,
            ContainerImageTags = ContainerImageTags,
        }, app ?? "app", ProjectPath, namingProblems);
        foreach (var namingProblem in namingProblems)
        {
            FlyLog.Report(namingProblem);
        }

        if (references.Count == 0)
        {
            return false;
        }

        ImageReference = references[0];
        // A standalone (Python, Node ...) app's Dockerfile has no dotnet publish to give a configuration or properties to.
        var outer = OuterBuild.From(Standalone ? Enumerable.Empty<KeyValuePair<string, string>>() : GlobalProperties(), TokenVariable);
        FlyToken? token;
        try
        {
            token = FlyToken.FromEnvironment(TokenVariable);
        }
        catch (InvalidFlyTokenException e)
        {
            FlyLog.Report(FlyCodes.TokenMalformed.Create(e.Message, ProjectPath));
            return false;
        }

        FlyLog.Hide(token);
        if (Push && token is null)
        {
            FlyLog.Report(FlyCodes.NoPushToken.Create("No Fly token in the environment to push the image with: create one with `fly tokens create deploy -a <app>` and export it as FLY_API_TOKEN (or name your variable with FlyTokenVariable).", ProjectPath));
            return false;
        }

        var contextRoot = BuildAppFacts().BuildContextRoot;
        if (token is not null && RegistryAccess.SendsToken(Push, ImageReference, BaseImageRegistry, mirrors)
            && TokenDestinations.Problem(ImageTags.RegistryOf(ImageReference), TokenDestinations.AllowedHosts(AllowTokenTo)) is { } where)
        {
            FlyLog.Report(FlyCodes.TokenDestinationRefused.Create($"The image registry {where}, so the Fly token is not sent there as the registry password. Push to registry.fly.io (the default), or name the host in FlyAllowTokenTo if you trust it.", ProjectPath));
            return false;
        }

        var access = RegistryAccess.Decide(ImageReference, token?.RegistryPassword(), BaseImageRegistry, mirrors, InsecureRegistries);
        dockerfile ??= DockerfilePath ?? Path.Combine(ProjectDirectory, "Dockerfile");
        var request = new ImageBuildRequest(contextRoot, dockerfile, ImageReference)
        {
            AdditionalReferences = references.Skip(1).ToList(),
            Outer = outer,
            RuntimeIdentifier = !string.IsNullOrWhiteSpace(ContainerRuntimeIdentifier) ? ContainerRuntimeIdentifier : RuntimeIdentifier,
            RunAsRoot = kind == ImageBuilderKind.Sdk && fly.HasMounts && string.IsNullOrWhiteSpace(ContainerUser),
            ProjectPath = ProjectPath,
            Push = Push,
            PullCredentials = access.PullCredentials,
            InsecureRegistries = access.InsecureRegistries,
            RegistryMirrors = mirrors,
            BuildArgs = settings.Args,
            Target = settings.Target,
            IgnoreFile = settings.IgnoreFile,
            DockerfileSetting = flyBuild.Dockerfile is { } named && string.Equals(flyBuild.DockerfilePath, dockerfile, StringComparison.Ordinal)
                ? new BuildSetting(named.Value, "fly.toml [build] dockerfile", fly.Path, named.Position.Line, named.Position.Column)
                : null,
            // Asked for right before the push: a token read at the start of a long build may have expired.
            PushCredentials = _ => System.Threading.Tasks.Task.FromResult<RegistryCredentials?>(
                FlyToken.FromEnvironment(TokenVariable) is { } fresh ? RegistryCredentials.ForFly(fresh.RegistryPassword(), access.PushRegistry) : null),
        };

        FlyLog.Progress(kind == ImageBuilderKind.Sdk
            ? $"building {ImageReference} from {ProjectPath} with the SDK's PublishContainer ({outer.Configuration})."
            : $"building {ImageReference} from {dockerfile} (context {contextRoot}).");
        if (request.RunAsRoot)
        {
            FlyLog.Report(FlyCodes.RootForVolume.Create(
                "fly.toml mounts a volume: the image the SDK builds runs as root (ContainerUser=root), because Fly volumes are owned by root and the SDK's non-root default user cannot write to them (superfly/flyctl#1400). Set ContainerUser to choose otherwise.",
                ProjectPath));
        }

        if (request.AdditionalReferences.Count > 0)
        {
            FlyLog.Progress("also tagged " + string.Join(", ", request.AdditionalReferences) + ".");
        }

        if (!outer.IsDefault)
        {
            // Names only: values may be anything the user typed.
            FlyLog.Progress($"the image's publish: -c {outer.Configuration}" + (outer.Properties.Count > 0 ? ", properties " + string.Join(", ", outer.Properties.Keys) : "") + ".");
            var declared = kind == ImageBuilderKind.Sdk ? null : ImageBuilder.DeclaredArgs(dockerfile);
            var missing = declared is null ? new List<string>() : new[] { OuterBuild.ConfigurationArg, OuterBuild.PropertiesArg }.Where(a => !declared.Contains(a)).ToList();
            if (missing.Count > 0)
            {
                FlyLog.Report(FlyCodes.OuterBuildNotInDockerfile.Create(
                    $"The command line asks for -c {outer.Configuration}{(outer.Properties.Count > 0 ? " and -p: " + string.Join(", ", outer.Properties.Keys) : "")}, but the Dockerfile declares no ARG {string.Join(" or ", missing)}, " +
                    "so its dotnet publish cannot get them. Declare the ARG and use it (`-c \"$BUILD_CONFIGURATION\"`, an unquoted `$BUILD_PROPERTIES`), as the generated Dockerfile does (docs/dockerfile.md).",
                    dockerfile));
            }
        }

        if (settings.Args.Count > 0)
        {
            // Names and where each was set; values stay out of the log.
            FlyLog.Progress("build args: " + FlyIo.Images.BuildArgs.Describe(settings.Args) + ".");
        }
        var result = ImageBuilder.BuildAndPushAsync(request, kind.Value, FlyLog, CancellationToken)
            .GetAwaiter().GetResult();
        foreach (var diagnostic in result.Diagnostics)
        {
            FlyLog.Report(diagnostic);
        }

        if (result.Succeeded)
        {
            FlyLog.Progress(
                $"{result.ImageReference} built with {result.Builder} in {result.BuildTime.TotalSeconds:F1} s" +
                (Push ? $", pushed in {result.PushTime.TotalSeconds:F1} s." : "."));
        }

        return result.Succeeded && !Log.HasLoggedErrors;
    }

    /// <summary>The outer command's global properties (-c, -p:, and what dotnet itself adds); none on engines without them.</summary>
    private IEnumerable<KeyValuePair<string, string>> GlobalProperties() =>
        BuildEngine is IBuildEngine6 engine
            ? engine.GetGlobalProperties().Select(p => new KeyValuePair<string, string>(p.Key, p.Value ?? string.Empty))
            : Enumerable.Empty<KeyValuePair<string, string>>();
}

/// <summary>FlyBuildImage: builds the image into the builder's local store (no push).</summary>
public sealed class FlyBuildImage : FlyImageTask
{
    protected override bool Push => false;
}

/// <summary>FlyPushImage: builds the image (reusing cached layers) and pushes it; its reference becomes $(FlyImage).</summary>
public sealed class FlyPushImage : FlyImageTask
{
    protected override bool Push => true;
}
