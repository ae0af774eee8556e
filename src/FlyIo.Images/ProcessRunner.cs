using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
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
/// Runs a child process, streaming each stdout/stderr line to the log as a detail line. Both streams are detail:
/// builders write their progress to stderr, so it says nothing about failure; the exit code does. Cancelling kills
/// the whole process tree.
/// </summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="spec"/>; <paramref name="log"/> gets each line from any thread, one call at a time.</summary>
    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, IFlyLog? log = null, CancellationToken cancellationToken = default)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        var psi = new ProcessStartInfo(spec.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            CreateNoWindow = true,
            WorkingDirectory = spec.WorkingDirectory ?? string.Empty,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
#if NET
        foreach (var argument in spec.Arguments)
        {
            psi.ArgumentList.Add(argument);
        }
#else
        psi.Arguments = CommandLine.Join(spec.Arguments);
#endif
        foreach (var pair in spec.Environment)
        {
            if (pair.Value is null)
            {
                psi.Environment.Remove(pair.Key);
            }
            else
            {
                psi.Environment[pair.Key] = pair.Value;
            }
        }

        var output = new StringBuilder();
        var gate = new object();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var stdoutDone = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderrDone = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        void Handle(string? line, TaskCompletionSource<bool> done)
        {
            if (line is null)
            {
                done.TrySetResult(true);
                return;
            }

            lock (gate)
            {
                output.Append(line).Append('\n');
                log?.Detail(line);
            }
        }

        process.OutputDataReceived += (_, e) => Handle(e.Data, stdoutDone);
        process.ErrorDataReceived += (_, e) => Handle(e.Data, stderrDone);
        process.Exited += (_, _) => exited.TrySetResult(true);

        cancellationToken.ThrowIfCancellationRequested();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var cancelled = false;
        using (cancellationToken.Register(() =>
               {
                   cancelled = true;
                   KillTree(process);
               }))
        {
            await exited.Task.ConfigureAwait(false);
            process.WaitForExit();
            // The streams end when every holder of the pipes exits; a grandchild that kept them open is not waited for long.
            await Task.WhenAny(Task.WhenAll(stdoutDone.Task, stderrDone.Task), Task.Delay(TimeSpan.FromSeconds(cancelled ? 2 : 30))).ConfigureAwait(false);
        }

        string text;
        lock (gate)
        {
            text = output.ToString();
        }

        return new ProcessResult(process.ExitCode, text, cancelled, stopwatch.Elapsed);
    }

    private static void KillTree(Process process)
    {
        try
        {
#if NET
            process.Kill(entireProcessTree: true);
#else
            if (Environment.OSVersion.Platform == PlatformID.Win32NT)
            {
                using var killer = Process.Start(new ProcessStartInfo("taskkill", "/T /F /PID " + process.Id) { UseShellExecute = false, CreateNoWindow = true });
                killer?.WaitForExit(10000);
            }
            else
            {
                process.Kill();
            }
#endif
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting while we kill it.
        }
    }
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
