using System.Collections.Generic;

namespace FlyIo.Diagnostics;

/// <summary>Keeps what was reported, in arrival order, for a host that shows it later and for tests. Thread-safe.</summary>
public sealed class CollectingFlyLog : IFlyLog
{
    private readonly List<string> _progress = new();
    private readonly List<string> _details = new();
    private readonly List<FlyDiagnostic> _diagnostics = new();

    public IReadOnlyList<string> ProgressLines => Snapshot(_progress);

    public IReadOnlyList<string> DetailLines => Snapshot(_details);

    public IReadOnlyList<FlyDiagnostic> Diagnostics => Snapshot(_diagnostics);

    public void Progress(string message) => Add(_progress, message);

    public void Detail(string message) => Add(_details, message);

    public void Report(FlyDiagnostic diagnostic) => Add(_diagnostics, diagnostic);

    private void Add<T>(List<T> list, T item)
    {
        lock (_progress)
        {
            list.Add(item);
        }
    }

    private T[] Snapshot<T>(List<T> list)
    {
        lock (_progress)
        {
            return list.ToArray();
        }
    }
}
