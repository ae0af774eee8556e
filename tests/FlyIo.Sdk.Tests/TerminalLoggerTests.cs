using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using FlyIo.Sdk.Tests.Deploy;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// What a user sees in an interactive terminal, where .NET picks its terminal logger by itself: run under util-linux
/// `script`, which gives dotnet a pseudo-terminal (with a size, as a real one has: without one the terminal logger is
/// not chosen), and with no logger or verbosity flag at all. The terminal logger hides high-importance messages; it
/// shows the running target live and each project's "Project -> result" line, and that is what the targets use.
/// </summary>
[TestFixture]
public sealed class TerminalLoggerTests : BuildTestBase
{
    [Test]
    public void WithNoFlag_FlyDeployShowsEachStepLive_AndEndsWithTheUrlAndRelease_FlyStatusAndFlyPlanShowTheirTables()
    {
        RequireScript();
        using var fly = DeployRehearsal.Start();
        var deploy = InATerminal(fly.Project.Directory, fly.Environment,
            "dotnet", "publish", "-t:FlyDeploy", "-p:FlySkipDockerfile=true", "-p:FlySkipImage=true", $"-p:FlyImage={DeployRehearsal.Registry}:deployment-one",
            "-p:FlyApiUrl=" + fly.Api.Url, "-p:FlySmokeCheckWindow=1s");

        Assert.That(deploy.Screen, Does.Not.Contain("Time Elapsed"), "the terminal logger, not the classic console logger, wrote this:\n" + deploy.Screen);
        // The live line names the running target with its time, redrawn ~30 times a second: the deploy's steps are
        // targets, so each shows while it runs (the quickest, a few milliseconds, may fall between two redraws).
        var shown = Regex.Matches(deploy.Frames, @"WebApp net10\.0 (_?Fly\w+) \(").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.That(shown, Does.Contain("FlyDeploy"), "the deploy step, live:\n" + deploy.Frames);
        Assert.That(shown.Last(), Is.EqualTo("FlyDeploy"), "the last step shown");
        Assert.That(shown.Intersect(new[] { "FlyValidate", "_FlyCollectProjectFacts", "FlyCheckDependencies", "FlySetReleaseCommand" }), Is.Not.Empty,
            "the checks before it, live: " + string.Join(", ", shown));
        Assert.That(deploy.Screen, Does.Match(@"WebApp net10\.0 succeeded \(\d+\.\ds\) → https://flyio-sdk-sample\.fly\.dev \(release v1\)"), deploy.Screen);
        Assert.That(deploy.Screen, Does.Not.Contain("FlyDeploy: "), "progress lines stay hidden, as the terminal logger intends");

        var status = InATerminal(fly.Project.Directory, fly.Environment, "dotnet", "build", "-t:FlyStatus", "-p:FlyApiUrl=" + fly.Api.Url);
        Assert.That(status.Screen, Does.Match(@"WebApp net10\.0 succeeded \(\d+\.\ds\) → flyio-sdk-sample: 2 machine\(s\); https://flyio-sdk-sample\.fly\.dev"), status.Screen);
        foreach (var machine in fly.Machines())
        {
            Assert.That(status.Screen, Does.Match($@"{machine.Id}\s+app\s+ams\s+started\s+v1\s"), "a row per machine:\n" + status.Screen);
        }

        var plan = InATerminal(fly.Project.Directory, fly.Environment, "dotnet", "build", "-t:FlyPlan", $"-p:FlyImage={DeployRehearsal.Registry}:deployment-two", "-p:FlyApiUrl=" + fly.Api.Url);
        Assert.That(plan.Screen, Does.Contain($"→ image {DeployRehearsal.Registry}:deployment-two").And.Contain("nothing was changed."), plan.Screen);
        foreach (var machine in fly.Machines())
        {
            Assert.That(plan.Screen, Does.Contain($"update {machine.Id} [app, ams]"), plan.Screen);
        }

        Assert.That(deploy.Frames + status.Frames + plan.Frames, Does.Not.Contain(fly.Api.Token));
    }

    [Test]
    public void ProgressLines_AreHiddenByDefault_AndShownWithTlpVerbosityDetailed()
    {
        RequireScript();
        var project = SdkImportTests.WebAppWithExplicitVersion();

        var plain = InATerminal(project.Directory, null, "dotnet", "build", "-t:FlyValidate").Screen;
        var detailed = InATerminal(project.Directory, null, "dotnet", "build", "-t:FlyValidate", "-tlp:v=d").Screen;

        Assert.That(plain, Does.Not.Contain("FlyValidate: ").And.Contain("Build succeeded in"), "the terminal logger hides high-importance messages by default:\n" + plain);
        Assert.That(detailed, Does.Contain("FlyValidate: ").And.Contain("0 error(s), 0 warning(s)"), detailed);
        Assert.That(detailed, Does.Not.Contain("Target \"FlyValidate\""), "-tlp:v=d adds the messages, not -v:d's detail");
    }

    private static void RequireScript()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            Assert.Ignore("Needs util-linux's `script` for a pseudo-terminal.");
        }
    }

    /// <summary>
    /// Runs a command in a pseudo-terminal of 160x50 as a user's shell would, with none of the variables a CI runner
    /// or the test run itself sets to turn the terminal logger off. Frames: everything written, live redraws included, escape codes removed; Screen: the
    /// same with each line's redraws collapsed, roughly what stays visible.
    /// </summary>
    private static (string Frames, string Screen) InATerminal(string directory, IDictionary<string, string?>? extra, params string[] command)
    {
        var environment = DotNet.IsolatedEnvironment();
        foreach (var pair in extra ?? new Dictionary<string, string?>())
        {
            environment[pair.Key] = pair.Value;
        }

        environment["TERM"] = "xterm-256color";
        // MSBUILDENSURESTDOUTFORTASKPROCESSES and _MSBUILDTLENABLED: set by `dotnet test` for its children; the first
        // alone keeps MSBuild on the classic console logger.
        foreach (var ci in new[] { "CI", "GITHUB_ACTIONS", "TF_BUILD", "MSBUILDTERMINALLOGGER", "MSBUILDENSURESTDOUTFORTASKPROCESSES", "_MSBUILDTLENABLED", "NO_COLOR" })
        {
            environment[ci] = null;
        }

        var shell = "stty cols 160 rows 50; exec " + string.Join(" ", command.Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        var (exit, output) = ChildProcess.Run("script", new[] { "-qec", shell, "/dev/null" }, directory, environment, TimeSpan.FromMinutes(5));
        var frames = Regex.Replace(output, @"\x1B(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1B]*(\x07|\x1B\\)|[=>])", "");
        // A redraw starts over at the beginning of a line (a carriage return or a cursor move): keep each line's last.
        var screen = string.Join("\n", frames.Replace("\r\n", "\n").Split('\n').Select(l => l.Split('\r').Last()));
        Assert.That(exit, Is.EqualTo(0), screen);
        return (frames, screen);
    }
}
