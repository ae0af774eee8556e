using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace FlyIo.Testing;

/// <summary>
/// Reads every process's command line (/proc/*/cmdline) every 10 ms while it runs, and keeps any that holds the
/// secret: a token passed as an argument is visible to every user of the machine (ps), so it must never be one.
/// </summary>
public sealed class CommandLineWatch : IDisposable
{
    private readonly string _secret;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _samples;

    public CommandLineWatch(string secret)
    {
        _secret = secret;
        _loop = Task.Run(Loop);
    }

    /// <summary>Command lines that held the secret.</summary>
    public ConcurrentBag<string> Leaks { get; } = new();

    /// <summary>Programs seen (argv[0]), to show the watch saw the processes it was meant to.</summary>
    public ConcurrentDictionary<string, bool> Seen { get; } = new();

    /// <summary>Complete passes over /proc.</summary>
    public int Samples => Volatile.Read(ref _samples);

    private async Task Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var dir in Directory.GetDirectories("/proc"))
            {
                var name = Path.GetFileName(dir);
                if (name.Length == 0 || !char.IsDigit(name[0]))
                {
                    continue;
                }

                try
                {
                    var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                    if (cmd.Length > 0)
                    {
                        Seen[Path.GetFileName(cmd.Split(' ')[0])] = true;
                    }

                    if (cmd.Contains(_secret, StringComparison.Ordinal))
                    {
                        Leaks.Add(cmd);
                    }
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }

            Interlocked.Increment(ref _samples);
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
    }
}
