using System;
using System.Collections.Generic;
using System.Threading;
using FlyIo.Diagnostics;
using FlyIo.Machines;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Reads the app's secret names (never values) from the Machines API when a token is in the environment, so
/// required variables can be checked against them. Without a token, or when the API fails, the names stay unknown
/// and the checks fall back to warnings; an API failure is itself reported (FLY5001) with Fly's request id.
/// </summary>
internal static class SecretNamesReader
{
    public static IReadOnlyCollection<string>? TryRead(
        string? apiUrl, string? tokenVariable, string? app, string file, List<FlyDiagnostic> diagnostics, MsBuildFlyLog log, CancellationToken cancellationToken,
        IReadOnlyCollection<string>? allowTokenTo = null)
    {
        FlyToken? token;
        try
        {
            token = FlyToken.FromEnvironment(tokenVariable);
        }
        catch (InvalidFlyTokenException e)
        {
            diagnostics.Add(FlyCodes.TokenMalformed.Create(e.Message, file, 0, 0));
            return null;
        }

        log.Hide(token);
        if (token is null || string.IsNullOrWhiteSpace(app))
        {
            return null;
        }

        try
        {
            if (TokenDestinations.Problem(string.IsNullOrWhiteSpace(apiUrl) ? MachinesApiClient.DefaultBaseUrl : apiUrl!, allowTokenTo) is { } where)
            {
                diagnostics.Add(FlyCodes.TokenDestinationRefused.Create(
                    $"FlyApiUrl: {where}, so the Fly token is not sent there to read the app's secret names. Name the host in FlyAllowTokenTo if you trust it.", file, 0, 0));
                return null;
            }

            using var client = new MachinesApiClient(apiUrl, token, TimeSpan.FromSeconds(20), allowTokenTo) { Log = log };
            return client.GetSecretNamesAsync(app!, cancellationToken).GetAwaiter().GetResult();
        }
        catch (MachinesApiException e) when (e.StatusCode == 404)
        {
            // Before a first deploy the app does not exist: that is expected, and it has no secrets yet.
            log.Detail($"App '{app}' does not exist yet (a first deploy creates it): its only secrets will be those the deploy sets.");
            return Array.Empty<string>();
        }
        catch (MachinesApiException e)
        {
            diagnostics.Add(FlyCodes.MachinesApiFailed.Create(
                e.Message + " The app's secret names stay unknown, so required variables are only warned about.", file, 0, 0));
            return null;
        }
    }
}
