using System;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>A machine lease with a short TTL, refreshed in the background, released on dispose (even after cancellation).</summary>
internal sealed class HeldLease
{
    private readonly MachinesApiClient _client;
    private readonly string _app;
    private readonly CancellationTokenSource _stop = new();
    private Task? _refresher;

    private HeldLease(MachinesApiClient client, string app, string machineId, string nonce)
    {
        _client = client;
        _app = app;
        MachineId = machineId;
        Nonce = nonce;
    }

    public string MachineId { get; }
    public string Nonce { get; private set; }

    public static async Task<HeldLease> AcquireAsync(MachinesApiClient client, string app, string machineId, DeployOptions options, CancellationToken ct)
    {
        // After an ambiguous failure the lease may be ours without our knowing its nonce: it expires within the TTL,
        // so a 409 is retried until then.
        var ambiguousUntil = DateTime.MinValue;
        while (true)
        {
            try
            {
                var lease = await client.AcquireLeaseAsync(app, machineId, options.LeaseTtlSeconds, "FlyIo.Sdk deploy", null, ct).ConfigureAwait(false);
                var held = new HeldLease(client, app, machineId, lease.Nonce);
                held._refresher = held.RefreshLoop(options);
                return held;
            }
            catch (AmbiguousFailureException)
            {
                ambiguousUntil = DateTime.UtcNow.AddSeconds(options.LeaseTtlSeconds + 2);
            }
            catch (LeaseHeldException) when (DateTime.UtcNow < ambiguousUntil)
            {
            }

            await Task.Delay(500, ct).ConfigureAwait(false);
        }
    }

    private async Task RefreshLoop(DeployOptions options)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.LeaseRefreshInterval, _stop.Token).ConfigureAwait(false);
                var lease = await _client.AcquireLeaseAsync(_app, MachineId, options.LeaseTtlSeconds, "FlyIo.Sdk deploy", Nonce, _stop.Token).ConfigureAwait(false);
                Nonce = lease.Nonce.Length > 0 ? lease.Nonce : Nonce;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception)
            {
                // The next refresh tries again; an expired lease shows up as a 409 on the next call.
            }
        }
    }

    public async Task ReleaseAsync()
    {
        _stop.Cancel();
        try
        {
            if (_refresher is not null)
            {
                await _refresher.ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
        }

        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _client.ReleaseLeaseAsync(_app, MachineId, Nonce, cts.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // It expires within the TTL anyway (13 s).
        }

        _stop.Dispose();
    }
}
