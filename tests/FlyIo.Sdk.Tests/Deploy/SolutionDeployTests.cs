using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Machines;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests.Deploy;

/// <summary>
/// FlyDeploy on a solution: two web apps that import the SDK, each with its own fly.toml and app, and a class library
/// that does not. The solution's Directory.Solution.targets imports the SDK's Solution.targets; the apps deploy to one
/// local Machines API (simulated machines: a tag is enough), the library is named as skipped.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class SolutionDeployTests : BuildTestBase
{
    private const string Image = "registry.fly.io/solution-apps:deployment-one";

    [Test]
    public void PublishTargetFlyDeploy_OnASolution_DeploysEveryAppAndSkipsTheLibrary()
    {
        using var api = LocalMachinesApi.Start();
        var solution = TwoAppsAndALibrary();

        var result = Deploy(solution, api, "publish", "-t:FlyDeploy", "Two.sln").AssertSucceeded();

        Assert.That(result.ExitCode, Is.EqualTo(0));
        foreach (var app in new[] { "solution-app-one", "solution-app-two" })
        {
            Assert.That(Machines(api, app).Select(m => (m.State, m.Image)), Is.EqualTo(new[] { ("started", Image) }), app);
        }

        Assert.That(result.Output, Does.Contain("FlyDeploy: skipped Lib.csproj: it does not import FlyIo.Sdk."));
        Assert.That(result.Output, Does.Not.Contain("MSB4057"));
        // One summary at the end: a line per app (app, URL, release), after both deploys.
        var summary = result.Output.LastIndexOf("FlyDeploy: Two.sln: 2 deployed, 1 skipped.", System.StringComparison.Ordinal);
        Assert.That(summary, Is.GreaterThan(result.Output.LastIndexOf("FlyDeploy: deployed ", System.StringComparison.Ordinal)));
        var tail = result.Output.Substring(summary);
        Assert.That(tail, Does.Contain("solution-app-one  https://solution-app-one.fly.dev  release v1  (One.csproj)")
            .And.Contain("solution-app-two  https://solution-app-two.fly.dev  release v1  (Two.csproj)"));
        Assert.That(result.Output, Does.Not.Contain(api.Token));
    }

    [Test]
    public void ASolutionWithNoProjectThatImportsTheSdk_FailsWithFly9002()
    {
        using var api = LocalMachinesApi.Start();
        var solution = TestProject.Create().WithGlobalJson(withSdkVersion: true);
        AddLibrary(solution);
        solution.Write("Directory.Solution.targets", "<Project>\n  <Import Project=\"Solution.targets\" Sdk=\"FlyIo.Sdk\" />\n</Project>\n");
        WriteSolution(solution, "Libs.sln", "Lib");

        var result = Deploy(solution, api, "build", "-t:FlyDeploy", "Libs.sln").AssertFailed();

        var error = result.Single("FLY9002");
        Assert.That(error.Message, Does.Contain("Libs.sln"));
        Assert.That(result.Output, Does.Contain("FlyDeploy: skipped Lib.csproj"));
    }

    /// <summary>Two.sln: One/ and Two/ (the sample web app, apps solution-app-one and -two) and Lib/ (a class library).</summary>
    private static TestProject TwoAppsAndALibrary()
    {
        var solution = TestProject.Create().WithGlobalJson(withSdkVersion: true).AsRepositoryRoot();
        foreach (var (folder, app) in new[] { ("One", "solution-app-one"), ("Two", "solution-app-two") })
        {
            solution.CopySample("WebApp", folder);
            File.Move(solution.PathOf($"{folder}/WebApp.csproj"), solution.PathOf($"{folder}/{folder}.csproj"));
            solution.Write($"{folder}/fly.toml", solution.Read($"{folder}/fly.toml")
                .Replace("app = \"flyio-sdk-sample\"", $"app = \"{app}\"")
                .Replace("grace_period = \"5s\"", "grace_period = \"1s\""));
        }

        AddLibrary(solution);
        // What the SDK's docs tell a solution to add: MSBuild reads nothing else at the solution level.
        solution.Write("Directory.Solution.targets", "<Project>\n  <Import Project=\"Solution.targets\" Sdk=\"FlyIo.Sdk\" />\n</Project>\n");
        WriteSolution(solution, "Two.sln", "One", "Two", "Lib");
        return solution;
    }

    /// <summary>A Visual Studio solution of the projects &lt;name&gt;/&lt;name&gt;.csproj, Debug and Release, as `dotnet sln add` writes one.</summary>
    private static void WriteSolution(TestProject solution, string file, params string[] projects)
    {
        const string csharp = "{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}";
        var ids = projects.Select((p, i) => (Name: p, Id: $"{{00000000-0000-0000-0000-00000000000{i + 1}}}")).ToList();
        var text = new System.Text.StringBuilder("\nMicrosoft Visual Studio Solution File, Format Version 12.00\n# Visual Studio Version 17\n");
        foreach (var (name, id) in ids)
        {
            text.Append($"Project(\"{csharp}\") = \"{name}\", \"{name}\\{name}.csproj\", \"{id}\"\nEndProject\n");
        }

        text.Append("Global\n\tGlobalSection(SolutionConfigurationPlatforms) = preSolution\n\t\tDebug|Any CPU = Debug|Any CPU\n\t\tRelease|Any CPU = Release|Any CPU\n\tEndGlobalSection\n");
        text.Append("\tGlobalSection(ProjectConfigurationPlatforms) = postSolution\n");
        foreach (var (_, id) in ids)
        {
            foreach (var configuration in new[] { "Debug", "Release" })
            {
                text.Append($"\t\t{id}.{configuration}|Any CPU.ActiveCfg = {configuration}|Any CPU\n\t\t{id}.{configuration}|Any CPU.Build.0 = {configuration}|Any CPU\n");
            }
        }

        text.Append("\tEndGlobalSection\nEndGlobal\n");
        solution.Write(file, text.ToString());
    }

    private static void AddLibrary(TestProject solution)
    {
        solution.Write("Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n");
        solution.Write("Lib/Class1.cs", "namespace Lib;\n\npublic static class Class1\n{\n}\n");
    }

    /// <summary>dotnet against the local API (both of Fly's APIs), the token in the environment only, an image that exists.</summary>
    private static BuildResult Deploy(TestProject solution, LocalMachinesApi api, params string[] arguments) =>
        DotNet.Run(solution.Directory, new Dictionary<string, string?> { ["FLY_API_TOKEN"] = api.Token, ["FLY_ACCESS_TOKEN"] = null },
            arguments.Concat(new[]
            {
                "-p:FlyApiUrl=" + api.Url, "-p:FlyPlatformApiUrl=" + api.Url, "-p:FlySmokeCheckWindow=1s", "-p:FlyHighAvailability=false",
                "-p:FlySkipDockerfile=true", "-p:FlySkipImage=true", "-p:FlyImage=" + Image,
            }).ToArray());

    private static IReadOnlyList<Machine> Machines(LocalMachinesApi api, string app)
    {
        using var client = new MachinesApiClient(api.Url, FlyToken.FromValue(api.Token));
        return client.ListMachinesAsync(app).GetAwaiter().GetResult().ToList();
    }
}
