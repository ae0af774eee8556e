using System.Collections.Generic;
using System.Linq;

namespace FlyIo.Diagnostics;

/// <summary>Collects diagnostics in the order they are found.</summary>
public sealed class DiagnosticBag
{
    private readonly List<FlyDiagnostic> _items = new();

    public IReadOnlyList<FlyDiagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.Severity == DiagnosticSeverity.Error);

    public void Add(FlyDiagnostic diagnostic) => _items.Add(diagnostic);

    public void AddRange(IEnumerable<FlyDiagnostic> diagnostics) => _items.AddRange(diagnostics);
}
