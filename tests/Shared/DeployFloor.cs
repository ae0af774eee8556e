using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;

namespace FlyIo.Testing;

/// <summary>
/// The least time a strategy can take on a server where one call takes <see cref="Call"/> and a machine starts
/// <see cref="Start"/> after its update: the strategy's own waits plus the calls no safe deploy can skip, in the order
/// they depend on each other, with the concurrency the strategy allows (flyctl's, where it sets one).
/// </summary>
/// <remarks>
/// Calls no deploy can skip: the machine list, Fly's release (create, mark running, mark complete). Per machine
/// updated and confirmed: lease, update, then the start (the wait call's own latency overlaps it, hence
/// max(call, start)), the smoke window, one GET that proves instance, image, state, checks and events. The lease
/// release is on no critical path (nothing waits for it but the end of the run).
/// </remarks>
public sealed record DeployFloor(TimeSpan Call, TimeSpan Start, TimeSpan Smoke, double MaxUnavailable, int MaxConcurrent)
{
    private TimeSpan Calls(double n) => TimeSpan.FromTicks((long)(Call.Ticks * n));

    /// <summary>List, release create, release running, release complete.</summary>
    private TimeSpan Fixed => Calls(4);

    /// <summary>From the update call to the GET that confirms it: start (or the wait call's latency), smoke window, GET.</summary>
    private TimeSpan UpdatedToConfirmed => Calls(1) + (Call > Start ? Call : Start) + Smoke + Calls(1);

    /// <summary>Lease, then <see cref="UpdatedToConfirmed"/>.</summary>
    private TimeSpan OneMachine => Calls(1) + UpdatedToConfirmed;

    private int Pool(int n) => MaxUnavailable < 1 ? Math.Max(1, (int)Math.Ceiling(MaxUnavailable * n)) : Math.Max(1, (int)MaxUnavailable);

    private static int Rounds(int n, int width) => (int)Math.Ceiling(n / (double)Math.Max(1, width));

    /// <summary>Rolling: the first machine alone, then max_unavailable at a time.</summary>
    private TimeSpan Rolling(int n) => TimeSpan.FromTicks((1 + Rounds(n - 1, Pool(n))) * OneMachine.Ticks);

    /// <summary>What one call costs on a server now: the median of 15 sequential calls of <paramref name="call"/>.</summary>
    public static async Task<TimeSpan> CallTimeAsync(Func<Task> call)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < 15; i++)
        {
            var watch = Stopwatch.StartNew();
            await call().ConfigureAwait(false);
            times.Add(watch.Elapsed);
        }

        return times.OrderBy(t => t).ElementAt(times.Count / 2);
    }

    public TimeSpan For(string strategy, int n) => strategy switch
    {
        // Lease and update, max-concurrent (8, flyctl's deploy.go defaultMaxConcurrent) at a time; no wait.
        "immediate" => Fixed + TimeSpan.FromTicks(Rounds(n, MaxConcurrent) * Calls(2).Ticks),
        // One canary created, confirmed, destroyed; then rolling.
        "canary" => Fixed + UpdatedToConfirmed + Calls(1) + Rolling(n),
        // Greens created min(ceil(n/3), 8) at a time (flyctl strategy_bluegreen.go CreateGreenMachines), all confirmed
        // together, uncordoned 8 at a time; each blue leased, cordoned, stopped, destroyed, 8 at a time.
        "bluegreen" => Fixed + TimeSpan.FromTicks(Rounds(n, Math.Max(1, Math.Min(Rounds(n, 3), MaxConcurrent))) * Call.Ticks)
            + (Call > Start ? Call : Start) + Smoke + Calls(1)
            + TimeSpan.FromTicks(Rounds(n, MaxConcurrent) * Calls(5).Ticks),
        _ => Fixed + Rolling(n),
    };
}
