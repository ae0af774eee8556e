using FlyIo.Testing;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

[TestFixture]
public class ProcessRunnerTests
{
    [SetUp]
    public void RequireUnix()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && !RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            Assert.Ignore("these tests run /bin/sh");
        }
    }

    private static readonly string[] Awkward = { "plain", "two words", "q\"uote", "back\\slash", "trail\\", "\\\"mixed\\\\\"", string.Empty, "tab\there", "$HOME", "'single'" };

    [Test]
    public async Task Arguments_reach_the_child_unchanged()
    {
        var args = new List<string> { "-c", "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done", "sh" };
        args.AddRange(Awkward);
        var result = await ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", args));
        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Output, Is.EqualTo(string.Concat(Awkward.Select(a => "[" + a + "]\n"))));
    }

    [Test]
    public void CommandLine_join_splits_back_into_the_same_arguments()
    {
        // The string form is what net472 uses; .NET on Unix splits Arguments with the same rules.
        var args = new List<string> { "-c", "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done", "sh" };
        args.AddRange(Awkward);
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", CommandLine.Join(args)) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(output, Is.EqualTo(string.Concat(Awkward.Select(a => "[" + a + "]\n"))));
    }

    [Test]
    public async Task Environment_is_set_and_removed_explicitly_and_exit_codes_come_back_and_both_streams_reach_the_log_as_detail()
    {
        var spec = new ProcessSpec("/bin/sh", new[] { "-c", "echo \"A=$FLYIO_A B=${HOME-unset}\"; echo err >&2; exit 7" })
        {
            Environment = new Dictionary<string, string?> { ["FLYIO_A"] = "x y", ["HOME"] = null },
        };
        var log = new CollectingFlyLog();
        var result = await ProcessRunner.RunAsync(spec, log);
        Assert.That(result.ExitCode, Is.EqualTo(7));
        Assert.That(result.Succeeded, Is.False);
        // Builders write progress to stderr: it is detail like stdout, and the exit code alone says failure.
        Assert.That(log.DetailLines, Is.EquivalentTo(new[] { "A=x y B=unset", "err" }));
        Assert.That(log.ProgressLines, Is.Empty);
        Assert.That(log.Diagnostics, Is.Empty);
    }

    [Test]
    public async Task Lines_stream_while_the_process_still_runs()
    {
        var first = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", new[] { "-c", "echo first; sleep 3; echo second" }), new LineLog(line =>
        {
            if (line == "first")
            {
                first.TrySetResult(true);
            }
        }));
        var winner = await Task.WhenAny(first.Task, Task.Delay(TimeSpan.FromSeconds(2.5)));
        Assert.That(winner, Is.SameAs(first.Task), "the first line should arrive before the process ends");
        Assert.That(run.IsCompleted, Is.False);
        Assert.That((await run).Output, Is.EqualTo("first\nsecond\n"));
    }

    [Test]
    public async Task Cancelling_kills_the_whole_process_tree()
    {
        using var cts = new CancellationTokenSource();
        var childPid = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", new[] { "-c", "sleep 300 & echo $!; wait" }), new LineLog(line =>
        {
            if (int.TryParse(line, out var pid))
            {
                childPid.TrySetResult(pid);
            }
        }), cts.Token);
        var pid = await childPid.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(Alive(pid), Is.True, "the grandchild sleep should be running");
        var sw = Stopwatch.StartNew();
        cts.Cancel();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(result.Cancelled, Is.True);
        Assert.That(result.Succeeded, Is.False);
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Alive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.That(Alive(pid), Is.False, "the grandchild sleep 300 survived the cancel");
    }

    [Test]
    [NonParallelizable]
    public async Task A_grandchild_that_keeps_stdout_open_does_not_hang_the_wait()
    {
        // A builder that leaves a server behind (a build server, a daemon) exits while the server still holds the
        // output pipe: the exit code comes back a short while after the exit, not when the server ends.
        var drain = ProcessRunner.DrainAfterExit;
        ProcessRunner.DrainAfterExit = TimeSpan.FromSeconds(1);
        int? grandchild = null;
        try
        {
            var sw = Stopwatch.StartNew();
            var result = await ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", new[] { "-c", "sleep 300 & echo $!; echo before-exit; exit 3" }))
                .WaitAsync(TimeSpan.FromSeconds(20));
            Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.Cancelled, Is.False);
            var lines = result.Output.Split('\n');
            grandchild = int.Parse(lines[0]);
            Assert.That(lines[1], Is.EqualTo("before-exit"), "lines written before the exit are kept");
            Assert.That(Alive(grandchild.Value), Is.True, "the test needs the grandchild to still hold the pipe");
        }
        finally
        {
            ProcessRunner.DrainAfterExit = drain;
            if (grandchild is int pid)
            {
                try
                {
                    Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException)
                {
                }
            }
        }
    }

    [Test]
    [NonParallelizable]
    public async Task The_Fly_token_in_this_process_never_reaches_a_builders_environment()
    {
        // The builders' specs name the token variables for removal; the runner must honour a removal of an inherited
        // variable, as the child sees it.
        var saved = (Environment.GetEnvironmentVariable("FLY_API_TOKEN"), Environment.GetEnvironmentVariable("FLY_ACCESS_TOKEN"));
        // Made at run time, and plainly a test value: no token-shaped string lives in the sources.
        var marker = "test-only-not-a-token-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("FLY_API_TOKEN", marker);
        Environment.SetEnvironmentVariable("FLY_ACCESS_TOKEN", marker);
        try
        {
            var request = new ImageBuildRequest("/tmp", "/tmp/Dockerfile", "registry.fly.io/app:deployment-1") { ProjectPath = "/tmp/App.csproj" };
            var specs = new[]
            {
                ImageBuilder.BuildSpec(ImageBuilderKind.Buildah, request, new Dictionary<string, string?>()),
                ImageBuilder.PushSpec(ImageBuilderKind.Podman, request, new Dictionary<string, string?>()),
                ImageBuilder.SdkSpec(request, null, System.IO.Path.GetTempPath()),
            };
            foreach (var spec in specs)
            {
                // The builder's own environment, shown by a shell run in its place.
                var result = await ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", new[] { "-c", "env" }) { Environment = spec.Environment });
                Assert.That(result.ExitCode, Is.EqualTo(0));
                Assert.That(result.Output, Does.Contain("PATH="), "the rest of the environment is inherited");
                Assert.That(result.Output, Does.Not.Contain(marker), spec.FileName + " saw the token");
                Assert.That(result.Output, Does.Not.Contain("FLY_API_TOKEN").And.Not.Contain("FLY_ACCESS_TOKEN"));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("FLY_API_TOKEN", saved.Item1);
            Environment.SetEnvironmentVariable("FLY_ACCESS_TOKEN", saved.Item2);
        }
    }

    [Test]
    public async Task The_child_reads_end_of_file_on_stdin_at_once()
    {
        // Nothing reaches a builder through stdin: one that would prompt reads end-of-file instead of waiting forever.
        var result = await ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", new[] { "-c", "if read line; then echo got; else echo eof; fi" }))
            .WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(result.Output, Is.EqualTo("eof\n"));
    }

    [Test]
    public void A_missing_program_throws_Win32Exception_as_the_docker_probe_expects()
    {
        Assert.ThrowsAsync<System.ComponentModel.Win32Exception>(() => ProcessRunner.RunAsync(new ProcessSpec("flyio-no-such-program", Array.Empty<string>())));
    }

    private static bool Alive(int pid)
    {
        var stat = "/proc/" + pid + "/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            var state = text.Substring(text.LastIndexOf(')') + 2, 1);
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
