namespace FlyIo.Diagnostics;

/// <summary>
/// One row of <see cref="FlyCodes"/>: a code, the severity it is reported with, and the title of its page
/// (docs/diagnostics/&lt;code&gt;.md). Every diagnostic is made from its row, so a code cannot drift from its meaning.
/// </summary>
public sealed record DiagnosticDescriptor(string Code, DiagnosticSeverity DefaultSeverity, string Title)
{
    /// <summary>The page that explains this code.</summary>
    public string HelpLink => DiagnosticHelp.LinkFor(Code);

    /// <summary>
    /// A finding with this code. Line and column 0 mean the whole file. <paramref name="severity"/> is for the few
    /// codes whose severity depends on the situation (strict mode, a warning where the SDK can go on).
    /// </summary>
    public FlyDiagnostic Create(string message, string? file = null, int line = 0, int column = 0, DiagnosticSeverity? severity = null) =>
        new(Code, severity ?? DefaultSeverity, message, file, line, column);

    public override string ToString() => Code;
}
