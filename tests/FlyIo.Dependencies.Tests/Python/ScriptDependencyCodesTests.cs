using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Dependencies.Node;
using FlyIo.Dependencies.Python;
using FlyIo.Diagnostics;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.Python;

/// <summary>Each FLY2050–FLY2099 code has a title, a docs page, and a sample app that triggers it.</summary>
public class ScriptDependencyCodesTests
{
    /// <summary>The Python and Node rows of the table: FLY2050-FLY2099.</summary>
    private static IEnumerable<DiagnosticDescriptor> Rows() =>
        FlyCodes.All.Where(c => int.Parse(c.Code.Substring(3)) is >= 2050 and <= 2099);

    [Test]
    public void The_script_range_has_its_rows()
    {
        Assert.That(Rows().Count(), Is.EqualTo(14));
    }

    [Test]
    public void Every_code_has_its_docs_page_with_its_title()
    {
        foreach (var row in Rows())
        {
            var page = Path.Combine(RepoPaths.RepoRoot, "docs", "diagnostics", row.Code + ".md");
            Assert.That(File.Exists(page), Is.True, page);
            Assert.That(File.ReadAllLines(page)[0], Is.EqualTo("# " + row.Code + ": " + row.Title));
        }
    }

    [Test]
    public void Every_code_is_triggered_by_a_sample()
    {
        var seen = new HashSet<string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(RepoPaths.RepoRoot, "tests", "samples", "deps", "python")))
        {
            seen.UnionWith(PythonDependencyChecker.Check(dir).Select(d => d.Code));
        }

        foreach (var dir in Directory.GetDirectories(Path.Combine(RepoPaths.RepoRoot, "tests", "samples", "deps", "node")))
        {
            seen.UnionWith(NodeDependencyChecker.Check(dir, null).Select(d => d.Code));
        }

        Assert.That(Rows().Select(r => r.Code).Where(c => !seen.Contains(c)), Is.Empty);
    }
}
