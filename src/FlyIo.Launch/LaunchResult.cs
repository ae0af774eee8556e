using System.Collections.Generic;
using System.Linq;
using FlyIo.Diagnostics;

namespace FlyIo.Launch;

/// <summary>A plan, or the located reasons there is none; diagnostics may accompany a plan too (warnings).</summary>
public sealed class LaunchResult
{
    public LaunchResult(LaunchPlan? plan, IReadOnlyList<FlyDiagnostic> diagnostics)
    {
        Plan = plan;
        Diagnostics = diagnostics;
    }

    public LaunchPlan? Plan { get; }

    public IReadOnlyList<FlyDiagnostic> Diagnostics { get; }

    public bool HasErrors => Plan is null || Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
