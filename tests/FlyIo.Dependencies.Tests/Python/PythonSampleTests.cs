using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Dependencies.Python;
using FlyIo.Diagnostics;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.Python;

/// <summary>The sample apps under tests/samples/deps/python: each failing one triggers its code at the expected place, passing ones report nothing.</summary>
public class PythonSampleTests
{
    internal static string Sample(string name) => Path.Combine(RepoPaths.RepoRoot, "tests", "samples", "deps", "python", name);

    internal static IReadOnlyList<FlyDiagnostic> Check(string name)
    {
        var result = PythonDependencyChecker.Check(Sample(name));
        TestContext.Out.WriteLine(string.Join("\n", result));
        return result;
    }

    [Test]
    public void Seed_crash_openai_imported_but_not_in_requirements_is_an_error_at_the_import()
    {
        var diagnostics = Check("fastapi-openai-missing");
        Assert.That(diagnostics, Has.Count.EqualTo(1));
        var d = diagnostics[0];
        Assert.Multiple(() =>
        {
            Assert.That(d.Code, Is.EqualTo("FLY2050"));
            Assert.That(d.Severity, Is.EqualTo(DiagnosticSeverity.Error));
            Assert.That(d.File, Is.EqualTo("main.py"));
            Assert.That((d.Line, d.Column), Is.EqualTo((5, 6)));
            Assert.That(d.Message, Does.Contain("'openai'").And.Contain("requirements.txt").And.Contain("No module named 'openai'"));
        });
    }

    [TestCase("fastapi-ok")]
    [TestCase("poetry-renamed-ok")]
    public void Passing_samples_report_nothing(string name)
    {
        Assert.That(Check(name), Is.Empty);
    }

    [Test]
    public void Database_url_passed_to_create_engine_without_rewrite_warns_at_each_call()
    {
        var diagnostics = Check("sqlalchemy-database-url");
        Assert.That(diagnostics.Select(d => (d.Code, d.Severity, d.File, d.Line, d.Column)), Is.EquivalentTo(new[]
        {
            ("FLY2054", DiagnosticSeverity.Warning, "main.py", 7, 10),
            ("FLY2054", DiagnosticSeverity.Warning, "worker.py", 5, 10),
        }));
        Assert.That(diagnostics[0].Message, Does.Contain("postgresql+psycopg://"));
    }

    [Test]
    public void Optional_import_missing_is_only_a_warning()
    {
        var diagnostics = Check("optional-import-missing");
        Assert.That(diagnostics.Select(d => (d.Code, d.Severity, d.File, d.Line)),
            Is.EqualTo(new[] { ("FLY2051", DiagnosticSeverity.Warning, "app.py", 4) }));
        Assert.That(diagnostics[0].Message, Does.Contain("orjson"));
    }

    [Test]
    public void Test_code_import_missing_everywhere_warns()
    {
        var diagnostics = Check("tests-import-missing");
        Assert.That(diagnostics.Select(d => (d.Code, d.Severity, d.File, d.Line, d.Column)),
            Is.EqualTo(new[] { ("FLY2052", DiagnosticSeverity.Warning, "tests/test_app.py", 1, 8) }));
    }

    [Test]
    public void Unused_requirement_is_a_message_at_its_line()
    {
        var diagnostics = Check("unused-requirement");
        Assert.That(diagnostics.Select(d => (d.Code, d.Severity, d.File, d.Line, d.Column)),
            Is.EqualTo(new[] { ("FLY2053", DiagnosticSeverity.Message, "requirements.txt", 3, 1) }));
    }

    [Test]
    public void Missing_include_warns_at_the_r_line()
    {
        var diagnostics = Check("include-missing");
        Assert.That(diagnostics.Select(d => (d.Code, d.File, d.Line, d.Column)),
            Is.EqualTo(new[] { ("FLY2055", "requirements.txt", 1, 1) }));
    }

    [Test]
    public void Invalid_pyproject_is_a_located_error()
    {
        var diagnostics = Check("pyproject-invalid");
        Assert.That(diagnostics.Select(d => d.Code), Does.Contain("FLY2056"));
        var d = diagnostics.First(x => x.Code == "FLY2056");
        Assert.That((d.File, d.Severity, d.Line > 0), Is.EqualTo(("pyproject.toml", DiagnosticSeverity.Error, true)));
    }

    [Test]
    public void App_import_only_in_dev_requirements_is_an_error()
    {
        var diagnostics = Check("dev-only-import");
        Assert.That(diagnostics.Select(d => (d.Code, d.Severity, d.File, d.Line, d.Column)),
            Is.EqualTo(new[] { ("FLY2057", DiagnosticSeverity.Error, "main.py", 2, 6) }));
        Assert.That(diagnostics[0].Message, Does.Contain("rich").And.Contain("requirements.txt"));
    }

    [Test]
    public void Pep621_dependencies_are_read_and_a_lazy_import_still_counts()
    {
        var diagnostics = Check("pep621-missing");
        Assert.That(diagnostics.Select(d => (d.Code, d.File, d.Line, d.Column)),
            Is.EqualTo(new[] { ("FLY2050", "main.py", 5, 12) }));
        Assert.That(diagnostics[0].Message, Does.Contain("PyJWT").And.Contain("pyproject.toml"));
    }
}
