using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using FlyIo.Dependencies.Node;
using FlyIo.Dependencies.Python;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.Python;

/// <summary>Each FLY2050–FLY2099 code has a title, a docs page, and a sample app that triggers it.</summary>
public class ScriptDependencyCodesTests
{
    private static IEnumerable<string> Codes() =>
        typeof(ScriptDependencyCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    [Test]
    public void Every_constant_is_in_the_catalogue_and_in_range()
    {
        Assert.That(Codes(), Is.EquivalentTo(ScriptDependencyCodes.Titles.Keys));
        Assert.That(Codes().Select(c => int.Parse(c.Substring(3))), Is.All.InRange(2050, 2099));
    }

    [Test]
    public void Every_code_has_its_docs_page_with_its_title()
    {
        foreach (var pair in ScriptDependencyCodes.Titles)
        {
            var page = Path.Combine(RepoPaths.RepoRoot, "docs", "diagnostics", pair.Key + ".md");
            Assert.That(File.Exists(page), Is.True, page);
            Assert.That(File.ReadAllLines(page)[0], Is.EqualTo("# " + pair.Key + ": " + pair.Value));
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

        Assert.That(ScriptDependencyCodes.Titles.Keys.Where(c => !seen.Contains(c)), Is.Empty);
    }
}
