using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using FlyIo.Diagnostics;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// The one diagnostics table (FlyCodes) against everything else that names a code: each row has its page under
/// docs/diagnostics with the row's title, each page has a row, sources make diagnostics only from rows, and the
/// MSBuild targets raise only codes the table lists.
/// </summary>
[TestFixture]
public sealed class DiagnosticPagesTests
{
    private static readonly string TableFile = Path.Combine("src", "FlyIo.Diagnostics", "FlyCodes.cs");

    // A code as a C# string literal.
    private static readonly Regex Literal = new("\"(?<code>FLY\\d{4})\"", RegexOptions.CultureInvariant);

    // A code an MSBuild file raises: <Error Code="FLY9001" .../>, <Warning Code=... />.
    private static readonly Regex TargetsCode = new("Code=\"(?<code>FLY\\d{4})\"", RegexOptions.CultureInvariant);

    private static string Docs => Path.Combine(RepoPaths.RepoRoot, "docs", "diagnostics");

    [Test]
    public void EveryRowHasItsPage_AndEveryPageARow()
    {
        var rows = FlyCodes.All.Select(r => r.Code).ToHashSet();
        var pages = Directory.GetFiles(Docs, "FLY*.md").Select(Path.GetFileNameWithoutExtension).ToHashSet();

        Assert.That(rows.Except(pages), Is.Empty, "rows without a docs/diagnostics page");
        Assert.That(pages.Except(rows), Is.Empty, "pages without a row in FlyCodes");
    }

    [Test]
    public void EveryPageIsTitledWithItsCodeAndTheTablesTitle()
    {
        foreach (var row in FlyCodes.All)
        {
            var page = Path.Combine(Docs, row.Code + ".md");
            Assert.That(File.ReadLines(page).First(), Is.EqualTo("# " + row.Code + ": " + row.Title), page);
        }
    }

    [Test]
    public void NoTwoRowsShareACode_AndEveryFieldIsARow()
    {
        Assert.That(FlyCodes.All.Select(r => r.Code), Is.Unique);
        Assert.That(FlyCodes.All.Select(r => r.Code), Has.All.Match("^FLY[0-9]{4}$"));
        var fields = typeof(FlyCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor)).Select(f => (DiagnosticDescriptor)f.GetValue(null)!).ToList();
        Assert.That(fields, Is.EquivalentTo(FlyCodes.All), "FlyCodes.All lists every row once");
    }

    /// <summary>A code no test names is a code no test ever saw raised.</summary>
    [Test]
    public void EveryRowIsNamedByATestThatExpectsIt()
    {
        var tests = string.Join("\n", Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f) && Path.GetFileName(f) != nameof(DiagnosticPagesTests) + ".cs")
            .Select(File.ReadAllText));
        var fields = typeof(FlyCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(DiagnosticDescriptor));
        var unnamed = fields.Where(f => !Regex.IsMatch(tests, @"\bFlyCodes\." + f.Name + @"\b") && !tests.Contains(((DiagnosticDescriptor)f.GetValue(null)!).Code))
            .Select(f => f.Name).ToList();

        Assert.That(unnamed, Is.Empty, "rows no test expects");
    }

    [Test]
    public void NoSourceOutsideTheTableSpellsACode()
    {
        var offenders = Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f) && !f.EndsWith(TableFile, System.StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => Literal.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(RepoPaths.RepoRoot, x.f)}({x.i + 1}): {x.line.Trim()}")
            .ToList();

        Assert.That(offenders, Is.Empty, "use the FlyCodes row instead of the code's string");
    }

    [Test]
    public void EveryCodeTheTargetsRaiseIsARow()
    {
        var raised = Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "nuget"), "*.targets", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "nuget"), "*.props", SearchOption.AllDirectories))
            .SelectMany(f => TargetsCode.Matches(File.ReadAllText(f)).Select(m => m.Groups["code"].Value))
            .ToHashSet();

        Assert.That(raised, Is.Not.Empty);
        Assert.That(raised.Except(FlyCodes.All.Select(r => r.Code)), Is.Empty, "codes the targets raise that the table lacks");
    }

    [Test]
    public void HelpLinksPointAtThePageOfTheirCode()
    {
        var diagnostic = FlyCodes.ValueNotAllowed.Create("m", "fly.toml", 1, 1);

        Assert.That(diagnostic.HelpLink, Does.EndWith("/docs/diagnostics/FLY1025.md"));
        Assert.That(FlyCodes.ValueNotAllowed.HelpLink, Is.EqualTo(diagnostic.HelpLink));
        Assert.That(diagnostic.ToString(), Is.EqualTo("fly.toml(1,1): error FLY1025: m"));
        Assert.That(FlyCodes.UnknownKey.Create("m", severity: DiagnosticSeverity.Error).Severity, Is.EqualTo(DiagnosticSeverity.Error));
        Assert.Throws<System.ArgumentException>(() => DiagnosticHelp.LinkFor("FLY12"));
    }

    private static bool IsBuildOutput(string path) =>
        path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
        || path.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar);
}
