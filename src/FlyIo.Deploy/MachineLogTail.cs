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

        var start = Math.Max(0, messages.Length - Lines);
        var tail = messages.Skip(start).ToArray();
        var text = new StringBuilder();
        text.Append($"Last {tail.Length} log line(s) of machine {machineId}:");
        // The line that says what went wrong comes first in a crash and a long stack can push it out of the tail
        // (Node's "Error: Cannot find module" before 20 lines of stack and requireStack): keep it, whatever the length.
        var cause = CrashCause(messages);
        if (cause >= 0 && cause < start)
        {
            text.Append('\n').Append("  ").Append(messages[cause].TrimEnd('\r'));
            text.Append('\n').Append("  …");
        }

        foreach (var line in tail)
        {
            text.Append('\n').Append("  ").Append(line.TrimEnd('\r'));
        }

        return text.ToString();
    }

    /// <summary>
    /// The index of the last crash's first error line: .NET's "Unhandled exception.", Python's "Traceback (most recent
    /// call last):", Node's "Error: …" / "TypeError: …" (not a stack line); -1 when there is none.
    /// </summary>
    internal static int CrashCause(string[] messages)
    {
        // .NET and Python start a crash with a line of their own (the exception line Python prints last belongs to it);
        // Node starts with the error line itself.
        var node = -1;
        for (var i = messages.Length - 1; i >= 0; i--)
        {
            var line = messages[i].TrimStart();
            if (line.StartsWith("Unhandled exception.", StringComparison.Ordinal) || line.StartsWith("Traceback (most recent call last):", StringComparison.Ordinal))
            {
                return i;
            }

            if (node < 0 && NodeError.IsMatch(messages[i]))
            {
                node = i;
            }
        }

        return node;
    }

    private static readonly System.Text.RegularExpressions.Regex NodeError =
        new(@"^(?:Uncaught )?(?:[A-Z][A-Za-z]*)?Error(?: \[[A-Z0-9_]+\])?: \S", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
