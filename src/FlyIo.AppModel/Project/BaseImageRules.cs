using System;
using System.Globalization;

namespace FlyIo.AppModel.Project;

/// <summary>Which .NET base image an app needs. The Dockerfile generator uses the same answers.</summary>
public static class BaseImageRules
{
    public const string AspNet = "aspnet";
    public const string Runtime = "runtime";
    public const string RuntimeDeps = "runtime-deps";
    public const string Sdk = "sdk";

    /// <summary>runtime-deps for self-contained or native AOT apps, aspnet for ASP.NET Core apps, runtime otherwise.</summary>
    public static string RequiredImageKind(DotNetAppFacts app)
    {
        if (app.NeedsNoRuntime)
        {
            return RuntimeDeps;
        }

        return app.IsAspNetCore ? AspNet : Runtime;
    }

    /// <summary>
    /// Whether a chiseled or distroless image must be the <c>-extra</c> variant: the app needs ICU (globalization is not
    /// invariant) or looks up system time zones (tzdata).
    /// </summary>
    public static bool NeedsExtraVariant(DotNetAppFacts app, bool looksUpTimeZones = false) =>
        !app.InvariantGlobalization || looksUpTimeZones;

    /// <summary>Whether an image of kind <paramref name="given"/> can run an app that needs <paramref name="required"/>.</summary>
    public static bool Satisfies(string given, string required)
    {
        switch (required)
        {
            case RuntimeDeps:
                return given == RuntimeDeps || given == Runtime || given == AspNet || given == Sdk;
            case Runtime:
                return given == Runtime || given == AspNet || given == Sdk;
            case AspNet:
                return given == AspNet || given == Sdk;
            default:
                return true;
        }
    }

    /// <summary>The image to run the app on, e.g. <c>mcr.microsoft.com/dotnet/aspnet:10.0</c> (Debian, ICU and tzdata included).</summary>
    public static string RecommendedImage(DotNetAppFacts app)
    {
        var major = app.TargetFrameworkMajor ?? 10;
        return "mcr.microsoft.com/dotnet/" + RequiredImageKind(app) + ":" + major.ToString(CultureInfo.InvariantCulture) + ".0";
    }

    /// <summary>True when the RuntimeIdentifier targets musl (linux-musl-x64, alpine-x64 ...).</summary>
    public static bool IsMuslRuntimeIdentifier(string? rid) =>
        rid is not null && (rid.IndexOf("musl", StringComparison.OrdinalIgnoreCase) >= 0 || rid.StartsWith("alpine", StringComparison.OrdinalIgnoreCase));

    /// <summary>True for a glibc Linux RuntimeIdentifier (linux-x64, linux-arm64 ...).</summary>
    public static bool IsGlibcRuntimeIdentifier(string? rid) =>
        rid is not null && rid.StartsWith("linux-", StringComparison.OrdinalIgnoreCase) && !IsMuslRuntimeIdentifier(rid) &&
        !rid.StartsWith("linux-bionic", StringComparison.OrdinalIgnoreCase);
}
