using System.Linq;
using FlyIo.AppModel.Docker;
using FlyIo.Dependencies.Python;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.Python;

/// <summary>Python libraries an image gets from Debian (apt-get install python3-...) count as provided, as requirements do.</summary>
public class AptPythonPackagesTests
{
    [Test]
    public void An_app_whose_Dockerfile_installs_its_libraries_with_apt_reports_nothing()
    {
        Assert.That(PythonSampleTests.Check("apt-fastapi-ok"), Is.Empty);
    }

    [Test]
    public void A_module_neither_in_requirements_nor_installed_by_the_final_stage_is_an_error_at_the_import()
    {
        var diagnostics = PythonSampleTests.Check("apt-import-missing");

        Assert.That(diagnostics.Select(d => (d.Code, d.Severity, d.File, d.Line, d.Column)),
            Is.EqualTo(new[] { ("FLY2050", DiagnosticSeverity.Error, (string?)"main.py", 2, 8) }));
        Assert.That(diagnostics[0].Message, Does.Contain("'httpx'").And.Contain("apt").And.Contain("No module named 'httpx'"));
    }

    [Test]
    public void Without_apt_packages_the_message_names_only_the_requirements()
    {
        var diagnostics = PythonSampleTests.Check("fastapi-openai-missing");

        Assert.That(diagnostics.Single().Message, Does.Not.Contain("apt"));
    }

    [Test]
    public void A_Dockerfile_given_explicitly_is_the_one_read()
    {
        var elsewhere = PythonSampleTests.Sample("apt-fastapi-ok") + "/Dockerfile";

        var diagnostics = PythonDependencyChecker.Check(PythonSampleTests.Sample("apt-import-missing"), elsewhere);

        Assert.That(diagnostics.Single().Message, Does.Contain("'httpx'"), "fastapi comes from the given Dockerfile, httpx from nowhere");
    }

    [TestCase("apt-get update && apt-get install -y --no-install-recommends python3-fastapi python3-uvicorn", "python3-fastapi python3-uvicorn")]
    [TestCase("apt install -y python3-requests=2.28.1+dfsg-1 python3-yaml/bookworm python3-lxml:amd64", "python3-requests python3-yaml python3-lxml")]
    [TestCase("DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get -o Dpkg::Options::=--force-confold -t bookworm-backports install -y python3-jwt", "python3-jwt")]
    [TestCase("apt-get -qq install 'python3-dateutil' \\\n    \"python3-psycopg2\"; echo done", "python3-dateutil python3-psycopg2")]
    [TestCase("apt-get remove -y python3-yaml && apt-get autoremove", "")]
    [TestCase("apt-get install -y $EXTRA_PACKAGES python3-bs4 # python3-not-this", "python3-bs4")]
    [TestCase("(apt-get update || true) && aptitude install -y python3-pil", "python3-pil")]
    public void Packages_come_from_each_install_command_without_versions_releases_or_architectures(string script, string expected)
    {
        Assert.That(string.Join(" ", AptPythonPackages.InstalledPackages(script)), Is.EqualTo(expected));
    }

    [TestCase("python3-fastapi", "fastapi")]
    [TestCase("python3-yaml", "PyYAML")]
    [TestCase("python3-psycopg2", "psycopg2")]
    [TestCase("python3-dateutil", "python-dateutil")]
    [TestCase("python3-jwt", "PyJWT")]
    [TestCase("python3", null)]
    [TestCase("python3-venv", null)]
    [TestCase("libpq-dev", null)]
    public void Debian_names_map_to_distributions(string debian, string? distribution)
    {
        Assert.That(AptPythonPackages.DistributionFor(debian), Is.EqualTo(distribution));
    }

    [Test]
    public void Exec_form_RUN_and_stages_the_final_stage_is_built_on_count_but_other_stages_do_not()
    {
        var dockerfile = Dockerfile.Parse(
            "FROM debian:bookworm-slim AS base\n" +
            "RUN [\"apt-get\", \"install\", \"-y\", \"python3-click\"]\n" +
            "FROM debian:bookworm-slim AS unrelated\n" +
            "RUN apt-get install -y python3-httpx\n" +
            "FROM base\n" +
            "RUN apt-get install -y python3-yaml\n");

        var packages = AptPythonPackages.Read(dockerfile);

        Assert.That(packages.Select(p => (p.DebianName, p.Distribution, p.Line)),
            Is.EquivalentTo(new[] { ("python3-click", "click", 2), ("python3-yaml", "PyYAML", 6) }));
    }
}
