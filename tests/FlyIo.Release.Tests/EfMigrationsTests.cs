using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using FlyIo.Testing;
using Npgsql;
using NUnit.Framework;

namespace FlyIo.Release.Tests;

/// <summary>
/// Builds tests/samples/release/EfWebApp once with the runtime migration runner compiled in (as the SDK does), then runs
/// `dotnet EfWebApp.dll migrate` against a real PostgreSQL (build/postgres.sh).
/// </summary>
[TestFixture]
[NonParallelizable]
public class EfMigrationsTests
{
    private string _work = "";
    private string _appDll = "";
    private string _baseUrl = "";
    private string _pgSocketDir = "";
    private readonly List<string> _databases = new();

    [OneTimeSetUp]
    public void BuildSample()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            Assert.Ignore("The PostgreSQL fixture (build/postgres.sh) runs on Linux only.");
        }

        var start = Run("bash", new[] { Path.Combine(RepoPaths.RepoRoot, "build", "postgres.sh"), "start" }, RepoPaths.RepoRoot, null, 300);
        if (start.Code != 0)
        {
            var message = "PostgreSQL could not be started (build/postgres.sh start): " + start.Stderr.Trim();
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail(message);
            }

            Assert.Ignore(message);
        }

        _baseUrl = start.Stdout.Trim().Split('\n').Last().Trim();
        _pgSocketDir = Environment.GetEnvironmentVariable("FLYIO_PG_DIR") ?? "/tmp/flyio-sdk-pg";

        _work = Path.Combine(Path.GetTempPath(), "flyio-release-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        CopyDirectory(Path.Combine(RepoPaths.RepoRoot, "tests", "samples", "release", "EfWebApp"), _work);

        // What the SDK adds: the runtime sources.
        var runtime = Path.Combine(RepoPaths.RepoRoot, "src", "FlyIo.Runtime");
        var csproj = Path.Combine(_work, "EfWebApp.csproj");
        File.WriteAllText(csproj, File.ReadAllText(csproj).Replace("</Project>",
            $"  <ItemGroup>\n    <Compile Include=\"{runtime}/Migrations/*.cs\" />\n    <Compile Include=\"{runtime}/FlyDatabaseUrl.cs\" />\n  </ItemGroup>\n</Project>"));

        // A third migration that breaks on demand, to see a failing migration without a second build.
        File.WriteAllText(Path.Combine(_work, "Migrations", "20250103000000_AddTitleIndex.cs"), """
            using Microsoft.EntityFrameworkCore.Infrastructure;
            using Microsoft.EntityFrameworkCore.Migrations;

            namespace EfWebApp.Migrations;

            [DbContext(typeof(AppDbContext))]
            [Migration("20250103000000_AddTitleIndex")]
            public partial class AddTitleIndex : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder) =>
                    migrationBuilder.Sql(Environment.GetEnvironmentVariable("EFWEBAPP_BREAK_MIGRATION") == "1"
                        ? "CREATE INDEXX broken ON todos (\"Title\")"
                        : "CREATE INDEX ix_todos_title ON todos (\"Title\")");

                protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("DROP INDEX ix_todos_title");
            }
            """);

        var output = Path.Combine(_work, "out");
        var build = Run("dotnet", new[] { "build", csproj, "-c", "Release", "-o", output, "-nologo", "-v:q" }, _work, null, 300);
        Assert.That(build.Code, Is.EqualTo(0), "dotnet build of the sample failed:\n" + build.Stdout + build.Stderr);
        _appDll = Path.Combine(output, "EfWebApp.dll");
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        foreach (var db in _databases)
        {
            try
            {
                using var connection = new NpgsqlConnection(AdminConnectionString("postgres"));
                connection.Open();
                using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)", connection);
                command.ExecuteNonQuery();
            }
            catch (Exception e)
            {
                TestContext.Out.WriteLine("could not drop " + db + ": " + e.Message);
            }
        }

        if (_work.Length > 0 && Directory.Exists(_work))
        {
            Directory.Delete(_work, true);
        }
    }

    [Test]
    public void MigratesAnEmptyDatabaseThenFindsNothingPending()
    {
        var (db, url) = NewDatabase();
        var first = Migrate(url);
        Assert.That(first.Code, Is.EqualTo(0), first.All);
        Assert.That(first.Stdout, Does.Contain("fly-migrate: AppDbContext: applied 20250101000000_Initial"));
        Assert.That(first.Stdout, Does.Contain("fly-migrate: AppDbContext: applied 20250102000000_AddTags"));
        Assert.That(first.Stdout, Does.Contain("fly-migrate: AppDbContext: applied 20250103000000_AddTitleIndex"));

        Assert.That(Tables(db), Is.SupersetOf(new[] { "todos", "tags", "__EFMigrationsHistory" }));
        Assert.That(Query(db, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1"),
            Is.EqualTo(new[] { "20250101000000_Initial", "20250102000000_AddTags", "20250103000000_AddTitleIndex" }));
        Assert.That(Query(db, "SELECT indexname::text FROM pg_indexes WHERE tablename = 'todos' AND indexname = 'ix_todos_title'"), Has.Count.EqualTo(1));

        var second = Migrate(url);
        Assert.That(second.Code, Is.EqualTo(0), second.All);
        Assert.That(second.Stdout, Does.Contain("No pending migrations"));
        Assert.That(second.Stdout, Does.Not.Contain("applied 2025"));
    }

    [Test]
    public void AFailingMigrationExitsNonZeroWithTheDatabaseError()
    {
        var (db, url) = NewDatabase();
        var result = Migrate(url, ("EFWEBAPP_BREAK_MIGRATION", "1"));
        Assert.That(result.Code, Is.EqualTo(1), result.All);
        Assert.That(result.Stderr, Does.Contain("migration 20250103000000_AddTitleIndex failed"));
        Assert.That(result.Stderr, Does.Contain("42601").And.Contain("INDEXX"), "the PostgreSQL syntax error is shown");
        Assert.That(Query(db, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1"),
            Is.EqualTo(new[] { "20250101000000_Initial", "20250102000000_AddTags" }), "the good migrations before it stay applied");
    }

    [Test]
    public void AnUnreachableDatabaseExitsNonZeroWithAClearMessage()
    {
        var port = FreePort();
        var result = Migrate($"postgres://u:p@127.0.0.1:{port}/nowhere?sslmode=disable");
        Assert.That(result.Code, Is.EqualTo(1), result.All);
        Assert.That(result.Stderr, Does.Contain("cannot connect to the database on 127.0.0.1:" + port + "/nowhere"));
        Assert.That(result.Stderr, Does.Contain("Connection refused"));
        Assert.That(result.Stderr, Does.Not.Contain("migration 2025"), "a connection failure is not reported as a failed migration");
    }

    [Test]
    public void FlyMigrateEnvironmentVariableAlsoRunsMigrations()
    {
        var (_, url) = NewDatabase();
        var result = Run("dotnet", new[] { _appDll }, Path.GetDirectoryName(_appDll)!, new Dictionary<string, string?> { ["DATABASE_URL"] = url, ["FLY_MIGRATE"] = "1" }, 120);
        Assert.That(result.Code, Is.EqualTo(0), result.All);
        Assert.That(result.Stdout, Does.Contain("applied 20250101000000_Initial"));
    }

    [Test]
    public void ANormalStartServesHttpAndMigratesNothing()
    {
        var (db, url) = NewDatabase();
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(_appDll)!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(_appDll);
        info.Environment["DATABASE_URL"] = url;
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:" + port;
        info.Environment.Remove("FLY_MIGRATE");
        using var process = Process.Start(info)!;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            HttpStatusCode? status = null;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline && status is null && !process.HasExited)
            {
                try
                {
                    status = http.GetAsync($"http://127.0.0.1:{port}/healthz").GetAwaiter().GetResult().StatusCode;
                }
                catch (HttpRequestException)
                {
                    Thread.Sleep(200);
                }
                catch (System.Threading.Tasks.TaskCanceledException)
                {
                }
            }

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), process.HasExited ? process.StandardError.ReadToEnd() : "no answer on /healthz");
            Assert.That(process.HasExited, Is.False);
            Assert.That(Tables(db), Does.Not.Contain("todos"), "a normal start runs no migration");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(10000);
        }
    }

    private (string Db, string Url) NewDatabase()
    {
        var db = "flyio_release_" + Guid.NewGuid().ToString("N").Substring(0, 10);
        using (var connection = new NpgsqlConnection(AdminConnectionString("postgres")))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{db}\" OWNER flyio_app", connection);
            command.ExecuteNonQuery();
        }

        _databases.Add(db);
        var q = _baseUrl.IndexOf('?');
        var slash = _baseUrl.LastIndexOf('/', q < 0 ? _baseUrl.Length - 1 : q);
        return (db, _baseUrl.Substring(0, slash + 1) + db + (q < 0 ? "" : _baseUrl.Substring(q)));
    }

    /// <summary>The cluster's superuser over its Unix socket (trust), to create and inspect databases.</summary>
    private string AdminConnectionString(string db) => $"Host={_pgSocketDir};Port=55432;Username=postgres;Database={db};Pooling=false";

    private List<string> Tables(string db) =>
        Query(db, "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'");

    private List<string> Query(string db, string sql)
    {
        using var connection = new NpgsqlConnection(AdminConnectionString(db));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private ProcessResult Migrate(string url, params (string Name, string Value)[] extra)
    {
        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = url, ["FLY_MIGRATE"] = null };
        foreach (var (name, value) in extra)
        {
            env[name] = value;
        }

        return Run("dotnet", new[] { _appDll, "migrate" }, Path.GetDirectoryName(_appDll)!, env, 120);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            if (!dir.Contains("/bin") && !dir.Contains("/obj"))
            {
                Directory.CreateDirectory(dir.Replace(from, to));
            }
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (!relative.StartsWith("bin", StringComparison.Ordinal) && !relative.StartsWith("obj", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(to, relative));
            }
        }
    }

    internal sealed record ProcessResult(int Code, string Stdout, string Stderr)
    {
        public string All => "exit " + Code + "\nstdout:\n" + Stdout + "\nstderr:\n" + Stderr;
    }

    internal static ProcessResult Run(string file, IEnumerable<string> args, string workingDirectory, IDictionary<string, string?>? env, int timeoutSeconds)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        if (env is not null)
        {
            foreach (var pair in env)
            {
                if (pair.Value is null)
                {
                    info.Environment.Remove(pair.Key);
                }
                else
                {
                    info.Environment[pair.Key] = pair.Value;
                }
            }
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            return new ProcessResult(-1, stdout.Result, stderr.Result + "\n(timed out after " + timeoutSeconds + " s)");
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
