using System.Collections.Generic;

namespace FlyIo.Launch.Standalone;

/// <summary>What reading an app's sources and manifests gave: the source facts, the framework, and every start command (npm scripts expanded).</summary>
internal sealed record AppReading(AppSourceFacts Facts, string? Framework, IReadOnlyList<ServerInvocation> Invocations);
