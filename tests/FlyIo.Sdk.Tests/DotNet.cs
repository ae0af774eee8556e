using System;
using System.Collections.Generic;
using System.IO;

namespace FlyIo.Sdk.Tests;

/// <summary>Runs the dotnet CLI for a test project, isolated from the machine's caches and build servers.</summary>
internal static class DotNet
{
    public static Dictionary<string, string?> IsolatedEnvironment() => new()
    {
        ["NUGET_PACKAGES"] = PackagedSdk.PackagesDirectory.Length > 0 ? PackagedSdk.PackagesDirectory : null,
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        // The test runner's own MSBuild settings must not leak into the child build.
        ["MSBuildExtensionsPath"] = null,
        ["MSBuildSDKsPath"] = null,
        ["MSBUILD_EXE_PATH"] = null,
    };

    public static BuildResult Run(string workingDirectory, params string[] arguments) => Run(workingDirectory, null, arguments);

    /// <summary>Runs dotnet with extra environment variables (a Fly token, say: never an argument).</summary>
    public static BuildResult Run(string workingDirectory, IDictionary<string, string?>? extraEnvironment, params string[] arguments)
    {
        var all = new List<string>(arguments) { "-nodeReuse:false", "-tl:off", "-clp:NoSummary" };
        var environment = IsolatedEnvironment();
        foreach (var pair in extraEnvironment ?? new Dictionary<string, string?>())
        {
            environment[pair.Key] = pair.Value;
        }

        var (exit, output) = ChildProcess.Run("dotnet", all, workingDirectory, environment, TimeSpan.FromMinutes(5));
        var result = new BuildResult("dotnet " + string.Join(" ", arguments), exit, output);
        BuildLog.Record(result);
        return result;
    }

    public static string PathIn(string directory, string relative) => Path.Combine(directory, relative);
}
