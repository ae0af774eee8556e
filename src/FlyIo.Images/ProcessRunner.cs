using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CliWrap;
using FlyIo.Diagnostics;

namespace FlyIo.Images;

/// <summary>One process to run: program, arguments (never shell-parsed), folder and the environment changes.</summary>
public sealed class ProcessSpec
{
    public ProcessSpec(string fileName, IEnumerable<string> arguments)
    {
        FileName = fileName ?? throw new ArgumentNullException(nameof(fileName));
        Arguments = new List<string>(arguments ?? throw new ArgumentNullException(nameof(arguments)));
    }

    public string FileName { get; }

    public IReadOnlyList<string> Arguments { get; }

    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Variables set for the child on top of this process's environment; a null value removes the variable. Secrets
    /// go here (or in a file named here), never in <see cref="Arguments"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
}

/// <summary>How a process ended.</summary>
public sealed class ProcessResult
{
    internal ProcessResult(int exitCode, string output, bool cancelled, TimeSpan duration)
    {
        ExitCode = exitCode;
        Output = output;
        Cancelled = cancelled;
        Duration = duration;
    }

    public int ExitCode { get; }

    /// <summary>stdout and stderr lines in the order they arrived, LF separated.</summary>
    public string Output { get; }

    public bool Cancelled { get; }

    public TimeSpan Duration { get; }

    public bool Succeeded => ExitCode == 0 && !Cancelled;
}

/// <summary>
/// Runs a child process through CliWrap, streaming each stdout/stderr line to the log as a detail line. Both streams are
/// detail: builders write their progress to stderr, so it says nothing about failure; the exit code does. Cancelling
/// kills the whole process tree. The child's stdin is closed at once (it reads end-of-file: nothing a builder needs
/// comes through stdin, secrets come through files and variables made for the step).
/// </summary>
public static class ProcessRunner
{
    /// <summary>How long the output is still read after the child exits, for a grandchild that kept the pipe open.</summary>
    internal static TimeSpan DrainAfterExit { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The same after a cancel: the tree was killed, so what is left to read is short or never comes.</summary>
    internal static TimeSpan DrainAfterCancel { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="spec"/>; <paramref name="log"/> gets each line from any thread, one call at a time.</summary>
    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, IFlyLog? log = null, CancellationToken cancellationToken = default)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var output = new StringBuilder();
        var gate = new object();

        void Line(string line)
        {
            lock (gate)
            {
                output.Append(line).Append('\n');
                log?.Detail(line);
            }
        }

        var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var command = Cli.Wrap(spec.FileName)
            .WithArguments(spec.Arguments)
            .WithEnvironmentVariables(spec.Environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardInputPipe(ClosedInputThatSignalsExit(exited))
            .WithStandardOutputPipe(Lines(Line, exited.Task, cancellationToken))
            .WithStandardErrorPipe(Lines(Line, exited.Task, cancellationToken));
        if (spec.WorkingDirectory is { Length: > 0 } directory)
        {
            command = command.WithWorkingDirectory(directory);
        }

        var stopwatch = Stopwatch.StartNew();
        int exitCode;
        var cancelled = false;
        try
        {
            exitCode = (await command.ExecuteAsync(cancellationToken).ConfigureAwait(false)).ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // CliWrap killed the whole tree and waited for the child's exit; a killed child has no exit code of its own.
            cancelled = true;
            exitCode = -1;
        }

        string text;
        lock (gate)
        {
            text = output.ToString();
        }

        return new ProcessResult(exitCode, text, cancelled, stopwatch.Elapsed);
    }

    /// <summary>
    /// Closes the child's stdin at once, then waits: CliWrap cancels the stdin pipe's token when the child exits (it
    /// stops feeding a process that is gone), which is the one moment that tells the output readers to stop waiting
    /// for a pipe that a grandchild still holds.
    /// </summary>
    private static PipeSource ClosedInputThatSignalsExit(TaskCompletionSource<bool> exited) => PipeSource.Create(async (stdin, exitedOrCancelled) =>
    {
        stdin.Dispose();
        try
        {
            await Task.Delay(Timeout.Infinite, exitedOrCancelled).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            exited.TrySetResult(true);
        }
    });

    /// <summary>
    /// Reads lines until the stream ends, or until a while after the child exited: the stream ends only when every
    /// holder of the pipe exits, and a grandchild (a build server, a daemon the builder started) may hold it for hours.
    /// </summary>
    private static PipeTarget Lines(Action<string> line, Task exited, CancellationToken cancellationToken) => PipeTarget.Create(async (stream, _) =>
    {
        var reader = new StreamReader(stream, new UTF8Encoding(false));
        var reading = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync().ConfigureAwait(false) is { } text)
                {
                    line(text);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The pipe was closed under a read left behind below.
            }
        });
        var drained = exited.ContinueWith(
            _ => Task.Delay(cancellationToken.IsCancellationRequested ? DrainAfterCancel : DrainAfterExit),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
        await Task.WhenAny(reading, drained).ConfigureAwait(false);
    });
}

/// <summary>Builds a command-line string that the C runtime (and .NET on Unix) splits back into the same arguments.</summary>
public static class CommandLine
{
    public static string Join(IEnumerable<string> arguments)
    {
        var sb = new StringBuilder();
        foreach (var argument in arguments)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            Append(sb, argument);
        }

        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
        {
            sb.Append(argument);
            return;
        }

        sb.Append('"');
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            if (c == '"')
            {
                sb.Append('\\', backslashes * 2 + 1);
            }
            else
            {
                sb.Append('\\', backslashes);
            }

            backslashes = 0;
            sb.Append(c);
        }

        sb.Append('\\', backslashes * 2);
        sb.Append('"');
    }
}
