using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// The project's local Machines API server (src/FlyIo.LocalMachines), run as its own process on a free loopback
/// port with a token generated for this run, as a user's rehearsal would run it.
/// </summary>
internal sealed class LocalMachinesApi : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;

    private LocalMachinesApi(Process process, string url, string token)
    {
        _process = process;
        Url = url;
        Token = token;
        _http = new HttpClient { BaseAddress = new Uri(url + "/") };
        _http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);
    }

    public string Url { get; }

    public string Token { get; }

    public static LocalMachinesApi Start() => Start(null);

    /// <summary>
    /// Starts the server with a given token (e.g. the local registry's password, so machines can pull what a deploy
    /// pushed, as on Fly where one token serves both) and extra server arguments (e.g. --runtime process).
    /// </summary>
    public static LocalMachinesApi Start(string? token, params string[] serverArguments)
    {
        var dll = Path.Combine(RepoPaths.RepoRoot, "src", "FlyIo.LocalMachines", "bin", "Release", "net10.0", "FlyIo.LocalMachines.dll");
        if (!File.Exists(dll))
        {
            Assert.Ignore("The local Machines API is not built (build/test.sh builds it in Release): " + dll);
        }

        token ??= "local-" + Guid.NewGuid().ToString("N");
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(url);
        foreach (var argument in serverArguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The token goes through the environment, never the command line.
        info.Environment["FLYIO_MACHINES_API_TOKEN"] = token;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new LocalMachinesApi(process, url, token);
        api.WaitUntilAnswering();
        return api;
    }

    public void Send(HttpMethod method, string path, string? json = null) => SendForBody(method, path, json);

    /// <summary>The local edge proxy's address for <paramref name="app"/> (started on first ask), as https://app.fly.dev would be.</summary>
    public string ProxyUrl(string app) =>
        (FlyIo.Json.JsonReader.Parse(SendForBody(HttpMethod.Post, $"__admin/proxy/{app}")) as FlyIo.Json.JsonObject)!.GetString("url")!;

    /// <summary>
    /// GET <paramref name="path"/> of <paramref name="app"/> through its edge proxy: retried once a second, up to 30
    /// times, while the proxy or the app comes up; the last failure is thrown.
    /// </summary>
    public string GetThroughProxy(string app, string path)
    {
        var proxy = ProxyUrl(app);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return http.GetStringAsync(proxy + path).GetAwaiter().GetResult();
            }
            catch (Exception e) when ((e is HttpRequestException or System.Threading.Tasks.TaskCanceledException) && attempt < 30)
            {
                Thread.Sleep(1000);
            }
        }
    }

    /// <summary>Sends one request and returns the body of its successful response.</summary>
    public string SendForBody(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = _http.Send(request);
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Assert.That(response.IsSuccessStatusCode, Is.True, $"{method} {path} returned {(int)response.StatusCode}: {body}");
        return body;
    }

    public void Dispose()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            // SIGTERM first: the server then stops its machines and removes their network namespaces.
            using (var term = Process.Start("kill", new[] { "-TERM", _process.Id.ToString() }))
            {
                term?.WaitForExit(5_000);
            }

            if (!_process.WaitForExit(20_000))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }

        _process.Dispose();
    }

    private void WaitUntilAnswering()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = _http.GetAsync("v1/apps?org_slug=personal").GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (_process.HasExited)
            {
                Assert.Fail("The local Machines API exited with " + _process.ExitCode);
            }

            Thread.Sleep(200);
        }

        Assert.Fail("The local Machines API did not answer within 60 s at " + Url);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
