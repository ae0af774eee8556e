using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Diagnostics;
using FlyIo.Json;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>Day-two secrets, as `fly secrets list|set|unset` do them, with no deploy.</summary>
public sealed partial class DeployEngine
{
    /// <summary>The app's secrets: names and digests, never values.</summary>
    public Task<IReadOnlyList<AppSecret>> SecretsAsync(CancellationToken cancellationToken = default) =>
        _client.GetSecretsAsync(_app, cancellationToken);

    /// <summary>The one line a deploy and FlySecrets log for a secrets update: names (never values) and the new version.</summary>
    private static string SecretsUpdated(IEnumerable<string> names, long? version) =>
        $"Secrets updated: {string.Join(", ", names.OrderBy(k => k, StringComparer.Ordinal))} (secrets version {version?.ToString(CultureInfo.InvariantCulture) ?? "?"})";

    /// <summary>
    /// Sets (a value) and unsets (null) secrets in one call. Staged, machines keep running with what they have until
    /// the next deploy (`fly secrets set --stage`). Applied, every machine deploys manage is then updated to the new
    /// secrets version with its config unchanged, rolling, each healthy before the next: what `fly secrets set` does,
    /// recorded as a Fly release of the image the machines run, as flyctl's restart-only deploy records one.
    /// Returns the rolling update's result (null when staged).
    /// </summary>
    public async Task<DeployResult?> UpdateSecretsAsync(IReadOnlyDictionary<string, string?> values, bool apply, CancellationToken cancellationToken = default)
    {
        var requestsAtStart = _client.RequestCount;
        var update = await _client.UpdateSecretsAsync(_app, values, cancellationToken).ConfigureAwait(false);
        Say(SecretsUpdated(values.Keys, update.Version) +
            (apply ? "; applying to every machine, rolling" : "; staged: machines get them with the next deploy or FlySecrets apply"));
        if (!apply)
        {
            return null;
        }

        var (machines, _) = await MachineSetAsync(cancellationToken).ConfigureAwait(false);
        // The image of the newest release the machines run, as flyctl's restart records the app's latest image.
        var image = machines.OrderByDescending(m => int.TryParse(m.Metadata("fly_release_version"), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
            .Select(m => m.Image).FirstOrDefault() ?? "";
        var result = new DeployResult { App = _app, Strategy = "rolling", Image = image };
        if (machines.Count == 0)
        {
            // flyctl: "Secrets are staged for the first deployment": no machine to restart, no release.
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            return result;
        }

        var what = $"applying secrets version {update.Version?.ToString(CultureInfo.InvariantCulture) ?? "?"} to {_app}";
        FlyRelease release;
        try
        {
            release = await OpenReleaseAsync(what, result.Image, "rolling", result, cancellationToken).ConfigureAwait(false);
        }
        catch (DeployException e)
        {
            // The secrets themselves were set above: say so, as a staged update would.
            throw new DeployException(e.Descriptor, $"{e.Message} The secrets are set, staged: machines get them with the next deploy or FlySecrets apply.", result, e.InnerException);
        }

        var targets = machines.ToDictionary(m => m.Id, m => WithRelease(Js.Clone(m.Config), release), StringComparer.Ordinal);
        var run = new Run(this, result) { SecretsVersion = update.Version };
        try
        {
            await run.Phase("secrets", () => run.RollingAsync(machines, targets, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            throw await FailReleaseAsync(release, new DeployException(FlyCodes.DeployCancelled,
                $"Applying the secrets to {_app} was cancelled; every lease was released. Machines now: {string.Join("; ", result.Machines)}", result), interrupted: true).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            var code = e is LeaseHeldException ? FlyCodes.LeaseHeld : FlyCodes.DeployApiFailed;
            var failure = e as DeployException ?? new DeployException(code, $"Applying the secrets to {_app} failed: {e.Message}", result, e);
            throw await FailReleaseAsync(release, failure).ConfigureAwait(false);
        }

        await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
        await CompleteReleaseAsync(release, $"Applying the secrets to {_app}", result).ConfigureAwait(false);
        return result;
    }
}
