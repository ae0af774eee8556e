using System.Linq;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.FlyToml.Tests;

/// <summary>Unknown keys, suggestions, strict mode, legacy forms, units and enumerations.</summary>
public class SchemaTests
{
    [TestCase("[http_service]\ninteral_port = 8080\n", "internal_port")]
    [TestCase("[deploy]\nstratgy = \"rolling\"\n", "strategy")]
    [TestCase("primary_regoin = \"ams\"\n", "primary_region")]
    [TestCase("[[vms]]\nmemory = \"1gb\"\n", "vm")]
    public void Typo_gets_did_you_mean(string body, string suggestion)
    {
        var d = FlyTomlCase.Single(FlyTomlCase.Validate("app = \"x\"\n" + body), FlyCodes.UnknownKey.Code);
        Assert.That(d.Message, Does.Contain($"Did you mean '{suggestion}'?"));
        Assert.That(d.Severity, Is.EqualTo(DiagnosticSeverity.Warning));
    }

    [Test]
    public void Unknown_key_is_located_at_the_key()
    {
        var d = FlyTomlCase.Single(FlyTomlCase.Validate("app = \"x\"\n[http_service]\n  interal_port = 8080\n"), FlyCodes.UnknownKey.Code);
        Assert.That((d.Line, d.Column), Is.EqualTo((3, 3)));
    }

    [Test]
    public void Strict_mode_turns_unknown_keys_into_errors_with_the_same_code()
    {
        var result = FlyTomlCase.Validate("app = \"x\"\nfoo = 1\n", new FlyTomlValidationOptions { Strict = true });
        var d = FlyTomlCase.Single(result, FlyCodes.UnknownKey.Code);
        Assert.That(d.Severity, Is.EqualTo(DiagnosticSeverity.Error));
        Assert.That(result.HasErrors, Is.True);
    }

    [Test]
    public void Wait_timeout_integer_is_nanoseconds_to_flyctl()
    {
        var d = FlyTomlCase.Single(FlyTomlCase.Validate("app = \"x\"\n[deploy]\nwait_timeout = 600\n"), FlyCodes.NanosecondTimeout.Code);
        Assert.That(d.Message, Does.Contain("600 nanoseconds").And.Contain("\"10m\""));
        Assert.That((d.Line, d.Column), Is.EqualTo((3, 16)));
    }

    [Test]
    public void Release_command_timeout_integer_is_nanoseconds_too()
    {
        var result = FlyTomlCase.Validate("app = \"x\"\n[deploy]\nrelease_command_timeout = 300\n");
        Assert.That(FlyTomlCase.Single(result, FlyCodes.NanosecondTimeout.Code).Message, Does.Contain("\"5m\""));
    }

    [Test]
    public void Kill_timeout_integer_is_seconds_and_check_integers_are_milliseconds()
    {
        FlyTomlCase.AssertClean(FlyTomlCase.Validate("app = \"x\"\nkill_timeout = 300\n[http_service]\ninternal_port = 8080\n[[http_service.checks]]\ninterval = 15000\ntimeout = 2000\n"));
        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate("app = \"x\"\nkill_timeout = \"5m1s\"\n"), FlyCodes.OutOfRange.Code), Is.True);
    }

    [Test]
    public void Modern_quirks_real_files_use_are_accepted_silently()
    {
        FlyTomlCase.AssertClean(FlyTomlCase.Validate(
            "app = \"x\"\n[http_service]\ninternal_port = 3_000\nauto_stop_machines = true\n[[vm]]\nmemory = \"1g\"\n[env]\nPORT = 3000\n"));
    }

    [TestCase("[[compute]]\nmemory = \"1gb\"\n", "[[vm]]")]
    [TestCase("[mount]\nsource = \"d\"\ndestination = \"/d\"\n", "[[mounts]]")]
    [TestCase("[build]\nbuild_target = \"prod\"\n", "build-target")]
    [TestCase("[experimental]\nkill_timeout = 5\n", "kill_timeout")]
    public void Legacy_keys_warn_with_the_modern_spelling(string body, string modern)
    {
        var d = FlyTomlCase.Single(FlyTomlCase.Validate("app = \"x\"\n" + body), FlyCodes.LegacyKey.Code);
        Assert.That(d.Message, Does.Contain(modern));
        Assert.That(d.Severity, Is.EqualTo(DiagnosticSeverity.Warning));
    }

    [TestCase("[[env]]\nA = \"1\"\n")]
    [TestCase("[[processes]]\nname = \"web\"\ncommand = \"run\"\n")]
    [TestCase("[[checks]]\nname = \"alive\"\ntype = \"tcp\"\nport = 8080\n")]
    [TestCase("[[services]]\ninternal_port = 8080\nconcurrency = \"20,25\"\n[[services.ports]]\nport = 80\n")]
    [TestCase("[[services]]\ninternal_port = 8080\n[[services.ports]]\nport = 80\n[[services.http_checks]]\npath = \"/\"\n[[services.http_checks.headers]]\nname = \"a\"\nvalue = \"b\"\n")]
    public void Legacy_value_shapes_warn_without_errors(string body)
    {
        var result = FlyTomlCase.Validate("app = \"x\"\n" + body);
        FlyTomlCase.AssertNoErrors(result);
        Assert.That(FlyTomlCase.Has(result, FlyCodes.LegacyValueShape.Code), Is.True, FlyTomlCase.Describe(result));
    }

    [TestCase("services = []\n")]
    [TestCase("[[services]]\nscript_checks = []\ninternal_port = 1\n[[services.ports]]\nport = 80\n")]
    public void Placeholders_warn(string body) =>
        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate("app = \"x\"\n" + body), FlyCodes.EmptyPlaceholder.Code), Is.True);

    [TestCase("[deploy]\nstrategy = \"rolling-eyes\"\n")]
    [TestCase("[[services]]\nprotocol = \"http\"\n")]
    [TestCase("[build]\ncompression = \"brotli\"\n")]
    [TestCase("[http_service]\nauto_stop_machines = \"pause\"\n")]
    [TestCase("[http_service.concurrency]\ntype = \"donuts\"\n")]
    [TestCase("[[vm]]\ncpu_kind = \"fast\"\n")]
    [TestCase("[[restart]]\npolicy = \"sometimes\"\n")]
    [TestCase("[checks.a]\ntype = \"tcp\"\nport = 1\nprotocol = \"ftp\"\n")]
    public void Values_outside_the_enumeration_are_errors(string body) =>
        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate("app = \"x\"\n" + body), FlyCodes.ValueNotAllowed.Code), Is.True);

    [Test]
    public void Http_check_method_is_case_insensitive_as_real_files_write_get()
    {
        FlyTomlCase.AssertClean(FlyTomlCase.Validate("app = \"x\"\n[checks.a]\ntype = \"http\"\nport = 8080\nmethod = \"get\"\npath = \"/\"\n"));
    }

    [TestCase("[http_service]\ninternal_port = 70000\n")]
    [TestCase("[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\nsnapshot_retention = 61\n")]
    [TestCase("[deploy]\nmax_unavailable = 0\n")]
    [TestCase("[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\nauto_extend_size_threshold = 40\nauto_extend_size_increment = \"1gb\"\nauto_extend_size_limit = \"5gb\"\n")]
    [TestCase("[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\nauto_extend_size_threshold = 80\nauto_extend_size_increment = \"200gb\"\nauto_extend_size_limit = \"5gb\"\n")]
    public void Values_outside_their_range_are_errors(string body) =>
        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate("app = \"x\"\n" + body), FlyCodes.OutOfRange.Code), Is.True);

    [Test]
    public void Services_without_processes_are_fine_when_there_is_no_processes_section()
    {
        FlyTomlCase.AssertClean(FlyTomlCase.Validate("app = \"x\"\n[http_service]\ninternal_port = 8080\nprocesses = [\"app\"]\n"));
    }

    [Test]
    public void Mounts_for_different_groups_are_fine()
    {
        var result = FlyTomlCase.Validate("app = \"x\"\n[processes]\napp = \"a\"\nworker = \"w\"\n" +
            "[[mounts]]\nsource = \"a\"\ndestination = \"/a\"\n[[mounts]]\nsource = \"w\"\ndestination = \"/w\"\nprocesses = [\"worker\"]\n");
        Assert.That(result.Diagnostics.Select(d => d.Code), Does.Not.Contain(FlyCodes.MultipleMountsPerGroup.Code));
    }
}

public class TopLevelCheckTypeTests
{
    [Test]
    public void An_invalid_check_type_is_reported_once()
    {
        var result = FlyTomlCase.Validate("app = \"x\"\n[checks.a]\ntype = \"grpc\"\nport = 8080\n");
        Assert.That(result.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { FlyCodes.TopLevelCheckType.Code }));
    }
}
