namespace FlyIo.Diagnostics;

/// <summary>How a diagnostic is reported through MSBuild.</summary>
public enum DiagnosticSeverity
{
    /// <summary>An MSBuild message (high importance).</summary>
    Message,
    Warning,
    Error,
}
