using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Machines;

namespace FlyIo.Deploy;

public sealed partial class DeployEngine
{
    /// <summary>Secrets: only what changed is sent, and what a failed deploy added is taken back.</summary>
    private sealed partial class Run
    {
        private readonly List<string> _secretsAdded = new();
        private readonly List<string> _secretsChanged = new();

        /// <summary>True once nothing is left of the new version: no machine was changed, or the rollback restored them all.</summary>
        public bool RestoredEverything { get; private set; }

        /// <summary>
        /// Sends the secrets whose value differs from what the app holds (as far as the ledger can tell) in one POST,
        /// and returns the secrets version machines must see, or null when nothing was sent.
        /// </summary>
        public async Task<long?> SetSecretsAsync(CancellationToken ct)
        {
            var current = await Client.GetSecretsAsync(App, ct).ConfigureAwait(false);
            var digests = current.ToDictionary(s => s.Name, s => s.Digest, StringComparer.Ordinal);
            var ledger = _e._ledger!;
            var send = Options.Secrets
                .Where(kv => kv.Value is null ? digests.ContainsKey(kv.Key) : !ledger.Unchanged(kv.Key, kv.Value, digests))
                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var same = Options.Secrets.Keys.Where(k => !send.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
            if (send.Count == 0)
            {
                _e.Say($"Secrets unchanged: {string.Join(", ", same)} (nothing sent)");
                return null;
            }

            var update = await Client.UpdateSecretsAsync(App, send, ct).ConfigureAwait(false);
            _secretsAdded.AddRange(send.Where(kv => kv.Value is not null && !digests.ContainsKey(kv.Key)).Select(kv => kv.Key));
            _secretsChanged.AddRange(send.Where(kv => digests.ContainsKey(kv.Key)).Select(kv => kv.Key));
            _e._ledger = ledger.With(send, update.Secrets);
            _e.Say(SecretsUpdated(send.Keys, update.Version) + (same.Count > 0 ? $"; unchanged, not sent: {string.Join(", ", same)}" : ""));
            return update.Version;
        }

        /// <summary>
        /// After a failed deploy that left nothing of the new version running: unsets the secrets it added, so the app's
        /// secrets are as they were. Values it changed or unset cannot be put back (Fly never gives a value back): the
        /// returned sentence names them. Empty when there is nothing to say.
        /// </summary>
        public async Task<string> RevertSecretsAsync()
        {
            if (_secretsAdded.Count == 0 && _secretsChanged.Count == 0)
            {
                return "";
            }

            if (!RestoredEverything && !(_changed.IsEmpty && _created.IsEmpty))
            {
                return $"Secrets set by this deploy stay set ({string.Join(", ", _secretsAdded.Concat(_secretsChanged))}): machines run the new version with them.";
            }

            var said = new List<string>();
            if (_secretsAdded.Count > 0)
            {
                try
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await Client.UpdateSecretsAsync(App, _secretsAdded.ToDictionary(n => n, _ => (string?)null, StringComparer.Ordinal), cts.Token).ConfigureAwait(false);
                    said.Add($"The secrets this deploy added were removed again ({string.Join(", ", _secretsAdded)}).");
                }
                catch (Exception x) when (x is MachinesApiException or AmbiguousFailureException or OperationCanceledException)
                {
                    said.Add($"The secrets this deploy added could not be removed again ({string.Join(", ", _secretsAdded)}): {x.Message}");
                }
            }

            if (_secretsChanged.Count > 0)
            {
                said.Add($"Secrets whose value this deploy changed keep the new value ({string.Join(", ", _secretsChanged)}): Fly never gives a secret's value back, " +
                    "so the old one cannot be restored; a machine that restarts reads the new one. Set them back, or deploy again.");
            }

            return string.Join(" ", said);
        }
    }
}
