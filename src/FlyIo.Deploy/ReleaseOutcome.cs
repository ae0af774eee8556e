using System.Collections.Generic;
using System.Linq;
using FlyIo.Machines;

namespace FlyIo.Deploy;

internal enum ReleaseOutcomeKind
{
    /// <summary>The process has not exited yet.</summary>
    StillRunning,

    /// <summary>The process exited: see the exit code.</summary>
    Exited,

    /// <summary>The machine ended without its process ever exiting: it failed to launch, or was destroyed or stopped first.</summary>
    DidNotRun,
}

/// <summary>What became of a release command machine, read from its state and its events (newest first).</summary>
internal sealed record ReleaseOutcome(ReleaseOutcomeKind Kind, int ExitCode, bool OomKilled, bool RequestedStop, string? Reason)
{
    public static ReleaseOutcome From(Machine? machine, IReadOnlyList<MachineEvent> newestFirst)
    {
        // A one-shot machine (restart "no") has at most one exit; it is the newest one.
        var exit = newestFirst.FirstOrDefault(e => e.Type == "exit");
        if (exit is not null)
        {
            return new ReleaseOutcome(ReleaseOutcomeKind.Exited, exit.ExitCode ?? 0, exit.OomKilled, exit.RequestedStop, null);
        }

        if (machine is null)
        {
            return DidNotRun("the machine is gone and recorded no exit");
        }

        var launch = newestFirst.FirstOrDefault(e => e.Type == "launch");
        if (machine.State == "failed" || launch?.Status == "failed")
        {
            return DidNotRun("the machine failed to launch" + (launch?.Error is { Length: > 0 } error ? ": " + error : $" (state {machine.State})"));
        }

        return machine.State switch
        {
            "destroyed" or "destroying" => DidNotRun("the machine was destroyed before its command exited"),
            "stopped" or "suspended" => DidNotRun($"the machine is {machine.State} and recorded no exit"),
            _ => new ReleaseOutcome(ReleaseOutcomeKind.StillRunning, 0, false, false, null),
        };
    }

    private static ReleaseOutcome DidNotRun(string reason) => new(ReleaseOutcomeKind.DidNotRun, 0, false, false, reason);
}
