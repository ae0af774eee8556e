using System;

namespace FlyIo.Diagnostics;

/// <summary>Where each FLYnnnn code is explained. Every code has its own page under docs/diagnostics/.</summary>
public static class DiagnosticHelp
{
    /// <summary>The repository folder that holds one Markdown page per code.</summary>
    public const string BaseUrl = "https://github.com/flyio-sdk/FlyIo.Sdk/blob/main/docs/diagnostics/";

    public static string LinkFor(string code)
    {
        if (!FlyDiagnostic.IsValidCode(code))
        {
            throw new ArgumentException($"'{code}' is not a FLYnnnn diagnostic code.", nameof(code));
        }

        return BaseUrl + code + ".md";
    }
}
