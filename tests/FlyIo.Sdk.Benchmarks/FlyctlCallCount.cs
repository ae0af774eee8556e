namespace FlyIo.Sdk.Benchmarks;

/// <summary>
/// How many Machines API calls flyctl makes per machine on the same deploy, read from its source (superfly/flyctl,
/// HEAD of the mirror used): the happy path of an in-place update of a machine with one health check and no
/// [[checks]] machine checks, not counting per-deploy calls (app, machine list, release).
/// </summary>
/// <remarks>
/// Rolling, per machine (internal/command/deploy/machines_deploymachinesapp.go updateEntriesGroup → updateMachine,
/// waitForMachine, lines 162–247; internal/machine/leasable_machine.go):
///   1  lease acquire: machineSet.AcquireLeases (machines_deploymachinesapp.go:616) → leasable_machine.go:521
///   1  update: leasable_machine.go:106
///   1  wait for started: WaitForState (machines_deploymachinesapp.go:218) → flaps Wait, leasable_machine.go:244
///   7  smoke checks: WaitForSmokeChecksToPass GETs the machine (leasable_machine.go:333) with a 0.5 s → 2 s backoff
///      (lines 321–326) until 10 s uptime or its 10 s timeout (line 318): GETs at ~0, 0.5, 1.5, 3.5, 5.5, 7.5, 9.5 s
///   1  health checks: WaitForHealthchecksToPass GETs (leasable_machine.go:395) until all pass: at least one
///   1  lease release: ReleaseLeases (machines_deploymachinesapp.go:621) → leasable_machine.go:611
///   +  lease refresh every (13 s − 1 s) / 3 = 4 s (machines.go:41, 239; leasable_machine.go:542) for every machine,
///      held from the start of the update phase to its end (all leases are taken up front, line 616): not counted.
///   = 12 per machine, at least.
/// Immediate (machines_deploymachinesapp.go:776–846): lease, update, release = 3 (no wait).
/// Canary (deployCanaryMachines, line 293): one machine per group launched, waited for, smoke- and health-checked and
///   destroyed (1 + 1 + 7 + 1 + 1 = 11), then rolling: 12 per machine + 11 per group.
/// Bluegreen (strategy_bluegreen.go): green launch (CreateGreenMachines, line 290), wait started (line 426), health
///   GET (line 574, at least one), uncordon (line 642); blue cordon (line 690), stop (StopBlueMachines), wait stopped
///   (line 803), destroy (line 864), plus the blue lease acquire and release (machines_deploymachinesapp.go:616, 621)
///   = 10 per machine, at least.
/// </remarks>
public static class FlyctlCallCount
{
    public static double PerMachine(string strategy, int machines) => strategy switch
    {
        "immediate" => 3,
        "canary" => 12 + 11.0 / machines,
        "bluegreen" => 10,
        _ => 12,
    };
}
