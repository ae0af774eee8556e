using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.FlyToml.Tests;

/// <summary>Every catalogue code has a hand-written fly.toml that triggers it, a fixed version that does not, and a docs page.</summary>
public class CodeTriggerTests
{
    private const string App = "app = \"demo\"\n";

    /// <summary>code -> (failing fly.toml, passing fly.toml). Project cross-checks live in ProjectCrossCheckTests.</summary>
    private static readonly Dictionary<string, (string Failing, string Passing)> Cases = new()
    {
        [FlyTomlCodes.MissingAppName] = ("primary_region = \"ams\"\n", App),
        [FlyTomlCodes.InvalidAppName] = ("app = \"../../v1/apps/victim\"\n", App),
        [FlyTomlCodes.WrongType] = (App + "swap_size_mb = \"lots\"\n", App + "swap_size_mb = 512\n"),
        [FlyTomlCodes.InvalidDuration] = (App + "kill_timeout = \"5 seconds\"\n", App + "kill_timeout = \"5s\"\n"),
        [FlyTomlCodes.NanosecondTimeout] = (App + "[deploy]\nwait_timeout = 600\n", App + "[deploy]\nwait_timeout = \"10m\"\n"),
        [FlyTomlCodes.InvalidMemorySize] = (App + "[[vm]]\nmemory = \"lots\"\n", App + "[[vm]]\nmemory = \"1gb\"\n"),
        [FlyTomlCodes.InvalidVolumeSize] = (App + "[[mounts]]\nsource = \"d\"\ndestination = \"/d\"\ninitial_size = \"big\"\n",
            App + "[[mounts]]\nsource = \"d\"\ndestination = \"/d\"\ninitial_size = \"10gb\"\n"),
        [FlyTomlCodes.ValueNotAllowed] = (App + "kill_signal = \"SIGNOPE\"\n", App + "kill_signal = \"SIGTERM\"\n"),
        [FlyTomlCodes.OutOfRange] = (App + "kill_timeout = 600\n", App + "kill_timeout = 300\n"),
        [FlyTomlCodes.CanaryWithMounts] = (App + "[deploy]\nstrategy = \"canary\"\n[mounts]\nsource = \"d\"\ndestination = \"/d\"\n",
            App + "[deploy]\nstrategy = \"rolling\"\n[mounts]\nsource = \"d\"\ndestination = \"/d\"\n"),
        [FlyTomlCodes.BlueGreenWithoutChecks] = (App + "[deploy]\nstrategy = \"bluegreen\"\n[http_service]\ninternal_port = 8080\n",
            App + "[deploy]\nstrategy = \"bluegreen\"\n[http_service]\ninternal_port = 8080\n[[http_service.checks]]\npath = \"/healthz\"\n"),
        [FlyTomlCodes.TopLevelCheckType] = (App + "[checks.alive]\nport = 8080\n", App + "[checks.alive]\nport = 8080\ntype = \"tcp\"\n"),
        [FlyTomlCodes.TopLevelCheckInterval] = (App + "[checks.alive]\nport = 8080\ntype = \"tcp\"\ninterval = 1000\n",
            App + "[checks.alive]\nport = 8080\ntype = \"tcp\"\ninterval = \"2s\"\n"),
        [FlyTomlCodes.TopLevelCheckTimeout] = (App + "[checks.alive]\nport = 8080\ntype = \"tcp\"\ntimeout = \"2m\"\n",
            App + "[checks.alive]\nport = 8080\ntype = \"tcp\"\ntimeout = \"60s\"\n"),
        [FlyTomlCodes.TopLevelCheckPort] = (App + "[checks.alive]\ntype = \"tcp\"\n",
            App + "[http_service]\ninternal_port = 8080\n[checks.alive]\ntype = \"tcp\"\n"),
        [FlyTomlCodes.ServiceCheckDuration] = (App + "[http_service]\ninternal_port = 8080\n[[http_service.checks]]\ninterval = 500\n",
            App + "[http_service]\ninternal_port = 8080\n[[http_service.checks]]\ninterval = 5000\n"),
        [FlyTomlCodes.ServiceWithoutProcesses] = (App + "[processes]\nweb = \"run\"\n[http_service]\ninternal_port = 8080\n",
            App + "[processes]\nweb = \"run\"\n[http_service]\ninternal_port = 8080\nprocesses = [\"web\"]\n"),
        [FlyTomlCodes.UnknownProcessGroup] = (App + "[processes]\nweb = \"run\"\n[http_service]\ninternal_port = 8080\nprocesses = [\"wbe\"]\n",
            App + "[processes]\nweb = \"run\"\n[http_service]\ninternal_port = 8080\nprocesses = [\"web\"]\n"),
        [FlyTomlCodes.MultipleMountsPerGroup] = (App + "[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\n[[mounts]]\nsource = \"b\"\ndestination = \"/b\"\n",
            App + "[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\n"),
        [FlyTomlCodes.MountTooSmall] = (App + "[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\ninitial_size = \"500mb\"\n",
            App + "[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\ninitial_size = 1\n"),
        [FlyTomlCodes.AutoExtendIncomplete] = (App + "[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\nauto_extend_size_threshold = 80\n",
            App + "[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\nauto_extend_size_threshold = 80\nauto_extend_size_increment = \"1gb\"\nauto_extend_size_limit = \"10gb\"\n"),
        [FlyTomlCodes.MaxUnavailableIgnored] = (App + "[deploy]\nstrategy = \"immediate\"\nmax_unavailable = 0.5\n",
            App + "[deploy]\nstrategy = \"rolling\"\nmax_unavailable = 0.5\n"),
        [FlyTomlCodes.MultipleBuildSources] = (App + "[build]\nimage = \"nginx\"\ndockerfile = \"Dockerfile\"\n", App + "[build]\ndockerfile = \"Dockerfile\"\n"),
        [FlyTomlCodes.ServiceWithoutPorts] = (App + "[[services]]\ninternal_port = 8080\nprotocol = \"tcp\"\n",
            App + "[[services]]\ninternal_port = 8080\nprotocol = \"tcp\"\n[[services.ports]]\nport = 443\nhandlers = [\"tls\", \"http\"]\n"),
        [FlyTomlCodes.ShellSplit] = (App + "[deploy]\nrelease_command = \"bin/migrate 'unclosed\"\n", App + "[deploy]\nrelease_command = \"bin/migrate 'closed'\"\n"),
        [FlyTomlCodes.FileSourceCount] = (App + "[[files]]\nguest_path = \"/etc/x\"\n", App + "[[files]]\nguest_path = \"/etc/x\"\nsecret_name = \"X\"\n"),
        [FlyTomlCodes.LegacyKey] = ("app_name = \"demo\"\n", App),
        [FlyTomlCodes.LegacyValueShape] = (App + "[[services]]\ninternal_port = 8080\n[[services.ports]]\nport = \"80\"\n",
            App + "[[services]]\ninternal_port = 8080\n[[services.ports]]\nport = 80\n"),
        [FlyTomlCodes.EmptyPlaceholder] = (App + "processes = []\n", App),
        [FlyTomlCodes.NoEffectOnMachines] = (App + "[experimental]\nauto_rollback = true\n", App + "[experimental]\nauto_rollback = true\n".Replace("auto_rollback = true", "enable_consul = true")),
        [FlyTomlCodes.UnknownKey] = (App + "[http_service]\ninteral_port = 8080\n", App + "[http_service]\ninternal_port = 8080\n"),
    };

    private static IEnumerable<string> FileCodes() => Cases.Keys;

    [TestCaseSource(nameof(FileCodes))]
    public void Failing_case_triggers_the_code_and_passing_case_does_not(string code)
    {
        var (failing, passing) = Cases[code];
        var bad = FlyTomlCase.Validate(failing);
        var found = bad.Diagnostics.Where(d => d.Code == code).ToList();
        Assert.That(found, Is.Not.Empty, FlyTomlCase.Describe(bad));
        var expected = FlyTomlCodes.All.Single(c => c.Code == code).DefaultSeverity;
        Assert.That(found.Select(d => d.Severity), Has.Some.EqualTo(expected));
        Assert.That(found.All(d => d.Line > 0 && d.Column > 0) || code == FlyTomlCodes.MissingAppName, Is.True, "located at a key or value");
        Assert.That(found.All(d => d.Message.Length > 40), Is.True, "message says what and how to fix");

        var good = FlyTomlCase.Validate(passing);
        Assert.That(FlyTomlCase.Has(good, code), Is.False, FlyTomlCase.Describe(good));
    }

    [Test]
    public void Every_code_has_a_triggering_test()
    {
        // Codes proven elsewhere: FLY1001 (missing file) below, FLY1150-1153 in ProjectCrossCheckTests.
        var elsewhere = new[]
        {
            FlyTomlCodes.FileNotFound, FlyTomlCodes.InternalPortMismatch, FlyTomlCodes.DockerfileExposeMismatch,
            FlyTomlCodes.HealthCheckPathNotMapped, FlyTomlCodes.ServerGcOnSmallVm,
        };
        Assert.That(FlyTomlCodes.All.Select(c => c.Code), Is.EquivalentTo(Cases.Keys.Concat(elsewhere)));
    }

    [Test]
    public void Codes_are_unique_and_well_formed()
    {
        var codes = FlyTomlCodes.All.Select(c => c.Code).ToList();
        Assert.That(codes, Is.Unique);
        Assert.That(codes, Has.All.Match("^FLY1[0-9]{3}$"));
    }

    [Test]
    public void Every_code_has_a_docs_page()
    {
        var docs = Path.Combine(RepoPaths.RepoRoot, "docs", "diagnostics");
        var missing = FlyTomlCodes.All.Where(c => !File.Exists(Path.Combine(docs, c.Code + ".md"))).Select(c => c.Code);
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Missing_file_is_FLY1001()
    {
        var path = Path.Combine(Path.GetTempPath(), "flytoml-tests", "does-not-exist", "fly.toml");
        var result = FlyTomlValidator.Validate(path, new FlyTomlValidationOptions());
        var d = FlyTomlCase.Single(result, FlyTomlCodes.FileNotFound);
        Assert.That(d.Severity, Is.EqualTo(DiagnosticSeverity.Error));
        Assert.That(d.File, Is.EqualTo(path));
        Assert.That(result.Document, Is.Null);
    }

    [Test]
    public void Toml_syntax_error_becomes_the_parser_code_at_its_position()
    {
        var result = FlyTomlCase.Validate("app = \"demo\"\n[http_service\ninternal_port = 8080\n");
        var d = result.Diagnostics.Single();
        Assert.That(d.Code, Does.StartWith("FLY0"));
        Assert.That(d.Severity, Is.EqualTo(DiagnosticSeverity.Error));
        Assert.That(d.Line, Is.EqualTo(2));
    }

    [Test]
    public void FlyApp_property_stands_in_for_a_missing_app()
    {
        var result = FlyTomlCase.Validate("primary_region = \"ams\"\n", new FlyTomlValidationOptions { AppName = "from-msbuild" });
        FlyTomlCase.AssertClean(result);
    }

    [TestCase("x; touch /tmp/owned")]
    [TestCase("My-App")]
    [TestCase("trailing.dot")]
    [TestCase("-leading-dash")]
    [TestCase("name with space")]
    public void App_names_Fly_refuses_are_FLY1067_at_the_value(string name)
    {
        var result = FlyTomlCase.Validate($"app = \"{name}\"\n");

        var error = result.Diagnostics.Single(d => d.Code == FlyTomlCodes.InvalidAppName);
        Assert.That((error.Line, error.Column), Is.EqualTo((1, 7)));
    }
}
