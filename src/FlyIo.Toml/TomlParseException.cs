using System;
using FlyIo.Diagnostics;

namespace FlyIo.Toml;

/// <summary>
/// The only exception the parser lets escape: a located FLYnnnn error. Callers turn it into a diagnostic
/// without having to know anything else about the parser.
/// </summary>
public sealed class TomlParseException : Exception
{
    public TomlParseException(DiagnosticDescriptor code, string reason, int line, int column)
        : base($"({line},{column}): {code.Code}: {reason}")
    {
        Descriptor = code;
        Reason = reason;
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of the offending text.</summary>
    public int Line { get; }

    /// <summary>1-based column (UTF-16 code units) of the offending text.</summary>
    public int Column { get; }

    /// <summary>The FLY00xx row of <see cref="FlyCodes"/> this error belongs to.</summary>
    public DiagnosticDescriptor Descriptor { get; }

    public string Code => Descriptor.Code;

    /// <summary>The message without the position.</summary>
    public string Reason { get; }
}
