using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;

namespace FlyIo.Machines;

/// <summary>
/// Calls the Fly Machines API (https://api.machines.dev by default, or the local Machines API for rehearsals).
/// Every error carries Fly's message and the fly-request-id of the response.
/// </summary>
public sealed class MachinesApiClient : IDisposable
{
    public const string DefaultBaseUrl = "https://api.machines.dev";

    private readonly HttpClient _http;

    public MachinesApiClient(string? baseUrl, FlyToken token, TimeSpan? timeout = null)
    {
        var root = string.IsNullOrWhiteSpace(baseUrl) ? DefaultBaseUrl : baseUrl!.TrimEnd('/');
        _http = new HttpClient { BaseAddress = new Uri(root + "/"), Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token.AuthorizationHeader());
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("FlyIo.Sdk", "0.1"));
    }

    /// <summary>The names (never the values) of the app's secrets: GET /v1/apps/{app}/secrets.</summary>
    public async Task<IReadOnlyList<string>> GetSecretNamesAsync(string app, CancellationToken cancellationToken = default)
    {
        var body = await GetAsync($"v1/apps/{Uri.EscapeDataString(app)}/secrets", $"listing the secrets of '{app}'", cancellationToken).ConfigureAwait(false);
        var root = JsonReader.Parse(body) as JsonObject;
        var secrets = root?["secrets"] as JsonArray;
        if (secrets is null)
        {
            throw new MachinesApiException($"listing the secrets of '{app}'", 200, "the response has no 'secrets' array", null);
        }

        return secrets.Items.OfType<JsonObject>().Select(s => s.GetString("name")).Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToArray();
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> GetAsync(string path, string operation, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new MachinesApiException(operation, 0, e.Message, null, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MachinesApiException(operation, 0, "the request timed out", null, e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            throw new MachinesApiException(operation, (int)response.StatusCode, ErrorMessage(body), RequestId(response));
        }
    }

    private static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("fly-request-id", out var values) ? values.FirstOrDefault() : null;

    /// <summary>Fly's error body is {"error": "...", "status"?: "..."}; anything else is quoted as it came.</summary>
    private static string? ErrorMessage(string body)
    {
        try
        {
            if (JsonReader.Parse(body) is JsonObject error && error.GetString("error") is { } message)
            {
                return message;
            }
        }
        catch (JsonParseException)
        {
            // Not JSON (a proxy's HTML page, say): show the start of it.
        }

        return body.Length > 200 ? body.Substring(0, 200) : body;
    }
}
