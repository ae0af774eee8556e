using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Text;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests.Deploy;

/// <summary>
/// FlyDeploy, FlyPlan, FlyStatus and FlyRollback on a copy of the sample web app, built against the packed SDK, each
/// test with its own local Machines API (simulated runtime: machines never pull the image, so a tag is enough).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class FlyDeployTargetTests : BuildTestBase
{
    [Test]
    public void FirstDeploy_CreatesMachines_AndASecondDeployUpdatesThem()
    {
        using var fly = DeployRehearsal.Start();

        var first = fly.Deploy("deployment-one", "-p:FlyMachineCount=2").AssertSucceeded();

        var created = fly.Machines();
        Assert.That(created, Has.Count.EqualTo(2));
        Assert.That(created.Select(m => (m.State, m.Image, m.Metadata("fly_release_version"))),
            Has.All.EqualTo(("started", DeployRehearsal.Registry + ":deployment-one", "1")));
        // Every step of the pipeline ran, in order, and the deploy logged each machine as it went.
        AssertInOrder(first.Output, "FlyValidate:", "FlyCheckDependencies:", "FlySetReleaseCommand:",
            "FlyDeploy: Creating app flyio-sdk-sample", "FlyDeploy: deployed flyio-sdk-sample release v1");
        foreach (var machine in created)
        {
            AssertInOrder(first.Output, $"FlyDeploy: Created {machine.Id} [app, ams]", "FlyDeploy: deployed");
        }

        Assert.That(first.Output, Does.Contain("2 created, 0 updated, 0 destroyed (rolling)")
            .And.Contain("url:      https://flyio-sdk-sample.fly.dev")
            .And.Contain("image:    " + DeployRehearsal.Registry + ":deployment-one")
            .And.Match(@"phases:   app \d+\.\ds, ips \d+\.\ds, machines \d+\.\ds"));
        Assert.That(Occurrences(first.Output, "FlyDeploy: deployed "), Is.EqualTo(1), "one summary");
        Assert.That(Directory.Exists(fly.Project.PathOf("bin")), Is.False,
            "dotnet publish -p:PublishProfile=Fly does not run the ordinary publish (the image build publishes inside the image)");

        var second = fly.Deploy("deployment-two").AssertSucceeded();

        var updated = fly.Machines();
        Assert.That(updated.Select(m => m.Id), Is.EqualTo(created.Select(m => m.Id)), "the same machines, updated in place");
        Assert.That(updated.Select(m => (m.Image, m.Metadata("fly_release_version"))),
            Has.All.EqualTo((DeployRehearsal.Registry + ":deployment-two", "2")));
        Assert.That(updated.Select(m => m.InstanceId).Intersect(created.Select(m => m.InstanceId)), Is.Empty, "every machine runs a new instance");
        foreach (var machine in created)
        {
            AssertInOrder(second.Output, $"FlyDeploy: Updated {machine.Id} [app, ams]", $"FlyDeploy: {machine.Id} is up on the new version and healthy", "FlyDeploy: deployed");
        }

        Assert.That(second.Output, Does.Contain("FlyDeploy: deployed flyio-sdk-sample release v2").And.Contain("0 created, 2 updated, 0 destroyed (rolling)"));
    }

    [Test]
    public void FlyToml_IsReadOnceBeforeTheReleaseCommandEdit_AndOnceAfter()
    {
        using var fly = DeployRehearsal.Start();

        // Every target that needs fly.toml runs: validation, dependency checks, the Dockerfile, the release-command
        // edit and the deploy; only the image build is skipped (no builder here).
        var result = fly.Dotnet("publish", "-t:FlyDeploy", "-p:FlySkipImage=true", $"-p:FlyImage={DeployRehearsal.Registry}:deployment-one",
            "-p:FlyReleaseCommand=migrate", "-v:diag").AssertSucceeded();

        const string read = "fly.toml (";
        var reads = result.Output.Split('\n').Where(l => l.Contains("FlyIo.Sdk: read ") && l.Contains(read) && l.Contains("into the app model")).ToList();
        Assert.That(reads, Has.Count.EqualTo(2), string.Join("\n", reads));
        // The Dockerfile likewise: one read shared by the targets after FlyDockerfile has written it.
        var dockerfileReads = result.Output.Split('\n').Where(l => l.Contains("FlyIo.Sdk: read ") && l.Contains("Dockerfile into the app model")).ToList();
        Assert.That(dockerfileReads, Has.Count.EqualTo(1), string.Join("\n", dockerfileReads));
        Assert.That(result.Output.Split('\n').Count(l => l.Contains("FlyIo.Sdk: found the build context and restore inputs of ")), Is.EqualTo(1),
            "the project layout is found once for the dependency check and the Dockerfile");
        AssertInOrder(result.Output, "into the app model", "FlyValidate: ", "FlyCheckDependencies: ", "FlyDockerfile: ",
            "FlySetReleaseCommand: ", "into the app model", "FlyDeploy: deployed");
        Assert.That(fly.Project.Read("fly.toml"), Does.Contain("release_command = \"migrate\""));
    }

    [Test]
    public void CSharpSources_AreScannedOnce_ForValidationDependenciesDockerfileAndReleaseCommand()
    {
        using var fly = DeployRehearsal.Start();

        // Validation (routes), the dependency check (configuration reads), the Dockerfile (time-zone lookups) and the
        // release-command plan (EF Core) all look at the app's C# sources; only the image build is skipped.
        var result = fly.Dotnet("publish", "-t:FlyDeploy", "-p:FlySkipImage=true", $"-p:FlyImage={DeployRehearsal.Registry}:deployment-one",
            "-v:diag").AssertSucceeded();

        var scans = result.Output.Split('\n').Where(l => l.Contains("FlyIo.Sdk: scanned ") && l.Contains("C# source files into the app model")).ToList();
        Assert.That(scans, Has.Count.EqualTo(1), string.Join("\n", scans));
        Assert.That(scans[0], Does.Not.Contain("scanned 0 "), "the app's sources were found");
        AssertInOrder(result.Output, "C# source files into the app model", "FlyValidate: ", "FlyCheckDependencies: ", "FlyDockerfile: ",
            "FlySetReleaseCommand: ", "FlyDeploy: deployed");
    }

    [Test]
    public void Plan_OnADeployedApp_ShowsTheConfigDiff_AndChangesNothing()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one", "-p:FlyHighAvailability=false").AssertSucceeded();
        var before = fly.Machines();
        fly.Project.Write("fly.toml", fly.Project.Read("fly.toml").Replace("[env]\n", "[env]\n  FEATURE_FLAG = \"on\"\n"));

        var plan = fly.Dotnet("build", "-t:FlyPlan", $"-p:FlyImage={DeployRehearsal.Registry}:deployment-two").AssertSucceeded();

        var machine = before.Single();
        Assert.That(plan.Output, Does.Contain($"update {machine.Id} [app, ams]")
            .And.Contain($"image: \"{DeployRehearsal.Registry}:deployment-one\" → \"{DeployRehearsal.Registry}:deployment-two\"")
            .And.Contain("env.FEATURE_FLAG: (none) → \"on\"")
            .And.Contain("WebApp -> image ").And.Contain("nothing was changed."));
        var after = fly.Machines();
        Assert.That(after.Select(m => (m.Id, m.InstanceId, m.Image, m.State)), Is.EqualTo(before.Select(m => (m.Id, m.InstanceId, m.Image, m.State))));
    }

    [Test]
    public void Status_ListsEveryMachine_WithStateReleaseRegionAndChecks()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one", "-p:FlyMachineCount=2").AssertSucceeded();

        var status = fly.Dotnet("build", "-t:FlyStatus").AssertSucceeded();

        Assert.That(status.Output, Does.Contain("WebApp -> flyio-sdk-sample: 2 machine(s)"));
        foreach (var machine in fly.Machines())
        {
            Assert.That(status.Output, Does.Match($@"{machine.Id}\s+app\s+ams\s+started\s+v1\s+{DeployRehearsal.Registry}:deployment-one\s+servicecheck-00-http-8080=passing"));
        }
    }

    [Test]
    public void Rollback_RestoresThePreviousImage()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one").AssertSucceeded();
        fly.Deploy("deployment-two").AssertSucceeded();

        var rollback = fly.Dotnet("build", "-t:FlyRollback").AssertSucceeded();

        // The first deploy of an app with [http_service] made two machines, as flyctl's --ha does; both go back.
        Assert.That(fly.Machines().Select(m => (m.Image, m.State, m.Metadata("fly_release_version"))),
            Is.EqualTo(new[] { (DeployRehearsal.Registry + ":deployment-one", "started", "3"), (DeployRehearsal.Registry + ":deployment-one", "started", "3") }));
        Assert.That(rollback.Output, Does.Contain($"FlyRollback: rolled flyio-sdk-sample back to {DeployRehearsal.Registry}:deployment-one as release v3"));
    }

    [Test]
    public void FailedReleaseCommand_IsAnErrorAtItsLineInFlyToml_AndNoMachineChanges()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one").AssertSucceeded();
        var before = fly.Machines();
        fly.Project.Write("fly.toml", fly.Project.Read("fly.toml").Replace("[deploy]\n", "[deploy]\n  release_command = \"migrate-now\"\n"));
        fly.Api.Send(HttpMethod.Post, "__admin/faults/rules", "{\"kind\":\"exit\",\"process_group\":\"fly_app_release_command\",\"exit_code\":3}");

        var result = fly.Deploy("deployment-two", "-p:FlySkipReleaseCommand=true").AssertFailed();

        var error = result.Single("FLY5003");
        var lines = fly.Project.Read("fly.toml").Split('\n');
        Assert.That((Path.GetFileName(error.File), error.Line), Is.EqualTo(("fly.toml", Array.FindIndex(lines, l => l.Contains("release_command")) + 1)));
        Assert.That(error.Message, Does.Contain("exited with code 3").And.Contain("No app machine was changed"));
        Assert.That(fly.Machines().Select(m => (m.Id, m.InstanceId, m.Image)), Is.EqualTo(before.Select(m => (m.Id, m.InstanceId, m.Image))));
        Assert.That(result.Output, Does.Not.Contain("FlyDeploy: deployed"));
    }

    [Test]
    public void CancellingTheBuild_CancelsTheDeploy_ReleasesEveryLease_AndReportsEachMachinesVersion()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one", "-p:FlyMachineCount=2").AssertSucceeded();
        var machines = fly.Machines();

        // A long smoke window keeps the first updated machine under its lease when Ctrl-C arrives.
        var result = fly.DeployAndInterrupt("deployment-two", "FlyDeploy: Updated ", "-p:FlySmokeCheckWindow=60s").AssertFailed();

        var report = result.Single("FLY5007");
        Assert.That((report.Severity, Path.GetFileName(report.File)), Is.EqualTo(("warning", "fly.toml")));
        Assert.That(report.Message, Does.Contain("was cancelled; every lease was released"));
        foreach (var machine in machines)
        {
            Assert.That(report.Message, Does.Match($@"{machine.Id} \[app, ams\] \w+: {DeployRehearsal.Registry}:deployment-\w+ \(release \d"), "each machine with its state, image and release");
            Assert.That(fly.LeaseIsFree(machine.Id), Is.True, $"the lease on {machine.Id} was released");
        }

        Assert.That(report.Message, Does.Contain(":deployment-two (release 2").And.Contain(":deployment-one (release 1"), "one machine moved, the other did not");
        Assert.That(result.Output, Does.Not.Contain("FlyDeploy: deployed"));
    }

    [Test]
    public void MissingToken_IsAnErrorSayingHowToGetOne_BeforeAnythingElseRuns()
    {
        using var fly = DeployRehearsal.Start();
        fly.Environment["FLY_API_TOKEN"] = null;

        var result = fly.Deploy("deployment-one").AssertFailed();

        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("FLY5020"));
        Assert.That(Path.GetFileName(error.File), Is.EqualTo("WebApp.csproj"));
        Assert.That(error.Message, Does.Contain("fly tokens create deploy -a flyio-sdk-sample").And.Contain("export FLY_API_TOKEN="));
        Assert.That(result.Output, Does.Not.Contain("FlyValidate:"), "the token is checked first");
        Assert.That(fly.AppExists(), Is.False);
    }

    [Test]
    public void ATokenWithALineBreakInside_IsFly5026_AndNoRequestIsMade_AndTheTokenIsNeverShown()
    {
        using var fly = DeployRehearsal.Start();
        var token = fly.Environment["FLY_API_TOKEN"]!;
        // Pasted from a file: a line break and what would become a header of its own.
        fly.Environment["FLY_API_TOKEN"] = token + "\nX-Injected: 1";

        var result = fly.Deploy("deployment-one").AssertFailed();

        var error = result.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("FLY5026"));
        Assert.That(error.Message, Does.Contain("FLY_API_TOKEN").And.Contain("line break"));
        Assert.That(result.Output, Does.Not.Contain(token).And.Not.Contain(token.Substring(4, 12)));
        Assert.That(fly.AppExists(), Is.False);
    }

    [TestCase("FlyApiToken")]
    [TestCase("FLY_API_TOKEN")]
    public void TokenGivenAsAProperty_IsRefused_EvenWithATokenInTheEnvironment(string property)
    {
        using var fly = DeployRehearsal.Start();

        var result = fly.Deploy("deployment-one", $"-p:{property}={fly.Api.Token}").AssertFailed();

        var error = result.Single("FLY5021");
        Assert.That(error.Message, Does.Contain($"'{property}'").And.Contain("environment").And.Contain("revoke"));
        Assert.That(result.Errors.Select(e => e.Code), Is.EqualTo(new[] { "FLY5021" }));
        Assert.That(fly.AppExists(), Is.False, "nothing was deployed");
    }

    [Test]
    public void Secrets_FromEnvironmentAndADotEnvFile_AreSetInOneCall_AndTheirValuesNeverShown()
    {
        using var fly = DeployRehearsal.Start();
        var stripe = "sk_live_" + Guid.NewGuid().ToString("N");
        var database = "postgres://app:" + Guid.NewGuid().ToString("N") + "@db.internal/app";
        fly.Environment["STRIPE_KEY_FOR_TEST"] = stripe;
        AddSecrets(fly.Project, database);

        var result = fly.Deploy("deployment-one", "-v:diag").AssertSucceeded();

        Assert.That(fly.SecretNames(), Is.EquivalentTo(new[] { "Stripe__ApiKey", "DATABASE_URL" }));
        Assert.That(result.Output, Does.Contain("Secrets updated: DATABASE_URL, Stripe__ApiKey"));
        Assert.That(result.Output, Does.Not.Contain(stripe));
        Assert.That(result.Output, Does.Not.Contain(database));
    }

    [Test]
    public void ASecretsFileThatIsMissingOrMalformed_IsAnErrorAtItsLine_ThatNeverQuotesTheValue()
    {
        using var fly = DeployRehearsal.Start();
        var value = "sk_live_" + Guid.NewGuid().ToString("N");
        fly.Project.Write("secrets.env", $"# comment\nGOOD=1\n{value}\n");

        var missing = fly.Deploy("deployment-one", "-p:FlySecretsFile=nowhere.env").AssertFailed();
        var malformed = fly.Deploy("deployment-one", "-p:FlySecretsFile=secrets.env").AssertFailed();

        Assert.That(missing.Single("FLY5023").Message, Does.Contain("nowhere.env").And.Contain("does not exist"));
        var error = malformed.Single("FLY5023");
        Assert.That((Path.GetFileName(error.File), error.Line), Is.EqualTo(("secrets.env", 3)));
        Assert.That(malformed.Output, Does.Not.Contain(value), "the line may hold a secret: its place is named, not its text");
        Assert.That(fly.AppExists(), Is.False, "nothing was deployed");
    }

    [Test]
    public void AMountAddedToADeployedApp_IsFLY5014AtItsSourceInFlyToml_AndNoMachineChanges()
    {
        using var fly = DeployRehearsal.Start();
        fly.Deploy("deployment-one").AssertSucceeded();
        var before = fly.Machines();
        fly.Project.Write("fly.toml", fly.Project.Read("fly.toml") + "\n[[mounts]]\n  source = \"data\"\n  destination = \"/data\"\n");

        var result = fly.Deploy("deployment-two").AssertFailed();

        var error = result.Single("FLY5014");
        var lines = fly.Project.Read("fly.toml").Split('\n');
        Assert.That((Path.GetFileName(error.File), error.Line), Is.EqualTo(("fly.toml", Array.FindIndex(lines, l => l.Contains("source = \"data\"")) + 1)));
        Assert.That(error.Message, Does.Contain("has no volume, but fly.toml mounts 'data' at /data"));
        Assert.That(fly.Machines().Select(m => (m.Id, m.InstanceId, m.Image)), Is.EqualTo(before.Select(m => (m.Id, m.InstanceId, m.Image))));
    }

    [Test]
    public void ABuildImageInFlyToml_IsDeployedAsItIs_WithNoDockerfileBuildOrPush()
    {
        using var fly = DeployRehearsal.Start();
        var prebuilt = DeployRehearsal.Registry + ":prebuilt";
        fly.Project.Write("fly.toml", fly.Project.Read("fly.toml") + $"\n[build]\n  image = \"{prebuilt}\"\n");
        var hadDockerfile = File.Exists(fly.Project.PathOf("Dockerfile"));

        var result = fly.Dotnet("publish", "-t:FlyDeploy", "-p:FlyHighAvailability=false").AssertSucceeded();

        Assert.That(fly.Machines().Select(m => m.Image), Is.EqualTo(new[] { prebuilt }));
        Assert.That(File.Exists(fly.Project.PathOf("Dockerfile")), Is.EqualTo(hadDockerfile), "no Dockerfile is written for a prebuilt image");
        Assert.That(result.Output, Does.Not.Contain("FlyPushImage").And.Not.Contain("FlyBuildImage"));
    }

    [Test]
    public void ADeployPropertyWithAValueItCannotTake_IsAnErrorNamingIt()
    {
        using var fly = DeployRehearsal.Start();

        var result = fly.Deploy("deployment-one", "-p:FlyMachineCount=zero", "-p:FlyWaitTimeout=soon", "-p:FlyHighAvailability=maybe").AssertFailed();

        var messages = result.Errors.Where(e => e.Code == "FLY5024").Select(e => e.Message).ToList();
        Assert.That(messages, Has.Some.Contains("FlyMachineCount is 'zero'"));
        Assert.That(messages, Has.Some.Contains("FlyWaitTimeout is 'soon'"));
        Assert.That(messages, Has.Some.Contains("FlyHighAvailability is 'maybe'"));
        Assert.That(fly.AppExists(), Is.False);
    }

    [Test]
    public void SkippingTheImageStepWithNoFlyImage_IsAnErrorSayingWhatToPass()
    {
        using var fly = DeployRehearsal.Start();

        var result = fly.Dotnet("publish", "-t:FlyDeploy", "-p:FlySkipDockerfile=true", "-p:FlySkipImage=true", "-p:FlyImage=").AssertFailed();

        Assert.That(result.Errors.Select(e => e.Code), Does.Contain("FLY5025"));
        Assert.That(result.Errors.First(e => e.Code == "FLY5025").Message, Does.Contain("FlyImage"));
        Assert.That(fly.AppExists(), Is.False);
    }

    [Test]
    public void SecretFromAnUnsetVariable_IsAnErrorNamingTheVariable()
    {
        using var fly = DeployRehearsal.Start();
        AddSecrets(fly.Project, "postgres://unused");

        var result = fly.Deploy("deployment-one").AssertFailed();

        var error = result.Single("FLY5022");
        Assert.That(error.Message, Does.Contain("Stripe__ApiKey").And.Contain("STRIPE_KEY_FOR_TEST"));
        Assert.That(fly.AppExists(), Is.False);
    }

    [Test]
    public void TheToken_AppearsNowhere_NotInADiagLog_NorTheBinaryLog_NorAnyFileUnderTheProject()
    {
        using var fly = DeployRehearsal.Start();
        var stripe = "sk_live_" + Guid.NewGuid().ToString("N");
        fly.Environment["STRIPE_KEY_FOR_TEST"] = stripe;
        AddSecrets(fly.Project, "postgres://app:pw-" + Guid.NewGuid().ToString("N") + "@db/app");
        var binlog = fly.Project.PathOf("deploy.binlog");

        var deploy = fly.Deploy("deployment-one", "-v:diag", "-bl:" + binlog).AssertSucceeded();
        var status = fly.Dotnet("build", "-t:FlyStatus", "-v:diag").AssertSucceeded();
        var replay = DotNet.Run(fly.Project.Directory, "msbuild", binlog, "-v:diag");

        var token = fly.Api.Token;
        Assert.That(deploy.Output, Does.Contain("FlyDeploy: deployed"), "the deploy really ran");
        Assert.That(deploy.Output, Does.Not.Contain(token));
        Assert.That(status.Output, Does.Not.Contain(token));
        Assert.That(replay.Output, Does.Contain("FlyDeploy: deployed"), "the replay holds the build's messages");
        Assert.That(replay.Output, Does.Not.Contain(token), "replayed binary log");
        Assert.That(replay.Output, Does.Not.Contain(stripe), "replayed binary log");
        var raw = File.ReadAllBytes(binlog);
        Assert.That(Contains(raw, token), Is.False, "binary log bytes");
        Assert.That(Contains(Gunzip(raw), token), Is.False, "binary log bytes, decompressed");
        Assert.That(Contains(Gunzip(raw), stripe), Is.False, "binary log bytes, decompressed");
        var files = Directory.GetFiles(fly.Project.Directory, "*", SearchOption.AllDirectories);
        Assert.That(files, Has.Length.GreaterThan(5));
        Assert.That(files.Where(f => Contains(File.ReadAllBytes(f), token)), Is.Empty, "files under the project folder");
    }

    private static void AddSecrets(TestProject project, string databaseUrl)
    {
        project.Write("WebApp.csproj", project.Read("WebApp.csproj").Replace("</Project>", """
              <PropertyGroup>
                <FlySecretsFile>secrets.env</FlySecretsFile>
              </PropertyGroup>
              <ItemGroup>
                <FlySecret Include="Stripe__ApiKey" FromEnvironment="STRIPE_KEY_FOR_TEST" />
              </ItemGroup>
            </Project>
            """));
        project.Write("secrets.env", $"# for the deploy only\nDATABASE_URL=\"{databaseUrl}\"\n");
    }

    private static bool Contains(byte[] haystack, string text) =>
        IndexOf(haystack, Encoding.UTF8.GetBytes(text)) >= 0 || IndexOf(haystack, Encoding.Unicode.GetBytes(text)) >= 0;

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return i;
            }
        }

        return -1;
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
