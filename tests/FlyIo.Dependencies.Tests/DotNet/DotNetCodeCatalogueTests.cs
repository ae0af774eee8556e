using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FlyIo.Dependencies.DotNet;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.DotNet;

/// <summary>The FLY2001-FLY2049 catalogue: in range, unique, documented, and (see SampleCheckTests) each triggered.</summary>
public class DotNetCodeCatalogueTests
{
    private static string[] Codes() => DotNetDependencyCodes.All.Select(c => c.Code).ToArray();

    [Test]
    public void Codes_are_unique_and_in_the_dotnet_range()
    {
        Assert.That(Codes(), Is.Unique);
        Assert.That(Codes().All(c => Regex.IsMatch(c, "^FLY20[0-4][0-9]$") && c != "FLY2000"), Is.True);
        var constants = typeof(DotNetDependencyCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();
        Assert.That(constants, Is.EquivalentTo(Codes()), "every constant is in All and the other way round");
    }

    [TestCaseSource(nameof(Codes))]
    public void Code_has_its_docs_page_with_title_and_severity(string code)
    {
        var path = Path.Combine(RepoPaths.RepoRoot, "docs", "diagnostics", code + ".md");
        Assert.That(File.Exists(path), Is.True, path);
        var text = File.ReadAllText(path);
        var entry = DotNetDependencyCodes.All.Single(c => c.Code == code);
        Assert.That(text, Does.StartWith("# " + code + ": " + entry.Title));
        Assert.That(text, Does.Contain("Severity: " + entry.DefaultSeverity.ToString().ToLowerInvariant()));
        Assert.That(text, Does.Contain("## How to fix"));
    }
}
