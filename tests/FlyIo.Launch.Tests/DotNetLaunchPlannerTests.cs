using System.IO;
using System.Linq;
using FlyIo.AppModel;
using FlyIo.AppModel.CSharp;
using FlyIo.AppModel.Docker;
using FlyIo.Diagnostics;
using FlyIo.FlyToml;
using FlyIo.Launch;
using FlyIo.Launch.DotNet;
using NUnit.Framework;

namespace FlyIo.Launch.Tests;

/// <summary>
/// Plans for .NET project shapes, rendered and then validated strictly with the same project facts: FlyLaunch's
/// promise is a file FlyValidate accepts with no error and no warning, and each case checks what makes it so.
/// </summary>
public sealed class DotNetLaunchPlannerTests
{
    private const string Folder = "/work/app";

    [Test]
    public void ANet10WebApp_ListensOn8080_AndIsCheckedOnItsMapGetHealthRoute()
    {
        var text = RenderValid(Facts(10, aspNetCore: true, "var app = WebApplication.Create();\napp.MapGet(\"/\", () => \"hi\");\napp.MapGet(\"health\", () => \"ok\");\napp.Run();\n"));

        Assert.That(text, Does.Contain("internal_port = 8080"));
        Assert.That(text, Does.Contain("path = \"/health\""), "the template without its leading slash still makes a path");
        Assert.That(text, Does.Contain("# Program.cs(3,5) maps it with MapGet."));
        Assert.That(text, Does.Not.Contain("[env]"));
    }

    [Test]
    public void ANet7WebApp_GetsAspNetCoreUrls_SoKestrelLeavesPort80()
    {
        var text = RenderValid(Facts(7, aspNetCore: true, "var app = WebApplication.Create();\napp.Run();\n"));

        Assert.That(text, Does.Contain("[env]\n  # .NET 7 images make Kestrel listen on port 80;"));
        Assert.That(text, Does.Contain("ASPNETCORE_URLS = \"http://+:8080\""));
        Assert.That(text, Does.Contain("internal_port = 8080"));
        Assert.That(text, Does.Contain("# No [[http_service.checks]]: the sources map no health endpoint"));
    }

    [Test]
    public void TheProjectsOwnDockerfileEnv_DecidesThePort()
    {
        var dockerfile = Dockerfile.Parse("FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENV ASPNETCORE_HTTP_PORTS=5000\nENTRYPOINT [\"dotnet\", \"App.dll\"]\n", Path.Combine(Folder, "Dockerfile"));
        var text = RenderValid(Facts(10, aspNetCore: true, "app.MapHealthChecks(\"/healthz\");\n"), dockerfile);

        Assert.That(text, Does.Contain("internal_port = 5000"));
        Assert.That(text, Does.Contain("the Dockerfile's ENV ASPNETCORE_HTTP_PORTS = \"5000\""));
    }

    [Test]
    public void AWorkerService_HasNoHttpService()
    {
        var text = RenderValid(Facts(10, aspNetCore: false, "Host.CreateDefaultBuilder().Build().Run();\n"));

        Assert.That(text, Does.Not.Contain("\n[http_service]\n"));
        Assert.That(text, Does.Contain("# No [http_service]: App.csproj is not an ASP.NET Core app"));
    }

    [Test]
    public void WithMapGroup_OnlyTheHealthChecksMiddlewareCounts()
    {
        var grouped = RenderValid(Facts(10, aspNetCore: true, "var api = app.MapGroup(\"/api\");\napi.MapGet(\"/healthz\", () => \"ok\");\n"));
        Assert.That(grouped, Does.Not.Contain("\n  [[http_service.checks]]\n"), "/healthz might be /api/healthz");
        Assert.That(grouped, Does.Contain("the sources use MapGroup"));

        var middleware = RenderValid(Facts(10, aspNetCore: true, "var api = app.MapGroup(\"/api\");\napp.MapHealthChecks(\"/ready\");\n"));
        Assert.That(middleware, Does.Contain("path = \"/ready\""));
    }

    [Test]
    public void VariablesReadWithNoFallback_AreSecretsWhenTheyLookSecret_ElseCommentedEnvLines()
    {
        var source = "var key = Environment.GetEnvironmentVariable(\"STRIPE_API_KEY\")!;\nvar mode = builder.Configuration[\"Shop:Mode\"]!;\nvar tz = Environment.GetEnvironmentVariable(\"TZ_NAME\") ?? \"UTC\";\n";
        var text = RenderValid(Facts(10, aspNetCore: true, source), secrets: new[] { "STRIPE_API_KEY" });

        Assert.That(text, Does.Contain("#   STRIPE_API_KEY: Program.cs(1,11) reads it; set at deploy by the project's FlySecret items."));
        Assert.That(text, Does.Contain("  # Shop__Mode: Program.cs(2,12) reads configuration key Shop:Mode with no fallback, and nothing sets it."));
        Assert.That(text, Does.Contain("  # Shop__Mode = \"\""));
        Assert.That(text, Does.Not.Contain("TZ_NAME"), "read with a fallback");
    }

    [Test]
    public void TheSameInputs_RenderTheSameBytes()
    {
        var facts = Facts(10, aspNetCore: true, "app.MapHealthChecks(\"/healthz\");\n");
        Assert.That(Render(facts), Is.EqualTo(Render(facts)));
    }

    private static ProjectFacts Facts(int major, bool aspNetCore, string program) => new()
    {
        ProjectDirectory = Folder,
        Sources = new CSharpSources(new[] { new CSharpSourceFile(Path.Combine(Folder, "Program.cs"), program) }),
        IsAspNetCore = aspNetCore,
        ServerGarbageCollection = false,
        TargetFrameworkMajor = major,
    };

    private static string Render(ProjectFacts facts, Dockerfile? dockerfile = null, string[]? secrets = null)
    {
        var result = DotNetLaunchPlanner.Plan(new DotNetLaunchInputs
        {
            ProjectPath = Path.Combine(Folder, "App.csproj"),
            Facts = facts,
            Dockerfile = dockerfile,
            DeploySecretNames = secrets ?? new string[0],
        });
        Assert.That(result.HasErrors, Is.False, string.Join("\n", result.Diagnostics));
        return LaunchTomlWriter.Render(result.Plan!);
    }

    /// <summary>Renders, then validates strictly with the same facts: no finding at all, or the test fails showing the file.</summary>
    private static string RenderValid(ProjectFacts facts, Dockerfile? dockerfile = null, string[]? secrets = null)
    {
        var text = Render(facts, dockerfile, secrets);
        var findings = FlyTomlValidator.Validate(FlyConfig.Parse(text, Path.Combine(Folder, "fly.toml")),
            new FlyTomlValidationOptions { Strict = true, Project = facts, Dockerfile = dockerfile }).Diagnostics
            .Where(d => d.Severity != DiagnosticSeverity.Message).ToList();
        Assert.That(findings, Is.Empty, text);
        Assert.That(text, Does.Not.Contain("\r"));
        return text;
    }
}
