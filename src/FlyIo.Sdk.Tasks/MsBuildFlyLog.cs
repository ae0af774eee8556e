using FlyIo.Diagnostics;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Writes FlyDiagnostics through MSBuild in the canonical located form (<c>file(line,col): error FLYnnnn: …</c>),
/// with the code's help page as the help link, so IDEs and CI annotators can jump to the spot.
/// </summary>
internal static class DiagnosticLogger
{
    public static void Log(TaskLoggingHelper log, FlyDiagnostic diagnostic)
    {
        switch (diagnostic.Severity)
        {
            case DiagnosticSeverity.Error:
                log.LogError(
                    subcategory: null,
                    errorCode: diagnostic.Code,
                    helpKeyword: diagnostic.Code,
                    helpLink: diagnostic.HelpLink,
                    file: diagnostic.File,
                    lineNumber: diagnostic.Line,
                    columnNumber: diagnostic.Column,
                    endLineNumber: diagnostic.EndLine,
                    endColumnNumber: diagnostic.EndColumn,
                    message: diagnostic.Message);
                break;
            case DiagnosticSeverity.Warning:
                log.LogWarning(
                    subcategory: null,
                    warningCode: diagnostic.Code,
                    helpKeyword: diagnostic.Code,
                    helpLink: diagnostic.HelpLink,
                    file: diagnostic.File,
                    lineNumber: diagnostic.Line,
                    columnNumber: diagnostic.Column,
                    endLineNumber: diagnostic.EndLine,
                    endColumnNumber: diagnostic.EndColumn,
                    message: diagnostic.Message);
                break;
            default:
                // Messages are informational findings: still located, shown at normal verbosity.
                log.LogMessage(
                    subcategory: null,
                    code: diagnostic.Code,
                    helpKeyword: diagnostic.Code,
                    file: diagnostic.File,
                    lineNumber: diagnostic.Line,
                    columnNumber: diagnostic.Column,
                    endLineNumber: diagnostic.EndLine,
                    endColumnNumber: diagnostic.EndColumn,
                    importance: Microsoft.Build.Framework.MessageImportance.High,
                    message: diagnostic.Message);
                break;
        }
    }
}
