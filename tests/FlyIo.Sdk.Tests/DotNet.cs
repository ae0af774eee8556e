using System;
using System.Collections.Generic;
using System.IO;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;

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
        // A CI runner's step summary is not the test's to append to; the test that checks it names its own file.
        ["GITHUB_STEP_SUMMARY"] = null,
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

    /// <summary>
    /// Runs dotnet, sends it SIGINT (what Ctrl-C sends) once <paramref name="interruptAfter"/> appears in its output,
    /// and returns the whole run. Arguments are passed as given (add -tl:off and the like yourself).
    /// </summary>
    public static BuildResult RunAndInterrupt(string directory, IEnumerable<KeyValuePair<string, string?>> environment, string interruptAfter, IEnumerable<string> arguments)
    {
        // A test runner started in the background by a script ignores SIGINT, and an ignored signal stays ignored
        // across exec (.NET then installs no Ctrl-C handler): env --default-signal gives dotnet SIGINT as a terminal would.
        var resetSignal = OperatingSystem.IsLinux();
        var info = new ProcessStartInfo(resetSignal ? "env" : "dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (resetSignal ? new[] { "--default-signal=INT", "dotnet" } : Array.Empty<string>()).Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in IsolatedEnvironment().Concat(environment))
        {
            info.Environment[name] = value;
        }

        var output = new StringBuilder();
        var interrupted = false;
        using var process = new Process { StartInfo = info };
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
                if (!interrupted && line.Contains(interruptAfter, StringComparison.Ordinal))
                {
                    interrupted = true;
                    using var kill = Process.Start("kill", new[] { "-INT", process.Id.ToString(CultureInfo.InvariantCulture) });
                    kill.WaitForExit();
                }
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        lock (output)
        {
            var result = new BuildResult("dotnet " + string.Join(" ", arguments) + " (interrupted)", process.ExitCode, output.ToString());
            BuildLog.Record(result);
            return result;
        }
    }
}
