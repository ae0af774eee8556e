using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>One dotnet CLI run: its exit code, its whole log, and the canonical diagnostics found in it.</summary>
internal sealed class BuildResult
{
    // file(line,col): error FLY1234: message  — MSBuild's canonical form; the project suffix " [x.csproj]" is dropped.
    private static readonly Regex Canonical = new(
        @"^\s*(?<file>[^\s(][^(]*?)(\((?<line>\d+)(,(?<col>\d+))?\))?\s*:\s*(?<sev>error|warning)\s+(?<code>[A-Z]+\d+)\s*:\s*(?<msg>.*?)(\s+\[[^\]]+\])?$",
        RegexOptions.CultureInvariant);

    public BuildResult(string command, int exitCode, string output)
    {
        Command = command;
        ExitCode = exitCode;
        Output = output;
        // MSBuild repeats every diagnostic in its closing summary: one entry per distinct diagnostic.
        Diagnostics = output.Split('\n')
            .Select(line => Canonical.Match(line.TrimEnd('\r')))
            .Where(m => m.Success)
            .Select(m => new LoggedDiagnostic(
                m.Groups["file"].Value.Trim(),
                m.Groups["line"].Success ? int.Parse(m.Groups["line"].Value) : 0,
                m.Groups["col"].Success ? int.Parse(m.Groups["col"].Value) : 0,
                m.Groups["sev"].Value,
                m.Groups["code"].Value,
                m.Groups["msg"].Value))
            .Distinct()
            .ToList();
    }

    public string Command { get; }

    public int ExitCode { get; }

    public string Output { get; }

    public IReadOnlyList<LoggedDiagnostic> Diagnostics { get; }

    public IEnumerable<LoggedDiagnostic> Errors => Diagnostics.Where(d => d.Severity == "error");

    public IEnumerable<LoggedDiagnostic> Warnings => Diagnostics.Where(d => d.Severity == "warning");

    public BuildResult AssertSucceeded()
    {
        Assert.That(ExitCode, Is.EqualTo(0), $"'{Command}' failed; its log is printed below the test.");
        return this;
    }

    public BuildResult AssertFailed()
    {
        Assert.That(ExitCode, Is.Not.EqualTo(0), $"'{Command}' succeeded but was expected to fail; its log is printed below the test.");
        return this;
    }

    public LoggedDiagnostic Single(string code)
    {
        var matches = Diagnostics.Where(d => d.Code == code).ToList();
        Assert.That(matches, Has.Count.EqualTo(1), $"expected exactly one {code} in the log of '{Command}'");
        return matches[0];
    }

    public override string ToString() => $"$ {Command}\n(exit {ExitCode})\n{Output}";
}

internal sealed record LoggedDiagnostic(string File, int Line, int Column, string Severity, string Code, string Message);

/// <summary>Keeps each test's build logs, so a failing test prints every build it ran, whole.</summary>
internal static class BuildLog
{
    private static readonly Dictionary<string, List<BuildResult>> ByTest = new();

    public static void Record(BuildResult result)
    {
        var id = TestContext.CurrentContext.Test.ID ?? "";
        lock (ByTest)
        {
            if (!ByTest.TryGetValue(id, out var list))
            {
                ByTest[id] = list = new List<BuildResult>();
            }

            list.Add(result);
        }
    }

    public static void PrintIfFailed()
    {
        var context = TestContext.CurrentContext;
        List<BuildResult>? list;
        lock (ByTest)
        {
            ByTest.TryGetValue(context.Test.ID ?? "", out list);
            ByTest.Remove(context.Test.ID ?? "");
        }

        if (list is null || context.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            return;
        }

        foreach (var result in list)
        {
            TestContext.Out.WriteLine("==================== build log ====================");
            TestContext.Out.WriteLine(result.ToString());
        }
    }
}

/// <summary>Base for tests that build projects: prints the whole log of every build of a failed test.</summary>
public abstract class BuildTestBase
{
    [TearDown]
    public void PrintBuildLogsOnFailure() => BuildLog.PrintIfFailed();

    /// <summary>Each part appears in the output, each after the one before.</summary>
    protected static void AssertInOrder(string output, params string[] parts)
    {
        var at = 0;
        foreach (var part in parts)
        {
            var next = output.IndexOf(part, at, StringComparison.Ordinal);
            Assert.That(next, Is.GreaterThanOrEqualTo(0), $"'{part}' after position {at} of the log");
            at = next + part.Length;
        }
    }

    /// <summary>How many times the part appears in the text.</summary>
    protected static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
