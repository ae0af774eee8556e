using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace FlyIo.Sdk.Tasks;

/// <summary>Reads MSBuild property strings the way MSBuild itself treats them.</summary>
internal static class MsBuildValues
{
    private static readonly Regex NetCoreTfm = new(@"^net(?<major>\d+)\.\d+", RegexOptions.CultureInvariant);

    /// <summary>"true"/"false" in any case; an empty or other string means "not set".</summary>
    public static bool? OptionalBool(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value!.Trim();
        if (string.Equals(trimmed, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return string.Equals(trimmed, "false", StringComparison.OrdinalIgnoreCase) ? false : null;
    }

    /// <summary>
    /// The major version of the first .NET (Core) target framework in "net8.0" or "net8.0;net10.0" form.
    /// The lowest listed one is what a Dockerfile base image must at least carry, so take the minimum.
    /// </summary>
    public static int? TargetFrameworkMajor(string? targetFrameworks)
    {
        if (string.IsNullOrWhiteSpace(targetFrameworks))
        {
            return null;
        }

        int? lowest = null;
        foreach (var tfm in targetFrameworks!.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var match = NetCoreTfm.Match(tfm.Trim());
            if (!match.Success)
            {
                continue;
            }

            var major = int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture);
            // "net472" also matches net\d+; .NET Framework monikers have no dot and so never reach here.
            if (major >= 5 && (lowest is null || major < lowest))
            {
                lowest = major;
            }
        }

        return lowest;
    }
}
