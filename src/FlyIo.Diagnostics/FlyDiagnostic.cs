using System;

namespace FlyIo.Diagnostics;

/// <summary>
/// One finding about a file: a stable FLYnnnn code, a severity, a message and the 1-based position it is about.
/// Line and column 0 mean "the whole file" (MSBuild then prints only the file name).
/// </summary>
public sealed record FlyDiagnostic(
    string Code,
    DiagnosticSeverity Severity,
    string Message,
    string? File,
    int Line,
    int Column,
    int EndLine = 0,
    int EndColumn = 0)
{
    /// <summary>The page that explains this code: docs/diagnostics/FLYnnnn.md.</summary>
    public string HelpLink => DiagnosticHelp.LinkFor(Code);

    /// <summary>The canonical MSBuild form, e.g. <c>fly.toml(12,5): error FLY1001: message</c>.</summary>
    public override string ToString()
    {
        var location = File ?? "fly.toml";
        if (Line > 0)
        {
            location += Column > 0 ? $"({Line},{Column})" : $"({Line})";
        }

        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "message",
        };
        return $"{location}: {severity} {Code}: {Message}";
    }

    /// <summary>The same finding, moved to another severity (e.g. an unknown key in strict mode).</summary>
    public FlyDiagnostic WithSeverity(DiagnosticSeverity severity) => this with { Severity = severity };

    internal static bool IsValidCode(string code) =>
        code.Length == 7 && code.StartsWith("FLY", StringComparison.Ordinal) &&
        char.IsDigit(code[3]) && char.IsDigit(code[4]) && char.IsDigit(code[5]) && char.IsDigit(code[6]);
}
