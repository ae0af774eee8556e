using FlyIo.Diagnostics;

namespace FlyIo.Images;

/// <summary>The FLY30xx diagnostics of the Dockerfile generator and the image build. Each has a page in docs/diagnostics.</summary>
public static class ImageCodes
{
    /// <summary>A Dockerfile (or .dockerignore) exists that FlyIo.Sdk did not generate; it is left alone.</summary>
    public const string ForeignDockerfile = "FLY3001";

    /// <summary>The committed Dockerfile differs from the one FlyIo.Sdk would generate (FlyDockerfileCheck).</summary>
    public const string DockerfileOutOfDate = "FLY3002";

    /// <summary>A file restore needs lies outside the build context.</summary>
    public const string OutsideBuildContext = "FLY3003";

    /// <summary>No .NET (net5.0 or later) target framework to pick a base image version from.</summary>
    public const string NoTargetFramework = "FLY3004";

    /// <summary>The image stays root because fly.toml mounts a volume.</summary>
    public const string RootForVolume = "FLY3005";

    /// <summary>A shell script the image runs has CRLF line endings.</summary>
    public const string ScriptCrlf = "FLY3010";

    /// <summary>The entrypoint script does not exist.</summary>
    public const string ScriptMissing = "FLY3011";

    /// <summary>The generated Dockerfile (or .dockerignore) could not be written: a directory in its place, a read-only file or folder.</summary>
    public const string WriteFailed = "FLY3013";

    /// <summary>A script the user's own Dockerfile copies in and runs has CRLF line endings or a BOM before #!, and the Dockerfile does not strip them.</summary>
    public const string UserScriptLineEndings = "FLY3012";

    /// <summary>FlyImageBuilder names no known builder.</summary>
    public const string UnknownBuilder = "FLY3030";

    /// <summary>The requested image builder is not installed or (docker) its daemon does not answer.</summary>
    public const string BuilderUnavailable = "FLY3031";

    /// <summary>The image build failed.</summary>
    public const string BuildFailed = "FLY3032";

    /// <summary>The image push failed.</summary>
    public const string PushFailed = "FLY3033";

    /// <summary>The build or push was cancelled.</summary>
    public const string Cancelled = "FLY3034";

    /// <summary>A FlyRegistryMirror entry is not registry=mirror.</summary>
    public const string BadRegistryMirror = "FLY3036";

    /// <summary>The builder cannot be pointed at FlyRegistryMirror's mirrors for one build (docker, sdk).</summary>
    public const string RegistryMirrorIgnored = "FLY3037";

    internal static FlyDiagnostic Error(string code, string message, string? file = null, int line = 0, int column = 0) =>
        new(code, DiagnosticSeverity.Error, message, file, line, column);

    internal static FlyDiagnostic Warning(string code, string message, string? file = null, int line = 0, int column = 0) =>
        new(code, DiagnosticSeverity.Warning, message, file, line, column);

    internal static FlyDiagnostic Message(string code, string message, string? file = null, int line = 0, int column = 0) =>
        new(code, DiagnosticSeverity.Message, message, file, line, column);
}
