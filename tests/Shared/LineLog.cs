using System;
using FlyIo.Diagnostics;

namespace FlyIo.Testing;

/// <summary>Hands each line to the test as it arrives (progress and detail alike), so a test can act mid-run (cancel, note a pid).</summary>
internal sealed class LineLog : IFlyLog
{
    private readonly Action<string> _onLine;

    public LineLog(Action<string> onLine) => _onLine = onLine;

    public void Progress(string message) => _onLine(message);

    public void Detail(string message) => _onLine(message);

    public void Report(FlyDiagnostic diagnostic) => _onLine(diagnostic.ToString());
}
