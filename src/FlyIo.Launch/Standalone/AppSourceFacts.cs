using System.Collections.Generic;

namespace FlyIo.Launch.Standalone;

/// <summary>What the app's own source files say: the frameworks they import, the health routes they map, and how they pick a port.</summary>
internal sealed class AppSourceFacts
{
    /// <summary>Frameworks imported, in the order first seen.</summary>
    public List<string> ImportedFrameworks { get; } = new();

    public List<HealthRouteFinding> HealthRoutes { get; } = new();

    /// <summary>The first port the app writes itself (a listen/run argument, or the fallback of a PORT read), or null.</summary>
    public PortFinding? PortLiteral { get; set; }

    /// <summary>True when the app reads the PORT environment variable to choose where it listens.</summary>
    public bool ReadsPortVariable { get; set; }

    public void AddFramework(string framework)
    {
        if (!ImportedFrameworks.Contains(framework))
        {
            ImportedFrameworks.Add(framework);
        }
    }

    public void AddHealthRoute(string path, SourceFinding where)
    {
        var rank = HealthRouteNames.Rank(path);
        if (rank >= 0)
        {
            HealthRoutes.Add(new HealthRouteFinding(path, rank, where));
        }
    }

    public void OfferPort(int port, SourceFinding where) => PortLiteral ??= new PortFinding(port, where.Reason);

    /// <summary>The best-named health route; among equals, the first one read.</summary>
    public HealthRouteFinding? BestHealthRoute()
    {
        HealthRouteFinding? best = null;
        foreach (var route in HealthRoutes)
        {
            if (best is null || route.Rank < best.Rank)
            {
                best = route;
            }
        }

        return best;
    }
}
