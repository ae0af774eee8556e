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
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Alive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.That(Alive(pid), Is.False, "the grandchild sleep 300 survived the cancel");
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
