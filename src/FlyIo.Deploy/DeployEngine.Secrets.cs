using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
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
    /// secrets version with its config unchanged, rolling, each healthy before the next: what `fly secrets set` does.
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
        var result = new DeployResult { App = _app, Strategy = "rolling", Image = machines.FirstOrDefault()?.Image ?? "" };
        var targets = machines.ToDictionary(m => m.Id, m => Js.Clone(m.Config), StringComparer.Ordinal);
        var run = new Run(this, result) { SecretsVersion = update.Version };
        try
        {
            await run.Phase("secrets", () => run.RollingAsync(machines, targets, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
        }

        return result;
    }
}
