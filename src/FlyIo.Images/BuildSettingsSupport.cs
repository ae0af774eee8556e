using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Diagnostics;

namespace FlyIo.Images;

/// <summary>
/// Which build settings (build args, target stage, ignore file) the resolved builder can honour, checked before any
/// builder runs: a setting that would not reach the image is an error at the place it was set, never a silent drop.
/// </summary>
public static class BuildSettingsSupport
{
    /// <summary>
    /// Variables the builder process itself reads. Build arg values travel in the builder's environment
    /// (<c>--build-arg NAME</c> reads NAME from it), so an arg with one of these names would change how the builder
    /// runs (where it finds programs, its storage, its credentials, its proxy), not only what the Dockerfile sees.
    /// </summary>
    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "PWD", "TMPDIR", "TMP", "TEMP", "SSL_CERT_FILE", "SSL_CERT_DIR",
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "FTP_PROXY", "ALL_PROXY", "GODEBUG", "GOMAXPROCS", "GOGC", "GOTRACEBACK",
        "FLY_API_TOKEN", "FLY_ACCESS_TOKEN",
    };

    private static readonly string[] ReservedPrefixes =
        { "LD_", "DOCKER_", "BUILDAH_", "BUILDKIT_", "PODMAN_", "CONTAINERS_", "STORAGE_", "REGISTRY_", "XDG_", "DOTNET_CONTAINER_" };

    public static IReadOnlyList<FlyDiagnostic> Problems(ImageBuilderKind kind, ImageBuildRequest request)
    {
        var problems = new List<FlyDiagnostic>();
        if (kind == ImageBuilderKind.Sdk)
        {
            const string why = "the sdk builder (dotnet publish -t:PublishContainer) reads no Dockerfile";
            const string fix = "Build with FlyImageBuilder=buildah, podman or docker, or remove the setting.";
            foreach (var arg in request.BuildArgs)
            {
                problems.Add(arg.Value.Diagnose(FlyCodes.BuildSettingNotHonoured, $"Build arg {arg.Key} ({arg.Value.Origin}) would not reach the image: {why}. {fix}"));
            }

            if (request.DockerfileSetting is { } dockerfile)
            {
                problems.Add(dockerfile.Diagnose(FlyCodes.BuildSettingNotHonoured, $"Dockerfile '{dockerfile.Value}' ({dockerfile.Origin}) would not be built: {why}. {fix}"));
            }

            if (request.Target is { } target)
            {
                problems.Add(target.Diagnose(FlyCodes.BuildSettingNotHonoured, $"Build target '{target.Value}' ({target.Origin}) cannot be built: {why}, so it has no stages. {fix}"));
            }

            if (request.IgnoreFile is { } ignore)
            {
                problems.Add(ignore.Diagnose(FlyCodes.BuildSettingNotHonoured, $"Ignore file '{ignore.Value}' ({ignore.Origin}) would not be used: {why} and sends no build context. {fix}"));
            }

            return problems;
        }

        foreach (var arg in request.BuildArgs)
        {
            if (NameProblem(arg.Key) is { } problem)
            {
                problems.Add(arg.Value.Diagnose(FlyCodes.BuildArgInvalid, $"Build arg '{arg.Key}' ({arg.Value.Origin}) {problem}"));
            }
        }

        if (kind == ImageBuilderKind.Docker && request.IgnoreFile is { } file && !DockerReads(request, file.Value))
        {
            problems.Add(file.Diagnose(FlyCodes.BuildSettingNotHonoured,
                $"Ignore file '{file.Value}' ({file.Origin}) would not be used: docker build has no --ignorefile; it reads " +
                $"'{request.DockerfilePath}.dockerignore', else '{Path.Combine(request.ContextDirectory, ".dockerignore")}'. " +
                "Rename the file to one of those, or build with FlyImageBuilder=buildah or podman."));
        }

        return problems;
    }

    /// <summary>Why <paramref name="name"/> cannot be passed as <c>--build-arg NAME</c> with its value in the environment; null when it can.</summary>
    public static string? NameProblem(string name)
    {
        if (name.Length == 0 || name.Any(c => c == '=' || c == '\0' || char.IsWhiteSpace(c)))
        {
            return "is not a name: a build arg name has no '=', spaces or control characters.";
        }

        if (ReservedNames.Contains(name) || ReservedPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            return "cannot be passed: its value would travel in the image builder's environment, and the builder itself reads " +
                   $"{name}. Give the arg another name in the Dockerfile (ARG) and here.";
        }

        return null;
    }

    /// <summary>Whether docker (BuildKit) reads <paramref name="ignoreFile"/> by itself: the Dockerfile's own, or the context's when there is none.</summary>
    private static bool DockerReads(ImageBuildRequest request, string ignoreFile)
    {
        var full = Path.GetFullPath(ignoreFile);
        var beside = Path.GetFullPath(request.DockerfilePath + ".dockerignore");
        if (SamePath(full, beside))
        {
            return true;
        }

        return SamePath(full, Path.GetFullPath(Path.Combine(request.ContextDirectory, ".dockerignore"))) && !File.Exists(beside);
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(a, b, Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
