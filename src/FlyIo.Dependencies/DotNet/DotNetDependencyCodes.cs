using System.Collections.Generic;
using FlyIo.Diagnostics;

namespace FlyIo.Dependencies.DotNet;

/// <summary>One diagnostic code: its identifier, its usual severity and a one-line title.</summary>
public sealed record DotNetDependencyCode(string Code, DiagnosticSeverity DefaultSeverity, string Title);

/// <summary>
/// Every FLY2001-FLY2049 code the .NET dependency checks report. Each has a page docs/diagnostics/&lt;code&gt;.md and a
/// test that triggers it.
/// </summary>
public static class DotNetDependencyCodes
{
    // 2001-2009: the project graph and the Docker build context.
    public const string RestoreInputOutsideContext = "FLY2001";
    public const string RestoreInputNotCopied = "FLY2002";
    public const string RestoreInputCopiedAfterRestore = "FLY2003";
    public const string DockerfileNotFound = "FLY2004";

    // 2010-2019: the target framework and the base image.
    public const string ImageLacksFramework = "FLY2010";
    public const string ImageLargerThanNeeded = "FLY2011";
    public const string SdkImageAsFinalStage = "FLY2012";
    public const string ImageVersionMismatch = "FLY2013";

    // 2020-2029: native and OS needs.
    public const string IcuMissing = "FLY2020";
    public const string SqlClientInvariantGlobalization = "FLY2021";
    public const string TimeZoneDataMissing = "FLY2022";
    public const string SkiaSharpWithoutFontconfig = "FLY2023";
    public const string SystemDrawingOnLinux = "FLY2024";
    public const string RuntimeIdentifierLibcMismatch = "FLY2025";

    // 2030-2039: what the app reads and what the platform provides.
    public const string RequiredVariableMissing = "FLY2030";
    public const string RequiredVariableUnverified = "FLY2031";

    // 2040-2049: databases.
    public const string DatabaseUrlPassedToNpgsql = "FLY2040";

    public static IReadOnlyList<DotNetDependencyCode> All { get; } = new[]
    {
        new DotNetDependencyCode(RestoreInputOutsideContext, DiagnosticSeverity.Error, "A file dotnet restore needs is outside the Docker build context"),
        new DotNetDependencyCode(RestoreInputNotCopied, DiagnosticSeverity.Error, "The Dockerfile does not copy a file dotnet restore needs"),
        new DotNetDependencyCode(RestoreInputCopiedAfterRestore, DiagnosticSeverity.Error, "The Dockerfile copies a file dotnet restore needs only after the restore"),
        new DotNetDependencyCode(DockerfileNotFound, DiagnosticSeverity.Error, "The Dockerfile named for the app does not exist"),
        new DotNetDependencyCode(ImageLacksFramework, DiagnosticSeverity.Error, "The base image lacks the .NET framework the app needs"),
        new DotNetDependencyCode(ImageLargerThanNeeded, DiagnosticSeverity.Warning, "The base image carries more than the app needs"),
        new DotNetDependencyCode(SdkImageAsFinalStage, DiagnosticSeverity.Warning, "The final stage runs on the .NET SDK image"),
        new DotNetDependencyCode(ImageVersionMismatch, DiagnosticSeverity.Error, "The base image's .NET version differs from the target framework"),
        new DotNetDependencyCode(IcuMissing, DiagnosticSeverity.Error, "The app needs ICU but the base image has none"),
        new DotNetDependencyCode(SqlClientInvariantGlobalization, DiagnosticSeverity.Error, "SqlClient with InvariantGlobalization fails to connect"),
        new DotNetDependencyCode(TimeZoneDataMissing, DiagnosticSeverity.Warning, "Time zones are looked up but the base image has no tzdata"),
        new DotNetDependencyCode(SkiaSharpWithoutFontconfig, DiagnosticSeverity.Warning, "SkiaSharp without fontconfig in the image"),
        new DotNetDependencyCode(SystemDrawingOnLinux, DiagnosticSeverity.Error, "System.Drawing.Common does not work on Linux"),
        new DotNetDependencyCode(RuntimeIdentifierLibcMismatch, DiagnosticSeverity.Error, "The RuntimeIdentifier's C library differs from the base image's"),
        new DotNetDependencyCode(RequiredVariableMissing, DiagnosticSeverity.Error, "A variable the app requires is neither in [env] nor among the app's secrets"),
        new DotNetDependencyCode(RequiredVariableUnverified, DiagnosticSeverity.Warning, "A variable the app requires is not in [env] and the secrets could not be read"),
        new DotNetDependencyCode(DatabaseUrlPassedToNpgsql, DiagnosticSeverity.Error, "DATABASE_URL is handed to Npgsql as a connection string"),
    };
}
