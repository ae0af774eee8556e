using System;
using System.Collections.Generic;
using System.Reflection;
using FlyIo.Runtime;
using Npgsql;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.DotNet;

/// <summary>The DATABASE_URL helper compiled into apps: pure conversions, then real connections to PostgreSQL.</summary>
[NonParallelizable]
public class FlyDatabaseUrlTests
{
    private const string Password = "fly@pg:p/ss%w0rd#?&=;\"x";

    [Test]
    public void Converts_the_attach_url_shape()
    {
        var cs = FlyDatabaseUrl.ToNpgsqlConnectionString("postgres://app_user:s3cret@my-db.flycast:5432/app_db?sslmode=disable");
        Assert.That(cs, Is.EqualTo("Host=my-db.flycast;Port=5432;Username=app_user;Password=s3cret;Database=app_db;SSL Mode=Disable;Connection Lifetime=600;Connection Idle Lifetime=300"));
    }

    [Test]
    public void Managed_postgres_pooled_host_turns_off_prepared_statements_and_reset()
    {
        var cs = FlyDatabaseUrl.ToNpgsqlConnectionString("postgresql://fly-user:pw@pgbouncer.abc123.flympg.net/fly-db");
        Assert.That(cs, Is.EqualTo("Host=pgbouncer.abc123.flympg.net;Port=5432;Username=fly-user;Password=pw;Database=fly-db;No Reset On Close=true;Max Auto Prepare=0;Connection Lifetime=600;Connection Idle Lifetime=300"));
        var direct = FlyDatabaseUrl.ToNpgsqlConnectionString(FlyDatabaseUrl.ToDirectUrl("postgresql://fly-user:pw@pgbouncer.abc123.flympg.net/fly-db"));
        Assert.That(direct, Does.StartWith("Host=direct.abc123.flympg.net;").And.Not.Contain("Max Auto Prepare"));
    }

    [TestCase("disable", "Disable")]
    [TestCase("allow", "Allow")]
    [TestCase("prefer", "Prefer")]
    [TestCase("require", "Require")]
    [TestCase("verify-ca", "VerifyCA")]
    [TestCase("verify-full", "VerifyFull")]
    public void Maps_every_sslmode(string sslmode, string expected)
    {
        var builder = new NpgsqlConnectionStringBuilder(FlyDatabaseUrl.ToNpgsqlConnectionString($"postgres://u:p@h/d?sslmode={sslmode}"));
        Assert.That(builder.SslMode.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void Unknown_sslmode_is_a_clear_error() =>
        Assert.That(() => FlyDatabaseUrl.ToNpgsqlConnectionString("postgres://u:p@h/d?sslmode=sometimes"), Throws.TypeOf<FormatException>().With.Message.Contains("sslmode"));

    [Test]
    public void Every_produced_key_is_one_npgsql_knows()
    {
        var cs = FlyDatabaseUrl.ToNpgsqlConnectionString(
            "postgresql://u:p@[::1]:6543,[2001:db8::5]/d?sslmode=require&application_name=web%20app&connect_timeout=7&options=-c%20search_path%3Dapp" +
            "&target_session_attrs=read-write&sslrootcert=/etc/ca.pem&channel_binding=prefer&client_encoding=UTF8&search_path=app");
        var builder = new NpgsqlConnectionStringBuilder(cs);
        Assert.That(builder.Host, Is.EqualTo("[::1]:6543,[2001:db8::5]:5432"));
        Assert.That(builder.ApplicationName, Is.EqualTo("web app"));
        Assert.That(builder.Timeout, Is.EqualTo(7));
        Assert.That(builder.Options, Is.EqualTo("-c search_path=app"));
        Assert.That(builder.RootCertificate, Is.EqualTo("/etc/ca.pem"));
        Assert.That(builder.ConnectionLifetime, Is.EqualTo(600));
        Assert.That(builder.ConnectionIdleLifetime, Is.EqualTo(300));
    }

    [Test]
    public void Percent_encoded_credentials_and_quoting_survive_npgsql_parsing()
    {
        var url = "postgres://us%40er:" + Uri.EscapeDataString(Password) + "@db.internal/my%20db";
        var builder = new NpgsqlConnectionStringBuilder(FlyDatabaseUrl.ToNpgsqlConnectionString(url));
        Assert.That((builder.Username, builder.Password, builder.Database, builder.Port), Is.EqualTo(("us@er", Password, "my db", 5432)));
    }

    [Test]
    public void A_connection_string_is_returned_unchanged() =>
        Assert.That(FlyDatabaseUrl.ToNpgsqlConnectionString("Host=x;Username=y"), Is.EqualTo("Host=x;Username=y"));

    [Test]
    public void Apply_to_environment_fills_the_named_connection_string_once()
    {
        var saved = Save("DATABASE_URL", "ConnectionStrings__Reports");
        try
        {
            Environment.SetEnvironmentVariable("DATABASE_URL", "postgres://u:p@h:5433/d");
            Environment.SetEnvironmentVariable("ConnectionStrings__Reports", null);
            Assert.That(FlyDatabaseUrl.ApplyToEnvironment("Reports"), Is.EqualTo("ConnectionStrings__Reports"));
            Assert.That(Environment.GetEnvironmentVariable("ConnectionStrings__Reports"), Does.StartWith("Host=h;Port=5433;"));

            // An explicit connection string always wins.
            Environment.SetEnvironmentVariable("ConnectionStrings__Reports", "Host=mine");
            Assert.That(FlyDatabaseUrl.ApplyToEnvironment("Reports"), Is.Null);
            Assert.That(Environment.GetEnvironmentVariable("ConnectionStrings__Reports"), Is.EqualTo("Host=mine"));

            // A DATABASE_URL that is not a URI is left alone.
            Environment.SetEnvironmentVariable("ConnectionStrings__Reports", null);
            Environment.SetEnvironmentVariable("DATABASE_URL", "Host=already;Username=cs");
            Assert.That(FlyDatabaseUrl.ApplyToEnvironment("Reports"), Is.Null);
        }
        finally
        {
            Restore(saved);
        }
    }

    [Test]
    public void Connection_name_comes_from_assembly_metadata()
    {
        Assert.That(FlyDatabaseUrl.ConnectionName(typeof(FlyDatabaseUrlTests).Assembly), Is.EqualTo("TestDb"));
        Assert.That(FlyDatabaseUrl.ConnectionName(typeof(object).Assembly), Is.EqualTo("Default"));
    }

    [Test]
    public void Direct_url_prefers_the_direct_variables()
    {
        var saved = Save("DATABASE_URL", "DIRECT_DATABASE_URL", "DATABASE_URL_DIRECT");
        try
        {
            Environment.SetEnvironmentVariable("DATABASE_URL", "postgresql://u:p@pgbouncer.c1.flympg.net/fly-db");
            Environment.SetEnvironmentVariable("DIRECT_DATABASE_URL", null);
            Environment.SetEnvironmentVariable("DATABASE_URL_DIRECT", null);
            Assert.That(FlyDatabaseUrl.DirectUrl(), Is.EqualTo("postgresql://u:p@direct.c1.flympg.net/fly-db"));
            Environment.SetEnvironmentVariable("DATABASE_URL_DIRECT", "postgresql://u:p@other/fly-db");
            Assert.That(FlyDatabaseUrl.DirectUrl(), Is.EqualTo("postgresql://u:p@other/fly-db"));
            Assert.That(FlyDatabaseUrl.DirectConnectionString(), Does.StartWith("Host=other;"));
        }
        finally
        {
            Restore(saved);
        }
    }

    // Real PostgreSQL -------------------------------------------------------------------------------------------------

    /// <summary>Every URL shape Fly hands out, pointed at the local cluster.</summary>
    private static IEnumerable<TestCaseData> UrlShapes()
    {
        string Enc(string s) => Uri.EscapeDataString(s);
        var cred = "flyio_app:" + Enc(Password);
        yield return new TestCaseData("postgres://{cred}@127.0.0.1:{port}/flyio_app_db?sslmode=disable").SetName("attach shape: postgres:// with sslmode=disable");
        yield return new TestCaseData("postgresql://{cred}@127.0.0.1:{port}/flyio_app_db").SetName("postgresql:// scheme");
        yield return new TestCaseData("postgres://{cred}@localhost:{port}/flyio_app_db?sslmode=disable").SetName("localhost host");
        yield return new TestCaseData("postgres://{cred}@[::1]:{port}/flyio_app_db?sslmode=disable").SetName("IPv6 loopback [::1]");
        yield return new TestCaseData("postgres://{cred}@127.0.0.1:{port}/flyio_app_db?sslmode=prefer&application_name=fly-test&connect_timeout=10").SetName("query parameters");
        yield return new TestCaseData("postgres://{cred}@127.0.0.1/flyio_app_db?port={port}&sslmode=disable").SetName("no port in the authority (port from the query)");
        yield return new TestCaseData("POSTGRES://flyio%5Fapp:" + Enc(Password) + "@127.0.0.1:{port}/flyio%5Fapp%5Fdb?sslmode=disable").SetName("upper-case scheme, percent-encoded user and database");
        _ = cred;
    }

    [TestCaseSource(nameof(UrlShapes))]
    public void Connects_to_real_postgres_and_runs_select_1(string template)
    {
        var baseUrl = TestPostgres.Url;
        Assert.That(baseUrl, Does.Contain("@127.0.0.1:" + TestPostgres.Port + "/"));
        var url = template.Replace("{cred}", "flyio_app:" + Uri.EscapeDataString(Password)).Replace("{port}", TestPostgres.Port.ToString());

        // The URI itself is what Npgsql rejects (npgsql/npgsql#2090) ...
        Assert.That(() => new NpgsqlConnection(url), Throws.InstanceOf<ArgumentException>());

        // ... and the converted string connects.
        using var connection = new NpgsqlConnection(FlyDatabaseUrl.ToNpgsqlConnectionString(url));
        connection.Open();
        using var command = new NpgsqlCommand("SELECT 1", connection);
        Assert.That(command.ExecuteScalar(), Is.EqualTo(1));
    }

    [Test]
    public void The_script_url_connects_through_the_environment_with_no_code()
    {
        var saved = Save("DATABASE_URL", "ConnectionStrings__TestDb");
        try
        {
            Environment.SetEnvironmentVariable("DATABASE_URL", TestPostgres.Url);
            Environment.SetEnvironmentVariable("ConnectionStrings__TestDb", null);
            FlyDatabaseUrl.ApplyToEnvironment(FlyDatabaseUrl.ConnectionName(typeof(FlyDatabaseUrlTests).Assembly));
            var cs = Environment.GetEnvironmentVariable("ConnectionStrings__TestDb");
            Assert.That(cs, Is.Not.Null);
            using var connection = new NpgsqlConnection(cs);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT current_user || '@' || current_database()", connection);
            Assert.That(command.ExecuteScalar(), Is.EqualTo("flyio_app@flyio_app_db"));
        }
        finally
        {
            Restore(saved);
        }
    }

    [Test]
    public void A_wrong_password_is_rejected_by_the_server()
    {
        var url = TestPostgres.Url.Replace(Uri.EscapeDataString(Password), "wrong");
        using var connection = new NpgsqlConnection(FlyDatabaseUrl.ToNpgsqlConnectionString(url));
        Assert.That(() => connection.Open(), Throws.InstanceOf<PostgresException>().With.Property("SqlState").EqualTo("28P01"));
    }

    private static Dictionary<string, string?> Save(params string[] names)
    {
        var saved = new Dictionary<string, string?>();
        foreach (var n in names)
        {
            saved[n] = Environment.GetEnvironmentVariable(n);
        }

        return saved;
    }

    private static void Restore(Dictionary<string, string?> saved)
    {
        foreach (var pair in saved)
        {
            Environment.SetEnvironmentVariable(pair.Key, pair.Value);
        }
    }
}
