using FlyIo.AppModel.CSharp;
using FlyIo.AppModel.Docker;
using System.IO;
using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.FlyToml.Project;
using NUnit.Framework;

namespace FlyIo.FlyToml.Tests;

/// <summary>fly.toml against the .NET project: listening port, Dockerfile EXPOSE, health check routes, GC on small VMs.</summary>
public class ProjectCrossCheckTests
{
    private static readonly ProjectFacts Net8Web = new() { IsAspNetCore = true, TargetFrameworkMajor = 8 };

    private static FlyTomlValidationOptions With(ProjectFacts facts, string? dockerfile = null) =>
        new() { Project = facts, Dockerfile = dockerfile is null ? null : FlyIo.AppModel.Docker.Dockerfile.Load(dockerfile) };

    [Test]
    public void Net8_default_port_is_8080()
    {
        var result = FlyTomlCase.Validate("app = \"x\"\n[http_service]\ninternal_port = 5000\n", With(Net8Web));
        var d = FlyTomlCase.Single(result, FlyCodes.InternalPortMismatch.Code);
        Assert.That(d.Severity, Is.EqualTo(DiagnosticSeverity.Error));
        Assert.That((d.Line, d.Column), Is.EqualTo((3, 17)));
        Assert.That(d.Message, Does.Contain("8080"));
        FlyTomlCase.AssertClean(FlyTomlCase.Validate("app = \"x\"\n[http_service]\ninternal_port = 8080\n", With(Net8Web)));
    }

    [Test]
    public void Aspnetcore_urls_wins_over_http_ports()
    {
        const string env = "[env]\nASPNETCORE_HTTP_PORTS = \"5000\"\nASPNETCORE_URLS = \"http://+:7000;https://+:7001\"\n";
        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate("app = \"x\"\n[http_service]\ninternal_port = 7000\n" + env, With(Net8Web)), FlyCodes.InternalPortMismatch.Code), Is.False);
        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate("app = \"x\"\n[http_service]\ninternal_port = 5000\n" + env, With(Net8Web)), FlyCodes.InternalPortMismatch.Code), Is.True);
    }

    [Test]
    public void Http_ports_wins_over_the_default()
    {
        var toml = "app = \"x\"\n[env]\nASPNETCORE_HTTP_PORTS = \"5000\"\n[http_service]\ninternal_port = 5000\n";
        FlyTomlCase.AssertClean(FlyTomlCase.Validate(toml, With(Net8Web)));
    }

    [Test]
    public void The_projects_own_dockerfile_env_moves_the_port_and_fly_toml_env_wins_over_it()
    {
        var dockerfile = OwnDockerfile("ENV ASPNETCORE_HTTP_PORTS=5000\nEXPOSE 5000\n");
        FlyTomlCase.AssertClean(FlyTomlCase.Validate("app = \"x\"\n[http_service]\ninternal_port = 5000\n", With(Net8Web, dockerfile)));

        var d = FlyTomlCase.Single(FlyTomlCase.Validate("app = \"x\"\n[http_service]\ninternal_port = 8080\n", With(Net8Web, dockerfile)), FlyCodes.InternalPortMismatch.Code);
        Assert.That(d.Message, Does.Contain("listens on 5000 (the Dockerfile's ENV ASPNETCORE_HTTP_PORTS = \"5000\")"));

        var overridden = "app = \"x\"\n[env]\nASPNETCORE_HTTP_PORTS = \"8080\"\n[http_service]\ninternal_port = 8080\n";
        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate(overridden, With(Net8Web, dockerfile)), FlyCodes.InternalPortMismatch.Code), Is.False, "[env] reaches the machine after the image's ENV");
    }

    [Test]
    public void No_check_for_non_web_or_pre_net8_projects()
    {
        var toml = "app = \"x\"\n[http_service]\ninternal_port = 5000\n";
        FlyTomlCase.AssertClean(FlyTomlCase.Validate(toml, With(new ProjectFacts { IsAspNetCore = true, TargetFrameworkMajor = 7 })));
        FlyTomlCase.AssertClean(FlyTomlCase.Validate(toml));
    }

    [Test]
    public void Dockerfile_expose_mismatch_is_a_warning_on_the_expose_line()
    {
        var dockerfile = FlyTomlCase.TempFile("Dockerfile", "FROM x\n# EXPOSE 8080\nEXPOSE \\\n  5000/tcp\nCMD [\"app\"]\n");
        var result = FlyTomlCase.Validate("app = \"x\"\n[http_service]\ninternal_port = 8080\n", new FlyTomlValidationOptions { Dockerfile = FlyIo.AppModel.Docker.Dockerfile.Load(dockerfile) });
        var d = FlyTomlCase.Single(result, FlyCodes.DockerfileExposeMismatch.Code);
        Assert.That(d.Severity, Is.EqualTo(DiagnosticSeverity.Warning));
        Assert.That(d.File, Is.EqualTo(dockerfile));
        Assert.That(d.Line, Is.EqualTo(3));
        var good = FlyTomlCase.TempFile("Dockerfile", "FROM x\nEXPOSE 8080/tcp 9090\n");
        FlyTomlCase.AssertClean(FlyTomlCase.Validate("app = \"x\"\n[http_service]\ninternal_port = 8080\n", new FlyTomlValidationOptions { Dockerfile = FlyIo.AppModel.Docker.Dockerfile.Load(good) }));
    }

    [Test]
    public void Expose_parsing_skips_comments_and_joins_continuations()
    {
        var ports = Dockerfile.Parse("FROM x\n# EXPOSE 1\nexpose 80 443/udp \\\n# note\n  8080-8090\n").FinalStage!.ExposedPorts;
        Assert.That(ports.Select(p => (p.Port, p.Line)), Is.EqualTo(new[] { (80, 3), (443, 3), (8080, 3) }));
    }

    [Test]
    public void Expose_ports_are_the_final_images_with_args_substituted_and_inherited_from_the_base_stage()
    {
        var file = Dockerfile.Parse("FROM x AS build\nEXPOSE 1234\nFROM x AS base\nARG PORT=5000\nEXPOSE ${PORT}\nFROM base\nEXPOSE 9090/udp\n");
        Assert.That(file.FinalStage!.ExposedPorts.Select(p => p.Port), Is.EqualTo(new[] { 5000, 9090 }));
    }

    [Test]
    public void Unmapped_health_check_path_warns_at_the_path()
    {
        var source = FlyTomlCase.TempFile("Program.cs", "var app = builder.Build();\napp.MapHealthChecks(\"/health\");\n// app.MapGet(\"/healthz\", () => 1);\n");
        var facts = new ProjectFacts { Sources = CSharpSources.Read(new[] { source }) };
        var toml = "app = \"x\"\n[http_service]\ninternal_port = 8080\n[[http_service.checks]]\npath = \"/healthz\"\n";
        var d = FlyTomlCase.Single(FlyTomlCase.Validate(toml, With(facts)), FlyCodes.HealthCheckPathNotMapped.Code);
        Assert.That((d.Line, d.Column), Is.EqualTo((5, 8)));
        FlyTomlCase.AssertClean(FlyTomlCase.Validate(toml.Replace("/healthz", "/health"), With(facts)));
    }

    [Test]
    public void Sources_are_read_only_when_a_health_check_path_needs_them()
    {
        var source = FlyTomlCase.TempFile("Program.cs", "app.MapGet(\"/\", () => \"hi\");\n");
        var reads = 0;
        var facts = new ProjectFacts { ReadSources = () => { reads++; return CSharpSources.Read(new[] { source }); } };
        FlyTomlCase.Validate("app = \"x\"\n[http_service]\ninternal_port = 8080\n", With(facts));
        Assert.That(reads, Is.Zero, "no check path: nothing to look for in the sources");
        FlyTomlCase.Validate("app = \"x\"\n[http_service]\ninternal_port = 8080\n[[http_service.checks]]\npath = \"/status\"\n", With(facts));
        Assert.That(reads, Is.EqualTo(1));
    }

    [Test]
    public void Services_and_top_level_http_checks_are_cross_checked_too()
    {
        var source = FlyTomlCase.TempFile("Program.cs", "app.MapGet(\"/\", () => \"hi\");\n");
        var facts = new ProjectFacts { Sources = CSharpSources.Read(new[] { source }) };
        var toml = "app = \"x\"\n[[services]]\ninternal_port = 8080\n[[services.ports]]\nport = 80\n[[services.http_checks]]\npath = \"/status\"\n" +
                   "[checks.a]\ntype = \"http\"\nport = 8080\npath = \"/ready\"\n";
        var result = FlyTomlCase.Validate(toml, With(facts));
        Assert.That(result.Diagnostics.Count(d => d.Code == FlyCodes.HealthCheckPathNotMapped.Code), Is.EqualTo(2));
    }

    [Test]
    public void No_route_warning_without_routes_or_with_map_group()
    {
        var toml = "app = \"x\"\n[http_service]\ninternal_port = 8080\n[[http_service.checks]]\npath = \"/healthz\"\n";
        var none = FlyTomlCase.TempFile("Program.cs", "Console.WriteLine(\"/healthz is not a route\");\n");
        var grouped = FlyTomlCase.TempFile("Program.cs", "var g = app.MapGroup(\"/api\");\ng.MapGet(\"/x\", () => 1);\n");
        FlyTomlCase.AssertClean(FlyTomlCase.Validate(toml, With(new ProjectFacts { Sources = CSharpSources.Read(new[] { none }) })));
        FlyTomlCase.AssertClean(FlyTomlCase.Validate(toml, With(new ProjectFacts { Sources = CSharpSources.Read(new[] { grouped }) })));
    }

    /// <summary>A Dockerfile of the user's own that says nothing about the GC: the project's setting decides.</summary>
    private static string OwnDockerfile(string extra = "") =>
        FlyTomlCase.TempFile("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n" + extra + "ENTRYPOINT [\"dotnet\", \"App.dll\"]\n");

    [TestCase("[[vm]]\nmemory = \"512mb\"\n", 3)]
    [TestCase("[[vm]]\nmemory_mb = 256\n", 3)]
    [TestCase("[[vm]]\nsize = \"shared-cpu-1x\"\n", 3)]
    [TestCase("[[vm]]\nmemory = 512\n", 3)]
    [TestCase("[[vm]]\ncpus = 1\n", 2)] // no size and no memory: shared-cpu-1x, 256 MB, located on the [[vm]] header
    [TestCase("[[vm]]\nmemory = \"2gb\"\nmemory_mb = 256\n", 4)] // memory_mb wins, as flyctl merges it last
    public void Server_gc_on_a_small_vm_warns_when_the_image_is_the_users_own(string vm, int line)
    {
        var d = FlyTomlCase.Single(FlyTomlCase.Validate("app = \"x\"\n" + vm, With(Net8Web, OwnDockerfile())), FlyCodes.ServerGcOnSmallVm.Code);
        Assert.That(d.Message, Does.Contain("<ServerGarbageCollection>false</ServerGarbageCollection>").And.Contain("DOTNET_gcServer"));
        Assert.That(d.Line, Is.EqualTo(line));
    }

    [Test]
    public void The_generated_image_already_turns_server_gc_off_on_small_vms()
    {
        var toml = "app = \"x\"\n[[vm]]\nmemory = \"512mb\"\n";
        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate(toml, With(Net8Web)), FlyCodes.ServerGcOnSmallVm.Code), Is.False, "no Dockerfile yet: FlyDockerfile will generate one");
        var generated = FlyTomlCase.TempFile("Dockerfile", "# Generated by FlyIo.Sdk from App.csproj.\nFROM x\n");
        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate(toml, With(Net8Web, generated)), FlyCodes.ServerGcOnSmallVm.Code), Is.False);
        var ownOff = OwnDockerfile("ENV DOTNET_gcServer=0\n");
        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate(toml, With(Net8Web, ownOff)), FlyCodes.ServerGcOnSmallVm.Code), Is.False);
        // fly.toml's [env] overrides the image's ENV on the Machine, so asking for Server GC there still warns.
        var forced = FlyTomlCase.Validate(toml + "[env]\nDOTNET_gcServer = \"1\"\n", With(Net8Web));
        Assert.That(FlyTomlCase.Single(forced, FlyCodes.ServerGcOnSmallVm.Code).Line, Is.EqualTo(3));
    }

    [TestCase("[[vm]]\nmemory = \"1gb\"\n", true, null)]
    [TestCase("[[vm]]\nmemory = \"512mb\"\n", false, null)]
    [TestCase("[[vm]]\nmemory = \"512mb\"\n[env]\nDOTNET_gcServer = \"0\"\n", null, null)]
    [TestCase("[[vm]]\nmemory = \"512mb\"\n", null, "console")]
    [TestCase("[[vm]]\nmemory = \"512mb\"\nmemory_mb = 2048\n", null, null)]
    public void No_gc_warning_with_enough_memory_or_workstation_gc(string body, bool? serverGc, string? kind)
    {
        var facts = new ProjectFacts { IsAspNetCore = kind is null, ServerGarbageCollection = serverGc, TargetFrameworkMajor = 8 };
        Assert.That(FlyTomlCase.Has(FlyTomlCase.Validate("app = \"x\"\n" + body, With(facts, OwnDockerfile())), FlyCodes.ServerGcOnSmallVm.Code), Is.False);
    }
}
