using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FlyIo.Diagnostics;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// Every FLYnnnn code the product can emit (named anywhere in src/ or the package's MSBuild files) has its own page
/// under docs/diagnostics, titled with the code, and every page belongs to a code the product emits.
/// </summary>
[TestFixture]
public sealed class DiagnosticPagesTests
{
    // A code as a string literal (C#) or attribute value (MSBuild); ranges named in comments are not codes.
    private static readonly Regex Code = new("\"(?<code>FLY\\d{4})\"", RegexOptions.CultureInvariant);

    [Test]
    public void EveryEmittedCodeHasItsPage_AndEveryPageAnEmittedCode()
    {
        var sources = Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "nuget"), "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".props") || f.EndsWith(".targets")))
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                     && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar));
        var emitted = sources.SelectMany(f => Code.Matches(File.ReadAllText(f)).Select(m => m.Groups["code"].Value)).ToHashSet();
        var pages = Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "docs", "diagnostics"), "FLY*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .ToHashSet();

        Assert.That(emitted, Is.Not.Empty);
        Assert.That(emitted.Except(pages), Is.Empty, "codes without a docs/diagnostics page");
        Assert.That(pages.Except(emitted), Is.Empty, "pages for codes nothing emits");
    }

    [Test]
    public void EveryPageIsTitledWithItsCode()
    {
        foreach (var page in Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "docs", "diagnostics"), "FLY*.md"))
        {
            var code = Path.GetFileNameWithoutExtension(page);
            Assert.That(File.ReadLines(page).First(), Does.StartWith("# " + code), page);
        }
    }

    [Test]
    public void HelpLinksPointAtThePageOfTheirCode()
    {
        var diagnostic = new FlyDiagnostic("FLY1025", DiagnosticSeverity.Error, "m", "fly.toml", 1, 1);

        Assert.That(diagnostic.HelpLink, Does.EndWith("/docs/diagnostics/FLY1025.md"));
        Assert.That(diagnostic.ToString(), Is.EqualTo("fly.toml(1,1): error FLY1025: m"));
        Assert.Throws<System.ArgumentException>(() => DiagnosticHelp.LinkFor("FLY12"));
    }
}
