using System;
using FlyIo.Diagnostics;
using FlyIo.Toml.Lexing;
using Tomlyn.Syntax;

namespace FlyIo.Toml.Reading;

/// <summary>Turns Tomlyn's first (leftmost) error into the project's located FLY000x error.</summary>
internal static class TomlynErrors
{
    /// <summary>
    /// Fails with the leftmost error that stands. Tomlyn's date-time reader refuses some valid TOML 1.0 forms (more
    /// than seven fractional digits) but still gives them a token: those are left to <see cref="DateTimeParser"/>.
    /// </summary>
    public static void FailOnErrors(SourceText source, DiagnosticsBag diagnostics)
    {
        DiagnosticMessage? first = null;
        foreach (var message in diagnostics)
        {
            if (message.Kind != DiagnosticMessageKind.Error || (first is not null && message.Span.Start.Offset >= first.Span.Start.Offset))
            {
                continue;
            }

            if (IsDateTimeFormat(message.Message) && DateTimeParser.Accepts(source, Text(source, message.Span)))
            {
                continue;
            }

            first = message;
        }

        if (first is null)
        {
            return;
        }

        var code = Classify(first.Message);
        var offset = Math.Min(Math.Max(first.Span.Start.Offset, 0), source.Text.Length);
        if (Has(first.Message, "End-Of-File"))
        {
            offset = source.Text.Length;
        }
        else if (code == FlyCodes.TomlInvalidString)
        {
            // Tomlyn points inside the escape; the project's errors point at its backslash.
            var backslash = source.Text.LastIndexOf('\\', offset);
            offset = backslash >= 0 && offset - backslash <= 10 ? backslash : offset;
        }

        if (code == FlyCodes.TomlSyntax && Has(first.Message, "Unexpected token"))
        {
            (code, offset) = MalformedValue(source.Text, offset);
        }

        source.Fail(code, Reason(first.Message), offset);
    }

    /// <summary>
    /// Tomlyn's lexer splits a malformed number (<c>1.</c>, <c>+0x10</c>) into tokens its parser then refuses: when
    /// the error falls in a value that starts like a number or a date, it is an invalid number or date-time, located
    /// at the start of the value, as the docs/diagnostics pages say.
    /// </summary>
    private static (DiagnosticDescriptor Code, int Offset) MalformedValue(string text, int offset)
    {
        if (offset >= text.Length || !IsScalar(text[offset]))
        {
            return (FlyCodes.TomlSyntax, offset);
        }

        var start = offset;
        while (start > 0 && IsScalar(text[start - 1]))
        {
            start--;
        }

        var first = text[start];
        var numeric = CharClass.IsDigit(first)
            || ((first == '+' || first == '-') && start + 1 < text.Length && CharClass.IsDigit(text[start + 1]));
        var before = start - 1;
        while (before >= 0 && (text[before] == ' ' || text[before] == '\t'))
        {
            before--;
        }

        if (!numeric || before < 0 || (text[before] != '=' && text[before] != '[' && text[before] != ','))
        {
            return (FlyCodes.TomlSyntax, offset);
        }

        var end = offset;
        while (end < text.Length && IsScalar(text[end]))
        {
            end++;
        }

        var value = text.Substring(start, end - start);
        var dateLike = value.IndexOf(':') >= 0 || (value.Length >= 5 && value[4] == '-' && CharClass.IsDigit(value[0]));
        return (dateLike ? FlyCodes.TomlInvalidDateTime : FlyCodes.TomlInvalidNumber, start);
    }

    private static bool IsScalar(char c) => CharClass.IsBareKey(c) || c == '+' || c == '.' || c == ':';

    private static bool IsDateTimeFormat(string message) =>
        message.StartsWith("Invalid format of date time/offset", StringComparison.Ordinal)
        || message.StartsWith("Unable to parse the date time/offset", StringComparison.Ordinal);

    private static string Text(SourceText source, SourceSpan span)
    {
        var start = Math.Max(span.Start.Offset, 0);
        var end = Math.Min(span.End.Offset + 1, source.Text.Length);
        return end > start ? source.Text.Substring(start, end - start) : string.Empty;
    }

    /// <summary>Tomlyn's messages name what went wrong; the codes group them as docs/diagnostics describe.</summary>
    internal static DiagnosticDescriptor Classify(string message)
    {
        if (Has(message, "control character") || Has(message, "\\r not followed") || Has(message, "surrogate"))
        {
            return FlyCodes.TomlInvalidEncoding;
        }

        if (Has(message, "End-Of-File") || Has(message, "newline in a string") || Has(message, "Unexpected token"))
        {
            return FlyCodes.TomlSyntax;
        }

        if (Has(message, "escape") || Has(message, "Unicode scalar"))
        {
            return FlyCodes.TomlInvalidString;
        }

        if (Has(message, "date") || Has(message, "time"))
        {
            return FlyCodes.TomlInvalidDateTime;
        }

        if (Has(message, "integer") || Has(message, "float") || Has(message, "digit") || Has(message, "underscore")
            || Has(message, "leading 0") || Has(message, "hexadecimal") || Has(message, "octal") || Has(message, "binary"))
        {
            return FlyCodes.TomlInvalidNumber;
        }

        return FlyCodes.TomlSyntax;
    }

    private static string Reason(string message) => message.StartsWith("Error while parsing ", StringComparison.Ordinal)
        ? message.Substring(message.IndexOf(':') + 1).Trim()
        : message;

    private static bool Has(string message, string part) => message.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;
}
