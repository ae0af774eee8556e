namespace FlyIo.Diagnostics;

/// <summary>The log for callers that want no reports.</summary>
public static class FlyLog
{
    /// <summary>Drops everything: the default, so library code never checks for a missing log.</summary>
    public static readonly IFlyLog None = new NoLog();

    private sealed class NoLog : IFlyLog
    {
        public void Progress(string message)
        {
        }

        public void Detail(string message)
        {
        }

        public void Report(FlyDiagnostic diagnostic)
        {
        }
    }
}
