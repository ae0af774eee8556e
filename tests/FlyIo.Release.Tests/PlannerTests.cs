using FlyIo.AppModel;
using FlyIo.AppModel.CSharp;
using System;
using System.IO;
using System.Linq;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.Release.Tests;

public class PlannerTests
{
    private string _dir = "";

    [SetUp]
    public void MakeFolder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "flyio-plan-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private ReleasePlan Plan(Action<ReleaseInputs>? configure = null)
    {
        var inputs = new ReleaseInputs
        {
            ProjectDirectory = _dir,
            ProjectFile = Path.Combine(_dir, "App.csproj"),
            Config = FlyConfig.Load(Path.Combine(_dir, "fly.toml")),
            // The project's Compile items: every .cs file under the project folder.
            Sources = CSharpSources.Read(Directory.GetFiles(_dir, "*.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal)),
        };
        configure?.Invoke(inputs);
        return ReleaseCommandPlanner.Plan(inputs);
    }

    private static string[] Codes(ReleasePlan plan) => plan.Diagnostics.Select(d => d.Code).ToArray();

    private void EfProject()
    {
        Write("Data/AppDb.cs", "namespace App;\n// class Fake : DbContext\npublic class AppDb(DbContextOptions<AppDb> o) : Microsoft.EntityFrameworkCore.DbContext(o) { }\n");
        Write("Migrations/20250101_Init.cs", "[DbContext(typeof(AppDb))]\n[Migration(\"20250101_Init\")]\npublic partial class Init : Migration { }\n");
    }

    [Test]
    public void EfCoreMigrationsGiveMigrateAndTheRuntimeSources()
    {
        EfProject();
        Write("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENTRYPOINT [\"dotnet\", \"App.dll\"]\n");
        var runtime = Path.Combine(FlyIo.Testing.RepoPaths.RepoRoot, "src", "FlyIo.Runtime");
        var plan = Plan(i => { i.Dockerfile = FlyIo.AppModel.Docker.Dockerfile.Load(Path.Combine(_dir, "Dockerfile")); i.RuntimeSourceDirectory = runtime; });
        Assert.That(plan.Command, Is.EqualTo("migrate"));
        Assert.That(plan.Source, Is.EqualTo(ReleaseCommandSource.EfCore));
        Assert.That(plan.WouldRun, Is.EqualTo(new[] { "dotnet", "App.dll", "migrate" }));
        Assert.That(plan.HasErrors, Is.False);
        Assert.That(Codes(plan), Is.EqualTo(new[] { FlyCodes.ReleaseCommandDetected.Code }));
        Assert.That(plan.RuntimeSourcesToCompile.Select(Path.GetFileName), Is.EquivalentTo(new[] { "FlyDatabaseUrl.cs", "FlyMigrations.cs" }));
        Assert.That(plan.RuntimeSourcesToCompile.All(File.Exists), Is.True);
    }

    [Test]
    public void NoEntrypointMeansTheCmdIsRepeated()
    {
        EfProject();
        Write("Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS base\nCMD [\"dotnet\", \"App.dll\"]\nFROM base AS final\nWORKDIR /app\n");
        var plan = Plan(i => i.Dockerfile = FlyIo.AppModel.Docker.Dockerfile.Load(Path.Combine(_dir, "Dockerfile")));
        Assert.That(plan.Command, Is.EqualTo("dotnet App.dll migrate"));
    }

    [Test]
    public void DbContextWithoutMigrationsWarns()
    {
        Write("AppDb.cs", "class AppDb : IdentityDbContext<User> { }");
        var plan = Plan();
        Assert.That(plan.Command, Is.Null);
        var warning = plan.Diagnostics.Single();
        Assert.That((warning.Code, warning.Severity, warning.Line), Is.EqualTo((FlyCodes.DbContextWithoutMigrations.Code, DiagnosticSeverity.Warning, 1)));
    }

    [Test]
    public void DetectionCanBeTurnedOff()
    {
        EfProject();
        var plan = Plan(i => i.MigrationsDetection = "false");
        Assert.That(plan.Command, Is.Null);
        Assert.That(plan.RuntimeSourcesToCompile, Is.Empty);
        Assert.That(plan.Diagnostics, Is.Empty);
    }

    [Test]
    public void AnExplicitCommandSaysWhatTheReleaseMachineWillRun()
    {
        var plan = Plan(i => { i.ReleaseCommand = "migrate --verbose"; i.Entrypoint = new[] { "dotnet", "App.dll" }; });
        var note = plan.Diagnostics.Single();
        Assert.That((note.Code, note.Severity), Is.EqualTo((FlyCodes.ReleaseCommandPassedToEntrypoint.Code, FlyCodes.ReleaseCommandPassedToEntrypoint.DefaultSeverity)));
        Assert.That(note.Message, Does.Contain("`dotnet App.dll migrate --verbose`"), "Fly replaces CMD only: the ENTRYPOINT stays in front");
    }

    [Test]
    public void ExplicitCommandThatRepeatsTheEntrypointIsAnError()
    {
        var plan = Plan(i => { i.ReleaseCommand = "dotnet App.dll migrate"; i.Entrypoint = new[] { "dotnet", "App.dll" }; });
        var error = plan.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error);
        Assert.That(error.Code, Is.EqualTo(FlyCodes.ReleaseCommandRepeatsEntrypoint.Code));
        Assert.That(error.Message, Does.Contain("`dotnet App.dll dotnet App.dll migrate`").And.Contain("release_command = \"migrate\""));

        var apphost = Plan(i => { i.ReleaseCommand = "/app/App migrate"; i.Entrypoint = new[] { "/app/App" }; });
        Assert.That(Codes(apphost), Does.Contain(FlyCodes.ReleaseCommandRepeatsEntrypoint.Code));
        var dll = Plan(i => { i.ReleaseCommand = "App.dll migrate"; i.Entrypoint = new[] { "dotnet", "/app/App.dll" }; });
        Assert.That(Codes(dll), Does.Contain(FlyCodes.ReleaseCommandRepeatsEntrypoint.Code));

        var fine = Plan(i => { i.ReleaseCommand = "migrate --verbose"; i.Entrypoint = new[] { "dotnet", "App.dll" }; });
        Assert.That(fine.HasErrors, Is.False);
        Assert.That(fine.WouldRun, Is.EqualTo(new[] { "dotnet", "App.dll", "migrate", "--verbose" }));
        var script = Plan(i => { i.ReleaseCommand = "dotnet App.dll migrate"; i.Entrypoint = new[] { "/docker-entrypoint.sh" }; });
        Assert.That(script.HasErrors, Is.False, "a wrapper script entrypoint execs its arguments");
    }

    [Test]
    public void ShellFormEntrypointIgnoresTheReleaseCommand()
    {
        Write("Dockerfile", "FROM x\n# comment\nENTRYPOINT dotnet \\\n  App.dll\n");
        var plan = Plan(i => { i.ReleaseCommand = "migrate"; i.Dockerfile = FlyIo.AppModel.Docker.Dockerfile.Load(Path.Combine(_dir, "Dockerfile")); });
        var error = plan.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error);
        Assert.That((error.Code, error.Line), Is.EqualTo((FlyCodes.ShellFormEntrypoint.Code, 3)));
        Assert.That(error.Message, Does.Contain("/bin/sh -c \"dotnet    App.dll\"").Or.Contain("/bin/sh -c \"dotnet "));
        Assert.That(error.Message, Does.Contain("ENTRYPOINT [\"dotnet\", \"App.dll\"]"));
    }

    [Test]
    public void CommandsThatDoNotSplitAreLocated()
    {
        var plan = Plan(i => i.ReleaseCommand = "migrate \"unterminated");
        var error = plan.Diagnostics.Single();
        Assert.That(error.Code, Is.EqualTo(FlyCodes.ReleaseCommandShellSplit.Code));
        Assert.That(error.Message, Does.Contain("column 9"));

        Write("fly.toml", "app = \"a\"\n[deploy]\n  release_command = \"run 'x\"\n");
        var fromToml = Plan();
        var located = fromToml.Diagnostics.Single();
        Assert.That((located.Code, located.Line, located.Column), Is.EqualTo((FlyCodes.ReleaseCommandShellSplit.Code, 3, 26)));

        File.Delete(Path.Combine(_dir, "fly.toml"));
        Assert.That(Codes(Plan(i => i.ReleaseCommand = "  # nothing")), Is.EqualTo(new[] { FlyCodes.ReleaseCommandEmpty.Code }));
    }

    [TestCase("5m", "5m")]
    [TestCase("300s", "5m")]
    [TestCase("00:05:00", "5m")]
    [TestCase("300", "5m")]
    [TestCase("90", "90s")]
    [TestCase("1m30s", "90s")]
    [TestCase("2h", "2h")]
    [TestCase("1.5s", "1500ms")]
    public void TimeoutIsWrittenAsAGoDuration(string input, string expected)
    {
        var plan = Plan(i => i.ReleaseCommandTimeout = input);
        Assert.That(plan.Timeout, Is.EqualTo(expected));
        Assert.That(plan.Diagnostics, Is.Empty);
    }

    [TestCase("5 minutes")]
    [TestCase("-5m")]
    [TestCase("0")]
    [TestCase("1:xx")]
    [TestCase("9223372037")]
    public void BadTimeoutsAreErrors(string input) =>
        Assert.That(Codes(Plan(i => i.ReleaseCommandTimeout = input)), Is.EqualTo(new[] { FlyCodes.ReleaseCommandTimeoutInvalid.Code }));

    [Test]
    public void StandaloneDetection()
    {
        Write("alembic.ini", "[alembic]\n");
        Assert.That(Plan(i => i.Standalone = true).Command, Is.EqualTo("alembic upgrade head"));
        File.Delete(Path.Combine(_dir, "alembic.ini"));
        Write("manage.py", "");
        Assert.That(Plan(i => i.Standalone = true).Command, Is.EqualTo("python manage.py migrate --noinput"));
        Write("alembic/env.py", "");
        var both = Plan(i => i.Standalone = true);
        Assert.That((both.Command, Codes(both).Single()), Is.EqualTo(((string?)null, FlyCodes.ReleaseCommandAmbiguous.Code)));
        Assert.That(Plan(i => { i.Standalone = true; i.ReleaseCommand = "python -m app.migrate"; }).Command, Is.EqualTo("python -m app.migrate"));
    }

    [Test]
    public void PrismaMustBeAProductionDependency()
    {
        Write("prisma/schema.prisma", "datasource db { provider = \"postgresql\" }");
        Write("package.json", "{\n  \"name\": \"api\",\n  \"scripts\": { \"start\": \"node x\" },\n  \"devDependencies\": {\n    \"prisma\": \"^5.0.0\"\n  }\n}\n");
        var plan = Plan(i => i.Standalone = true);
        Assert.That(plan.Command, Is.EqualTo("npx prisma migrate deploy"));
        var error = plan.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error);
        Assert.That((error.Code, error.Line, error.Column), Is.EqualTo((FlyCodes.PrismaNotInDependencies.Code, 5, 5)));

        Write("package.json", "{ \"dependencies\": { \"prisma\": \"5.0.0\", \"@prisma/client\": \"5.0.0\" } }");
        Assert.That(Plan(i => i.Standalone = true).HasErrors, Is.False);
    }

    [Test]
    public void UnreadablePackageJsonIsAnErrorAtTheBadCharacter()
    {
        Write("prisma/schema.prisma", "datasource db { provider = \"postgresql\" }");
        Write("package.json", "{\n  \"dependencies\": { \"prisma\": \"5.0.0\", }\n}\n");
        var error = Plan(i => i.Standalone = true).Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error);
        Assert.That((error.Code, error.Line, error.Column), Is.EqualTo((FlyCodes.PrismaNotInDependencies.Code, 2, 40)));
        Assert.That(error.Message, Does.StartWith("package.json could not be read"));
    }

    [Test]
    public void FlyTomlCommandIsKeptOverDetectionButThePropertyWins()
    {
        EfProject();
        Write("fly.toml", "[deploy]\n  release_command = \"migrate --to-latest\"\n");
        var kept = Plan();
        Assert.That((kept.Command, kept.Source), Is.EqualTo(("migrate --to-latest", ReleaseCommandSource.FlyToml)));
        Assert.That(Codes(kept), Does.Contain(FlyCodes.ReleaseCommandDiffers.Code));
        var replaced = Plan(i => i.ReleaseCommand = "migrate");
        Assert.That((replaced.Command, replaced.Source), Is.EqualTo(("migrate", ReleaseCommandSource.Property)));
    }

    [Test]
    public void BundleModeNeedsTheDesignPackageAndNoEntrypoint()
    {
        EfProject();
        Assert.That(Codes(Plan(i => i.MigrationsMode = "bundle")), Does.Contain(FlyCodes.MigrationsModeInvalid.Code));
        Assert.That(Codes(Plan(i => { i.MigrationsMode = "bundle"; i.PackageReferences = new[] { "Microsoft.EntityFrameworkCore.Design" }; i.Entrypoint = new[] { "dotnet", "App.dll" }; })), Does.Contain(FlyCodes.MigrationsModeInvalid.Code));
        var bundle = Plan(i => { i.MigrationsMode = "bundle"; i.PackageReferences = new[] { "Microsoft.EntityFrameworkCore.Design" }; });
        Assert.That((bundle.Command, bundle.HasErrors), Is.EqualTo(("./efbundle", false)));
        Assert.That(Codes(Plan(i => i.MigrationsMode = "sideways")), Does.Contain(FlyCodes.MigrationsModeInvalid.Code));
    }

    [Test]
    public void WriterSetsCommandAndTimeoutOnceAndKeepsEverythingElse()
    {
        var original = "# my app\napp = \"a\" # name\r\n\r\n[http_service]\r\n  internal_port = 8080\r\n";
        var path = Write("fly.toml", original);
        EfProject();
        var plan = Plan(i => i.ReleaseCommandTimeout = "00:10:00");
        Assert.That(FlyTomlReleaseWriter.Apply(path, plan).Changed, Is.True);
        Assert.That(File.ReadAllText(path), Is.EqualTo("# my app\napp = \"a\" # name\r\n\r\n[deploy]\r\n  release_command = \"migrate\"\r\n  release_command_timeout = \"10m\"\r\n\r\n[http_service]\r\n  internal_port = 8080\r\n"));
        var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);
        Assert.That(FlyTomlReleaseWriter.Apply(path, Plan(i => i.ReleaseCommandTimeout = "600")).Changed, Is.False);
        Assert.That(File.GetLastWriteTimeUtc(path), Is.EqualTo(stamp));

        var broken = Plan(i => i.ReleaseCommand = "x \"");
        var refused = FlyTomlReleaseWriter.Apply(path, broken);
        Assert.That((refused.Changed, refused.Diagnostics.Count), Is.EqualTo((false, 0)), "a plan with errors writes nothing; its errors are the plan's own");
    }

    [Test]
    public void WriterReportsAFlyTomlItCannotEdit()
    {
        var path = Write("fly.toml", "deploy = \"oops\"\n");
        var plan = Plan(i => i.ReleaseCommand = "migrate");
        var written = FlyTomlReleaseWriter.Apply(path, plan);
        Assert.That(written.Changed, Is.False);
        Assert.That(written.Diagnostics.Single().Code, Is.EqualTo(FlyCodes.FlyTomlEditFailed.Code));
        Assert.That(File.ReadAllText(path), Is.EqualTo("deploy = \"oops\"\n"), "nothing was written");
    }

    [Test]
    public void LexicalScanIgnoresCommentsAndFindsPrimaryConstructorContexts()
    {
        var file = Write("X.cs", "/* class A : DbContext */ // class B : DbContext\nclass C<T>(int x) : Microsoft.EntityFrameworkCore.DbContext {}\nclass M : MigrationBuilder {}\n");
        var scan = MigrationDetector.ScanEfCore(CSharpSources.Read(new[] { file }));
        Assert.That(scan.DbContexts, Is.EqualTo(new[] { "C" }));
        Assert.That(scan.Migrations, Is.Empty);
    }

    [Test]
    public void LexicalScanIsNotFooledByRawStrings()
    {
        var file = Write("Y.cs", "var sql = \"\"\"\n    [Migration(\"20240101_Fake\")]\n    class Fake : Migration {}\n    class D : DbContext {}\n    \"\"\";\n" +
            "var quoted = \"class E : DbContext {}\";\n[Migration(\"20240202_Real\")]\npartial class Real : Migration {}\n");
        var scan = MigrationDetector.ScanEfCore(CSharpSources.Read(new[] { file }));
        Assert.That(scan.DbContexts, Is.Empty);
        Assert.That(scan.Migrations, Is.EqualTo(new[] { "20240202_Real" }));
    }
}
