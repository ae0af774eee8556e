using FlyIo.AppModel.Project;
using System;
using System.IO;
using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.Deploy;
using FlyIo.FlyToml;
using FlyIo.Images;
using NUnit.Framework;

namespace FlyIo.AppModel.Tests;

/// <summary>One fly.toml, read into one model, means the same to the validator, the Dockerfile generator and the deploy.</summary>
[TestFixture]
public sealed class TargetsAgreeTests
{
    private static readonly DotNetAppFacts WebApp = new()
    {
        ProjectPath = "/src/App/App.csproj",
        ProjectClosure = new[] { "/src/App/App.csproj" },
        RestoreInputs = Array.Empty<string>(),
        BuildContextRoot = "/src/App",
        IsAspNetCore = true,
        TargetFrameworkMajor = 10,
    };

    [Test]
    public void A_vm_with_no_size_is_256_MB_to_every_target()
    {
        var config = FlyConfig.Parse("app = \"a\"\n[http_service]\ninternal_port = 8080\n[[vm]]\ncpu_kind = \"shared\"\n");

        var guest = FlyAppConfig.From(config).Build("app", "registry.fly.io/a:1").Guest;
        Assert.That((guest.CpuKind, guest.Cpus, guest.MemoryMb), Is.EqualTo(("shared", 1, 256)), "the deploy");

        var dockerfile = DockerfileGenerator.Generate(new DockerfileInputs(WebApp) { TargetFrameworks = "net10.0", VmMemoryMb = config.SmallestVmMemoryMb }).Dockerfile;
        Assert.That(dockerfile, Does.Contain("# [[vm]] memory = 256 MB").And.Contain("ENV DOTNET_gcServer=0\n"), "the Dockerfile generator");

        var own = Path.Combine(Path.GetTempPath(), "agree-" + Guid.NewGuid().ToString("N") + ".Dockerfile");
        File.WriteAllText(own, "FROM mcr.microsoft.com/dotnet/aspnet:10.0\n");
        try
        {
            var options = new FlyTomlValidationOptions { Project = new ProjectFacts { IsAspNetCore = true }, Dockerfile = FlyIo.AppModel.Docker.Dockerfile.Load(own) };
            var warning = FlyTomlValidator.Validate(config, options).Diagnostics.Single(d => d.Code == FlyCodes.ServerGcOnSmallVm.Code);
            Assert.That(warning.Message, Does.StartWith("This VM has 256 MB"), "the validator, for an image of the user's own");
            var generated = new FlyTomlValidationOptions { Project = new ProjectFacts { IsAspNetCore = true } };
            Assert.That(FlyTomlValidator.Validate(config, generated).Diagnostics.Any(d => d.Code == FlyCodes.ServerGcOnSmallVm.Code), Is.False,
                "the validator knows the generated Dockerfile sets DOTNET_gcServer=0 there");
        }
        finally
        {
            File.Delete(own);
        }
    }

    [Test]
    public void Env_reaches_the_machine_as_the_model_reads_it()
    {
        var config = FlyConfig.Parse("app = \"a\"\n[env]\nFLAG = true\nCOUNT = 2\n");
        var machine = FlyAppConfig.From(config).Build("app", "img");
        Assert.That(machine.Env["FLAG"], Is.EqualTo("true"));
        Assert.That(machine.Env["COUNT"], Is.EqualTo("2"));
    }

    private const string TwoGroups = "app = \"a\"\n[processes]\nweb = \"web\"\nworker = \"worker\"\n[deploy]\nstrategy = \"bluegreen\"\n";

    /// <summary>Fly needs one health check for bluegreen; a group without checks (a worker) only has to start.</summary>
    [TestCase(TwoGroups + "[http_service]\ninternal_port = 8080\nprocesses = [\"web\"]\n[[http_service.checks]]\npath = \"/healthz\"\n", false)]
    [TestCase(TwoGroups + "[checks.alive]\ntype = \"tcp\"\nport = 8080\nprocesses = [\"web\"]\n", false)]
    [TestCase(TwoGroups + "[http_service]\ninternal_port = 8080\nprocesses = [\"web\"]\n", true)]
    public void Bluegreen_needs_a_health_check_to_the_validator_and_the_deploy_alike(string toml, bool refused)
    {
        var config = FlyConfig.Parse(toml);
        var validator = FlyTomlValidator.Validate(config, new FlyTomlValidationOptions()).Diagnostics.Any(d => d.Code == FlyCodes.BlueGreenWithoutChecks.Code);
        Assert.That(validator, Is.EqualTo(refused), "the validator");

        // Nothing listens on port 9: a deploy that passes its settings check fails on the first call instead.
        using var client = new FlyIo.Machines.MachinesApiClient("http://127.0.0.1:9", FlyIo.Machines.FlyToken.FromValue("unused")) { MaxAttempts = 1 };
        var failure = Assert.CatchAsync(() => new DeployEngine(client, FlyAppConfig.From(config), new DeployOptions()).DeployAsync("img"));
        Assert.That(failure is DeployException { Code: var code } && code == FlyCodes.DeploySettingsInvalid.Code, Is.EqualTo(refused), "the deploy: " + failure!.Message);
    }
}
