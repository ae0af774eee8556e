using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>
/// The last lines a failed machine wrote, for the error that reports it: "exited with code 1" alone sends users to
/// `fly logs`, and a release machine is destroyed before they get there.
/// </summary>
internal static class MachineLogTail
{
    public const int Lines = 20;

    /// <summary>"Last N log lines of machine X:\n  ...", or null when there are none or the logs API cannot be read.</summary>
    public static async Task<string?> ReadAsync(MachinesApiClient client, string app, string machineId, TimeSpan settle, CancellationToken ct)
    {
        try
        {
            // Fly's log pipeline lags the machine by a moment; ask again briefly before concluding there is nothing.
            var deadline = DateTime.UtcNow + settle;
            while (true)
            {
                var lines = await client.GetAppLogsAsync(app, machineId, ct).ConfigureAwait(false);
                if (lines.Count > 0 || DateTime.UtcNow >= deadline)
                {
                    return Format(machineId, lines.Select(l => l.Message).ToArray());
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is MachinesApiException or TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }

    internal static string? Format(string machineId, string[] messages)
    {
        if (messages.Length == 0)
        {
            return null;
        }

        var tail = messages.Skip(Math.Max(0, messages.Length - Lines)).ToArray();
        var text = new StringBuilder();
        text.Append($"Last {tail.Length} log line(s) of machine {machineId}:");
        foreach (var line in tail)
        {
            text.Append('\n').Append("  ").Append(line.TrimEnd('\r'));
        }

        return text.ToString();
    }
}
