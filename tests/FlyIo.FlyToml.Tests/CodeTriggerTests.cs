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
        [FlyCodes.MissingAppName.Code] = ("primary_region = \"ams\"\n", App),
        [FlyCodes.InvalidAppName.Code] = ("app = \"../../v1/apps/victim\"\n", App),
        [FlyCodes.WrongType.Code] = (App + "swap_size_mb = \"lots\"\n", App + "swap_size_mb = 512\n"),
        [FlyCodes.InvalidDuration.Code] = (App + "kill_timeout = \"5 seconds\"\n", App + "kill_timeout = \"5s\"\n"),
        [FlyCodes.NanosecondTimeout.Code] = (App + "[deploy]\nwait_timeout = 600\n", App + "[deploy]\nwait_timeout = \"10m\"\n"),
        [FlyCodes.InvalidMemorySize.Code] = (App + "[[vm]]\nmemory = \"lots\"\n", App + "[[vm]]\nmemory = \"1gb\"\n"),
        [FlyCodes.InvalidVolumeSize.Code] = (App + "[[mounts]]\nsource = \"d\"\ndestination = \"/d\"\ninitial_size = \"big\"\n",
            App + "[[mounts]]\nsource = \"d\"\ndestination = \"/d\"\ninitial_size = \"10gb\"\n"),
        [FlyCodes.ValueNotAllowed.Code] = (App + "kill_signal = \"SIGNOPE\"\n", App + "kill_signal = \"SIGTERM\"\n"),
        [FlyCodes.OutOfRange.Code] = (App + "kill_timeout = 600\n", App + "kill_timeout = 300\n"),
        [FlyCodes.StrategyRefusedWithMounts.Code] = (App + "[deploy]\nstrategy = \"canary\"\n[mounts]\nsource = \"d\"\ndestination = \"/d\"\n",
            App + "[deploy]\nstrategy = \"rolling\"\n[mounts]\nsource = \"d\"\ndestination = \"/d\"\n"),
        [FlyCodes.BlueGreenWithoutChecks.Code] = (App + "[deploy]\nstrategy = \"bluegreen\"\n[http_service]\ninternal_port = 8080\n",
            App + "[deploy]\nstrategy = \"bluegreen\"\n[http_service]\ninternal_port = 8080\n[[http_service.checks]]\npath = \"/healthz\"\n"),
        [FlyCodes.TopLevelCheckType.Code] = (App + "[checks.alive]\nport = 8080\n", App + "[checks.alive]\nport = 8080\ntype = \"tcp\"\n"),
        [FlyCodes.TopLevelCheckInterval.Code] = (App + "[checks.alive]\nport = 8080\ntype = \"tcp\"\ninterval = 1000\n",
            App + "[checks.alive]\nport = 8080\ntype = \"tcp\"\ninterval = \"2s\"\n"),
        [FlyCodes.TopLevelCheckTimeout.Code] = (App + "[checks.alive]\nport = 8080\ntype = \"tcp\"\ntimeout = \"2m\"\n",
            App + "[checks.alive]\nport = 8080\ntype = \"tcp\"\ntimeout = \"60s\"\n"),
        [FlyCodes.TopLevelCheckPort.Code] = (App + "[checks.alive]\ntype = \"tcp\"\n",
            App + "[http_service]\ninternal_port = 8080\n[checks.alive]\ntype = \"tcp\"\n"),
        [FlyCodes.ServiceCheckDuration.Code] = (App + "[http_service]\ninternal_port = 8080\n[[http_service.checks]]\ninterval = 500\n",
            App + "[http_service]\ninternal_port = 8080\n[[http_service.checks]]\ninterval = 5000\n"),
        [FlyCodes.ServiceWithoutProcesses.Code] = (App + "[processes]\nweb = \"run\"\n[http_service]\ninternal_port = 8080\n",
            App + "[processes]\nweb = \"run\"\n[http_service]\ninternal_port = 8080\nprocesses = [\"web\"]\n"),
        [FlyCodes.UnknownProcessGroup.Code] = (App + "[processes]\nweb = \"run\"\n[http_service]\ninternal_port = 8080\nprocesses = [\"wbe\"]\n",
            App + "[processes]\nweb = \"run\"\n[http_service]\ninternal_port = 8080\nprocesses = [\"web\"]\n"),
        [FlyCodes.MultipleMountsPerGroup.Code] = (App + "[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\n[[mounts]]\nsource = \"b\"\ndestination = \"/b\"\n",
            App + "[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\n"),
        [FlyCodes.MountTooSmall.Code] = (App + "[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\ninitial_size = \"500mb\"\n",
            App + "[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\ninitial_size = 1\n"),
        [FlyCodes.AutoExtendIncomplete.Code] = (App + "[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\nauto_extend_size_threshold = 80\n",
            App + "[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\nauto_extend_size_threshold = 80\nauto_extend_size_increment = \"1gb\"\nauto_extend_size_limit = \"10gb\"\n"),
        [FlyCodes.MaxUnavailableIgnored.Code] = (App + "[deploy]\nstrategy = \"immediate\"\nmax_unavailable = 0.5\n",
            App + "[deploy]\nstrategy = \"rolling\"\nmax_unavailable = 0.5\n"),
        [FlyCodes.MultipleBuildSources.Code] = (App + "[build]\nimage = \"nginx\"\ndockerfile = \"Dockerfile\"\n", App + "[build]\ndockerfile = \"Dockerfile\"\n"),
        [FlyCodes.ServiceWithoutPorts.Code] = (App + "[[services]]\ninternal_port = 8080\nprotocol = \"tcp\"\n",
            App + "[[services]]\ninternal_port = 8080\nprotocol = \"tcp\"\n[[services.ports]]\nport = 443\nhandlers = [\"tls\", \"http\"]\n"),
        [FlyCodes.ShellSplit.Code] = (App + "[deploy]\nrelease_command = \"bin/migrate 'unclosed\"\n", App + "[deploy]\nrelease_command = \"bin/migrate 'closed'\"\n"),
        [FlyCodes.FileSourceCount.Code] = (App + "[[files]]\nguest_path = \"/etc/x\"\n", App + "[[files]]\nguest_path = \"/etc/x\"\nsecret_name = \"X\"\n"),
        [FlyCodes.LegacyKey.Code] = ("app_name = \"demo\"\n", App),
        [FlyCodes.LegacyValueShape.Code] = (App + "[[services]]\ninternal_port = 8080\n[[services.ports]]\nport = \"80\"\n",
            App + "[[services]]\ninternal_port = 8080\n[[services.ports]]\nport = 80\n"),
        [FlyCodes.EmptyPlaceholder.Code] = (App + "processes = []\n", App),
        [FlyCodes.NoEffectOnMachines.Code] = (App + "[experimental]\nauto_rollback = true\n", App + "[experimental]\nentrypoint = [\"/init\"]\n"),
        [FlyCodes.FileLocalPathNotFound.Code] = (App + "[[files]]\nguest_path = \"/a\"\nlocal_path = \"no-such-file.txt\"\n", App + "[[files]]\nguest_path = \"/a\"\nraw_value = \"hi\"\n"),
        [FlyCodes.AppliesToNoGroup.Code] = (App + "[processes]\nweb = \"w\"\n[[vm]]\nsize = \"shared-cpu-2x\"\nprocesses = [\"app\"]\n", App + "[processes]\nweb = \"w\"\n[[vm]]\nsize = \"shared-cpu-2x\"\nprocesses = [\"web\"]\n"),
        [FlyCodes.ConsoleOnly.Code] = (App + "console_command = \"/bin/bash\"\n", App),
        [FlyCodes.BuilderNotUsed.Code] = (App + "[build]\nbuilder = \"paketobuildpacks/builder:base\"\n", App + "[build]\ndockerfile = \"Dockerfile\"\n"),
        [FlyCodes.CmdOverriddenByProcesses.Code] = (App + "[experimental]\ncmd = [\"x\"]\n[processes]\nweb = \"run\"\n", App + "[experimental]\ncmd = [\"x\"]\n[processes]\nweb = \"\"\n"),
        [FlyCodes.MachineConfigNotApplied.Code] = (App + "[experimental]\nmachine_config = '{}'\n", App),
        [FlyCodes.UnknownKey.Code] = (App + "[http_service]\ninteral_port = 8080\n", App + "[http_service]\ninternal_port = 8080\n"),
    };

    private static IEnumerable<string> FileCodes() => Cases.Keys;

    /// <summary>The fly.toml validator's rows of the table: FLY1xxx.</summary>
    private static IEnumerable<DiagnosticDescriptor> FlyTomlRows() => FlyCodes.All.Where(c => c.Code.StartsWith("FLY1", System.StringComparison.Ordinal));

    [TestCaseSource(nameof(FileCodes))]
    public void Failing_case_triggers_the_code_and_passing_case_does_not(string code)
    {
        var (failing, passing) = Cases[code];
        var bad = FlyTomlCase.Validate(failing);
        var found = bad.Diagnostics.Where(d => d.Code == code).ToList();
        Assert.That(found, Is.Not.Empty, FlyTomlCase.Describe(bad));
        var expected = FlyCodes.All.Single(c => c.Code == code).DefaultSeverity;
        Assert.That(found.Select(d => d.Severity), Has.Some.EqualTo(expected));
        Assert.That(found.All(d => d.Line > 0 && d.Column > 0) || code == FlyCodes.MissingAppName.Code, Is.True, "located at a key or value");
        Assert.That(found.All(d => d.Message.Length > 40), Is.True, "message says what and how to fix");

        var good = FlyTomlCase.Validate(passing);
        Assert.That(FlyTomlCase.Has(good, code), Is.False, FlyTomlCase.Describe(good));
    }

    [Test]
    public void Every_code_has_a_triggering_test()
    {
        // Codes proven elsewhere: FLY1001 (missing file) below, FLY1150-1156 in ProjectCrossCheckTests, FlyLaunch's
        // FLY1003 and FLY1004 in the Sdk suite's FlyLaunchTargetTests.
        var elsewhere = new[]
        {
            FlyCodes.FlyTomlNotFound.Code, FlyCodes.FlyTomlExists.Code, FlyCodes.LaunchNotPossible.Code, FlyCodes.InternalPortMismatch.Code, FlyCodes.DockerfileExposeMismatch.Code,
            FlyCodes.HealthCheckPathNotMapped.Code, FlyCodes.ServerGcOnSmallVm.Code,
            FlyCodes.ContainerPortMismatch.Code, FlyCodes.ContainerUserWithVolume.Code, FlyCodes.ContainerEnvironmentMismatch.Code,
        };
        Assert.That(FlyTomlRows().Select(c => c.Code), Is.EquivalentTo(Cases.Keys.Concat(elsewhere)));
    }

    [Test]
    public void Codes_are_unique_and_well_formed()
    {
        var codes = FlyTomlRows().Select(c => c.Code).ToList();
        Assert.That(codes, Is.Unique);
        Assert.That(codes, Has.All.Match("^FLY1[0-9]{3}$"));
    }

    [Test]
    public void Every_code_has_a_docs_page()
    {
        var docs = Path.Combine(RepoPaths.RepoRoot, "docs", "diagnostics");
        var missing = FlyTomlRows().Where(c => !File.Exists(Path.Combine(docs, c.Code + ".md"))).Select(c => c.Code);
        Assert.That(missing, Is.Empty);
    }

    [TestCase("canary")]
    [TestCase("bluegreen")]
    public void Both_strategies_Fly_refuses_with_volumes_are_FLY1050_at_the_strategy(string strategy)
    {
        var result = FlyTomlCase.Validate(App + $"[deploy]\nstrategy = \"{strategy}\"\n[[http_service.checks]]\npath = \"/\"\n[mounts]\nsource = \"d\"\ndestination = \"/d\"\n");
        var d = FlyTomlCase.Single(result, FlyCodes.StrategyRefusedWithMounts.Code);
        Assert.That((d.Line, d.Message), Is.EqualTo((3, d.Message)));
        Assert.That(d.Message, Does.Contain($"The {strategy} deployment strategy is not supported when using mounted volumes"));
    }

    [Test]
    public void Missing_file_is_FLY1001()
    {
        var path = Path.Combine(Path.GetTempPath(), "flytoml-tests", "does-not-exist", "fly.toml");
        var result = FlyTomlValidator.Validate(path, new FlyTomlValidationOptions());
        var d = FlyTomlCase.Single(result, FlyCodes.FlyTomlNotFound.Code);
        Assert.That(d.Severity, Is.EqualTo(DiagnosticSeverity.Error));
        Assert.That(d.File, Is.EqualTo(path));
        Assert.That(result.Document, Is.Null);
        // It names the SDK's own way to get the file, and the property that really exists.
        Assert.That(d.Message, Does.Contain("dotnet build -t:FlyLaunch").And.Contain("FlyConfigFile").And.Not.Contain("fly launch").And.Not.Contain("FlyTomlPath"));
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

        var error = result.Diagnostics.Single(d => d.Code == FlyCodes.InvalidAppName.Code);
        Assert.That((error.Line, error.Column), Is.EqualTo((1, 7)));
    }
}
