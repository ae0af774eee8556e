namespace FlyIo.Diagnostics;

/// <summary>
/// Where library code reports while it works. The libraries know nothing of MSBuild, consoles or test runners, so
/// they speak through this one interface and the host decides how each kind is shown; the MSBuild tasks have one
/// adapter for it. Calls may come from any thread (a deploy updates machines in parallel; a child process writes
/// stdout and stderr at once), so an implementation must accept concurrent calls.
/// </summary>
public interface IFlyLog
{
    /// <summary>A line the user should see as it happens: a deploy phase, a machine that changed.</summary>
    void Progress(string message);

    /// <summary>A low-importance line: a builder's output, a retried request. Shown when the user asks for detail.</summary>
    void Detail(string message);

    /// <summary>A located finding with its FLYnnnn code.</summary>
    void Report(FlyDiagnostic diagnostic);
}
