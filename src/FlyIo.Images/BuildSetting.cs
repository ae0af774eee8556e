using System;
using System.Collections.Generic;
using System.Linq;
using FlyIo.Diagnostics;

namespace FlyIo.Images;

/// <summary>
/// One build setting (a build arg's value, the target stage, the ignore file) and where it was set: a fly.toml key
/// (file, line, column), a FlyBuildArg item or a property in the project file. A setting a builder cannot honour is
/// reported there.
/// </summary>
public sealed record BuildSetting(string Value, string Origin, string? File = null, int Line = 0, int Column = 0)
{
    public FlyDiagnostic Diagnose(DiagnosticDescriptor code, string message) => code.Create(message, File, Line, Column);
}

/// <summary>
/// Build args from their three sources, later ones winning as flyctl's --build-arg wins over [build.args]:
/// fly.toml [build.args], then FlyBuildArg items, then the FlyBuildArgs property ("A=1;B=2").
/// </summary>
public static class BuildArgs
{
    /// <summary>The merged args, by name (ordinal, sorted so the command line is the same every time).</summary>
    public static IReadOnlyDictionary<string, BuildSetting> Merge(params IEnumerable<KeyValuePair<string, BuildSetting>>[] layers)
    {
        var merged = new SortedDictionary<string, BuildSetting>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var pair in layer)
            {
                merged[pair.Key] = pair.Value;
            }
        }

        return merged;
    }

    /// <summary>
    /// FlyBuildArgs: <c>NAME=VALUE</c> entries separated by semicolons (the value may hold further '='; spaces around
    /// names and values are trimmed, as a property written over several lines has them). An entry without a name or
    /// '=' is FLY3039, at <paramref name="projectFile"/>, naming the entry's name but never its value.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, BuildSetting>> ParseProperty(string? text, string? projectFile, ICollection<FlyDiagnostic> problems)
    {
        var result = new List<KeyValuePair<string, BuildSetting>>();
        foreach (var raw in (text ?? string.Empty).Split(';'))
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            var equals = entry.IndexOf('=');
            if (equals <= 0)
            {
                problems.Add(FlyCodes.BuildArgInvalid.Create(
                    $"FlyBuildArgs entry '{(equals < 0 ? entry : entry.Substring(0, equals))}' is not NAME=VALUE. Write -p:FlyBuildArgs=\\\"NAME=VALUE;OTHER=VALUE\\\", or use a FlyBuildArg item.", projectFile));
                continue;
            }

            result.Add(new KeyValuePair<string, BuildSetting>(entry.Substring(0, equals).Trim(), new BuildSetting(entry.Substring(equals + 1).Trim(), "FlyBuildArgs", projectFile)));
        }

        return result;
    }

    /// <summary>The names as the log shows them: names and where each came from, never values.</summary>
    public static string Describe(IReadOnlyDictionary<string, BuildSetting> args) =>
        string.Join(", ", args.Select(a => $"{a.Key} ({a.Value.Origin})"));
}
