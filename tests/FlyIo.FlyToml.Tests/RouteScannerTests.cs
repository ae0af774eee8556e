using System.Linq;
using FlyIo.AppModel.CSharp;
using FlyIo.FlyToml.Project;
using NUnit.Framework;

namespace FlyIo.FlyToml.Tests;

public class RouteScannerTests
{
    private static RouteScan Scan(string[] texts) =>
        RouteScanner.Scan(new CSharpSources(texts.Select((text, i) => new CSharpSourceFile($"File{i}.cs", text))));

    [Test]
    public void Finds_minimal_api_routes_and_health_checks()
    {
        var scan = Scan(new[]
        {
            "app.MapGet(\"/items/{id}\", (int id) => id);\napp.MapHealthChecks(\"/healthz\");\napp.MapMethods(\"/m\", new[] { \"GET\" }, () => 1);\napp.Map(\"/any\", () => 1);",
        });
        Assert.That(scan.Templates, Is.EquivalentTo(new[] { "/items/{id}", "/healthz", "/m", "/any" }));
        Assert.That(scan.Matches("/items/42"), Is.True);
        Assert.That(scan.Matches("/healthz?full=1"), Is.True);
        Assert.That(scan.Matches("/items"), Is.False);
    }

    [Test]
    public void Ignores_routes_in_comments_and_inside_other_strings()
    {
        var scan = Scan(new[]
        {
            "// app.MapGet(\"/commented\", () => 1);\n/* app.MapGet(\"/block\", () => 1); */\n" +
            "var s = \"app.MapGet(\\\"/in-string\\\")\";\nvar v = @\"MapGet(\"\"/in-verbatim\"\")\";\n" +
            "var r = \"\"\"\n    MapGet(\"/in-raw\")\n    \"\"\";\napp.MapGet(\"/real\", () => 1);",
        });
        Assert.That(scan.Templates, Is.EqualTo(new[] { "/real" }));
    }

    [Test]
    public void Reads_verbatim_and_raw_literals_as_routes()
    {
        var scan = Scan(new[] { "app.MapGet(@\"/verbatim\", () => 1);\napp.MapGet(\"\"\"/raw\"\"\", () => 1);" });
        Assert.That(scan.Templates, Is.EquivalentTo(new[] { "/verbatim", "/raw" }));
    }

    [Test]
    public void Interpolated_or_computed_routes_are_not_taken_as_literals()
    {
        var scan = Scan(new[] { "app.MapGet($\"/{prefix}/x\", () => 1);\napp.MapGet(Routes.Health, () => 1);" });
        Assert.That(scan.Templates, Is.Empty);
    }

    [Test]
    public void Attribute_routes_combine_controller_and_action_templates()
    {
        var scan = Scan(new[] { "[Route(\"api/status\")]\npublic class S : ControllerBase {\n [HttpGet(\"ping\")] public int P() => 1; }" });
        Assert.That(scan.Matches("/api/status/ping"), Is.True);
        Assert.That(scan.Matches("/api/status"), Is.True);
    }

    [Test]
    public void MapGroup_and_controller_tokens_make_paths_unknowable()
    {
        Assert.That(Scan(new[] { "var g = app.MapGroup(\"/api\"); g.MapGet(\"/x\", () => 1);" }).HasUnresolvablePrefixes, Is.True);
        Assert.That(Scan(new[] { "[Route(\"api/[controller]\")]" }).HasUnresolvablePrefixes, Is.True);
    }

    [TestCase("/items/{id?}", "/items", true)]
    [TestCase("/files/{*path}", "/files/a/b", true)]
    [TestCase("health", "/HEALTH", true)]
    [TestCase("/a/{id}", "/a/1/2", false)]
    public void Templates_match_paths(string template, string path, bool matches) =>
        Assert.That(Scan(new[] { $"app.MapGet(\"{template}\", () => 1);" }).Matches(path), Is.EqualTo(matches));
}
