using FlyIo.Diagnostics;
using FlyIo.Machines;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// The one place library reports become MSBuild output. Progress is a High message (shown at normal verbosity),
/// detail a Normal one, and a diagnostic the canonical located form (<c>file(line,col): error FLYnnnn: …</c>) with
/// its help page as the help link, so IDEs and CI annotators can jump to the spot. Every line is prefixed with the
/// task's name and has the Fly token blanked out once the task knows it. Libraries call it from worker threads:
/// MSBuild's logging accepts that, and drops what arrives after the task returned (a lease released late).
/// </summary>
internal sealed class MsBuildFlyLog : IFlyLog
{
    private readonly TaskLoggingHelper _log;
    private readonly string _prefix;
    private volatile FlyToken? _token;

    public MsBuildFlyLog(TaskLoggingHelper log, string taskName)
    {
        _log = log;
        _prefix = taskName + ": ";
    }

    /// <summary>From now on, <paramref name="token"/> (when there is one) is blanked out of every line, should anything echo it.</summary>
    public void Hide(FlyToken? token) => _token = token ?? _token;

    public void Progress(string message) => _log.LogMessage(MessageImportance.High, Safe(_prefix + message));

    public void Detail(string message) => _log.LogMessage(MessageImportance.Normal, Safe(_prefix + message));

    /// <summary>
    /// What the target produced, as "Project -> result": the line the .NET SDK logs for a build's or publish's output.
    /// The terminal logger shows no other message by default (high importance only at -tlp:v=d); this one it prints
    /// after "Project succeeded", so a deploy's URL or a status table is visible with no flag. The classic console
    /// logger prints it like any high-importance line. It keeps only the last such line of a project, so each target
    /// logs its result once, at the end.
    /// </summary>
    public void Result(string projectFile, string result) =>
        _log.LogMessage(MessageImportance.High, Safe($"{System.IO.Path.GetFileNameWithoutExtension(projectFile)} -> {result}"));

    public void Report(FlyDiagnostic diagnostic)
    {
        var message = Safe(diagnostic.Message);
        switch (diagnostic.Severity)
        {
            case DiagnosticSeverity.Error:
                _log.LogError(
                    subcategory: null,
                    errorCode: diagnostic.Code,
                    helpKeyword: diagnostic.Code,
                    helpLink: diagnostic.HelpLink,
                    file: diagnostic.File,
                    lineNumber: diagnostic.Line,
                    columnNumber: diagnostic.Column,
                    endLineNumber: diagnostic.EndLine,
                    endColumnNumber: diagnostic.EndColumn,
                    message: message);
                break;
            case DiagnosticSeverity.Warning:
                _log.LogWarning(
                    subcategory: null,
                    warningCode: diagnostic.Code,
                    helpKeyword: diagnostic.Code,
                    helpLink: diagnostic.HelpLink,
                    file: diagnostic.File,
                    lineNumber: diagnostic.Line,
                    columnNumber: diagnostic.Column,
                    endLineNumber: diagnostic.EndLine,
                    endColumnNumber: diagnostic.EndColumn,
                    message: message);
                break;
            default:
                // Messages are informational findings: still located, shown at normal verbosity.
                _log.LogMessage(
                    subcategory: null,
                    code: diagnostic.Code,
                    helpKeyword: diagnostic.Code,
                    file: diagnostic.File,
                    lineNumber: diagnostic.Line,
                    columnNumber: diagnostic.Column,
                    endLineNumber: diagnostic.EndLine,
                    endColumnNumber: diagnostic.EndColumn,
                    importance: MessageImportance.High,
                    message: message);
                break;
        }
    }

    private string Safe(string text) => _token is { } token ? token.Redact(text) : text;
}
