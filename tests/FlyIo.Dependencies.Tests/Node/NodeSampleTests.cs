using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Dependencies.Node;
using FlyIo.Diagnostics;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.Node;

/// <summary>The sample apps under tests/samples/deps/node.</summary>
public class NodeSampleTests
{
    internal static string Sample(string name) => Path.Combine(RepoPaths.RepoRoot, "tests", "samples", "deps", "node", name);

    internal static IReadOnlyList<FlyDiagnostic> Check(string name, string? dockerfile = null)
    {
        var result = NodeDependencyChecker.Check(Sample(name), dockerfile);
        TestContext.Out.WriteLine(string.Join("\n", result));
        return result;
    }

    [Test]
    public void Seed_prisma_client_in_devDependencies_with_npm_ci_omit_dev_is_an_error_at_the_import()
    {
        var diagnostics = Check("node-prisma-devdep");
        var import = diagnostics.Single(d => d.Code == "FLY2071");
        Assert.Multiple(() =>
        {
            Assert.That(import.Severity, Is.EqualTo(DiagnosticSeverity.Error));
            Assert.That((import.File, import.Line, import.Column), Is.EqualTo(("src/server.js", 2, 30)));
            Assert.That(import.Message, Does.Contain("npm install --save @prisma/client").And.Contain("Dockerfile(4)").And.Contain("--omit=dev"));
        });
    }

    [Test]
    public void Seed_prisma_cli_in_start_script_with_dev_omitted_is_an_error_at_the_script()
    {
        var diagnostics = Check("node-prisma-devdep");
        var cli = diagnostics.Single(d => d.Code == "FLY2073");
        Assert.That((cli.Severity, cli.File, cli.Line, cli.Column), Is.EqualTo((DiagnosticSeverity.Error, "package.json", 6, 14)));
        Assert.That(cli.Message, Does.Contain("`prisma`").And.Contain("npm install --save prisma"));
        Assert.That(diagnostics, Has.Count.EqualTo(2), "vitest is imported only by a test file");
    }

    [Test]
    public void Same_app_whose_image_keeps_dev_dependencies_gets_warnings()
    {
        var diagnostics = Check("node-prisma-devdep-kept");
        Assert.That(diagnostics.Select(d => (d.Code, d.Severity)), Is.EquivalentTo(new[]
        {
            ("FLY2072", DiagnosticSeverity.Warning),
            ("FLY2073", DiagnosticSeverity.Warning),
        }));
    }

    [Test]
    public void Seed_dockerfile_passed_explicitly_to_an_app_without_one_still_counts()
    {
        var diagnostics = Check("node-prisma-devdep-kept", Path.Combine(Sample("node-prisma-devdep"), "Dockerfile"));
        Assert.That(diagnostics.Select(d => (d.Code, d.Severity)), Is.EquivalentTo(new[]
        {
            ("FLY2071", DiagnosticSeverity.Error),
            ("FLY2073", DiagnosticSeverity.Error),
        }));
    }

    [Test]
    public void Packages_missing_from_package_json_are_errors_through_the_import_graph_and_type_imports_are_not()
    {
        var diagnostics = Check("node-missing-package");
        Assert.That(diagnostics.Select(d => (d.Code, d.File, d.Line, d.Column)), Is.EquivalentTo(new[]
        {
            ("FLY2070", "src/server.ts", 6, 20),
            ("FLY2070", "src/routes.ts", 2, 23),
        }));
        Assert.That(diagnostics.Select(d => d.Message), Has.One.Contains("npm install --save openai").And.One.Contains("'ioredis'"));
    }

    [TestCase("node-fastify-ok")]
    [TestCase("node-cjs-ok")]
    public void Passing_samples_report_nothing(string name)
    {
        Assert.That(Check(name), Is.Empty);
    }

    [Test]
    public void Invalid_package_json_is_a_located_error()
    {
        var diagnostics = Check("node-package-json-invalid");
        Assert.That(diagnostics.Select(d => (d.Code, d.Severity, d.File, d.Line, d.Column)),
            Is.EqualTo(new[] { ("FLY2074", DiagnosticSeverity.Error, "package.json", 5, 3) }));
    }

    [Test]
    public void Entry_not_found_is_a_message_and_every_source_is_checked()
    {
        var diagnostics = Check("node-entry-missing");
        Assert.That(diagnostics.Select(d => (d.Code, d.Severity)), Is.EqualTo(new[] { ("FLY2075", DiagnosticSeverity.Message) }));
        Assert.That(diagnostics[0].Message, Does.Contain("dist/worker.js"));
    }
}
