using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FlyIo.Diagnostics;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.DotNet;

/// <summary>The FLY2001-FLY2049 catalogue: in range, unique, documented, and (see SampleCheckTests) each triggered.</summary>
public class DotNetCodeCatalogueTests
{
    /// <summary>The .NET dependency checker's rows: FLY2001-FLY2049, less FLY2005, which the outside-feed check reports.</summary>
    internal static string[] Codes() => FlyCodes.All.Select(c => c.Code)
        .Where(c => string.CompareOrdinal(c, "FLY2050") < 0 && c.StartsWith("FLY2", System.StringComparison.Ordinal) && c != FlyCodes.OutsideFeedMaybeNeeded.Code)
        .ToArray();

    [Test]
    public void Codes_are_unique_and_in_the_dotnet_range()
    {
        Assert.That(Codes(), Is.Unique);
        Assert.That(Codes().All(c => Regex.IsMatch(c, "^FLY20[0-4][0-9]$") && c != "FLY2000"), Is.True);
    }

    [TestCaseSource(nameof(Codes))]
    public void Code_has_its_docs_page_with_title_and_severity(string code)
    {
        var path = Path.Combine(RepoPaths.RepoRoot, "docs", "diagnostics", code + ".md");
        Assert.That(File.Exists(path), Is.True, path);
        var text = File.ReadAllText(path);
        var entry = FlyCodes.All.Single(c => c.Code == code);
        Assert.That(text, Does.StartWith("# " + code + ": " + entry.Title));
        Assert.That(text, Does.Contain("Severity: " + entry.DefaultSeverity.ToString().ToLowerInvariant()));
        Assert.That(text, Does.Contain("## How to fix"));
    }
}
