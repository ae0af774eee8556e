using FlyIo.AppModel;
using FlyIo.Diagnostics;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Machines;
using FlyIo.AppModel.Units;

namespace FlyIo.Deploy;

/// <summary>The release command machine: run before any app machine changes, exactly as flyctl runs it.</summary>
public sealed partial class DeployEngine
{
    private async Task RunReleaseCommandAsync(string image, IReadOnlyList<Machine> machines, DeployResult result, long? secretsVersion, CancellationToken ct)
    {
        var words = ShellWords.Split(_config.ReleaseCommand!);
        if (!words.Success)
        {
            throw new DeployException(FlyCodes.DeploySettingsInvalid, $"release_command '{_config.ReleaseCommand}' does not split like a shell line: {words.Error}.");
        }

        var config = ReleaseCommandConfig(image, words.Words.ToList(), machines, result.ReleaseVersion, result.ReleaseId);
        var timeout = _config.ReleaseCommandTimeout;
        Say($"Running release command: {string.Join(" ", words.Words)} (timeout {GoDuration.FormatGo(timeout)})");
        var machine = await _client.CreateMachineAsync(_app, new CreateMachineRequest(config.ToJson())
        {
            Region = _config.PrimaryRegion,
            SkipLaunch = true,
            SkipServiceRegistration = true,
            MinSecretsVersion = secretsVersion,
        }, ct).ConfigureAwait(false);
        var began = Stopwatch.StartNew();
        try
        {
            await _client.StartMachineAsync(_app, machine.Id, null, ct).ConfigureAwait(false);
            var outcome = await WaitForReleaseMachineAsync(machine, timeout, ct).ConfigureAwait(false);
            if (outcome.Kind == ReleaseOutcomeKind.StillRunning)
            {
                Say($"Release command machine {machine.Id} still running after {GoDuration.FormatGo(timeout)}: destroying it");
                var lastLines = await MachineLogTail.ReadAsync(_client, _app, machine.Id, TimeSpan.Zero, ct).ConfigureAwait(false);
                await DestroyQuietlyAsync(machine.Id).ConfigureAwait(false);
                throw new DeployException(FlyCodes.ReleaseCommandTimedOut,
                    $"The release command '{_config.ReleaseCommand}' (machine {machine.Id}) did not finish within release_command_timeout = {GoDuration.FormatGo(timeout)}; it was stopped and destroyed. No app machine was changed. Raise [deploy] release_command_timeout if it needs longer.", logTail: lastLines);
            }

            if (outcome.Kind == ReleaseOutcomeKind.DidNotRun)
            {
                var lastLines = await MachineLogTail.ReadAsync(_client, _app, machine.Id, TimeSpan.FromSeconds(3), ct).ConfigureAwait(false);
                await DestroyQuietlyAsync(machine.Id).ConfigureAwait(false);
                throw new DeployException(FlyCodes.ReleaseCommandDidNotRun,
                    $"The release command '{_config.ReleaseCommand}' (machine {machine.Id}, image {image}) never ran to an exit: {outcome.Reason}. No app machine was changed.", logTail: lastLines);
            }

            result.ReleaseCommandExitCode = outcome.ExitCode;
            if (outcome.ExitCode != 0 || outcome.RequestedStop)
            {
                var lastLines = await MachineLogTail.ReadAsync(_client, _app, machine.Id, TimeSpan.FromSeconds(3), ct).ConfigureAwait(false);
                await DestroyQuietlyAsync(machine.Id).ConfigureAwait(false);
                var why = outcome.RequestedStop ? " (it was stopped before it finished)" : outcome.OomKilled ? " (killed: out of memory; raise [deploy.release_command_vm] memory)" : "";
                throw new DeployException(FlyCodes.ReleaseCommandFailed,
                    $"The release command '{_config.ReleaseCommand}' (machine {machine.Id}, image {image}) exited with code {outcome.ExitCode}{why} after {began.Elapsed.TotalSeconds:0.0}s. No app machine was changed.", logTail: lastLines);
            }

            Say($"Release command finished with exit code 0 in {began.Elapsed.TotalSeconds:0.0}s");
        }
        catch (OperationCanceledException)
        {
            await DestroyQuietlyAsync(machine.Id).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Follows the release machine until its process has exited, it failed to launch, or the timeout passed. Decided
    /// from the machine's own state and events (as flyctl does: an <c>exit</c> after the <c>start</c>), never from
    /// what a wait call answered: Fly's wait says only <c>{"ok": true}</c>. Success needs an exit event.
    /// </summary>
    private async Task<ReleaseOutcome> WaitForReleaseMachineAsync(Machine machine, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var now = await _client.TryGetMachineAsync(_app, machine.Id, ct).ConfigureAwait(false);
            var events = now is null ? Array.Empty<MachineEvent>() : await _client.GetEventsAsync(_app, machine.Id, 20, ct).ConfigureAwait(false);
            var outcome = ReleaseOutcome.From(now, events);
            if (outcome.Kind != ReleaseOutcomeKind.StillRunning)
            {
                return outcome;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return outcome;
            }

            // Blocks until the machine is gone (auto_destroy) or a slice passes; short slices so that a machine that
            // failed to launch (and so is never destroyed) is seen within seconds.
            var slice = left < ReleaseWaitSlice ? left : ReleaseWaitSlice;
            await _client.WaitForStateAsync(_app, machine.Id, now?.State is "started" ? "destroyed" : "started", machine.InstanceId, slice, ct).ConfigureAwait(false);
        }
    }

    /// <summary>How long one wait on the release machine blocks before its state and events are read again.</summary>
    private static readonly TimeSpan ReleaseWaitSlice = TimeSpan.FromSeconds(5);

    private MachineConfig ReleaseCommandConfig(string image, List<string> words, IReadOnlyList<Machine> machines, int release, string releaseId)
    {
        var config = new MachineConfig { Image = image, InitCmd = words, RestartPolicy = "no", AutoDestroy = true, SkipDnsRegistration = true };
        foreach (var kv in _config.Env)
        {
            config.Env[kv.Key] = kv.Value;
        }

        config.Env["RELEASE_COMMAND"] = "1";
        config.Env["FLY_PROCESS_GROUP"] = ReleaseCommandGroup;
        if (_config.PrimaryRegion is not null)
        {
            config.Env["PRIMARY_REGION"] = _config.PrimaryRegion;
        }

        config.Guest = _config.ReleaseCommandVm
            ?? machines.Select(m => MachineConfig.FromJson(m.Config).Guest).OrderByDescending(g => g.Weight).FirstOrDefault()
            ?? GuestConfig.Preset("shared-cpu-2x")!;
        config.Metadata["fly_platform_version"] = "v2";
        config.Metadata["fly_process_group"] = ReleaseCommandGroup;
        // The release it runs for, as flyctl's setMachineReleaseData marks the release command machine too.
        config.Metadata["fly_release_id"] = releaseId;
        config.Metadata["fly_release_version"] = release.ToString(CultureInfo.InvariantCulture);
        return config;
    }

    private async Task DestroyQuietlyAsync(string id)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _client.DeleteMachineAsync(_app, id, null, true, cts.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Reported by the caller's message; the machine has auto_destroy anyway.
        }
    }
}
