using System.Collections.Generic;
using System.Linq;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.FlyToml.Tests;

/// <summary>The .NET SDK's ContainerPort, ContainerUser and ContainerEnvironmentVariable against fly.toml (FLY1154-1156).</summary>
public class ContainerCrossCheckTests
{
    private static FlyTomlValidationOptions With(ProjectFacts facts) => new() { Project = facts };

    [Test]
    public void ContainerPort_not_among_internal_ports_is_FLY1154_at_internal_port()
    {
        var facts = new ProjectFacts { ContainerPorts = new[] { 5000 } };
        var toml = "app = \"x\"\n[env]\nASPNETCORE_HTTP_PORTS = \"8080\"\n[http_service]\ninternal_port = 8080\n";
        var d = FlyTomlCase.Single(FlyTomlCase.Validate(toml, With(facts)), FlyCodes.ContainerPortMismatch.Code);
        Assert.That(d.Severity, Is.EqualTo(DiagnosticSeverity.Warning));
        Assert.That((d.Line, d.Column), Is.EqualTo((5, 17)));
        Assert.That(d.Message, Does.Contain("5000").And.Contain("8080"));

        var agreeing = new ProjectFacts { ContainerPorts = new[] { 8080 } };
        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate(toml, With(agreeing)), FlyCodes.ContainerPortMismatch.Code), Is.False);
        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate(toml, With(new ProjectFacts())), FlyCodes.ContainerPortMismatch.Code), Is.False, "no ContainerPort, nothing to contradict");
    }

    [Test]
    public void A_non_root_ContainerUser_with_mounts_is_FLY1155_at_mounts()
    {
        var toml = "app = \"x\"\n[mounts]\nsource = \"data\"\ndestination = \"/data\"\n";
        var d = FlyTomlCase.Single(FlyTomlCase.Validate(toml, With(new ProjectFacts { ContainerUser = "app" })), FlyCodes.ContainerUserWithVolume.Code);
        Assert.That(d.Line, Is.EqualTo(2));
        Assert.That(d.Message, Does.Contain("'app'"));
        foreach (var root in new[] { "root", "0", "0:0" })
        {
            Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate(toml, With(new ProjectFacts { ContainerUser = root })), FlyCodes.ContainerUserWithVolume.Code), Is.False, root);
        }

        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate("app = \"x\"\n", With(new ProjectFacts { ContainerUser = "app" })), FlyCodes.ContainerUserWithVolume.Code), Is.False, "no volume");
    }

    [Test]
    public void A_ContainerEnvironmentVariable_that_env_replaces_with_another_value_is_FLY1156_at_the_env_key()
    {
        var facts = new ProjectFacts { ContainerEnvironment = new Dictionary<string, string> { ["MODE"] = "fast", ["SAME"] = "1", ["ONLY_IMAGE"] = "x" } };
        var toml = "app = \"x\"\n[env]\nSAME = \"1\"\nMODE = \"slow\"\n";
        var found = FlyTomlCase.Validate(toml, With(facts)).Diagnostics.Where(d => d.Code == FlyCodes.ContainerEnvironmentMismatch.Code).ToList();
        Assert.That(found, Has.Count.EqualTo(1));
        Assert.That(found[0].Line, Is.EqualTo(4));
        Assert.That(found[0].Message, Does.Contain("MODE").And.Contain("slow").And.Contain("fast"));
    }
}
