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

    public void Error(string code, TomlPosition at, string message) => Add(code, DiagnosticSeverity.Error, at, message);

    public void Warning(string code, TomlPosition at, string message) => Add(code, DiagnosticSeverity.Warning, at, message);

    public void Add(string code, DiagnosticSeverity severity, TomlPosition at, string message) =>
        _bag.Add(new FlyDiagnostic(code, severity, message, File, at.Line, at.Column));

    /// <summary>A finding about another file (a Dockerfile, a source file).</summary>
    public void AddElsewhere(string code, DiagnosticSeverity severity, string file, int line, int column, string message) =>
        _bag.Add(new FlyDiagnostic(code, severity, message, file, line, column));
}
