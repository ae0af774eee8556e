using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>The private PostgreSQL of build/postgres.sh, with a fresh database per call.</summary>
internal static class TestPostgres
{
    private static string SocketDirectory => Environment.GetEnvironmentVariable("FLYIO_PG_DIR") ?? "/tmp/flyio-sdk-pg";

    /// <summary>A new, empty database owned by the app's role, as a <c>postgres://</c> URL on 127.0.0.1.</summary>
    public static string FreshDatabaseUrl()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || Environment.UserName != "root")
        {
            Assert.Ignore("The PostgreSQL tests need Linux and root (build/postgres.sh installs and runs a private cluster).");
        }

        var script = Path.Combine(RepoPaths.RepoRoot, "build", "postgres.sh");
        var (exit, output) = ChildProcess.Run("bash", new[] { script, "start" }, RepoPaths.RepoRoot, new Dictionary<string, string?>(), TimeSpan.FromMinutes(5));
        Assert.That(exit, Is.EqualTo(0), output);
        var url = output.Trim().Split('\n').Last().Trim();
        var database = "sdk_release_" + Guid.NewGuid().ToString("N").Substring(0, 8);
        var uri = new Uri(url);
        // The cluster trusts the postgres user on its Unix socket (build/postgres.sh); the app's role owns the new database.
        Psql(uri.Port, "postgres", $"CREATE DATABASE {database} OWNER \"{Uri.UnescapeDataString(uri.UserInfo.Split(':')[0])}\"");
        return $"{uri.Scheme}://{uri.UserInfo}@{uri.Host}:{uri.Port}/{database}{uri.Query}";
    }

    /// <summary>Runs one statement as the cluster's superuser and returns its unaligned, tuples-only output.</summary>
    public static string Query(string databaseUrl, string sql)
    {
        var uri = new Uri(databaseUrl);
        return Psql(uri.Port, uri.AbsolutePath.Trim('/'), sql);
    }

    private static string Psql(int port, string database, string sql)
    {
        var (exit, output) = ChildProcess.Run("runuser",
            new[] { "-u", "postgres", "--", "psql", "-X", "-A", "-t", "-h", SocketDirectory, "-p", port.ToString(), "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql },
            RepoPaths.RepoRoot, new Dictionary<string, string?>(), TimeSpan.FromMinutes(1));
        Assert.That(exit, Is.EqualTo(0), output);
        return output.Trim();
    }
}
