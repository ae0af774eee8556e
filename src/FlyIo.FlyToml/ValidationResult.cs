using System.Collections.Generic;
using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.Toml;

namespace FlyIo.FlyToml;

/// <summary>The findings about one fly.toml, and the parsed document when it could be read.</summary>
public sealed class ValidationResult
{
    public ValidationResult(IReadOnlyList<FlyDiagnostic> diagnostics, TomlDocument? document)
    {
        Diagnostics = diagnostics;
        Document = document;
    }

    public IReadOnlyList<FlyDiagnostic> Diagnostics { get; }

    public TomlDocument? Document { get; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
