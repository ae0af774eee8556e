using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.DotNet;

/// <summary>
/// The private PostgreSQL cluster of build/postgres.sh, started once per test run on first use and stopped at the end
/// when this run started it. Tests that need it are skipped, with the reason, off Linux or without root.
/// </summary>
[SetUpFixture]
public sealed class TestPostgres
{
    private static readonly object Gate = new();
    private static string? _url;
    private static string? _failure;
    private static bool _startedByUs;

    public static int Port => int.TryParse(Environment.GetEnvironmentVariable("FLYIO_PG_PORT"), out var p) ? p : 55432;

    /// <summary>The postgres:// URL of the running cluster (the script's last output line).</summary>
    public static string Url
    {
        get
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                Assert.Ignore("The PostgreSQL tests run on Linux only (build/postgres.sh uses apt-get and initdb).");
            }

            if (Environment.UserName != "root")
            {
                Assert.Ignore("The PostgreSQL tests need root: build/postgres.sh installs postgresql and runs initdb as the postgres user.");
            }

            lock (Gate)
            {
                if (_url is null && _failure is null)
                {
                    _startedByUs = !IsListening();
                    var (code, output) = Run("start");
                    var lines = output.Trim().Split('\n');
                    if (code == 0 && lines[lines.Length - 1].StartsWith("postgres://", StringComparison.Ordinal))
                    {
                        _url = lines[lines.Length - 1].Trim();
                    }
                    else
                    {
                        _failure = $"build/postgres.sh start exited with {code}:\n{output}";
                    }
                }
            }

            if (_failure is not null)
            {
                Assert.Fail(_failure);
            }

            return _url!;
        }
    }

    [OneTimeTearDown]
    public void StopIfStartedHere()
    {
        if (_url is not null && _startedByUs)
        {
            Run("stop");
        }
    }

    private static bool IsListening()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int Code, string Output) Run(string verb)
    {
        var info = new ProcessStartInfo("bash", $"\"{Path.Combine(RepoPaths.RepoRoot, "build", "postgres.sh")}\" {verb}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, stdout + stderr.Result + "\n(timed out after 300 s)");
        }

        return (process.ExitCode, stdout + stderr.Result);
    }
}
