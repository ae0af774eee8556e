using System;

namespace FlyIo.Toml;

/// <summary>
/// The only exception the parser lets escape: a located FLYnnnn error. Callers turn it into a diagnostic
/// without having to know anything else about the parser.
/// </summary>
public sealed class TomlParseException : Exception
{
    public TomlParseException(string code, string reason, int line, int column)
        : base($"({line},{column}): {code}: {reason}")
    {
        Code = code;
        Reason = reason;
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of the offending text.</summary>
    public int Line { get; }

    /// <summary>1-based column (UTF-16 code units) of the offending text.</summary>
    public int Column { get; }

    /// <summary>One of <see cref="TomlErrorCodes"/>.</summary>
    public string Code { get; }

    /// <summary>The message without the position.</summary>
    public string Reason { get; }
}
