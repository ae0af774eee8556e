using System.IO;
using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.FlyToml.Tests;

/// <summary>
/// flyctl's own fly.toml fixtures (superfly/flyctl internal/appconfig/testdata), accepted or rejected as flyctl's
/// Config.Validate does. flyctl takes the app name from -a when a file has none, so the tests pass one too.
/// </summary>
public class FlyctlFixtureTests
{
    private static readonly FlyTomlValidationOptions AsFlyDeployWithAppFlag = new() { AppName = "fixture-app" };

    /// <summary>Fixtures flyctl loads and validates without error (warnings allowed).</summary>
    private static readonly string[] Accepted =
    {
        "app-name.toml", "build-with-args.toml", "build.toml", "compose-autodetect.toml", "compose.toml", "docker.toml",
        "env-list.toml", "experimental-alt.toml", "format-quirks.toml", "image.toml", "mounts-array.toml", "old-format.toml",
        "old-pg-checks.toml", "old-processes.toml", "processes-multi.toml", "processes-multiwithapp.toml", "processes-none.toml",
        "processes-one.toml", "services-emptysection.toml", "services-multi.toml", "services-ports.toml", "setters-deploy.toml",
        "setters-experimental.toml", "setters-httpservice.toml", "setters-processes.toml", "setters-service.toml",
        "tomachine-compute-nodefault.toml", "tomachine-compute.toml", "tomachine-default-for-new-apps.toml",
        "tomachine-experimental.toml", "tomachine-hostdedicationid.toml", "tomachine-machinechecks.toml", "tomachine-mounts.toml",
        "tomachine-processgroups.toml", "tomachine-services.toml", "tomachine.toml",
        // TestConfig_ValidateGroups: Validate only fails after the test itself sets strategy = "canary".
        "validate-groups.toml",
    };

    [TestCaseSource(nameof(Accepted))]
    public void Flyctl_accepts_so_do_we(string file)
    {
        var result = FlyTomlValidator.Validate(Fixture(file), AsFlyDeployWithAppFlag);
        FlyTomlCase.AssertNoErrors(result);
        TestContext.Out.WriteLine($"{file}: {result.Diagnostics.Count} warning(s)");
        foreach (var d in result.Diagnostics)
        {
            TestContext.Out.WriteLine("  " + d);
        }
    }

    // TestLoadTOMLAppConfigInvalidV2: "Unknown type for service concurrency: int64" (concurrency = 20).
    [TestCase("always-invalid-v2.toml", "FLY1020")]
    // TestConfig_ValidateMounts: "initial_size '15Mb' value which is smaller than 1GB", "unparseable", and
    // "group 'app' has more than one [[mounts]] section defined".
    [TestCase("validate-mounts.toml", "FLY1060")]
    [TestCase("validate-mounts.toml", "FLY1024")]
    [TestCase("validate-mounts.toml", "FLY1059")]
    // TestConfig_ValidateServices: "Service has no processes set" and the (warning) "must expose at least one port".
    [TestCase("validate-services.toml", "FLY1057")]
    [TestCase("validate-services.toml", "FLY1064")]
    // full-reference.toml is a parse/serialize fixture (TestLoadTOMLAppConfigReferenceFormat only loads it). Its
    // strategy = "rolling-eyes" is not in MachinesDeployStrategies, so validateDeploySection rejects it, and its
    // [[services]] processes = ["app"] names no [processes] group (web, task), which validateServicesSection rejects.
    [TestCase("full-reference.toml", "FLY1025")]
    [TestCase("full-reference.toml", "FLY1058")]
    public void Flyctl_rejects_so_do_we(string file, string expectedCode)
    {
        var result = FlyTomlValidator.Validate(Fixture(file), AsFlyDeployWithAppFlag);
        TestContext.Out.WriteLine(FlyTomlCase.Describe(result));
        Assert.That(result.HasErrors, Is.True);
        Assert.That(result.Diagnostics.Select(d => d.Code), Does.Contain(expectedCode));
    }

    [Test]
    public void Every_fixture_is_classified()
    {
        var dir = RepoPaths.RequireShared("data", "fly-toml", "flyctl");
        var rejected = new[] { "always-invalid-v2.toml", "validate-mounts.toml", "validate-services.toml", "full-reference.toml" };
        var all = Directory.GetFiles(dir, "*.toml").Select(p => Path.GetFileName(p));
        Assert.That(all, Is.EquivalentTo(Accepted.Concat(rejected)));
    }

    [Test]
    public void Full_reference_has_the_rolling_eyes_strategy_error_at_its_value()
    {
        var result = FlyTomlValidator.Validate(Fixture("full-reference.toml"), AsFlyDeployWithAppFlag);
        var strategy = result.Diagnostics.Single(d => d.Code == FlyCodes.ValueNotAllowed.Code && d.Message.Contains("rolling-eyes"));
        Assert.That(strategy.Severity, Is.EqualTo(DiagnosticSeverity.Error));
        Assert.That(strategy.Line, Is.EqualTo(File.ReadAllLines(Fixture("full-reference.toml")).ToList().FindIndex(l => l.Contains("rolling-eyes")) + 1));
    }

    private static string Fixture(string name) => RepoPaths.RequireShared("data", "fly-toml", "flyctl", name);
}
