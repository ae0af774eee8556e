using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>The app's logs, as `fly logs` reads them: the newest lines, then (following) each new line once.</summary>
public sealed partial class DeployEngine
{
    /// <summary>How often a follower asks for new lines; `fly logs` polls Fly's log API at about this pace.</summary>
    public static readonly TimeSpan LogPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The last <paramref name="lines"/> lines (optionally of one machine or region); with <paramref name="follow"/>,
    /// then every new line as it arrives, until <paramref name="cancellationToken"/> is cancelled (Ctrl+C).
    /// </summary>
    public async Task LogsAsync(int lines, string? instance, string? region, bool follow, Action<AppLogLine> onLine, CancellationToken cancellationToken = default)
    {
        var newest = new Queue<AppLogLine>();
        var token = "";
        for (var page = 0; page < _client.MaxLogPages; page++)
        {
            var (data, next) = await _client.GetAppLogsPageAsync(_app, token, instance, region, cancellationToken).ConfigureAwait(false);
            foreach (var line in data)
            {
                newest.Enqueue(line);
                if (newest.Count > lines)
                {
                    newest.Dequeue();
                }
            }

            if (data.Count == 0 || next == token)
            {
                break;
            }

            token = next;
        }

        foreach (var line in newest)
        {
            onLine(line);
        }

        while (follow)
        {
            await Task.Delay(LogPollInterval, cancellationToken).ConfigureAwait(false);
            var (data, next) = await _client.GetAppLogsPageAsync(_app, token, instance, region, cancellationToken).ConfigureAwait(false);
            foreach (var line in data)
            {
                onLine(line);
            }

            token = next;
        }
    }
}
