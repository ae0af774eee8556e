using FlyIo.Diagnostics;
using FlyIo.Toml;

namespace FlyIo.FlyToml;

/// <summary>Adds located diagnostics about one file to a bag, so rules only say what and where.</summary>
internal sealed class DiagnosticSink
{
    private readonly DiagnosticBag _bag;

    public DiagnosticSink(DiagnosticBag bag, string file)
    {
        _bag = bag;
        File = file;
    }

    public string File { get; }

    public void Error(DiagnosticDescriptor code, TomlPosition at, string message) => Add(code, DiagnosticSeverity.Error, at, message);

    public void Warning(DiagnosticDescriptor code, TomlPosition at, string message) => Add(code, DiagnosticSeverity.Warning, at, message);

    public void Add(DiagnosticDescriptor code, DiagnosticSeverity severity, TomlPosition at, string message) =>
        _bag.Add(code.Create(message, File, at.Line, at.Column, severity: severity));

    /// <summary>A finding about another file (a Dockerfile, a source file).</summary>
    public void AddElsewhere(DiagnosticDescriptor code, DiagnosticSeverity severity, string file, int line, int column, string message) =>
        _bag.Add(code.Create(message, file, line, column, severity: severity));
}
