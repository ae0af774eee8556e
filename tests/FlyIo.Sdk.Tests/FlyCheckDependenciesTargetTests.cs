using System.IO;
using System.Linq;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// FlyCheckDependencies on real projects: the project graph comes from MSBuild's evaluation of the sample's
/// projects (including a ProjectReference that does not use FlyIo.Sdk), and the standalone checks run on real
/// Python and Node app folders.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class FlyCheckDependenciesTargetTests : BuildTestBase
{
    private const string MultiProject = "deps/dotnet/multi-project";

    [Test]
    public void MultiProjectSolution_WithARestoreCachingDockerfile_HasNoFindings()
    {
        var project = TestProject.Create(MultiProject, withNuGetOrg: true).AsRepositoryRoot().AddSdkTo("src/Api/Api.csproj");
        // The SDK comes from the feed vendored beside the code, so the restore layer copies it too.
        project.Write("Dockerfile", project.Read("Dockerfile").Replace("COPY src/Api/Api.csproj src/Api/", "COPY feed/ feed/\nCOPY src/Api/Api.csproj src/Api/"));

        var result = project.DotnetIn("src/Api", "build", "-t:FlyCheckDependencies",
            "-p:FlyDockerfile=../../Dockerfile", "-p:FlyConfigFile=../../fly.toml").AssertSucceeded();

        // The only finding is real: the app reads ConnectionStrings:Default, and without a token the secrets are unknown.
        var finding = result.Diagnostics.Single(d => d.Code.StartsWith("FLY"));
        Assert.That(finding.Code, Is.EqualTo("FLY2031"));
        Assert.That(finding.Message, Does.Contain("ConnectionStrings__Default").And.Contain("--app multi-project"));
    }

    [Test]
    public void MultiProjectSolution_DockerfileWithoutPackagesProps_ListsTheCopyLineToAdd()
    {
        var project = TestProject.Create(MultiProject, withNuGetOrg: true).AsRepositoryRoot().AddSdkTo("src/Api/Api.csproj");

        var result = project.DotnetIn("src/Api", "build", "-t:FlyCheckDependencies", "-p:FlyDockerfile=../../Dockerfile.missing-packages-props").AssertFailed();

        var error = result.Errors.Single(e => e.Code == "FLY2002");
        Assert.That(Path.GetFileName(error.File), Is.EqualTo("Dockerfile.missing-packages-props"));
        Assert.That(error.Line, Is.GreaterThan(0));
        Assert.That(error.Message, Does.Contain("COPY Directory.Packages.props ./"));
    }

    [Test]
    public void MultiProjectSolution_ProjectFolderAsBuildContext_PutsTheSharedLibraryOutOfReach()
    {
        // `fly launch` builds from the project folder: ../Shared, found through MSBuild's ProjectReference graph, is outside.
        var project = TestProject.Create(MultiProject, withNuGetOrg: true).AsRepositoryRoot().AddSdkTo("src/Api/Api.csproj");

        var result = project.DotnetIn("src/Api", "build", "-t:FlyCheckDependencies", "-p:FlyBuildContext=.").AssertFailed();

        Assert.That(result.Errors.Where(e => e.Code == "FLY2001").Select(e => e.Message),
            Has.Some.Contains("Shared.csproj"));
    }

    [Test]
    public void RequiredVariables_WithoutAToken_AreWarningsNamingTheCommand()
    {
        var project = TestProject.Create("deps/dotnet/env-missing").AddSdkTo("App.csproj");
        // This test is about variables; the sample's Dockerfile predates the test's own NuGet.config.
        File.Delete(project.PathOf("Dockerfile"));

        var result = project.Dotnet("build", "-t:FlyCheckDependencies").AssertSucceeded();

        var openAi = result.Warnings.Single(w => w.Code == "FLY2031" && w.Message.Contains("OPENAI_API_KEY"));
        Assert.That(Path.GetFileName(openAi.File), Is.EqualTo("Program.cs"));
        Assert.That(openAi.Message, Does.Contain("fly secrets set"));
    }

    [Test]
    public void RequiredVariables_WithAToken_AreCheckedAgainstTheAppsSecretNames()
    {
        using var api = LocalMachinesApi.Start();
        api.Send(System.Net.Http.HttpMethod.Post, "v1/apps", "{\"name\":\"env-missing\",\"org_slug\":\"personal\"}");
        api.Send(System.Net.Http.HttpMethod.Post, "v1/apps/env-missing/secrets", "{\"values\":{\"OPENAI_API_KEY\":\"sk-value-never-shown\"}}");
        var project = TestProject.Create("deps/dotnet/env-missing").AddSdkTo("App.csproj");
        File.Delete(project.PathOf("Dockerfile"));

        var result = DotNet.Run(project.Directory, new System.Collections.Generic.Dictionary<string, string?> { ["FLY_API_TOKEN"] = api.Token },
            "build", "-t:FlyCheckDependencies", "-p:FlyApiUrl=" + api.Url, "-v:diag").AssertFailed();

        Assert.That(result.Diagnostics.Where(d => d.Code == "FLY2031"), Is.Empty, "the secret names were read, so nothing is unverified");
        var missing = result.Errors.Where(e => e.Code == "FLY2030").Select(e => e.Message).ToList();
        Assert.That(missing, Has.Some.Contains("Stripe__ApiKey"));
        Assert.That(missing, Has.None.Contains("OPENAI_API_KEY"), "provided as a secret");
        Assert.That(result.Output, Does.Not.Contain(api.Token), "the token never reaches the log, even at -v:diag");
        Assert.That(result.Output, Does.Not.Contain("sk-value-never-shown"));
    }

    [Test]
    public void EfCoreApp_OnASecondDeploy_IsNotBlamedForTheSdksOwnRuntimeHelpers()
    {
        // Once the app exists its secret names are known and unprovided variables become errors. The migrations helper
        // the SDK compiles into EF apps reads FLY_MIGRATE only when present; it is not the app's code to check.
        using var api = LocalMachinesApi.Start();
        api.Send(System.Net.Http.HttpMethod.Post, "v1/apps", "{\"name\":\"efwebapp\",\"org_slug\":\"personal\"}");
        api.Send(System.Net.Http.HttpMethod.Post, "v1/apps/efwebapp/secrets", "{\"values\":{\"DATABASE_URL\":\"postgres://u:p@db.flycast:5432/d\"}}");
        var project = TestProject.Create("release/EfWebApp", withNuGetOrg: true).AddSdkTo("EfWebApp.csproj");
        File.Delete(project.PathOf("Dockerfile"));
        project.Write("EfWebApp.csproj", project.Read("EfWebApp.csproj").Replace("</Project>",
            "  <PropertyGroup><FlyDatabaseUrlHelper>true</FlyDatabaseUrlHelper></PropertyGroup>\n</Project>"));

        var result = DotNet.Run(project.Directory, new System.Collections.Generic.Dictionary<string, string?> { ["FLY_API_TOKEN"] = api.Token },
            "build", "-t:FlyCheckDependencies", "-p:FlyApiUrl=" + api.Url).AssertSucceeded();

        Assert.That(result.Diagnostics.Where(d => d.Code is "FLY2030" or "FLY2031"), Is.Empty);
        Assert.That(result.Output, Does.Contain("FlyCheckDependencies: 0 error(s)"));
    }

    [Test]
    public void AMachinesApiError_IsAWarningWithFlysMessage_AndTheChecksGoOn()
    {
        using var api = LocalMachinesApi.Start();
        var project = TestProject.Create("deps/dotnet/env-missing").AddSdkTo("App.csproj");
        File.Delete(project.PathOf("Dockerfile"));

        // A token the API refuses: 401.
        var result = DotNet.Run(project.Directory, new System.Collections.Generic.Dictionary<string, string?> { ["FLY_API_TOKEN"] = "refused-" + System.Guid.NewGuid().ToString("N") },
            "build", "-t:FlyCheckDependencies", "-p:FlyApiUrl=" + api.Url).AssertSucceeded();

        var warning = result.Warnings.Single(w => w.Code == "FLY5001");
        Assert.That(warning.Message, Does.Contain("401").And.Contain("fly-request-id"));
        Assert.That(result.Warnings.Select(w => w.Code), Does.Contain("FLY2031"));
    }

    [Test]
    public void BeforeAFirstDeploy_TheMissingAppHasOnlyTheSecretsTheDeploySets()
    {
        using var api = LocalMachinesApi.Start();
        var project = TestProject.Create("deps/dotnet/env-missing").AddSdkTo("App.csproj");
        File.Delete(project.PathOf("Dockerfile"));
        project.Write("App.csproj", project.Read("App.csproj").Replace("</Project>",
            "  <ItemGroup><FlySecret Include=\"OPENAI_API_KEY\" FromEnvironment=\"TEST_OPENAI_KEY\" /></ItemGroup>\n</Project>"));
        project.Write("deploy.env", "Stripe__ApiKey=sk_from_the_file\n");

        // The app does not exist on this server (404): expected before a first deploy, so no warning.
        var result = DotNet.Run(project.Directory, new System.Collections.Generic.Dictionary<string, string?> { ["FLY_API_TOKEN"] = api.Token },
            "build", "-t:FlyCheckDependencies", "-p:FlyApiUrl=" + api.Url, "-p:FlySecretsFile=deploy.env", "-v:n").AssertFailed();

        Assert.That(result.Diagnostics.Where(d => d.Code is "FLY5001" or "FLY2031"), Is.Empty, "the missing app is a first deploy, not an API failure");
        Assert.That(result.Output, Does.Contain("does not exist yet (a first deploy creates it)"));
        var missing = result.Errors.Where(e => e.Code == "FLY2030").Select(e => e.Message).ToList();
        Assert.That(missing, Has.None.Contains("OPENAI_API_KEY"), "set by a FlySecret item");
        Assert.That(missing, Has.None.Contains("Stripe__ApiKey"), "set by FlySecretsFile");
        Assert.That(missing, Has.Some.Contains("ConnectionStrings__Orders"), "nothing sets it, and the new app has no other secrets");
        Assert.That(result.Output, Does.Not.Contain("sk_from_the_file"));
    }

    [Test]
    public void StandalonePythonApp_ImportMissingFromRequirements_IsAnErrorAtTheImport()
    {
        var project = Standalone("deps/python/fastapi-openai-missing");

        var result = project.Dotnet("build", "-t:FlyCheckDependencies").AssertFailed();

        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("FLY2050"));
        Assert.That((Path.GetFileName(error.File), error.Line, error.Column), Is.EqualTo(("main.py", 5, 6)));
        Assert.That(error.Message, Does.Contain("openai"));
    }

    [Test]
    public void StandaloneNodeApp_DevDependencyImportedByProductionCode_IsAnError()
    {
        var project = Standalone("deps/node/node-prisma-devdep");

        var result = project.Dotnet("build", "-t:FlyCheckDependencies").AssertFailed();

        var error = result.Errors.Single(e => e.Code == "FLY2071");
        Assert.That(error.Message, Does.Contain("@prisma/client"));
    }

    [Test]
    public void StandalonePythonApp_WithACrlfEntrypointItsDockerfileRuns_IsAnErrorAtTheScriptBeforeAnyBuild()
    {
        // The FastAPI + Alembic shape real teams run: an entrypoint.sh saved on Windows, run as the image's ENTRYPOINT.
        var project = Standalone("deps/python/fastapi-ok");
        File.WriteAllText(project.PathOf("entrypoint.sh"), "#!/bin/sh\r\nset -e\r\nalembic upgrade head\r\nexec \"$@\"\r\n");
        project.Write("Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n" +
            "COPY . .\nRUN chmod +x /app/entrypoint.sh\nENTRYPOINT [\"/app/entrypoint.sh\"]\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8080\"]\n");

        var result = project.Dotnet("build", "-t:FlyCheckDependencies").AssertFailed();

        var error = result.Errors.Single();
        Assert.That((error.Code, Path.GetFileName(error.File), error.Line), Is.EqualTo(("FLY3012", "entrypoint.sh", 1)));
        Assert.That(error.Message, Does.Contain("ENTRYPOINT at Dockerfile line 7"));
    }

    [Test]
    public void APackageFeedOutsideTheBuildContext_ThatAloneServesThePackageSdk_IsFly2001AtItsNuGetConfigLine()
    {
        var project = WithTheFeedOutsideTheContext(restoreFirst: false, otherSource: null);

        var result = project.Dotnet("build", "-t:FlyCheckDependencies").AssertFailed();

        var error = result.Errors.Single(e => e.Code == "FLY2001");
        Assert.That((Path.GetFileName(error.File), error.Line), Is.EqualTo(("NuGet.config", 5)));
        Assert.That(error.Message, Does.Contain("team-feed").And.Contain("FlyIo.Sdk").And.Contain("no other source serves it"));
    }

    [Test]
    public void APackageFeedOutsideTheBuildContext_BesideARemoteSourceThatCannotBeAsked_IsTheWarningFly2005()
    {
        // Port 9 on loopback: nothing listens, so the remote source cannot say whether it serves FlyIo.Sdk.
        var project = WithTheFeedOutsideTheContext(restoreFirst: true,
            otherSource: "<add key=\"mirror\" value=\"http://127.0.0.1:9/v3/index.json\" allowInsecureConnections=\"true\" />");

        var result = project.Dotnet("build", "-t:FlyCheckDependencies");

        var warning = result.Warnings.Single(w => w.Code == "FLY2005");
        Assert.That((Path.GetFileName(warning.File), warning.Line), Is.EqualTo(("NuGet.config", 5)));
        Assert.That(warning.Message, Does.Contain("127.0.0.1:9"));
        Assert.That(result.Errors.Where(e => e.Code == "FLY2001"), Is.Empty);
    }

    [Test]
    public void StandaloneApps_ThatAreAligned_PassCleanly()
    {
        Standalone("deps/python/fastapi-ok").Dotnet("build", "-t:FlyCheckDependencies").AssertSucceeded();
        Standalone("deps/node/node-fastify-ok").Dotnet("build", "-t:FlyCheckDependencies").AssertSucceeded();
    }

    [Test]
    public void DatabaseUrlHelper_TurnsFlysUrlIntoAConnectionStringAtStartup()
    {
        var project = TestProject.Create().WithGlobalJson(withSdkVersion: false);
        project.Write("App.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="FlyIo.Sdk" Version="{PackagedSdk.Version}" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <FlyDatabaseUrlHelper>true</FlyDatabaseUrlHelper>
                <FlyDatabaseUrlConnectionName>Orders</FlyDatabaseUrlConnectionName>
              </PropertyGroup>
            </Project>
            """);
        project.Write("Program.cs", "System.Console.WriteLine(System.Environment.GetEnvironmentVariable(\"ConnectionStrings__Orders\"));");
        project.Dotnet("build").AssertSucceeded();

        var (exit, output) = ChildProcess.Run("dotnet", new[] { project.PathOf("bin/Debug/net10.0/App.dll") }, project.Directory,
            new System.Collections.Generic.Dictionary<string, string?> { ["DATABASE_URL"] = "postgres://app:s%40cret@db.internal:5433/orders?sslmode=disable" },
            System.TimeSpan.FromMinutes(1));

        Assert.That(exit, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("Host=db.internal").And.Contain("Port=5433").And.Contain("Username=app")
            .And.Contain("Password=s@cret").And.Contain("Database=orders").And.Contain("SSL Mode=Disable"));
    }

    /// <summary>
    /// The web app with FlyIo.Sdk only in a feed folder outside the build context (its NuGet.config line 5), and
    /// optionally another source after it. <paramref name="restoreFirst"/>: the SDK is restored once from the vendored
    /// feed first, so resolving it later needs no source.
    /// </summary>
    private static TestProject WithTheFeedOutsideTheContext(bool restoreFirst, string? otherSource)
    {
        var project = TestProject.Create("WebApp").AddSdkTo("WebApp.csproj");
        var outside = Path.Combine(PackagedSdk.WorkRoot, "outside-feed-" + System.Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(outside);
        File.Copy(PackagedSdk.PackagePath, Path.Combine(outside, Path.GetFileName(PackagedSdk.PackagePath)));
        if (restoreFirst)
        {
            project.Dotnet("build", "-t:FlyValidate").AssertSucceeded();
        }

        project.Write("NuGet.config", $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <clear />\n    <add key=\"team-feed\" value=\"{outside}\" />\n" +
            (otherSource is null ? "" : "    " + otherSource + "\n") + "  </packageSources>\n</configuration>\n");
        Directory.Delete(project.PathOf("feed"), recursive: true);
        return project;
    }

    private static TestProject Standalone(string sample)
    {
        var project = TestProject.Create(sample).WithGlobalJson(withSdkVersion: false);
        project.Write("app.proj", $"<Project Sdk=\"FlyIo.Sdk/{PackagedSdk.Version}\" />\n");
        return project;
    }
}
